// Statements on the tokens table.
#include "auth/token_repository.hpp"

#include <algorithm>

namespace linnet::auth {

namespace statements {
constexpr std::string_view insert =
    "INSERT INTO tokens (user_id, kind, label, scopes, token_hash, token_prefix, created, "
    "expiry, expiry_unix, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}') RETURNING id";
constexpr std::string_view set_doc = "UPDATE tokens SET doc = ? WHERE id = ?";
constexpr std::string_view set_app = "UPDATE tokens SET app_id = ? WHERE id = ?";
// A bearer token's columns with its user's, from `tokens t` joined with its user and live
// account; the version of the lists of the family in `family_column` comes along.
std::string bearer_columns_from(std::string_view tokens, std::string_view family_column) {
    return "t.id AS token_id, t.scopes AS scopes, t.expiry_unix AS expiry_unix, "
           "u.id AS user_id, u.account_id AS account_id, u.username AS username, "
           "u.restricted AS restricted, " +
           store::list_version_column("u.account_id", family_column) + " AS list_version FROM " +
           std::string(tokens) +
           " JOIN users u ON u.id = t.user_id JOIN accounts ac ON ac.id = u.account_id AND "
           "ac.cancelled IS NULL";
}
const std::string find_bearer =
    "SELECT " + bearer_columns_from("tokens t", {}) + " WHERE t.token_hash = ?";
// find_bearer for `n` lookups, each a row of `asked` (its position, hash and list family).
std::string find_bearers(std::size_t n) {
    std::string sql = "WITH asked(n, token_hash, family) AS (VALUES ";
    for (std::size_t i = 0; i < n; ++i)
        sql += i == 0 ? "(CAST(? AS BIGINT), ?, ?)" : ", (CAST(? AS BIGINT), ?, ?)";
    return sql + ") SELECT asked.n AS n, " +
           bearer_columns_from("asked JOIN tokens t ON t.token_hash = asked.token_hash",
                               "asked.family");
}
constexpr std::string_view find_for_client =
    "SELECT t.id AS id FROM tokens t JOIN authorized_apps a ON a.id = t.app_id "
    "WHERE t.token_hash = ? AND a.client_id = ?";
constexpr std::string_view personal = "user_id = ? AND kind = 'personal_access_token'";
constexpr std::string_view rename = "UPDATE tokens SET label = ?, doc = ? WHERE id = ?";
constexpr std::string_view remove = "DELETE FROM tokens WHERE id = ?";
constexpr std::string_view remove_for_user = "DELETE FROM tokens WHERE user_id = ?";
constexpr std::string_view remove_for_app = "DELETE FROM tokens WHERE app_id = ?";
constexpr std::string_view remove_for_client =
    "DELETE FROM tokens WHERE app_id IN (SELECT id FROM authorized_apps WHERE client_id = ?)";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kTokens{{
                                 {"label", "label", FieldType::text},
                                 {"created", "created", FieldType::time},
                             },
                             "id"};

BearerToken from_row(const store::Row& row) {
    BearerToken t;
    t.token_id = row.integer("token_id");
    t.scopes = row.text("scopes");
    t.expiry_unix = row.optional_integer("expiry_unix");
    t.user_id = row.integer("user_id");
    t.account_id = row.integer("account_id");
    t.username = row.text("username");
    t.restricted = row.boolean("restricted");
    return t;
}

}  // namespace

std::int64_t TokenRepository::insert(const NewTokenRow& t) {
    return tx_
        .query(statements::insert,
               {t.user_id, t.kind, t.label, t.scopes, t.token_hash, t.token_prefix, t.created,
                store::or_null(t.expiry), store::or_null(t.expiry_unix)})
        .at(0)
        .integer("id");
}

void TokenRepository::set_doc(std::int64_t id, const std::string& doc) {
    tx_.execute(statements::set_doc, {doc, id});
}

void TokenRepository::set_app(std::int64_t id, std::int64_t app_id) {
    tx_.execute(statements::set_app, {app_id, id});
}

std::optional<BearerToken> TokenRepository::find_bearer(const std::string& token_hash,
                                                        std::string_view list_family) {
    auto rows = tx_.query(statements::find_bearer, {std::string(list_family), token_hash});
    if (rows.empty()) return std::nullopt;
    auto found = from_row(rows.front());
    if (!list_family.empty()) found.list_version = rows.front().integer("list_version");
    return found;
}

std::vector<std::optional<BearerToken>> TokenRepository::find_bearers(
    const std::vector<BearerLookup>& lookups) {
    static const auto statement = [] {
        std::vector<std::string> by_count(kBearersAtOnce + 1);
        for (std::size_t n = 1; n <= kBearersAtOnce; ++n) by_count[n] = statements::find_bearers(n);
        return by_count;
    }();
    std::vector<std::optional<BearerToken>> found(lookups.size());
    for (std::size_t first = 0; first < lookups.size(); first += kBearersAtOnce) {
        const std::size_t n = std::min(kBearersAtOnce, lookups.size() - first);
        store::Params params;
        params.reserve(3 * n);
        for (std::size_t i = first; i < first + n; ++i) {
            params.emplace_back(static_cast<std::int64_t>(i));
            params.emplace_back(lookups[i].token_hash);
            params.emplace_back(lookups[i].list_family);
        }
        for (const auto& row : tx_.query(statement[n], params)) {
            const auto i = static_cast<std::size_t>(row.integer("n"));
            if (i >= found.size()) continue;
            found[i] = from_row(row);
            if (!lookups[i].list_family.empty())
                found[i]->list_version = row.integer("list_version");
        }
    }
    return found;
}

std::optional<std::int64_t> TokenRepository::find_for_client(const std::string& token_hash,
                                                             const std::string& client_id) {
    auto rows = tx_.query(statements::find_for_client, {token_hash, client_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().integer("id");
}

store::Listing TokenRepository::personal_tokens(std::int64_t user_id) {
    return {"tokens", kTokens, std::string(statements::personal), {user_id}};
}

std::optional<std::string> TokenRepository::personal_doc(std::int64_t user_id, std::int64_t id) {
    return store::read_one(tx_, personal_tokens(user_id), "id", id);
}

void TokenRepository::rename(std::int64_t id, const std::string& label, const std::string& doc) {
    tx_.execute(statements::rename, {label, doc, id});
}

void TokenRepository::remove(std::int64_t id) {
    tx_.execute(statements::remove, {id});
}

void TokenRepository::remove_for_user(std::int64_t user_id) {
    tx_.execute(statements::remove_for_user, {user_id});
}

void TokenRepository::remove_for_app(std::int64_t app_id) {
    tx_.execute(statements::remove_for_app, {app_id});
}

void TokenRepository::remove_for_client(const std::string& client_id) {
    tx_.execute(statements::remove_for_client, {client_id});
}

}  // namespace linnet::auth
