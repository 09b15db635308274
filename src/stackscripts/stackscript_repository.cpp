// Statements on stackscripts, stackscript_images and stackscript_deployments, and a script's
// document.
#include "stackscripts/stackscript_repository.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "auth/token.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "stackscripts/udf.hpp"
#include "store/scoped.hpp"

namespace linnet::stackscripts {

namespace json = boost::json;

namespace statements {
// `mine` is computed against the reader's account: {{account}} is expanded with the scope.
constexpr std::string_view columns =
    "id, account_id, user_id, label, description, script, rev_note, is_public, "
    "deployments_total, created, updated, (SELECT u.username FROM users u WHERE u.id = "
    "stackscripts.user_id) AS username, (SELECT u.email FROM users u WHERE u.id = "
    "stackscripts.user_id) AS email, (SELECT COUNT(*) FROM stackscript_deployments d WHERE "
    "d.stackscript_id = stackscripts.id) AS deployments_active, CASE WHEN {{account}} THEN 1 "
    "ELSE 0 END AS mine";
constexpr std::string_view insert =
    "INSERT INTO stackscripts (account_id, user_id, label, description, script, rev_note, "
    "is_public, deployments_total, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) "
    "RETURNING id";
const std::string find = "SELECT " + std::string(columns) +
                         " FROM stackscripts WHERE id = ? AND (is_public = 1 OR {{account}})";
constexpr std::string_view images_of =
    "SELECT image FROM stackscript_images WHERE stackscript_id = ? ORDER BY position, image";
constexpr std::string_view save =
    "UPDATE stackscripts SET label = ?, description = ?, script = ?, rev_note = ?, is_public = "
    "?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view clear_images = "DELETE FROM stackscript_images WHERE stackscript_id = ?";
constexpr std::string_view add_image =
    "INSERT INTO stackscript_images (stackscript_id, image, position) VALUES (?, ?, ?) ON "
    "CONFLICT DO NOTHING";
constexpr std::string_view remove = "DELETE FROM stackscripts WHERE id = ? AND {{account}}";
// Public scripts are deployed by every account: the count is the script's, not the deployer's.
constexpr std::string_view count_deployment =
    "UPDATE stackscripts SET deployments_total = deployments_total + 1 WHERE id = ?";
constexpr std::string_view remember_deployment =
    "INSERT INTO stackscript_deployments (linode_id, stackscript_id) VALUES (?, ?) ON CONFLICT "
    "(linode_id) DO UPDATE SET stackscript_id = excluded.stackscript_id";
constexpr std::string_view forget_deployment =
    "DELETE FROM stackscript_deployments WHERE linode_id = ?";
constexpr std::string_view names =
    "SELECT id, label FROM stackscripts WHERE {{account}} ORDER BY id";
constexpr std::string_view reassign_owner =
    "UPDATE stackscripts SET user_id = ? WHERE user_id = ? AND {{account}}";
}  // namespace statements

namespace {

using filter::FieldType;

// The fields the spec marks filterable.
const filter::Schema kStackScripts{
    {
        {"label", "label", FieldType::text},
        {"description", "description", FieldType::text},
        {"rev_note", "rev_note", FieldType::text},
        {"is_public", "is_public", FieldType::boolean},
        {"deployments_total", "deployments_total", FieldType::integer},
        {"mine", "(CASE WHEN {{account}} THEN 1 ELSE 0 END)", FieldType::boolean},
    },
    "id"};

StackScript from_row(const store::Row& r) {
    StackScript s;
    s.id = r.integer("id");
    s.account_id = r.integer("account_id");
    s.user_id = r.integer("user_id");
    s.username = r.optional_text("username").value_or("");
    s.email = r.optional_text("email").value_or("");
    s.label = r.text("label");
    s.description = r.text("description");
    s.script = r.text("script");
    s.rev_note = r.text("rev_note");
    s.is_public = r.boolean("is_public");
    s.deployments_total = r.integer("deployments_total");
    s.deployments_active = r.integer("deployments_active");
    s.mine = r.boolean("mine");
    s.created = r.text("created");
    s.updated = r.text("updated");
    return s;
}

// Gravatar's id of an address: the MD5 of it, trimmed and in lower case.
std::string gravatar_id(const std::string& email) {
    std::string normal;
    for (char c : email)
        if (!std::isspace(static_cast<unsigned char>(c)))
            normal += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(normal.data(), normal.size(), digest, &size, EVP_md5(), nullptr) != 1) return "";
    return auth::to_hex(digest, size);
}

void write_images(store::Transaction& tx, std::int64_t id, const std::vector<std::string>& images) {
    std::int64_t position = 0;
    for (const auto& image : images) tx.write(statements::add_image, {id, image, position++});
}

}  // namespace

std::int64_t StackScriptRepository::insert(const StackScript& s) {
    const auto now = now_utc();
    const std::int64_t id =
        tx_.query(statements::insert,
                  {tx_.scope().account_id(), s.user_id, s.label, s.description, s.script,
                   s.rev_note, std::int64_t{s.is_public ? 1 : 0}, now, now})
            .at(0)
            .integer("id");
    write_images(tx_, id, s.images);
    return id;
}

std::optional<StackScript> StackScriptRepository::find(std::int64_t id) {
    auto rows =
        store::scoped_query(tx_, store::locking(tx_, statements::find, " OF stackscripts"), {id});
    if (rows.empty()) return std::nullopt;
    StackScript s = from_row(rows.front());
    for (const auto& row : tx_.query(statements::images_of, {id}))
        s.images.push_back(row.text("image"));
    s.stored_images = s.images;
    return s;
}

void StackScriptRepository::save(StackScript& s) {
    s.updated = now_utc();
    store::scoped_write(tx_, statements::save,
                        {s.label, s.description, s.script, s.rev_note,
                         std::int64_t{s.is_public ? 1 : 0}, s.updated, s.id});
    if (s.images == s.stored_images) return;
    tx_.write(statements::clear_images, {s.id});
    write_images(tx_, s.id, s.images);
    s.stored_images = s.images;
}

void StackScriptRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

void StackScriptRepository::record_deployment(std::int64_t stackscript_id, std::int64_t linode_id) {
    tx_.write(statements::count_deployment, {stackscript_id});
    tx_.write(statements::remember_deployment, {linode_id, stackscript_id});
}

void StackScriptRepository::forget_deployment(std::int64_t linode_id) {
    tx_.write(statements::forget_deployment, {linode_id});
}

std::vector<std::pair<std::int64_t, std::string>> StackScriptRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.emplace_back(row.integer("id"), row.text("label"));
    return out;
}

void StackScriptRepository::reassign_owner(std::int64_t from_user, std::int64_t to_user) {
    store::scoped_execute(tx_, statements::reassign_owner, {to_user, from_user});
}

store::Listing StackScriptRepository::listing(
    const std::pair<std::string, store::Params>& visible) {
    store::Listing l{"stackscripts", kStackScripts,
                     "is_public = 1 OR ({{account}} AND (" + visible.first + "))", visible.second};
    l.columns = std::string(statements::columns);
    l.members =
        store::Listing::Members{"stackscript_images", "stackscript_id", "image", "position, image"};
    l.render_with_members = [](const store::Row& r, const std::vector<std::string>& images) {
        StackScript s = from_row(r);
        s.images = images;
        return render(s);
    };
    return l;
}

std::string render(const StackScript& s) {
    json::array images;
    for (const auto& image : s.images) images.push_back(json::string(image));
    return to_json(json::object{
        {"id", s.id},
        {"username", s.username},
        {"user_gravatar_id", gravatar_id(s.email)},
        {"label", s.label},
        {"description", s.description},
        {"ordinal", 0},
        {"logo_url", ""},
        {"images", std::move(images)},
        {"deployments_total", s.deployments_total},
        {"deployments_active", s.deployments_active},
        {"is_public", s.is_public},
        {"mine", s.mine},
        {"created", s.created},
        {"updated", s.updated},
        {"rev_note", s.rev_note},
        {"script", s.script},
        {"user_defined_fields", render_udfs(parse_udfs(s.script).fields)},
    });
}

}  // namespace linnet::stackscripts
