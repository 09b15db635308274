// Opening, replying to, attaching to and closing support tickets.
#include "support/tickets.hpp"

#include <openssl/evp.h>

#include <array>
#include <fstream>

#include "auth/token.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "jobs/events.hpp"

namespace linnet::support {

namespace fs = std::filesystem;

namespace {

jobs::Entity entity_of(const Ticket& t) {
    return {t.id, "ticket", t.summary, "/v4/support/tickets/" + std::to_string(t.id)};
}

void notify(store::Transaction& tx, const Author& author, const std::string& action,
            const Ticket& t) {
    jobs::record_event(tx, {action, entity_of(t), std::nullopt, "notification", author.user_id,
                            author.username, ""});
}

void touch(TicketRepository& repo, Ticket& t, const std::string& by) {
    t.updated = now_utc();
    t.updated_by = by;
    repo.save(t);
}

void refuse_closed(const Ticket& t, std::optional<std::string> field = std::nullopt) {
    if (t.status == "closed") throw errors::bad_request("The ticket is closed.", std::move(field));
}

// A file name to keep as it is: 1-100 letters, digits, '.', '-' and '_', not starting with a
// dot, of a kind support reads.
bool acceptable_name(const std::string& name) {
    if (name.empty() || name.size() > 100 || name[0] == '.') return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
            return false;
    static const std::array<std::string, 12> kinds{".txt", ".log", ".csv",  ".json",
                                                   ".png", ".jpg", ".jpeg", ".gif",
                                                   ".pdf", ".zip", ".gz",   ".tar"};
    for (const auto& kind : kinds)
        if (name.size() > kind.size() && name.ends_with(kind)) return true;
    return false;
}

}  // namespace

std::string gravatar_id(const std::string& email) {
    std::string text;
    for (char c : email)
        if (c != ' ') text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
    return auth::to_hex(digest, length);
}

Ticket open(store::Transaction& tx, const Author& author, const std::string& summary,
            const std::string& description, std::optional<Entity> entity) {
    Ticket t;
    t.summary = summary;
    t.description = description;
    t.status = "new";
    t.entity = std::move(entity);
    t.gravatar_id = gravatar_id(author.email);
    t.opened = t.updated = now_utc();
    t.opened_by = t.updated_by = author.username;
    TicketRepository repo(tx);
    t.id = repo.insert(t);
    t.account_id = tx.scope().account_id();
    notify(tx, author, "ticket_create", t);
    return t;
}

Reply reply(store::Transaction& tx, const Author& author, Ticket& ticket,
            const std::string& description) {
    refuse_closed(ticket);
    TicketRepository repo(tx);
    Reply r{0,    ticket.id, description, now_utc(), author.username, gravatar_id(author.email),
            false};
    r.id = repo.add_reply(r);
    touch(repo, ticket, author.username);
    notify(tx, author, "ticket_update", ticket);
    return r;
}

Reply operator_reply(store::Transaction& tx, Ticket& ticket, const std::string& description) {
    refuse_closed(ticket);
    TicketRepository repo(tx);
    Reply r{0, ticket.id, description, now_utc(), kOperator, gravatar_id(""), true};
    r.id = repo.add_reply(r);
    if (ticket.status == "new") ticket.status = "open";
    touch(repo, ticket, kOperator);
    notify(tx, Author{0, kOperator, ""}, "ticket_update", ticket);
    return r;
}

void attach(store::Transaction& tx, const Author& author, Ticket& ticket, const std::string& name,
            const std::string& content, const fs::path& shared) {
    refuse_closed(ticket, "file");
    if (!acceptable_name(name))
        throw errors::bad_request(
            "A file name is 1-100 letters, digits, '.', '-' and '_', of a kind support reads "
            "(txt, log, csv, json, png, jpg, jpeg, gif, pdf, zip, gz, tar)",
            "file");
    if (content.empty() || content.size() > kMaxAttachmentBytes)
        throw errors::bad_request("A file is 1 byte to 1 MB", "file");
    TicketRepository repo(tx);
    if (repo.has_attachment(ticket.id, name))
        throw errors::bad_request("The ticket has a file of that name already", "file");
    if (repo.count_attachments(ticket.id) >= kMaxAttachments)
        throw errors::bad_request("A ticket has at most 10 files", "file");
    repo.add_attachment(ticket.id, name, static_cast<std::int64_t>(content.size()), now_utc());
    touch(repo, ticket, author.username);
    notify(tx, author, "ticket_attachment_upload", ticket);
    // The file last, whole or not at all: a request run again writes it again.
    const fs::path folder = shared / "attachments" / std::to_string(ticket.id);
    fs::create_directories(folder);
    const fs::path part = folder / ("." + name + ".part");
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out) throw std::runtime_error("cannot write " + part.string());
    }
    fs::rename(part, folder / name);
}

void close(store::Transaction& tx, const Author& author, Ticket& ticket) {
    refuse_closed(ticket);
    TicketRepository repo(tx);
    ticket.status = "closed";
    ticket.closed = now_utc();
    touch(repo, ticket, author.username);
    notify(tx, author, "ticket_update", ticket);
}

}  // namespace linnet::support
