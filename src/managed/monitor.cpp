// Due services, their probes, and what a result changes.
#include "managed/monitor.hpp"

#include <cstdlib>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "managed/probe.hpp"
#include "managed/service_repository.hpp"
#include "support/tickets.hpp"

namespace linnet::managed {

namespace {

// A round checks at most this many services; the others wait for the next.
constexpr int kPerRound = 50;

const support::Author kManagedTeam{0, "Linnet Managed", ""};

void open_issue(store::Transaction& tx, ServiceRepository& services, const Service& s,
                const ProbeResult& result) {
    auto ticket = support::open(tx, kManagedTeam, "Managed service " + s.label + " is down",
                                "The check of " + s.address + " (" + s.service_type +
                                    ") failed at " + now_utc() + ": " + result.detail + ".",
                                std::nullopt);
    services.open(s.account_id, s.id, ticket.id, now_utc());
}

void resolve_issue(store::Transaction& tx, ServiceRepository& services, const Issue& issue,
                   const Service& s, const ProbeResult& result) {
    if (auto ticket = support::TicketRepository(tx).find(issue.ticket_id);
        ticket && ticket->status != "closed") {
        support::operator_reply(tx, *ticket,
                                "Managed service " + s.label + " is up again since " + now_utc() +
                                    " (" + result.detail + ").");
        support::close(tx, kManagedTeam, *ticket);
    }
    services.resolve(issue.id, now_utc());
}

}  // namespace

std::chrono::seconds Monitor::interval() {
    if (const char* v = std::getenv("LINNET_MANAGED_INTERVAL_SECONDS"); v && std::atoll(v) > 0)
        return std::chrono::seconds(std::atoll(v));
    return std::chrono::seconds(60);
}

int Monitor::check_due(std::int64_t now, const std::atomic<bool>& stopping) {
    std::vector<Service> due;
    {
        auto tx = db_.begin_in(store::Access::read, store::Scope::system());
        due = ServiceRepository(*tx).due(now, kPerRound);
        tx->commit();
    }
    for (const auto& was : due) {
        const ProbeResult result =
            probe(was.service_type, was.address, std::chrono::seconds(was.timeout), was.body,
                  loopback_, &stopping);
        if (stopping) break;
        const std::int64_t at = clock::unix_seconds();
        auto tx = db_.begin_in(store::Access::write, store::Scope::account(was.account_id));
        ServiceRepository services(*tx);
        const auto s = services.find(was.id);
        // Gone, disabled or changed while it was checked: the result is not its.
        if (!s || s->status == "disabled" || s->address != was.address ||
            s->service_type != was.service_type) {
            tx->commit();
            continue;
        }
        const auto open = services.open_issue(s->id);
        if (!result.ok && !open) open_issue(*tx, services, *s, result);
        if (result.ok && open) resolve_issue(*tx, services, *open, *s, result);
        services.record_check(s->id, at, result.ok, result.detail, result.ok ? "ok" : "problem",
                              at + interval().count());
        tx->commit();
    }
    return static_cast<int>(due.size());
}

}  // namespace linnet::managed
