// Statements on support_tickets, support_replies and support_attachments.
#include "support/ticket_repository.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::support {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, summary, description, status, entity_type, entity_id, entity_label, "
    "entity_url, gravatar_id, opened, opened_by, updated, updated_by, closed";
constexpr std::string_view insert =
    "INSERT INTO support_tickets (account_id, summary, description, status, entity_type, "
    "entity_id, entity_label, entity_url, gravatar_id, opened, opened_by, updated, updated_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find =
    "SELECT " + std::string(columns) + " FROM support_tickets WHERE id = ? AND {{account}}";
const std::string open_tickets = "SELECT " + std::string(columns) +
                                 " FROM support_tickets WHERE status <> 'closed' AND {{account}} "
                                 "ORDER BY updated, id";
constexpr std::string_view ids = "SELECT id FROM support_tickets WHERE {{account}} ORDER BY id";
constexpr std::string_view save =
    "UPDATE support_tickets SET status = ?, updated = ?, updated_by = ?, closed = ? WHERE id = ?";
constexpr std::string_view add_reply =
    "INSERT INTO support_replies (ticket_id, description, created, created_by, gravatar_id, "
    "from_linode) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view reply_columns =
    "id, ticket_id, description, created, created_by, gravatar_id, from_linode";
constexpr std::string_view attachments_of =
    "SELECT ticket_id, name FROM support_attachments WHERE ticket_id IN (";
constexpr std::string_view has_attachment =
    "SELECT 1 AS found FROM support_attachments WHERE ticket_id = ? AND name = ?";
constexpr std::string_view count_attachments =
    "SELECT COUNT(*) AS n FROM support_attachments WHERE ticket_id = ?";
constexpr std::string_view add_attachment =
    "INSERT INTO support_attachments (ticket_id, name, size, created) VALUES (?, ?, ?, ?)";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kTickets{{
                                  {"summary", "summary", FieldType::text},
                                  {"status", "status", FieldType::text},
                                  {"opened", "opened", FieldType::time},
                                  {"updated", "updated", FieldType::time},
                                  {"closed", "closed", FieldType::time},
                              },
                              "id"};
const filter::Schema kReplies{{{"created", "created", FieldType::time}}, "id"};

Ticket from_row(const store::Row& r) {
    Ticket t;
    t.id = r.integer("id");
    t.account_id = r.integer("account_id");
    t.summary = r.text("summary");
    t.description = r.text("description");
    t.status = r.text("status");
    if (auto type = r.optional_text("entity_type"))
        t.entity =
            Entity{*type, r.integer("entity_id"), r.text("entity_label"), r.text("entity_url")};
    t.gravatar_id = r.text("gravatar_id");
    t.opened = r.text("opened");
    t.opened_by = r.text("opened_by");
    t.updated = r.text("updated");
    t.updated_by = r.text("updated_by");
    t.closed = r.optional_text("closed");
    return t;
}

Reply reply_from_row(const store::Row& r) {
    return {r.integer("id"),         r.integer("ticket_id"), r.text("description"),
            r.text("created"),       r.text("created_by"),   r.text("gravatar_id"),
            r.boolean("from_linode")};
}

std::map<std::int64_t, std::vector<std::string>> attachments_of(
    store::Transaction& tx, const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, std::vector<std::string>> out;
    if (ids.empty()) return out;
    store::Params params;
    const std::string marks = store::placeholders(ids, params);
    for (const auto& row : tx.query(std::string(statements::attachments_of) + marks +
                                        ") ORDER BY ticket_id, created, name",
                                    params))
        out[row.integer("ticket_id")].push_back(row.text("name"));
    return out;
}

}  // namespace

std::int64_t TicketRepository::insert(const Ticket& t) {
    const auto& e = t.entity;
    return tx_
        .query(statements::insert, {tx_.scope().account_id(), t.summary, t.description, t.status,
                                    e ? store::SqlValue(e->type) : store::SqlValue(),
                                    e ? store::SqlValue(e->id) : store::SqlValue(),
                                    e ? store::SqlValue(e->label) : store::SqlValue(),
                                    e ? store::SqlValue(e->url) : store::SqlValue(), t.gravatar_id,
                                    t.opened, t.opened_by, t.updated, t.updated_by})
        .at(0)
        .integer("id");
}

std::optional<Ticket> TicketRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(tx_, store::locking(tx_, statements::find), {id});
    if (rows.empty()) return std::nullopt;
    Ticket t = from_row(rows.front());
    t.attachments = std::move(attachments_of(tx_, {id})[id]);
    return t;
}

std::vector<std::int64_t> TicketRepository::ids() {
    std::vector<std::int64_t> out;
    for (const auto& row : store::scoped_query(tx_, statements::ids))
        out.push_back(row.integer("id"));
    return out;
}

std::vector<Ticket> TicketRepository::open_tickets() {
    std::vector<Ticket> out;
    for (const auto& row : store::scoped_query(tx_, statements::open_tickets))
        out.push_back(from_row(row));
    return out;
}

void TicketRepository::save(const Ticket& t) {
    tx_.execute(statements::save,
                {t.status, t.updated, t.updated_by, store::or_null(t.closed), t.id});
}

std::int64_t TicketRepository::add_reply(const Reply& r) {
    return tx_
        .query(statements::add_reply, {r.ticket_id, r.description, r.created, r.created_by,
                                       r.gravatar_id, std::int64_t{r.from_linode ? 1 : 0}})
        .at(0)
        .integer("id");
}

bool TicketRepository::has_attachment(std::int64_t ticket_id, const std::string& name) {
    return !tx_.query(statements::has_attachment, {ticket_id, name}).empty();
}

std::int64_t TicketRepository::count_attachments(std::int64_t ticket_id) {
    return tx_.query(statements::count_attachments, {ticket_id}).at(0).integer("n");
}

void TicketRepository::add_attachment(std::int64_t ticket_id, const std::string& name,
                                      std::int64_t size, const std::string& created) {
    tx_.execute(statements::add_attachment, {ticket_id, name, size, created});
}

store::Listing TicketRepository::listing() {
    store::Listing l{"support_tickets", kTickets, "{{account}}"};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& r) { return render(from_row(r)); };
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        std::vector<std::int64_t> ids;
        for (const auto& r : rows) ids.push_back(r.integer("id"));
        auto of = attachments_of(tx, ids);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            Ticket t = from_row(rows[i]);
            t.attachments = std::move(of[t.id]);
            docs[i] = render(t);
        }
    };
    return l;
}

store::Listing TicketRepository::reply_listing(std::int64_t ticket_id) {
    store::Listing l{"support_replies",
                     kReplies,
                     "ticket_id = ? AND ticket_id IN (SELECT id FROM support_tickets WHERE "
                     "{{account}})",
                     {ticket_id}};
    l.columns = std::string(statements::reply_columns);
    l.render = [](const store::Row& r) { return render(reply_from_row(r)); };
    return l;
}

std::string render(const Ticket& t) {
    json::array attachments;
    for (const auto& a : t.attachments) attachments.push_back(json::string(a));
    json::value entity = nullptr;
    if (t.entity)
        entity = json::object{{"id", t.entity->id},
                              {"label", t.entity->label},
                              {"type", t.entity->type},
                              {"url", t.entity->url}};
    return to_json(
        json::object{{"id", t.id},
                     {"summary", t.summary},
                     {"description", t.description},
                     {"status", t.status},
                     {"entity", std::move(entity)},
                     {"attachments", std::move(attachments)},
                     {"closable", t.status != "closed"},
                     {"gravatar_id", t.gravatar_id},
                     {"opened", t.opened},
                     {"opened_by", t.opened_by},
                     {"updated", t.updated},
                     {"updated_by", t.updated_by},
                     {"closed", t.closed ? json::value(*t.closed) : json::value(nullptr)}});
}

std::string render(const Reply& r) {
    return to_json(json::object{{"id", r.id},
                                {"description", r.description},
                                {"created", r.created},
                                {"created_by", r.created_by},
                                {"gravatar_id", r.gravatar_id},
                                {"from_linode", r.from_linode}});
}

}  // namespace linnet::support
