// Statements on domains, domain_tags, domain_addresses and domain_records, and a Domain's
// document.
#include "domains/domain_repository.hpp"

#include <map>

#include "core/json.hpp"
#include "core/time.hpp"
#include "store/scoped.hpp"

namespace linnet::domains {

namespace json = boost::json;

namespace statements {
constexpr std::string_view columns =
    "id, account_id, domain, type, status, soa_email, description, domain_group, retry_sec, "
    "expire_sec, refresh_sec, ttl_sec, serial, created, updated";
constexpr std::string_view insert =
    "INSERT INTO domains (account_id, domain, domain_key, type, status, soa_email, description, "
    "domain_group, retry_sec, expire_sec, refresh_sec, ttl_sec, serial, created, updated) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (domain_key) DO NOTHING RETURNING "
    "id";
const std::string find_in_account =
    "SELECT " + std::string(columns) + " FROM domains WHERE id = ? AND {{account}}";
constexpr std::string_view name_taken =
    "SELECT 1 AS found FROM domains WHERE domain_key = ? AND id <> ?";
constexpr std::string_view save =
    "UPDATE domains SET domain = ?, domain_key = ?, type = ?, status = ?, soa_email = ?, "
    "description = ?, domain_group = ?, retry_sec = ?, expire_sec = ?, refresh_sec = ?, ttl_sec "
    "= ?, serial = ?, updated = ? WHERE id = ? AND {{account}}";
constexpr std::string_view remove = "DELETE FROM domains WHERE id = ? AND {{account}}";
constexpr std::string_view names = "SELECT id, domain FROM domains WHERE {{account}} ORDER BY id";
constexpr std::string_view tagged_with =
    "SELECT id FROM domains WHERE id IN (SELECT domain_id FROM domain_tags WHERE tag = ?) AND "
    "{{account}} ORDER BY id";
constexpr std::string_view tagged = "id IN (SELECT domain_id FROM domain_tags WHERE tag = ?) AND ";
constexpr std::string_view tags_of =
    "SELECT tag FROM domain_tags WHERE domain_id = ? ORDER BY position, tag";
constexpr std::string_view clear_tags = "DELETE FROM domain_tags WHERE domain_id = ?";
constexpr std::string_view add_tag =
    "INSERT INTO domain_tags (domain_id, tag, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
constexpr std::string_view addresses_of =
    "SELECT domain_id, kind, address FROM domain_addresses WHERE domain_id IN (";
constexpr std::string_view clear_addresses = "DELETE FROM domain_addresses WHERE domain_id = ?";
constexpr std::string_view add_address =
    "INSERT INTO domain_addresses (domain_id, kind, position, address) VALUES (?, ?, ?, ?)";

constexpr std::string_view record_columns =
    "r.id, r.domain_id, r.type, r.name, r.target, r.priority, r.weight, r.port, r.service, "
    "r.protocol, r.ttl_sec, r.tag, r.created, r.updated";
constexpr std::string_view record_scope =
    " FROM domain_records r WHERE r.domain_id IN (SELECT id FROM domains WHERE {{account}}) ";
constexpr std::string_view insert_record =
    "INSERT INTO domain_records (domain_id, type, name, target, priority, weight, port, service, "
    "protocol, ttl_sec, tag, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr std::string_view save_record =
    "UPDATE domain_records SET name = ?, target = ?, priority = ?, weight = ?, port = ?, service "
    "= ?, protocol = ?, ttl_sec = ?, tag = ?, updated = ? WHERE id = ? AND domain_id IN (SELECT "
    "id FROM domains WHERE {{account}})";
constexpr std::string_view remove_record =
    "DELETE FROM domain_records WHERE id = ? AND domain_id IN (SELECT id FROM domains WHERE "
    "{{account}})";
constexpr std::string_view served_serials =
    "SELECT domain_key, serial FROM domains WHERE type = 'master' AND status = 'active' ORDER BY "
    "domain_key";
const std::string zone =
    "SELECT " + std::string(columns) + " FROM domains WHERE domain_key = ? AND type = 'master'";
constexpr std::string_view zone_records =
    "SELECT r.id, r.domain_id, r.type, r.name, r.target, r.priority, r.weight, r.port, "
    "r.service, r.protocol, r.ttl_sec, r.tag, r.created, r.updated FROM domain_records r WHERE "
    "r.domain_id = ? ORDER BY r.id";
}  // namespace statements

namespace {

using filter::FieldType;

// The fields the spec marks filterable.
const filter::Schema kDomains{{
                                  {"id", "id", FieldType::integer},
                                  {"domain", "domain", FieldType::text},
                                  {"group", "domain_group", FieldType::text},
                                  {"type", "type", FieldType::text},
                                  {"status", "status", FieldType::text},
                                  {"tags", "tags", FieldType::text_list, false,
                                   filter::Membership{"id", "domain_tags", "domain_id", "tag"}},
                              },
                              "id"};
const filter::Schema kRecords{{
                                  {"id", "r.id", FieldType::integer},
                                  {"type", "r.type", FieldType::text},
                                  {"name", "r.name", FieldType::text},
                                  {"target", "r.target", FieldType::text},
                                  {"tag", "r.tag", FieldType::text, true},
                              },
                              "r.id"};

Domain from_row(const store::Row& r) {
    Domain d;
    d.id = r.integer("id");
    d.account_id = r.integer("account_id");
    d.domain = r.text("domain");
    d.type = r.text("type");
    d.status = r.text("status");
    d.soa_email = r.text("soa_email");
    d.description = r.text("description");
    d.group = r.text("domain_group");
    d.retry_sec = r.integer("retry_sec");
    d.expire_sec = r.integer("expire_sec");
    d.refresh_sec = r.integer("refresh_sec");
    d.ttl_sec = r.integer("ttl_sec");
    d.serial = r.integer("serial");
    d.created = r.text("created");
    d.updated = r.text("updated");
    return d;
}

Record record_from_row(const store::Row& r) {
    Record rec;
    rec.id = r.integer("id");
    rec.domain_id = r.integer("domain_id");
    rec.type = r.text("type");
    rec.name = r.text("name");
    rec.target = r.text("target");
    rec.priority = r.integer("priority");
    rec.weight = r.integer("weight");
    rec.port = r.integer("port");
    rec.service = r.optional_text("service");
    rec.protocol = r.optional_text("protocol");
    rec.ttl_sec = r.integer("ttl_sec");
    rec.tag = r.optional_text("tag");
    rec.created = r.text("created");
    rec.updated = r.text("updated");
    return rec;
}

// The master and transfer addresses of the Domains, read in one statement.
void read_addresses(store::Transaction& tx, std::vector<Domain*> domains) {
    if (domains.empty()) return;
    std::map<std::int64_t, Domain*> by_id;
    std::vector<std::int64_t> keys;
    for (auto* d : domains) {
        keys.push_back(d->id);
        by_id[d->id] = d;
    }
    store::Params ids;
    const std::string marks = store::placeholders(keys, ids);
    for (const auto& row : tx.query(
             std::string(statements::addresses_of) + marks + ") ORDER BY domain_id, kind, position",
             ids)) {
        auto* d = by_id[row.integer("domain_id")];
        (row.text("kind") == "master" ? d->master_ips : d->axfr_ips).push_back(row.text("address"));
    }
}

store::Listing make_listing(std::string visible, store::Params params) {
    store::Listing l{"domains", kDomains, "{{account}} AND (" + visible + ")", std::move(params)};
    l.columns = std::string(statements::columns);
    l.members = store::Listing::Members{"domain_tags", "domain_id", "tag", "position, tag"};
    l.render_with_members = [](const store::Row& r, const std::vector<std::string>& tags) {
        Domain d = from_row(r);
        d.tags = tags;
        return render(d);
    };
    l.complete = [](store::Transaction& tx, const store::Rows& rows,
                    std::vector<std::string>& docs) {
        std::vector<Domain> domains;
        for (const auto& row : rows) domains.push_back(from_row(row));
        std::vector<Domain*> pointers;
        for (auto& d : domains) pointers.push_back(&d);
        read_addresses(tx, pointers);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (domains[i].master_ips.empty() && domains[i].axfr_ips.empty()) continue;
            auto doc = json::parse(docs[i]).as_object();
            doc["master_ips"] = json::value_from(domains[i].master_ips);
            doc["axfr_ips"] = json::value_from(domains[i].axfr_ips);
            docs[i] = to_json(doc);
        }
    };
    return l;
}

store::Params record_values(const Record& r) {
    return {r.name,
            r.target,
            r.priority,
            r.weight,
            r.port,
            store::or_null(r.service),
            store::or_null(r.protocol),
            r.ttl_sec,
            store::or_null(r.tag)};
}

}  // namespace

bool DomainRepository::insert(Domain& d) {
    const auto now = now_utc();
    auto rows = tx_.query(statements::insert,
                          {tx_.scope().account_id(), d.domain, lower_ascii(d.domain), d.type,
                           d.status, d.soa_email, d.description, d.group, d.retry_sec, d.expire_sec,
                           d.refresh_sec, d.ttl_sec, d.serial, now, now});
    if (rows.empty()) return false;
    d.id = rows.front().integer("id");
    d.created = d.updated = now;
    write_lists(d);
    return true;
}

std::optional<Domain> DomainRepository::find(std::int64_t id) {
    auto rows = store::scoped_query(
        tx_, store::locking(tx_, statements::find_in_account, " OF domains"), {id});
    if (rows.empty()) return std::nullopt;
    Domain d = from_row(rows.front());
    for (const auto& row : tx_.query(statements::tags_of, {id})) d.tags.push_back(row.text("tag"));
    read_addresses(tx_, {&d});
    return d;
}

bool DomainRepository::save(Domain& d) {
    if (!tx_.query(statements::name_taken, {lower_ascii(d.domain), d.id}).empty()) return false;
    d.updated = now_utc();
    store::scoped_write(
        tx_, statements::save,
        {d.domain, lower_ascii(d.domain), d.type, d.status, d.soa_email, d.description, d.group,
         d.retry_sec, d.expire_sec, d.refresh_sec, d.ttl_sec, d.serial, d.updated, d.id});
    write_lists(d);
    return true;
}

void DomainRepository::write_lists(const Domain& d) {
    tx_.write(statements::clear_tags, {d.id});
    std::int64_t position = 0;
    for (const auto& tag : d.tags) tx_.write(statements::add_tag, {d.id, tag, position++});
    tx_.write(statements::clear_addresses, {d.id});
    for (const auto& [kind, list] : {std::pair{"master", &d.master_ips}, {"axfr", &d.axfr_ips}}) {
        position = 0;
        for (const auto& address : *list)
            tx_.write(statements::add_address, {d.id, std::string(kind), position++, address});
    }
}

bool DomainRepository::name_taken(const std::string& name) {
    return !tx_.query(statements::name_taken, {lower_ascii(name), std::int64_t{0}}).empty();
}

void DomainRepository::remove(std::int64_t id) {
    store::scoped_execute(tx_, statements::remove, {id});
}

std::vector<std::pair<std::int64_t, std::string>> DomainRepository::names() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& row : store::scoped_query(tx_, statements::names))
        out.emplace_back(row.integer("id"), row.text("domain"));
    return out;
}

std::vector<Domain> DomainRepository::tagged_with(const std::string& tag) {
    std::vector<Domain> out;
    for (const auto& row : store::scoped_query(tx_, statements::tagged_with, {tag}))
        if (auto d = find(row.integer("id"))) out.push_back(std::move(*d));
    return out;
}

std::int64_t DomainRepository::insert_record(Record& r) {
    const auto now = now_utc();
    store::Params params{r.domain_id, r.type};
    auto values = record_values(r);
    params.insert(params.end(), values.begin(), values.end());
    params.emplace_back(now);
    params.emplace_back(now);
    r.id = tx_.query(statements::insert_record, params).at(0).integer("id");
    r.created = r.updated = now;
    return r.id;
}

void DomainRepository::save_record(Record& r) {
    r.updated = now_utc();
    auto params = record_values(r);
    params.emplace_back(r.updated);
    params.emplace_back(r.id);
    store::scoped_write(tx_, statements::save_record, params);
}

std::optional<Record> DomainRepository::find_record(std::int64_t domain_id,
                                                    std::int64_t record_id) {
    auto rows = store::scoped_query(tx_,
                                    "SELECT " + std::string(statements::record_columns) +
                                        std::string(statements::record_scope) +
                                        "AND r.domain_id = ? AND r.id = ?",
                                    {domain_id, record_id});
    if (rows.empty()) return std::nullopt;
    return record_from_row(rows.front());
}

std::vector<Record> DomainRepository::records_of(std::int64_t domain_id) {
    std::vector<Record> out;
    for (const auto& row : store::scoped_query(tx_,
                                               "SELECT " + std::string(statements::record_columns) +
                                                   std::string(statements::record_scope) +
                                                   "AND r.domain_id = ? ORDER BY r.id",
                                               {domain_id}))
        out.push_back(record_from_row(row));
    return out;
}

void DomainRepository::remove_record(std::int64_t record_id) {
    store::scoped_execute(tx_, statements::remove_record, {record_id});
}

std::vector<std::pair<std::string, std::int64_t>> DomainRepository::served_serials() {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& row : tx_.query(statements::served_serials))
        out.emplace_back(row.text("domain_key"), row.integer("serial"));
    return out;
}

std::optional<Zone> DomainRepository::zone(const std::string& name) {
    auto rows = tx_.query(statements::zone, {lower_ascii(name)});
    if (rows.empty()) return std::nullopt;
    Zone z;
    z.domain = from_row(rows.front());
    for (const auto& row : tx_.query(statements::zone_records, {z.domain.id}))
        z.records.push_back(record_from_row(row));
    read_addresses(tx_, {&z.domain});
    return z;
}

store::Listing DomainRepository::listing(const std::pair<std::string, store::Params>& visible) {
    return make_listing(visible.first, visible.second);
}

store::Listing DomainRepository::tagged(const std::string& tag,
                                        const std::pair<std::string, store::Params>& visible) {
    store::Params params{tag};
    params.insert(params.end(), visible.second.begin(), visible.second.end());
    return make_listing(std::string(statements::tagged) + "(" + visible.first + ")",
                        std::move(params));
}

store::Listing DomainRepository::record_listing(std::int64_t domain_id) {
    store::Listing l{"domain_records r",
                     kRecords,
                     "r.domain_id = ? AND r.domain_id IN (SELECT id FROM domains WHERE "
                     "{{account}})",
                     {domain_id}};
    l.columns = std::string(statements::record_columns);
    l.render = [](const store::Row& r) { return to_json(document(record_from_row(r))); };
    return l;
}

std::string render(const Domain& d) {
    return to_json(json::object{{"id", d.id},
                                {"type", d.type},
                                {"domain", d.domain},
                                {"tags", json::value_from(d.tags)},
                                {"group", d.group},
                                {"status", d.status},
                                {"errors", ""},
                                {"description", d.description},
                                {"soa_email", d.soa_email},
                                {"retry_sec", d.retry_sec},
                                {"master_ips", json::value_from(d.master_ips)},
                                {"axfr_ips", json::value_from(d.axfr_ips)},
                                {"expire_sec", d.expire_sec},
                                {"refresh_sec", d.refresh_sec},
                                {"ttl_sec", d.ttl_sec},
                                {"created", d.created},
                                {"updated", d.updated}});
}

}  // namespace linnet::domains
