// Account creation and lookup by the names an operator uses.
#include "account/accounts.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "account/account_repository.hpp"
#include "auth/principal.hpp"
#include "auth/token.hpp"
#include "auth/user_repository.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::account {

namespace {

namespace json = boost::json;

// An account's external id, a random UUID in upper case as the API shows it.
std::string euuid() {
    std::string hex = auth::random_hex(16);
    for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

std::string proxy_username(const std::string& company, const std::string& euuid) {
    // Letters, digits and single hyphens: a username's shape.
    std::string name;
    for (char c : company.substr(0, 15)) {
        const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (keep)
            name += c;
        else if (!name.empty() && name.back() != '-')
            name += '-';
    }
    while (!name.empty() && name.back() == '-') name.pop_back();
    if (name.empty()) name = "parent";
    return name + "_" + auth::sha256_hex(company + euuid).substr(0, 16);
}

std::int64_t create_account(store::Transaction& tx, const std::string& email,
                            std::optional<std::int64_t> parent) {
    const std::string since = now_utc();
    const std::string id = euuid();
    json::object doc{
        {"active_promotions", json::array{}},
        {"active_since", since},
        {"address_1", ""},
        {"address_2", ""},
        {"balance", 0},
        {"balance_uninvoiced", 0},
        {"billing_source", "linode"},
        {"capabilities", json::array{"Linodes", "Cloud Firewall", "Block Storage", "NodeBalancers",
                                     "Object Storage", "Linode Interfaces"}},
        {"city", ""},
        {"company", ""},
        {"country", ""},
        {"credit_card", json::object{{"expiry", nullptr}, {"last_four", nullptr}}},
        {"email", email},
        {"euuid", id},
        {"first_name", ""},
        {"last_name", ""},
        {"phone", ""},
        {"state", ""},
        {"tax_id", ""},
        {"zip", ""}};
    json::object settings{{"backups_enabled", false},
                          {"interfaces_for_new_linodes", "legacy_config_only"},
                          {"longview_subscription", nullptr},
                          {"maintenance_policy", "linode/migrate"},
                          {"managed", false},
                          {"network_helper", true},
                          {"object_storage", "disabled"}};
    const std::int64_t account_id =
        AccountRepository(tx).insert({to_json(doc), to_json(settings)}, id, since, parent);
    return account_id;
}

std::int64_t add_proxy_user(store::Transaction& tx, std::int64_t child) {
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::account(child));
    const auto parent = AccountRepository(tx).parent_of();
    const auto child_account = AccountRepository(tx).find();
    if (!parent || !child_account) throw store::StoreError("not a child account");
    const std::string id =
        std::string(json::parse(child_account->doc).as_object().at("euuid").as_string());
    // The proxy user is named after the parent: its company, or its first user.
    tx.set_scope(store::Scope::account(*parent));
    const json::object parent_doc =
        json::parse(AccountRepository(tx).find().value().doc).as_object();
    const auto text = [&](const char* key) {
        const auto* v = parent_doc.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::string company = text("company");
    auth::UserRepository users(tx);
    if (company.empty())
        if (auto first = users.first_id()) company = users.find(*first).value().username;
    tx.set_scope(store::Scope::account(child));
    const std::int64_t proxy =
        auth::create_user(tx, proxy_username(company, id), text("email"), false);
    auth::UserRepository(tx).set_proxy(proxy);
    tx.set_scope(saved);
    return proxy;
}

std::int64_t first_or_create(store::Transaction& tx, const std::string& email) {
    if (auto first = AccountRepository(tx).first_id()) return *first;
    return create_account(tx, email);
}

std::optional<std::int64_t> resolve(store::Transaction& tx, const std::string& name) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (ec == std::errc() && end == name.data() + name.size())
        return AccountRepository(tx).exists(id) ? std::optional<std::int64_t>(id) : std::nullopt;
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::system());
    auto user = auth::UserRepository(tx).find_by_username(name);
    tx.set_scope(saved);
    if (!user) return std::nullopt;
    return user->account_id;
}

bool backups_by_default(store::Transaction& tx) {
    const auto found = AccountRepository(tx).find();
    if (!found) return false;
    const auto settings = boost::json::parse(found->settings);
    const auto* v = settings.as_object().if_contains("backups_enabled");
    return v && v->is_bool() && v->as_bool();
}

}  // namespace linnet::account
