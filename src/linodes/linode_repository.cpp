// Statements on linodes, linode_tags and linode_docs, and the Linode's document.
#include "linodes/linode_repository.hpp"

#include <set>

#include "core/json.hpp"
#include "core/time.hpp"
#include "linodes/address_repository.hpp"
#include "placement/placement_group_repository.hpp"
#include "store/scoped.hpp"

namespace linnet::linodes {

namespace json = boost::json;
using filter::FieldType;

namespace statements {
constexpr std::string_view find =
    "SELECT id, account_id, user_id, label, display_label, region, type, image, status, "
    "group_name, created, updated, d.settings AS settings FROM linodes JOIN linode_docs d ON "
    "d.linode_id = linodes.id WHERE id = ? AND {{account}}";
constexpr std::string_view lock = "SELECT id FROM linodes WHERE id = ? AND {{account}}";
constexpr std::string_view tags_of =
    "SELECT tag FROM linode_tags WHERE linode_id = ? ORDER BY position, tag";
constexpr std::string_view exists = "SELECT 1 AS found FROM linodes WHERE id = ? AND {{account}}";
constexpr std::string_view label_taken =
    "SELECT 1 AS found FROM linodes WHERE label = ? AND id <> ? AND {{account}}";
constexpr std::string_view names = "SELECT id, label FROM linodes WHERE {{account}} ORDER BY id";
constexpr std::string_view ids_with_status =
    "SELECT id FROM linodes WHERE status = ? AND {{account}} ORDER BY id";
constexpr std::string_view ids_tagged =
    "SELECT t.linode_id AS id FROM linode_tags t JOIN linodes l ON l.id = t.linode_id WHERE "
    "t.tag = ? AND {{account:l.account_id}} ORDER BY t.linode_id";
constexpr std::string_view plans =
    "SELECT region, type, COUNT(*) AS n FROM linodes WHERE {{account}} GROUP BY region, type "
    "ORDER BY region, type";
constexpr std::string_view insert =
    "INSERT INTO linodes (account_id, user_id, label, display_label, region, type, image, "
    "status, group_name, created, updated, host_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view insert_with_id =
    "INSERT INTO linodes (id, account_id, user_id, label, display_label, region, type, image, "
    "status, group_name, created, updated, host_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The next id of the table's key, and whether the label a Linode gets by default with it is
// taken. SQLite hands out one more than the highest ever given (writers take turns), PostgreSQL
// the sequence's next.
#define LINNET_NEXT_ID_AND_LABEL(next)                                                            \
    "SELECT n AS id, EXISTS (SELECT 1 FROM linodes WHERE label = 'linode' || n AND {{account}}) " \
    "AS taken FROM (SELECT " next " AS n) s"
constexpr std::string_view next_id_sqlite = LINNET_NEXT_ID_AND_LABEL(
    "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'linodes'), 0) + 1");
constexpr std::string_view next_id_postgresql =
    LINNET_NEXT_ID_AND_LABEL("nextval(pg_get_serial_sequence('linodes', 'id'))");
#undef LINNET_NEXT_ID_AND_LABEL
constexpr std::string_view insert_docs =
    "INSERT INTO linode_docs (linode_id, settings, doc) VALUES (?, ?, ?)";
constexpr std::string_view region_of = "SELECT region FROM linodes WHERE id = ? AND {{account}}";
constexpr std::string_view label_of = "SELECT label FROM linodes WHERE id = ? AND {{account}}";
constexpr std::string_view set_label = "UPDATE linodes SET label = ? WHERE id = ? AND {{account}}";
constexpr std::string_view update =
    "UPDATE linodes SET label = ?, display_label = ?, region = ?, type = ?, image = ?, status = ?, "
    "group_name = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view clear_tags = "DELETE FROM linode_tags WHERE linode_id = ?";
constexpr std::string_view add_tag =
    "INSERT INTO linode_tags (linode_id, tag, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view update_docs =
    "UPDATE linode_docs SET settings = ?, doc = ? WHERE linode_id = ?";
constexpr std::string_view remove = "DELETE FROM linodes WHERE id = ? AND {{account}}";
constexpr std::string_view counted_as =
    "SELECT account_id, region, (SELECT COUNT(*) FROM linode_tags WHERE linode_id = linodes.id) AS "
    "tagged FROM linodes WHERE id = ?";
constexpr std::string_view all_tags_of =
    "SELECT tag FROM linode_tags WHERE linode_id = ? ORDER BY position";
constexpr std::string_view reassign_owner =
    "UPDATE linodes SET user_id = ? WHERE user_id = ? AND {{account}}";
constexpr std::string_view document =
    "SELECT d.doc FROM linode_docs d JOIN linodes l ON l.id = d.linode_id WHERE d.linode_id = ? "
    "AND {{account:l.account_id}}";
constexpr std::string_view tagged = "id IN (SELECT linode_id FROM linode_tags WHERE tag = ?) AND ";
constexpr std::string_view status_and_document =
    "SELECT l.account_id, l.status, d.doc FROM linodes l JOIN linode_docs d ON d.linode_id = l.id "
    "WHERE l.id = ? AND {{account:l.account_id}}";
constexpr std::string_view set_status =
    "UPDATE linodes SET status = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view set_status_booted =
    "UPDATE linodes SET status = ?, updated = ?, booted_config_id = ? WHERE id = ? AND "
    "{{account}}";
constexpr std::string_view set_booted = "UPDATE linodes SET booted_config_id = ? WHERE id = ?";
constexpr std::string_view set_document = "UPDATE linode_docs SET doc = ? WHERE linode_id = ?";
constexpr std::string_view move_to_account =
    "UPDATE linodes SET account_id = ?, user_id = ?, label = ? WHERE id = ?";
}  // namespace statements

namespace {

// The visibility of a caller who sees every Linode of the account (auth's "everything").
constexpr std::string_view kEveryLinode = "1=1";

// The key a count is kept under (see count()): every Linode of the account (neither given), a
// region's, a tag's, or a tag's in a region. A region never holds '|', so keys do not collide.
std::string count_key(const std::optional<std::string>& region,
                      const std::optional<std::string>& tag) {
    std::string key;
    if (region) key += "region=" + *region + "|";
    if (tag) key += "tag=" + *tag;
    return key;
}

// The region and the tag an X-Filter asks for when it asks for nothing else (conditions under
// "+and" only, at most one region and one tag, each by equality), which the counts answer.
struct CountedFilter {
    std::optional<std::string> region;
    std::optional<std::string> tag;
};

bool counted_conditions(const filter::Node& node, CountedFilter& out) {
    using Kind = filter::Node::Kind;
    if (node.kind == Kind::any) return false;
    if (node.kind == Kind::all) {
        for (const auto& child : node.children)
            if (!counted_conditions(child, out)) return false;
        return true;
    }
    const auto& c = *node.condition;
    if (c.op != filter::Op::eq || !std::holds_alternative<std::string>(c.value)) return false;
    const auto& value = std::get<std::string>(c.value);
    auto& slot = c.field->name == "region" ? out.region : out.tag;
    if ((c.field->name != "region" && c.field->name != "tags") || slot) return false;
    if (c.field->name == "region" && value.find('|') != std::string::npos) return false;
    slot = value;
    return true;
}

const filter::Schema kLinodes{
    {
        {"id", "id", FieldType::integer},
        {"label", "label", FieldType::text},
        {"region", "region", FieldType::text},
        {"image", "image", FieldType::text, true},
        {"group", "group_name", FieldType::text},
        {"tags", "tags", FieldType::text_list, false,
         filter::Membership{"id", "linode_tags", "linode_id", "tag"}},
        {"ipv4", "ipv4", FieldType::text_list, false,
         filter::Membership{"id", "ips", "linode_id", "address", "family = 'ipv4'"}},
    },
    "id"};

// The 2016 API's filterable fields; the label a 2016 client sees is the display label when there
// is one.
const filter::Schema kAlphaLinodes{{
                                       {"label", "COALESCE(display_label, label)", FieldType::text},
                                       {"group", "group_name", FieldType::text},
                                       {"state", "status", FieldType::text},
                                   },
                                   "id"};

Instance from_row(const store::Row& r) {
    Instance i;
    i.id = r.integer("id");
    i.account_id = r.integer("account_id");
    i.user_id = r.integer("user_id");
    i.label = r.text("label");
    i.display_label = r.optional_text("display_label");
    i.region = r.text("region");
    i.stored_region = i.region;
    i.type = r.text("type");
    i.image = r.optional_text("image");
    i.status = r.text("status");
    i.group = r.text("group_name");
    i.settings = json::parse(r.text("settings")).as_object();
    i.settings.erase("display_label");  // kept in its own column
    i.created = r.text("created");
    i.updated = r.text("updated");
    return i;
}

std::vector<std::int64_t> ids(const store::Rows& rows) {
    std::vector<std::int64_t> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(row.integer("id"));
    return out;
}

}  // namespace

std::optional<std::string> LinodeRepository::label_of(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::label_of, {id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("label");
}

std::optional<std::string> LinodeRepository::region_of(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::region_of, {id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("region");
}

bool LinodeRepository::lock(std::int64_t id, bool wait) {
    return !store::scoped_query(
                tx_, store::locking(tx_, statements::lock, wait ? "" : " SKIP LOCKED"), {id})
                .empty();
}

void LinodeRepository::read_ahead_lock(std::int64_t id) {
    store::scoped_read_ahead(tx_, store::locking(tx_, statements::lock), {id});
}

std::optional<Instance> LinodeRepository::find(std::int64_t id) {
    auto linode = find_untagged(id);
    if (linode) read_tags(*linode);
    return linode;
}

void LinodeRepository::read_tags(Instance& linode) {
    // The tags are read by a statement of their own, after the row's lock is held: on
    // PostgreSQL a sub-select of the locking statement would see the tags as they were before
    // the lock was waited for, and a save would write them back.
    linode.tags.clear();
    for (const auto& row : store::scoped_query(tx_, statements::tags_of, {linode.id}))
        linode.tags.push_back(row.text("tag"));
    linode.stored_tags = linode.tags;
    linode.untagged = false;
}

void LinodeRepository::read_ahead_untagged(std::int64_t id) {
    store::scoped_read_ahead(tx_, store::locking(tx_, statements::find, " OF linodes"), {id});
}

std::optional<Instance> LinodeRepository::find_untagged(std::int64_t id) {
    auto rows =
        store::scoped_query(tx_, store::locking(tx_, statements::find, " OF linodes"), {id});
    if (rows.empty()) return std::nullopt;
    Instance linode = from_row(rows.front());
    linode.untagged = true;
    return linode;
}

bool LinodeRepository::exists(std::int64_t id) {
    return !store::scoped_query(tx_, statements::exists, {id}).empty();
}

bool LinodeRepository::label_taken(const std::string& label, std::int64_t except) {
    return !store::scoped_query(tx_, statements::label_taken, {label, except}).empty();
}

std::vector<LinodeName> LinodeRepository::names() {
    std::vector<LinodeName> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.push_back({row.integer("id"), row.text("label")});
    return out;
}

std::vector<std::int64_t> LinodeRepository::ids_with_status(const std::string& status) {
    return ids(store::scoped_query(tx_, statements::ids_with_status, {status}));
}

std::vector<std::int64_t> LinodeRepository::ids_tagged(const std::string& tag) {
    return ids(store::scoped_query(tx_, statements::ids_tagged, {tag}));
}

std::vector<PlanCount> LinodeRepository::plans() {
    std::vector<PlanCount> out;
    for (const auto& row : store::scoped_query(tx_, statements::plans))
        out.push_back({row.text("region"), row.text("type"), row.integer("n")});
    return out;
}

namespace {

std::string_view next_id_statement(const store::Transaction& tx) {
    return tx.dialect() == store::Dialect::postgresql ? statements::next_id_postgresql
                                                      : statements::next_id_sqlite;
}

}  // namespace

void LinodeRepository::read_ahead_next_id() {
    store::scoped_read_ahead(tx_, next_id_statement(tx_));
}

NextLinode LinodeRepository::next_id() {
    const auto row = store::scoped_query(tx_, next_id_statement(tx_)).at(0);
    return {row.integer("id"), row.integer("taken") != 0};
}

std::int64_t LinodeRepository::insert(Instance& l) {
    tx_.touch(kListFamily, l.account_id);
    store::Params values{l.account_id,
                         l.user_id,
                         l.label,
                         store::or_null(l.display_label),
                         l.region,
                         l.type,
                         store::or_null(l.image),
                         l.status,
                         l.group,
                         l.created,
                         l.updated,
                         store::or_null(l.host_id)};
    if (l.id != 0) {
        values.insert(values.begin(), l.id);
        store::scoped_write(tx_, statements::insert_with_id, std::move(values));
    } else {
        l.id = store::scoped_query(tx_, statements::insert, std::move(values)).at(0).integer("id");
    }
    l.inserted_label = l.label;
    l.stored_tags.clear();
    l.stored_region = l.region;
    count(l.account_id, l.region, {}, 1);
    l.document_pending = true;
    return l.id;
}

void LinodeRepository::save(Instance& l) {
    if (l.untagged) throw store::StoreError("a Linode read without its tags cannot be saved");
    tx_.touch(kListFamily, l.account_id);
    if (l.document_pending) {
        // The first save, in the transaction of the insert: the row is as inserted but for a
        // label chosen after its id was known.
        if (l.label != l.inserted_label)
            store::scoped_write(tx_, statements::set_label, {l.label, l.id});
        save_tags(l);
        store::scoped_write(tx_, statements::insert_docs, {l.id, to_json(l.settings), render(l)});
        l.document_pending = false;
        return;
    }
    l.updated = now_utc();
    store::scoped_write(tx_, statements::update,
                        {l.label, store::or_null(l.display_label), l.region, l.type,
                         store::or_null(l.image), l.status, l.group, l.updated, l.id});
    save_tags(l);
    store::scoped_write(tx_, statements::update_docs, {to_json(l.settings), render(l), l.id});
}

void LinodeRepository::read_ahead_status(std::int64_t id) {
    store::scoped_read_ahead(tx_, store::locking(tx_, statements::status_and_document, " OF l"),
                             {id});
}

bool LinodeRepository::set_status(std::int64_t id, const std::string& status,
                                  std::optional<std::int64_t> booted_config) {
    auto rows = store::scoped_query(
        tx_, store::locking(tx_, statements::status_and_document, " OF l"), {id});
    if (rows.empty()) return false;
    if (rows.front().text("status") == status) {
        if (booted_config) mark_booted(id, *booted_config);
        return false;
    }
    const std::string updated = now_utc();
    // The document's status and time of change are the row's, as render() writes them: the
    // rest of it stays as the last save rendered it.
    auto doc = json::parse(rows.front().text("doc")).as_object();
    doc["status"] = status;
    doc["updated"] = updated;
    tx_.touch(kListFamily, rows.front().integer("account_id"));
    if (booted_config)
        store::scoped_write(tx_, statements::set_status_booted,
                            {status, updated, *booted_config, id});
    else
        store::scoped_write(tx_, statements::set_status, {status, updated, id});
    store::scoped_write(tx_, statements::set_document, {to_json(doc), id});
    return true;
}

void LinodeRepository::mark_booted(std::int64_t id, std::int64_t config_id) {
    tx_.write(statements::set_booted, {config_id, id});
}

void LinodeRepository::save_tags(Instance& l) {
    if (l.region != l.stored_region || l.tags != l.stored_tags) {
        count(l.account_id, l.stored_region, l.stored_tags, -1);
        count(l.account_id, l.region, l.tags, 1);
        l.stored_region = l.region;
    }
    if (l.tags != l.stored_tags) {
        if (!l.stored_tags.empty()) store::scoped_write(tx_, statements::clear_tags, {l.id});
        std::int64_t position = 0;
        for (const auto& tag : l.tags)
            store::scoped_write(tx_, statements::add_tag, {l.id, tag, position++});
        l.stored_tags = l.tags;
    }
}

void LinodeRepository::remove(std::int64_t id) {
    if (const auto counted = counted_as(id)) {
        tx_.touch(kListFamily, counted->account_id);
        count(counted->account_id, counted->region, counted->tags, -1);
    }
    store::scoped_execute(tx_, statements::remove, {id});
}

std::optional<Instance> LinodeRepository::counted_as(std::int64_t id) {
    auto rows = tx_.query(statements::counted_as, {id});
    if (rows.empty()) return std::nullopt;
    Instance l;
    l.account_id = rows.front().integer("account_id");
    l.region = rows.front().text("region");
    if (rows.front().integer("tagged") > 0)
        for (const auto& row : tx_.query(statements::all_tags_of, {id}))
            l.tags.push_back(row.text("tag"));
    return l;
}

void LinodeRepository::count(std::int64_t account_id, const std::string& region,
                             const std::vector<std::string>& tags, std::int64_t delta) {
    tx_.count(kListFamily, account_id, count_key(std::nullopt, std::nullopt), delta);
    tx_.count(kListFamily, account_id, count_key(region, std::nullopt), delta);
    const std::set<std::string> distinct(tags.begin(), tags.end());
    for (const auto& tag : distinct) {
        tx_.count(kListFamily, account_id, count_key(std::nullopt, tag), delta);
        tx_.count(kListFamily, account_id, count_key(region, tag), delta);
    }
}

void LinodeRepository::reassign_owner(std::int64_t from_user, std::int64_t to_user) {
    if (store::scoped_execute(tx_, statements::reassign_owner, {to_user, from_user}) > 0)
        tx_.touch(kListFamily, tx_.scope().account_id());
}

std::optional<std::string> LinodeRepository::document(std::int64_t id) {
    auto rows = store::scoped_query(tx_, statements::document, {id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("doc");
}

store::Listing LinodeRepository::listing(const Visibility& visible) {
    store::Listing l{"linodes", kLinodes, "{{account}} AND (" + visible.first + ")",
                     visible.second};
    l.docs_table = "linode_docs";
    l.docs_key = "linode_id";
    // A caller who sees every Linode of the account is answered how many match from the
    // counts, where the filter is one they keep.
    if (visible.first == kEveryLinode && visible.second.empty())
        l.counted = [](store::Transaction& tx,
                       const filter::Query& query) -> std::optional<std::int64_t> {
            CountedFilter wanted;
            if (tx.scope().is_system() || !counted_conditions(query.where, wanted))
                return std::nullopt;
            return store::list_count(tx, kListFamily, tx.scope().account_id(),
                                     count_key(wanted.region, wanted.tag));
        };
    return l;
}

store::Listing LinodeRepository::alpha_listing(const Visibility& visible) {
    store::Listing l = listing(visible);
    return store::Listing{"linodes",        kAlphaLinodes, l.visible,
                          l.visible_params, l.docs_table,  l.docs_key};
}

store::Listing LinodeRepository::tagged_listing(const std::string& tag, const Visibility& visible) {
    store::Listing l = listing(visible);
    l.visible = std::string(statements::tagged) + "(" + l.visible + ")";
    l.counted = nullptr;  // narrowed by the tag: the counts do not apply
    l.visible_params.insert(l.visible_params.begin(), tag);
    return l;
}

// The document GET answers: the row, the settings, the tags and the addresses.
std::string LinodeRepository::render(const Instance& l) {
    placement::PlacementGroupRepository placements(tx_);
    placements.read_ahead_summary_of(l.id);  // it goes with the addresses' read
    json::array ipv4_public, ipv4_private;
    json::value ipv6 = nullptr;
    for (const auto& a : AddressRepository(tx_).of_linode(l.id)) {
        if (a.family == "ipv4")
            (a.is_public ? ipv4_public : ipv4_private).push_back(json::string(a.address));
        else if (a.kind == "slaac")
            ipv6 = json::string(a.address + "/128");
    }
    json::array ipv4 = std::move(ipv4_public);
    for (auto& a : ipv4_private) ipv4.push_back(std::move(a));
    json::array tags;
    for (const auto& t : l.tags) tags.push_back(json::string(t));
    const auto& s = l.settings;
    auto placement_group = placements.summary_of(l.id);
    json::object doc{
        {"id", l.id},
        {"label", l.label},
        {"group", l.group},
        {"status", l.status},
        {"created", l.created},
        {"updated", l.updated},
        {"type", l.type},
        {"ipv4", std::move(ipv4)},
        {"ipv6", std::move(ipv6)},
        {"image", l.image ? json::value(*l.image) : json::value(nullptr)},
        {"region", l.region},
        {"site_type", "core"},
        {"specs", s.at("specs")},
        {"alerts", s.at("alerts")},
        {"backups", s.at("backups")},
        {"hypervisor", "kvm"},
        {"watchdog_enabled", s.at("watchdog_enabled")},
        {"tags", std::move(tags)},
        {"host_uuid", s.at("host_uuid")},
        {"has_user_data", s.at("has_user_data")},
        {"placement_group",
         placement_group ? json::value(std::move(*placement_group)) : json::value(nullptr)},
        {"disk_encryption", s.at("disk_encryption")},
        {"lke_cluster_id", nullptr},
        {"capabilities", json::array{}},
        {"interface_generation", "legacy_config"},
        {"locks", json::array{}},
        {"maintenance_policy", s.contains("maintenance_policy") ? s.at("maintenance_policy")
                                                                : json::value("linode/migrate")}};
    return to_json(doc);
}

void LinodeRepository::move_to_account(std::int64_t id, std::int64_t account_id,
                                       std::int64_t user_id, const std::string& label) {
    if (const auto counted = counted_as(id)) {
        tx_.touch(kListFamily, counted->account_id);
        count(counted->account_id, counted->region, counted->tags, -1);
        count(account_id, counted->region, counted->tags, 1);
    }
    tx_.execute(statements::move_to_account, {account_id, user_id, label, id});
    tx_.touch(kListFamily, account_id);
}

}  // namespace linnet::linodes
