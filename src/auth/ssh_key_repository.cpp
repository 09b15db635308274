// Statements on ssh_keys, and the shape of a public key.
#include "auth/ssh_key_repository.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::auth {

namespace statements {
constexpr std::string_view insert =
    "INSERT INTO ssh_keys (user_id, label, ssh_key, created) SELECT id, ?, ?, ? FROM users WHERE "
    "id = ? AND {{account}} RETURNING id";
constexpr std::string_view find =
    "SELECT k.id AS id, k.label AS label, k.ssh_key AS ssh_key, k.created AS created FROM "
    "ssh_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ? AND k.user_id = ? AND "
    "{{account:u.account_id}}";
constexpr std::string_view rename =
    "UPDATE ssh_keys SET label = ? WHERE id = ? AND user_id IN (SELECT id FROM users WHERE id = "
    "? AND {{account}})";
constexpr std::string_view remove =
    "DELETE FROM ssh_keys WHERE id = ? AND user_id IN (SELECT id FROM users WHERE id = ? AND "
    "{{account}})";
constexpr std::string_view keys_of =
    "SELECT k.ssh_key AS ssh_key FROM ssh_keys k JOIN users u ON u.id = k.user_id WHERE "
    "k.user_id = ? AND {{account:u.account_id}} ORDER BY k.id";
}  // namespace statements

namespace {

// The spec marks no field of a key filterable.
const filter::Schema kSshKeys{{}, "id"};

bool base64_text(std::string_view s) {
    if (s.empty() || s.size() % 4 != 0) return false;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '=') {
            if (i + 2 < s.size()) return false;
            ++pad;
        } else if (pad > 0 ||
                   !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::int64_t SshKeyRepository::insert(std::int64_t user_id, const std::string& label,
                                      const std::string& key, const std::string& created) {
    return store::scoped_query(tx_, statements::insert, {label, key, created, user_id})
        .at(0)
        .integer("id");
}

std::optional<SshKey> SshKeyRepository::find(std::int64_t user_id, std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::find, {id, user_id});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows.front();
    return SshKey{r.integer("id"), r.text("label"), r.text("ssh_key"), r.text("created")};
}

void SshKeyRepository::rename(std::int64_t user_id, std::int64_t id, const std::string& label) {
    store::scoped_execute(tx_, statements::rename, {label, id, user_id});
}

void SshKeyRepository::remove(std::int64_t user_id, std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id, user_id});
}

std::vector<std::string> SshKeyRepository::keys_of(std::int64_t user_id) {
    std::vector<std::string> out;
    for (const auto& row : store::scoped_query(tx_, statements::keys_of, {user_id}))
        out.push_back(row.text("ssh_key"));
    return out;
}

store::Listing SshKeyRepository::of_user(std::int64_t user_id) {
    store::Listing l{"ssh_keys", kSshKeys, "user_id = ?", {user_id}};
    l.columns = "id, label, ssh_key, created";
    l.render = [](const store::Row& r) {
        return render(
            SshKey{r.integer("id"), r.text("label"), r.text("ssh_key"), r.text("created")});
    };
    return l;
}

std::string render(const SshKey& key) {
    return to_json(boost::json::object{
        {"id", key.id}, {"label", key.label}, {"ssh_key", key.ssh_key}, {"created", key.created}});
}

std::optional<std::string> ssh_key_problem(const std::string& key) {
    static const std::set<std::string, std::less<>> types{"ssh-rsa",
                                                          "ssh-dss",
                                                          "ssh-ed25519",
                                                          "ecdsa-sha2-nistp256",
                                                          "ecdsa-sha2-nistp384",
                                                          "ecdsa-sha2-nistp521",
                                                          "sk-ssh-ed25519@openssh.com",
                                                          "sk-ecdsa-sha2-nistp256@openssh.com"};
    if (has_control_character(key)) return "An SSH key is one line of printable text";
    const auto space = key.find(' ');
    if (space == std::string::npos || !types.contains(key.substr(0, space)))
        return "ssh_key must be an SSH public key (ssh-ed25519, ssh-rsa, ecdsa-sha2-...)";
    const auto end = key.find(' ', space + 1);
    const auto body = key.substr(space + 1, end == std::string::npos ? end : end - space - 1);
    if (!base64_text(body)) return "The key's data is not base64";
    return std::nullopt;
}

}  // namespace linnet::auth
