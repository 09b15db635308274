// Token lookup and user records.
#include "auth/principal.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include "core/json.hpp"

#include "auth/token.hpp"
#include "auth/token_repository.hpp"
#include "auth/user_repository.hpp"
#include "core/time.hpp"

namespace linnet::auth {

namespace {
bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// The hash of an Authorization header's token; nullopt when the header is malformed.
std::optional<std::string> token_hash(std::string_view authorization) {
    auto space = authorization.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    std::string_view scheme = authorization.substr(0, space);
    std::string_view secret = authorization.substr(space + 1);
    while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
    while (!secret.empty() && secret.back() == ' ') secret.remove_suffix(1);
    if (!(iequals(scheme, "bearer") || iequals(scheme, "token")) || secret.empty() ||
        secret.size() > 256)
        return std::nullopt;
    return sha256_hex(secret);
}

// The principal of a token found; nullopt when it has expired or its scopes do not parse.
std::optional<Principal> principal_of(const BearerToken& found, std::string_view list_family) {
    if (found.expiry_unix && *found.expiry_unix <= unix_now()) return std::nullopt;
    auto scopes = ScopeSet::parse(found.scopes);
    if (!scopes) return std::nullopt;
    Principal p;
    p.token_id = found.token_id;
    p.scopes = *scopes;
    p.user_id = found.user_id;
    p.account_id = found.account_id;
    p.username = found.username;
    p.restricted = found.restricted;
    p.expiry_unix = found.expiry_unix;
    if (found.list_version) {
        p.list_family = std::string(list_family);
        p.list_version = found.list_version;
    }
    return p;
}

}  // namespace

std::optional<Principal> authenticate(store::Transaction& tx, std::string_view authorization,
                                      std::string_view list_family) {
    // A token names its account: the lookup spans accounts.
    tx.set_scope(store::Scope::system());
    auto hash = token_hash(authorization);
    if (!hash) return std::nullopt;
    auto found = TokenRepository(tx).find_bearer(*hash, list_family);
    if (!found) return std::nullopt;
    return principal_of(*found, list_family);
}

std::vector<std::optional<Principal>> authenticate_all(store::Transaction& tx,
                                                       const std::vector<Caller>& callers) {
    tx.set_scope(store::Scope::system());
    // Callers with the same token and family (one client's requests) are one lookup.
    std::vector<BearerLookup> lookups;
    std::vector<std::optional<std::size_t>> lookup_of(callers.size());
    for (std::size_t i = 0; i < callers.size(); ++i) {
        auto hash = token_hash(callers[i].authorization);
        if (!hash) continue;
        BearerLookup lookup{std::move(*hash), std::string(callers[i].list_family)};
        auto same = std::find_if(lookups.begin(), lookups.end(), [&](const BearerLookup& l) {
            return l.token_hash == lookup.token_hash && l.list_family == lookup.list_family;
        });
        lookup_of[i] = static_cast<std::size_t>(same - lookups.begin());
        if (same == lookups.end()) lookups.push_back(std::move(lookup));
    }
    std::vector<std::optional<Principal>> principals(callers.size());
    if (lookups.empty()) return principals;
    const auto found = TokenRepository(tx).find_bearers(lookups);
    for (std::size_t i = 0; i < callers.size(); ++i)
        if (lookup_of[i] && found[*lookup_of[i]])
            principals[i] = principal_of(*found[*lookup_of[i]], callers[i].list_family);
    return principals;
}

bool valid_username(std::string_view u) {
    if (u.size() < 3 || u.size() > 32) return false;
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!alnum(u.front()) || !alnum(u.back())) return false;
    for (std::size_t i = 0; i < u.size(); ++i) {
        char c = u[i];
        bool sep = c == '-' || c == '_';
        if (!alnum(c) && !sep) return false;
        if (sep && i + 1 < u.size() && (u[i + 1] == '-' || u[i + 1] == '_')) return false;
    }
    return true;
}

std::int64_t create_user(store::Transaction& tx, const std::string& username,
                         const std::string& email, bool restricted) {
    boost::json::object profile{{"timezone", "UTC"},
                                {"email_notifications", true},
                                {"lish_auth_method", "password_keys"},
                                {"authorized_keys", nullptr},
                                {"two_factor_auth", false},
                                {"ip_whitelist_enabled", false},
                                {"authentication_type", "password"},
                                {"verified_phone_number", nullptr}};
    return UserRepository(tx).insert({username, email, restricted, to_json(profile), now_utc()});
}

std::optional<std::int64_t> find_user(store::Transaction& tx, const std::string& username) {
    return UserRepository(tx).id_of(username);
}

}  // namespace linnet::auth
