// Statements on managed_contacts, managed_credentials, managed_keys and
// managed_linode_settings.
#include "managed/managed_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::managed {

namespace json = boost::json;

namespace statements {
constexpr std::string_view contact_columns =
    "id, name, email, phone_primary, phone_secondary, group_name, updated";
constexpr std::string_view add_contact =
    "INSERT INTO managed_contacts (account_id, name, email, phone_primary, phone_secondary, "
    "group_name, updated) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
const std::string find_contact = "SELECT " + std::string(contact_columns) +
                                 " FROM managed_contacts WHERE id = ? AND {{account}}";
constexpr std::string_view save_contact =
    "UPDATE managed_contacts SET name = ?, email = ?, phone_primary = ?, phone_secondary = ?, "
    "group_name = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove_contact =
    "DELETE FROM managed_contacts WHERE id = ? AND {{account}}";
constexpr std::string_view credential_columns =
    "id, account_id, label, sealed_username, sealed_password, last_decrypted";
constexpr std::string_view add_credential =
    "INSERT INTO managed_credentials (account_id, label, sealed_username, sealed_password) "
    "VALUES (?, ?, ?, ?) RETURNING id";
const std::string find_credential = "SELECT " + std::string(credential_columns) +
                                    " FROM managed_credentials WHERE id = ? AND {{account}}";
constexpr std::string_view credential_label_taken =
    "SELECT 1 AS found FROM managed_credentials WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view save_credential =
    "UPDATE managed_credentials SET label = ?, sealed_username = ?, sealed_password = ?, "
    "last_decrypted = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove_credential =
    "DELETE FROM managed_credentials WHERE id = ? AND {{account}}";
const std::string credentials = "SELECT " + std::string(credential_columns) +
                                " FROM managed_credentials WHERE {{account}} ORDER BY id";
constexpr std::string_view key =
    "SELECT public_key, sealed_private_key FROM managed_keys WHERE {{account}}";
constexpr std::string_view add_key =
    "INSERT INTO managed_keys (account_id, public_key, sealed_private_key) VALUES (?, ?, ?) ON "
    "CONFLICT (account_id) DO NOTHING";
constexpr std::string_view linode_ssh =
    "SELECT s.linode_id, s.ssh_access, s.ssh_user, s.ssh_ip, s.ssh_port FROM "
    "managed_linode_settings s WHERE s.linode_id = ? AND {{account:s.account_id}}";
constexpr std::string_view save_linode_ssh =
    "INSERT INTO managed_linode_settings (linode_id, account_id, ssh_access, ssh_user, ssh_ip, "
    "ssh_port) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (linode_id) DO UPDATE SET account_id = "
    "excluded.account_id, ssh_access = excluded.ssh_access, ssh_user = excluded.ssh_user, ssh_ip "
    "= excluded.ssh_ip, ssh_port = excluded.ssh_port";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kContacts{{{"group", "group_name", FieldType::text, true}}, "id"};
const filter::Schema kCredentials{{}, "id"};
const filter::Schema kLinodes{{}, "id"};

Contact contact_from_row(const store::Row& r) {
    return {r.integer("id"),
            r.text("name"),
            r.text("email"),
            r.optional_text("phone_primary"),
            r.optional_text("phone_secondary"),
            r.optional_text("group_name"),
            r.text("updated")};
}

Credential credential_from_row(const store::Row& r) {
    return {r.integer("id"),           r.integer("account_id"),
            r.text("label"),           r.text("sealed_username"),
            r.text("sealed_password"), r.optional_text("last_decrypted")};
}

// The settings of a Linode nothing was set for.
LinodeSsh defaults(std::int64_t linode_id) {
    LinodeSsh s;
    s.linode_id = linode_id;
    return s;
}

LinodeSsh ssh_from_row(const store::Row& r, std::int64_t linode_id) {
    if (r.is_null("ssh_access")) return defaults(linode_id);
    return {linode_id, r.boolean("ssh_access"), r.optional_text("ssh_user"), r.text("ssh_ip"),
            r.optional_integer("ssh_port")};
}

json::value text_or_null(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

template <class T, class F>
std::optional<T> first(const store::Rows& rows, F from) {
    if (rows.empty()) return std::nullopt;
    return from(rows.front());
}

}  // namespace

std::int64_t ManagedRepository::add_contact(const Contact& c) {
    return tx_
        .query(statements::add_contact,
               {tx_.scope().account_id(), c.name, c.email, store::or_null(c.phone_primary),
                store::or_null(c.phone_secondary), store::or_null(c.group), c.updated})
        .at(0)
        .integer("id");
}

std::optional<Contact> ManagedRepository::find_contact(std::int64_t id) {
    return first<Contact>(store::scoped_query(tx_, statements::find_contact, {id}),
                          contact_from_row);
}

void ManagedRepository::save_contact(const Contact& c) {
    store::scoped_execute(
        tx_, statements::save_contact,
        {c.name, c.email, store::or_null(c.phone_primary), store::or_null(c.phone_secondary),
         store::or_null(c.group), c.updated, c.id});
}

void ManagedRepository::remove_contact(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove_contact, {id});
}

std::int64_t ManagedRepository::add_credential(const Credential& c) {
    return tx_
        .query(statements::add_credential,
               {tx_.scope().account_id(), c.label, c.sealed_username, c.sealed_password})
        .at(0)
        .integer("id");
}

std::optional<Credential> ManagedRepository::find_credential(std::int64_t id) {
    return first<Credential>(store::scoped_query(tx_, statements::find_credential, {id}),
                             credential_from_row);
}

bool ManagedRepository::credential_label_taken(const std::string& label, std::int64_t except) {
    return !store::scoped_query(tx_, statements::credential_label_taken, {label, except}).empty();
}

void ManagedRepository::save_credential(const Credential& c) {
    store::scoped_execute(
        tx_, statements::save_credential,
        {c.label, c.sealed_username, c.sealed_password, store::or_null(c.last_decrypted), c.id});
}

void ManagedRepository::remove_credential(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove_credential, {id});
}

std::vector<Credential> ManagedRepository::credentials() {
    std::vector<Credential> out;
    for (const auto& r : store::scoped_query(tx_, statements::credentials))
        out.push_back(credential_from_row(r));
    return out;
}

std::optional<std::pair<std::string, std::string>> ManagedRepository::key() {
    const auto rows = store::scoped_query(tx_, statements::key);
    if (rows.empty()) return std::nullopt;
    return std::make_pair(rows.front().text("public_key"), rows.front().text("sealed_private_key"));
}

void ManagedRepository::add_key(const std::string& public_key,
                                const std::string& sealed_private_key) {
    tx_.execute(statements::add_key, {tx_.scope().account_id(), public_key, sealed_private_key});
}

LinodeSsh ManagedRepository::linode_ssh(std::int64_t linode_id) {
    const auto rows = store::scoped_query(tx_, statements::linode_ssh, {linode_id});
    if (rows.empty()) return defaults(linode_id);
    return ssh_from_row(rows.front(), linode_id);
}

void ManagedRepository::save_linode_ssh(const LinodeSsh& s) {
    tx_.execute(statements::save_linode_ssh,
                {s.linode_id, tx_.scope().account_id(), std::int64_t{s.access ? 1 : 0},
                 store::or_null(s.user), s.ip, store::or_null(s.port)});
}

store::Listing ManagedRepository::contact_listing() {
    store::Listing l{"managed_contacts", kContacts, "{{account}}"};
    l.columns = std::string(statements::contact_columns);
    l.render = [](const store::Row& r) { return render(contact_from_row(r)); };
    return l;
}

store::Listing ManagedRepository::credential_listing() {
    store::Listing l{"managed_credentials", kCredentials, "{{account}}"};
    l.columns = std::string(statements::credential_columns);
    l.render = [](const store::Row& r) { return render(credential_from_row(r)); };
    return l;
}

store::Listing ManagedRepository::linode_listing(
    const std::pair<std::string, store::Params>& visible) {
    store::Listing l{
        "(SELECT l.id AS id, l.account_id AS account_id, l.label AS label, l.group_name AS "
        "group_name, s.ssh_access AS ssh_access, s.ssh_user AS ssh_user, s.ssh_ip AS ssh_ip, "
        "s.ssh_port AS ssh_port FROM linodes l LEFT JOIN managed_linode_settings s ON s.linode_id "
        "= l.id AND s.account_id = l.account_id) managed_linodes",
        kLinodes, "{{account}} AND id IN (SELECT l.id FROM linodes l WHERE " + visible.first + ")",
        visible.second};
    l.columns = "id, label, group_name, ssh_access, ssh_user, ssh_ip, ssh_port";
    l.render = [](const store::Row& r) {
        return render(ssh_from_row(r, r.integer("id")), r.text("label"), r.text("group_name"));
    };
    return l;
}

std::string render(const Contact& c) {
    return to_json(
        json::object{{"id", c.id},
                     {"name", c.name},
                     {"email", c.email},
                     {"phone", json::object{{"primary", text_or_null(c.phone_primary)},
                                            {"secondary", text_or_null(c.phone_secondary)}}},
                     {"group", text_or_null(c.group)},
                     {"updated", c.updated}});
}

std::string render(const Credential& c) {
    return to_json(json::object{
        {"id", c.id}, {"label", c.label}, {"last_decrypted", text_or_null(c.last_decrypted)}});
}

std::string render(const LinodeSsh& s, const std::string& label, const std::string& group) {
    return to_json(json::object{
        {"id", s.linode_id},
        {"label", label},
        {"group", group},
        {"ssh", json::object{{"access", s.access},
                             {"user", text_or_null(s.user)},
                             {"ip", s.ip},
                             {"port", s.port ? json::value(*s.port) : json::value(nullptr)}}}});
}

}  // namespace linnet::managed
