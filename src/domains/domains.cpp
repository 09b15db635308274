// A Domain's changes, their checks and their events.
#include "domains/domains.hpp"

#include <ctime>
#include <regex>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domains/zone_transfer.hpp"
#include "jobs/jobs.hpp"
#include "linodes/interfaces.hpp"
#include "tags/tag_repository.hpp"

namespace linnet::domains {

namespace {

namespace json = boost::json;

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const Domain& d) {
    // The DNS server's holder looks at the zones again once the change commits.
    tx.notify(jobs::kJobsChannel);
    jobs::record_event(tx, {action, domain_entity(d), std::nullopt, "notification", actor.user_id,
                            actor.username, ""});
}

bool valid_name(const std::string& name) {
    static const std::regex pattern(
        R"(^(\*\.)?([a-zA-Z0-9_-]{1,63}\.)+([a-zA-Z]{2,3}\.)?([a-zA-Z]{2,16}|xn--[a-zA-Z0-9]+)$)");
    return name.size() <= 253 && std::regex_match(name, pattern);
}

bool valid_email(const std::string& email) {
    const auto at = email.find('@');
    return at != std::string::npos && at > 0 && at + 1 < email.size() &&
           email.find('@', at + 1) == std::string::npos && email.size() <= 254 &&
           email.find_first_of(" \t\r\n;\"") == std::string::npos &&
           valid_name(email.substr(at + 1));
}

// A Domain's timer rounded up to the next value Linode takes; nullopt past the last.
std::optional<std::int64_t> timer(std::int64_t seconds) {
    static const std::int64_t kValues[] = {0,      30,     120,    300,     3600,
                                           7200,   14400,  28800,  57600,   86400,
                                           172800, 345600, 604800, 1209600, 2419200};
    if (seconds < 0) return std::nullopt;
    for (const auto v : kValues)
        if (seconds <= v) return v;
    return std::nullopt;
}

void read_ips(const json::object& body, const char* key, std::vector<std::string>& into,
              std::vector<ErrorDetail>& problems) {
    const auto* v = body.if_contains(key);
    if (!v || v->is_null()) {
        if (v) into.clear();
        return;
    }
    std::vector<std::string> out;
    std::size_t length = 0;
    bool ok = v->is_array();
    if (ok)
        for (const auto& item : v->as_array()) {
            if (!item.is_string() || !linodes::valid_address(item.as_string())) {
                ok = false;
                break;
            }
            length += item.as_string().size();
            out.emplace_back(item.as_string());
        }
    if (!ok || length > 1000) {
        problems.push_back({std::string(key) + " must be a list of IP addresses", key});
        return;
    }
    into = std::move(out);
}

void record_tags(store::Transaction& tx, const std::vector<std::string>& tags) {
    tags::TagRepository repo(tx);
    for (const auto& tag : tags) repo.add(tag);
}

void check(const Domain& d, std::vector<ErrorDetail>& problems) {
    if (d.type == "master" && !valid_email(d.soa_email))
        problems.push_back(
            {"soa_email must be an email address: a master Domain needs one", "soa_email"});
    if (d.type == "slave" && d.master_ips.empty())
        problems.push_back(
            {"master_ips must name at least one address for a slave Domain", "master_ips"});
}

// Checks every record of the zone beside the others.
void check_record_in_zone(store::Transaction& tx, const Domain& d, const Record& r) {
    std::vector<ErrorDetail> problems;
    check_record(r, d.domain, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    auto others = DomainRepository(tx).records_of(d.id);
    std::erase_if(others, [&](const Record& o) { return o.id == r.id; });
    check_neighbours(r, others, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
}

// The Domain's serial moves on and its change is saved.
void touch(store::Transaction& tx, Domain& d) {
    d.serial = next_serial(d.serial, unix_now());
    DomainRepository(tx).save(d);
}

const char* kTaken = "This Domain name is not available";

}  // namespace

jobs::Entity domain_entity(const Domain& d) {
    return {d.id, "domain", d.domain, "/v4/domains/" + std::to_string(d.id)};
}

void read_domain(const json::object& body, bool create, Domain& into,
                 std::vector<ErrorDetail>& problems) {
    const auto text = [&](const char* key, std::string& field, std::size_t min, std::size_t max) {
        const auto* v = body.if_contains(key);
        if (!v) return false;
        if (v->is_null() && min == 0) {
            field.clear();
            return true;
        }
        if (!v->is_string() || v->as_string().size() < min || v->as_string().size() > max) {
            problems.push_back({std::string(key) + " must be text of " + std::to_string(min) + "-" +
                                    std::to_string(max) + " characters",
                                key});
            return false;
        }
        field = std::string(v->as_string());
        return true;
    };
    std::string name = into.domain;
    if (text("domain", name, 1, 253)) {
        if (!valid_name(name))
            problems.push_back({"domain must be a domain name, as example.com", "domain"});
        else
            into.domain = name;
    } else if (create && !body.contains("domain")) {
        problems.push_back({"domain is required", "domain"});
    }
    std::string type = into.type;
    if (text("type", type, 1, 16)) {
        if (type != "master" && type != "slave")
            problems.push_back({"type must be master or slave", "type"});
        else
            into.type = type;
    } else if (create && !body.contains("type")) {
        problems.push_back({"type is required", "type"});
    }
    std::string status = into.status;
    if (text("status", status, 1, 16)) {
        if (status != "active" && status != "disabled")
            problems.push_back({"status must be active or disabled", "status"});
        else
            into.status = status;
    }
    text("soa_email", into.soa_email, 0, 254);
    text("description", into.description, 0, 253);
    text("group", into.group, 0, 50);
    for (const auto& [key, field] : {std::pair{"retry_sec", &into.retry_sec},
                                     {"expire_sec", &into.expire_sec},
                                     {"refresh_sec", &into.refresh_sec},
                                     {"ttl_sec", &into.ttl_sec}}) {
        const auto* v = body.if_contains(key);
        if (!v || v->is_null()) continue;
        const auto rounded = v->is_int64() ? timer(v->as_int64()) : std::nullopt;
        if (!rounded)
            problems.push_back({std::string(key) + " must be from 0 to 2419200 seconds", key});
        else
            *field = *rounded;
    }
    read_ips(body, "master_ips", into.master_ips, problems);
    read_ips(body, "axfr_ips", into.axfr_ips, problems);
    if (const auto* v = body.if_contains("tags"); v && !v->is_null()) {
        std::vector<std::string> tags;
        bool ok = v->is_array();
        if (ok)
            for (const auto& t : v->as_array()) {
                if (!t.is_string() || t.as_string().empty() || t.as_string().size() > 50) {
                    ok = false;
                    break;
                }
                tags.emplace_back(t.as_string());
            }
        if (!ok)
            problems.push_back({"tags must be a list of 1-50 character tags", "tags"});
        else
            into.tags = std::move(tags);
    }
}

std::int64_t next_serial(std::int64_t serial, std::int64_t unix_seconds) {
    const std::time_t now = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&now, &tm);
    const std::int64_t today = (static_cast<std::int64_t>(tm.tm_year + 1900) * 10000 +
                                (tm.tm_mon + 1) * 100 + tm.tm_mday) *
                                   100 +
                               1;
    return std::max(serial + 1, today);
}

Domain create(store::Transaction& tx, const Actor& actor, Domain d) {
    std::vector<ErrorDetail> problems;
    check(d, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    d.serial = next_serial(0, unix_now());
    if (!DomainRepository(tx).insert(d)) throw errors::bad_request(kTaken, "domain");
    record_tags(tx, d.tags);
    notify(tx, actor, "dns_zone_create", d);
    return DomainRepository(tx).find(d.id).value();
}

void update(store::Transaction& tx, const Actor& actor, Domain& d, const Domain& was) {
    std::vector<ErrorDetail> problems;
    check(d, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));
    d.serial = next_serial(was.serial, unix_now());
    if (!DomainRepository(tx).save(d)) throw errors::bad_request(kTaken, "domain");
    record_tags(tx, d.tags);
    notify(tx, actor, "dns_zone_update", d);
}

void remove(store::Transaction& tx, const Actor& actor, const Domain& d) {
    notify(tx, actor, "dns_zone_delete", d);
    DomainRepository(tx).remove(d.id);
}

Domain clone(store::Transaction& tx, const Actor& actor, const Domain& d, const std::string& name) {
    if (!valid_name(name))
        throw errors::bad_request("domain must be a domain name, as example.com", "domain");
    Domain copy = d;
    copy.id = 0;
    copy.domain = name;
    copy.serial = next_serial(0, unix_now());
    if (!DomainRepository(tx).insert(copy)) throw errors::bad_request(kTaken, "domain");
    DomainRepository repo(tx);
    for (auto r : repo.records_of(d.id)) {
        r.domain_id = copy.id;
        repo.insert_record(r);
    }
    record_tags(tx, copy.tags);
    notify(tx, actor, "dns_zone_create", copy);
    return repo.find(copy.id).value();
}

Domain import(store::Transaction& tx, const Actor& actor, const std::string& name,
              const std::string& nameserver) {
    if (!valid_name(name))
        throw errors::bad_request("domain must be a domain name, as example.com", "domain");
    // A name that is taken is refused before anything is asked of the name server.
    if (DomainRepository(tx).name_taken(name)) throw errors::bad_request(kTaken, "domain");
    auto transferred = transfer(name, nameserver);
    Domain d = transferred.domain;
    for (auto* timer_field : {&d.refresh_sec, &d.retry_sec, &d.expire_sec, &d.ttl_sec})
        *timer_field = timer(*timer_field).value_or(0);
    if (!valid_email(d.soa_email)) d.soa_email = "hostmaster@" + name;
    // Records Linnet cannot keep as they came are left out rather than refused.
    std::vector<Record> kept;
    for (auto& r : transferred.records) {
        std::vector<ErrorDetail> problems;
        r.ttl_sec = rounded_ttl(r.ttl_sec, true).value_or(0);
        check_record(r, name, problems);
        check_neighbours(r, kept, problems);
        if (problems.empty()) kept.push_back(r);
    }
    d.serial = next_serial(0, unix_now());
    if (!DomainRepository(tx).insert(d)) throw errors::bad_request(kTaken, "domain");
    DomainRepository repo(tx);
    for (auto& r : kept) {
        r.domain_id = d.id;
        repo.insert_record(r);
    }
    notify(tx, actor, "dns_zone_import", d);
    return repo.find(d.id).value();
}

Record create_record(store::Transaction& tx, const Actor& actor, Domain& d, Record r) {
    r.domain_id = d.id;
    check_record_in_zone(tx, d, r);
    DomainRepository(tx).insert_record(r);
    touch(tx, d);
    notify(tx, actor, "dns_record_create", d);
    return DomainRepository(tx).find_record(d.id, r.id).value();
}

Record update_record(store::Transaction& tx, const Actor& actor, Domain& d, Record r) {
    check_record_in_zone(tx, d, r);
    DomainRepository(tx).save_record(r);
    touch(tx, d);
    notify(tx, actor, "dns_record_update", d);
    return DomainRepository(tx).find_record(d.id, r.id).value();
}

void remove_record(store::Transaction& tx, const Actor& actor, Domain& d, const Record& r) {
    DomainRepository(tx).remove_record(r.id);
    touch(tx, d);
    notify(tx, actor, "dns_record_delete", d);
}

}  // namespace linnet::domains
