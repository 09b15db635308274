// Statements on longview_clients and longview_plans.
#include "longview/longview_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::longview {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, label, api_key, install_code, apps, created, updated";
constexpr std::string_view insert =
    "INSERT INTO longview_clients (account_id, label, api_key, install_code, apps, created, "
    "updated) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find =
    "SELECT " + std::string(columns) + " FROM longview_clients WHERE id = ? AND {{account}}";
constexpr std::string_view save =
    "UPDATE longview_clients SET label = ?, apps = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM longview_clients WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM longview_clients WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view count = "SELECT COUNT(*) AS n FROM longview_clients WHERE {{account}}";
constexpr std::string_view names =
    "SELECT id, label FROM longview_clients WHERE {{account}} ORDER BY id";
const std::string by_api_key =
    "SELECT " + std::string(columns) + " FROM longview_clients WHERE api_key = ?";
constexpr std::string_view add_sample =
    "INSERT INTO longview_samples (client_id, at, instant, longterm) VALUES (?, ?, ?, ?)";
constexpr std::string_view forget_samples =
    "DELETE FROM longview_samples WHERE client_id = ? AND at < ?";
constexpr std::string_view latest_sample =
    "SELECT at, instant, longterm FROM longview_samples WHERE client_id = ? AND client_id IN "
    "(SELECT c.id FROM longview_clients c WHERE {{account:c.account_id}}) ORDER BY at DESC, id "
    "DESC LIMIT 1";
constexpr std::string_view plan = "SELECT subscription FROM longview_plans WHERE {{account}}";
constexpr std::string_view set_plan =
    "INSERT INTO longview_plans (account_id, subscription) VALUES (?, ?) ON CONFLICT "
    "(account_id) DO UPDATE SET subscription = excluded.subscription";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kClients{{
                                  {"label", "label", FieldType::text},
                                  {"created", "created", FieldType::time},
                                  {"updated", "updated", FieldType::time},
                              },
                              "id"};

Client from_row(const store::Row& r) {
    return {r.integer("id"),        r.integer("account_id"), r.text("label"),   r.text("api_key"),
            r.text("install_code"), r.text("apps"),          r.text("created"), r.text("updated")};
}

}  // namespace

std::int64_t LongviewRepository::insert(const Client& c) {
    return tx_
        .query(statements::insert, {tx_.scope().account_id(), c.label, c.api_key, c.install_code,
                                    c.apps, c.created, c.updated})
        .at(0)
        .integer("id");
}

std::optional<Client> LongviewRepository::find_by_api_key(const std::string& api_key) {
    const auto rows = tx_.query(statements::by_api_key, {api_key});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void LongviewRepository::add_sample(std::int64_t client_id, std::int64_t at,
                                    const std::string& instant, const std::string& longterm,
                                    std::int64_t before) {
    tx_.execute(statements::add_sample, {client_id, at, instant, longterm});
    tx_.execute(statements::forget_samples, {client_id, before});
}

std::optional<LongviewRepository::Sample> LongviewRepository::latest_sample(
    std::int64_t client_id) {
    const auto rows = store::scoped_query(tx_, statements::latest_sample, {client_id});
    if (rows.empty()) return std::nullopt;
    return Sample{rows.front().integer("at"), rows.front().text("instant"),
                  rows.front().text("longterm")};
}

std::optional<Client> LongviewRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::find, {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

void LongviewRepository::save(const Client& c) {
    store::scoped_execute(tx_, statements::save, {c.label, c.apps, c.updated, c.id});
}

void LongviewRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

bool LongviewRepository::label_taken(const std::string& label, std::int64_t except_id) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except_id}).empty();
}

std::int64_t LongviewRepository::count() {
    return store::scoped_query(tx_, statements::count).at(0).integer("n");
}

std::vector<std::pair<std::int64_t, std::string>> LongviewRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

std::optional<std::string> LongviewRepository::plan() {
    auto rows = store::scoped_query(tx_, statements::plan);
    if (rows.empty()) return std::nullopt;
    return rows.front().optional_text("subscription");
}

void LongviewRepository::set_plan(const std::optional<std::string>& subscription) {
    tx_.execute(statements::set_plan, {tx_.scope().account_id(), store::or_null(subscription)});
}

store::Listing LongviewRepository::listing(const std::pair<std::string, store::Params>& visible) {
    store::Listing l{"longview_clients", kClients, "{{account}} AND (" + visible.first + ")",
                     visible.second};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& r) { return render(from_row(r)); };
    return l;
}

std::string render(const Client& c) {
    return to_json(json::object{{"id", c.id},
                                {"label", c.label},
                                {"api_key", c.api_key},
                                {"install_code", c.install_code},
                                {"apps", json::parse(c.apps)},
                                {"created", c.created},
                                {"updated", c.updated}});
}

}  // namespace linnet::longview
