// `linnetd support list` and `linnetd support reply TICKET`: the operator's side of support
// tickets. The reply is read from standard input.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "core/error.hpp"
#include "main/options.hpp"
#include "support/tickets.hpp"

namespace linnet::cli {

namespace {

struct ReplyOptions {
    StoreOptions store;
    std::int64_t ticket = 0;
};

void list_tickets(const StoreOptions& o) {
    auto db = open_store(o);
    auto tx = db->begin_in(store::Access::read, store::Scope::system());
    std::printf("%-8s %-8s %-7s %-20s %s\n", "TICKET", "ACCOUNT", "STATUS", "UPDATED", "SUMMARY");
    for (const auto& t : support::TicketRepository(*tx).open_tickets())
        std::printf("%-8lld %-8lld %-7s %-20s %s\n", static_cast<long long>(t.id),
                    static_cast<long long>(t.account_id), t.status.c_str(), t.updated.c_str(),
                    t.summary.c_str());
}

void reply(const ReplyOptions& o) {
    const std::string text{std::istreambuf_iterator<char>(std::cin),
                           std::istreambuf_iterator<char>()};
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw CLI::ValidationError("stdin", "the reply (on standard input) is empty");
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    auto ticket = support::TicketRepository(*tx).find(o.ticket);
    if (!ticket) throw CLI::ValidationError("TICKET", "no ticket " + std::to_string(o.ticket));
    // The reply and its event are the ticket's account's.
    tx->set_scope(store::Scope::account(ticket->account_id));
    try {
        support::operator_reply(*tx, *ticket, text);
    } catch (const ApiError& e) {
        throw CLI::ValidationError("TICKET", e.what());
    }
    tx->commit();
    std::cout << "replied to ticket " << o.ticket << std::endl;
}

}  // namespace

void add_support(CLI::App& app) {
    auto* support = app.add_subcommand("support", "Support tickets: the operator's side");
    support->require_subcommand(1);
    auto list_options = std::make_shared<StoreOptions>();
    auto* list = support->add_subcommand("list", "List the tickets not closed, of every account");
    add_store_options(*list, *list_options);
    list->callback([list_options] { list_tickets(*list_options); });
    auto reply_options = std::make_shared<ReplyOptions>();
    auto* answer = support->add_subcommand(
        "reply", "Reply to a ticket as the operator; the reply is read from standard input");
    add_store_options(*answer, reply_options->store);
    answer->add_option("ticket", reply_options->ticket, "The ticket's id")->required();
    answer->callback([reply_options] { reply(*reply_options); });
}

}  // namespace linnet::cli
