// Statements on managed_services, managed_service_credentials, managed_checks and
// managed_issues.
#include "managed/service_repository.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::managed {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, label, service_type, address, timeout, body, consultation_group, notes, "
    "region, status, due, created, updated";
constexpr std::string_view insert =
    "INSERT INTO managed_services (account_id, label, service_type, address, timeout, body, "
    "consultation_group, notes, region, status, due, created, updated) VALUES (?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find =
    "SELECT " + std::string(columns) + " FROM managed_services WHERE id = ? AND {{account}}";
constexpr std::string_view save =
    "UPDATE managed_services SET label = ?, service_type = ?, address = ?, timeout = ?, body = "
    "?, consultation_group = ?, notes = ?, region = ?, status = ?, due = ?, updated = ? WHERE id "
    "= ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM managed_services WHERE id = ? AND {{account}}";
constexpr std::string_view clear_credentials =
    "DELETE FROM managed_service_credentials WHERE service_id = ?";
constexpr std::string_view add_credential =
    "INSERT INTO managed_service_credentials (service_id, credential_id) VALUES (?, ?)";
constexpr std::string_view credentials_of =
    "SELECT credential_id FROM managed_service_credentials WHERE service_id = ? ORDER BY "
    "credential_id";
constexpr std::string_view credential_exists =
    "SELECT 1 AS found FROM managed_credentials WHERE id = ? AND {{account}}";
const std::string due = "SELECT " + std::string(columns) +
                        " FROM managed_services WHERE status <> 'disabled' AND due <= ? ORDER "
                        "BY due, id LIMIT ?";
constexpr std::string_view add_check =
    "INSERT INTO managed_checks (service_id, at, ok, detail) VALUES (?, ?, ?, ?)";
constexpr std::string_view forget_checks =
    "DELETE FROM managed_checks WHERE service_id = ? AND at < ?";
constexpr std::string_view set_status =
    "UPDATE managed_services SET status = ?, due = ? WHERE id = ? AND status <> 'disabled'";
constexpr std::string_view open_issue =
    "SELECT i.id, i.service_id, i.ticket_id, t.summary, i.created, i.resolved FROM "
    "managed_issues i JOIN support_tickets t ON t.id = i.ticket_id WHERE i.service_id = ? AND "
    "i.resolved IS NULL ORDER BY i.id DESC LIMIT 1";
constexpr std::string_view open =
    "INSERT INTO managed_issues (account_id, service_id, ticket_id, created) VALUES (?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view resolve = "UPDATE managed_issues SET resolved = ? WHERE id = ?";
}  // namespace statements

namespace {

const filter::Schema kServices{{}, "id"};
const filter::Schema kIssues{{}, "id"};

// Checks are kept a day: enough for what an operator looks back on.
constexpr std::int64_t kKeepChecks = 86400;

Service from_row(const store::Row& r) {
    Service s;
    s.id = r.integer("id");
    s.account_id = r.integer("account_id");
    s.label = r.text("label");
    s.service_type = r.text("service_type");
    s.address = r.text("address");
    s.timeout = r.integer("timeout");
    s.body = r.optional_text("body");
    s.consultation_group = r.text("consultation_group");
    s.notes = r.optional_text("notes");
    s.region = r.optional_text("region");
    s.status = r.text("status");
    s.due = r.integer("due");
    s.created = r.text("created");
    s.updated = r.text("updated");
    return s;
}

Issue issue_from_row(const store::Row& r) {
    return {r.integer("id"),        r.optional_integer("service_id"),
            r.integer("ticket_id"), r.text("summary"),
            r.text("created"),      r.optional_text("resolved")};
}

json::value text_or_null(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

std::string render_issue(const Issue& i) {
    json::array services;
    if (i.service_id) services.push_back(*i.service_id);
    return to_json(json::object{
        {"id", i.id},
        {"created", i.created},
        {"services", std::move(services)},
        {"entity", json::object{{"id", i.ticket_id},
                                {"label", i.ticket_summary},
                                {"type", "ticket"},
                                {"url", "/support/tickets/" + std::to_string(i.ticket_id)}}}});
}

}  // namespace

std::int64_t ServiceRepository::insert(const Service& s) {
    const std::int64_t id =
        tx_.query(statements::insert,
                  {tx_.scope().account_id(), s.label, s.service_type, s.address, s.timeout,
                   store::or_null(s.body), s.consultation_group, store::or_null(s.notes),
                   store::or_null(s.region), s.status, s.due, s.created, s.updated})
            .at(0)
            .integer("id");
    for (const auto c : s.credentials) tx_.execute(statements::add_credential, {id, c});
    return id;
}

std::optional<Service> ServiceRepository::find(std::int64_t id) {
    const auto rows = store::scoped_query(tx_, statements::find, {id});
    if (rows.empty()) return std::nullopt;
    Service s = from_row(rows.front());
    for (const auto& r : tx_.query(statements::credentials_of, {id}))
        s.credentials.push_back(r.integer("credential_id"));
    return s;
}

void ServiceRepository::save(const Service& s) {
    store::scoped_execute(tx_, statements::save,
                          {s.label, s.service_type, s.address, s.timeout, store::or_null(s.body),
                           s.consultation_group, store::or_null(s.notes), store::or_null(s.region),
                           s.status, s.due, s.updated, s.id});
    tx_.execute(statements::clear_credentials, {s.id});
    for (const auto c : s.credentials) tx_.execute(statements::add_credential, {s.id, c});
}

void ServiceRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool ServiceRepository::credentials_exist(const std::vector<std::int64_t>& ids) {
    for (const auto id : ids)
        if (store::scoped_query(tx_, statements::credential_exists, {id}).empty()) return false;
    return true;
}

std::vector<Service> ServiceRepository::due(std::int64_t now, int limit) {
    std::vector<Service> out;
    for (const auto& r : tx_.query(statements::due, {now, std::int64_t{limit}}))
        out.push_back(from_row(r));
    return out;
}

void ServiceRepository::record_check(std::int64_t service_id, std::int64_t at, bool ok,
                                     const std::string& detail, const std::string& status,
                                     std::int64_t next_due) {
    tx_.execute(statements::add_check, {service_id, at, std::int64_t{ok ? 1 : 0}, detail});
    tx_.execute(statements::forget_checks, {service_id, at - kKeepChecks});
    tx_.execute(statements::set_status, {status, next_due, service_id});
}

std::optional<Issue> ServiceRepository::open_issue(std::int64_t service_id) {
    const auto rows = tx_.query(statements::open_issue, {service_id});
    if (rows.empty()) return std::nullopt;
    return issue_from_row(rows.front());
}

std::int64_t ServiceRepository::open(std::int64_t account_id, std::int64_t service_id,
                                     std::int64_t ticket_id, const std::string& created) {
    return tx_.query(statements::open, {account_id, service_id, ticket_id, created})
        .at(0)
        .integer("id");
}

void ServiceRepository::resolve(std::int64_t issue_id, const std::string& when) {
    tx_.execute(statements::resolve, {when, issue_id});
}

store::Listing ServiceRepository::listing() {
    store::Listing l{"managed_services", kServices, "{{account}}"};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& r) { return render(from_row(r)); };
    // Each service's credentials, read for the page in one statement.
    l.members = store::Listing::Members{"managed_service_credentials", "service_id",
                                        "CAST(credential_id AS TEXT)", "credential_id"};
    l.render_with_members = [](const store::Row& r, const std::vector<std::string>& members) {
        Service s = from_row(r);
        for (const auto& m : members) s.credentials.push_back(std::stoll(m));
        return render(s);
    };
    return l;
}

store::Listing ServiceRepository::issue_listing() {
    store::Listing l{
        "(SELECT i.id AS id, i.account_id AS account_id, i.service_id AS service_id, "
        "i.ticket_id AS ticket_id, t.summary AS summary, i.created AS created, i.resolved AS "
        "resolved FROM managed_issues i JOIN support_tickets t ON t.id = i.ticket_id) issues",
        kIssues, "{{account}}"};
    l.columns = "id, service_id, ticket_id, summary, created, resolved";
    l.render = [](const store::Row& r) { return render_issue(issue_from_row(r)); };
    return l;
}

std::string render(const Service& s) {
    json::array credentials;
    for (const auto c : s.credentials) credentials.push_back(c);
    return to_json(json::object{{"id", s.id},
                                {"label", s.label},
                                {"service_type", s.service_type},
                                {"address", s.address},
                                {"timeout", s.timeout},
                                {"body", text_or_null(s.body)},
                                {"consultation_group", s.consultation_group},
                                {"notes", text_or_null(s.notes)},
                                {"region", text_or_null(s.region)},
                                {"credentials", std::move(credentials)},
                                {"status", s.status},
                                {"created", s.created},
                                {"updated", s.updated}});
}

}  // namespace linnet::managed
