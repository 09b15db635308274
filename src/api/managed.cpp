// /managed and /account/settings/managed-enable: Linode Managed for the account's unrestricted
// users, once it is enabled: contacts, credentials (sealed at rest, never shown again), the
// account's SSH key, each Linode's SSH settings, the services linnetd checks, the issues their
// failures open, and the last day's use of the account's Linodes.
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <map>

#include "account/account_repository.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "catalog/catalog_repository.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "linodes/address_repository.hpp"
#include "linodes/instances.hpp"
#include "linodes/linode_repository.hpp"
#include "managed/addresses.hpp"
#include "managed/managed_repository.hpp"
#include "managed/service_repository.hpp"
#include "managed/vault.hpp"
#include "stats/linode_usage.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using managed::ManagedRepository;
using managed::ServiceRepository;

bool enabled(store::Transaction& tx) {
    const auto found = account::AccountRepository(tx).find();
    if (!found) return false;
    const auto settings = json::parse(found->settings);
    const auto* v = settings.as_object().if_contains("managed");
    return v && v->is_bool() && v->as_bool();
}

// Managed is for the account's unrestricted users, once it is enabled.
void require(http::Context& ctx) {
    auth::require_unrestricted(ctx.caller());
    if (!enabled(ctx.tx()))
        throw errors::forbidden("Linode Managed is not enabled on this account");
}

managed::Vault vault(const Environment& env) {
    return managed::Vault::open(env.shared / "managed.key");
}

http::Response enable(http::Context& ctx, const Environment& env) {
    auth::require_unrestricted(ctx.caller());
    auto& tx = ctx.tx();
    account::AccountRepository accounts(tx);
    auto settings = json::parse(accounts.find().value().settings).as_object();
    settings["managed"] = true;
    accounts.save_settings(to_json(settings));
    // The key pair its operators sign in with, made once.
    ManagedRepository repo(tx);
    if (!repo.key()) {
        const auto pair = managed::ssh_key_pair("managed@linnet");
        repo.add_key(pair.public_key, vault(env).seal(pair.private_key));
    }
    return http::Response::json("{}");
}

// --- contacts ---

void read_contact(BodyReader& reader, const json::object& body, managed::Contact& c,
                  bool creating) {
    if (auto name = reader.string("name", {creating, 2, 64})) c.name = *name;
    if (auto email = reader.string("email", {creating, 0, 128})) {
        if (valid_email(*email))
            c.email = *email;
        else
            reader.fail("email", "email must be a valid email address");
    }
    if (auto group = reader.nullable_string("group")) {
        if (*group && (group->value().size() < 2 || group->value().size() > 50))
            reader.fail("group", "group must be 2-50 characters");
        else
            c.group = *group;
    }
    if (const auto* phone = body.if_contains("phone")) {
        if (!phone->is_object()) {
            reader.fail("phone", "phone must be an object of primary and secondary");
            return;
        }
        BodyReader numbers(phone->as_object());
        auto primary = numbers.nullable_string("primary");
        auto secondary = numbers.nullable_string("secondary");
        for (auto* n : {&primary, &secondary})
            if (*n && **n && (***n).size() > 32) n->reset();
        try {
            numbers.finish();
        } catch (const ApiError&) {
            reader.fail("phone", "phone numbers must be strings or null");
            return;
        }
        if (primary) c.phone_primary = *primary;
        if (secondary) c.phone_secondary = *secondary;
    }
}

managed::Contact contact_of(http::Context& ctx) {
    auto c = ManagedRepository(ctx.tx()).find_contact(id_param(ctx, "contactId"));
    if (!c) throw errors::not_found();
    return *c;
}

http::Response save_contact(http::Context& ctx, bool creating) {
    require(ctx);
    managed::Contact c = creating ? managed::Contact{} : contact_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    read_contact(reader, body, c, creating);
    reader.finish();
    c.updated = now_utc();
    ManagedRepository repo(ctx.tx());
    if (creating)
        c.id = repo.add_contact(c);
    else
        repo.save_contact(c);
    return http::Response::json(managed::render(c));
}

// --- credentials ---

managed::Credential credential_of(http::Context& ctx) {
    auto c = ManagedRepository(ctx.tx()).find_credential(id_param(ctx, "credentialId"));
    if (!c) throw errors::not_found();
    return *c;
}

void check_label(http::Context& ctx, BodyReader& reader, const std::string& label,
                 std::int64_t except) {
    if (ManagedRepository(ctx.tx()).credential_label_taken(label, except))
        reader.fail("label", "Label must be unique among your credentials");
}

http::Response add_credential(http::Context& ctx, const Environment& env) {
    require(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", {true, 2, 75});
    auto username = reader.string("username", {false, 0, 5000});
    auto password = reader.string("password", {true, 1, 5000});
    if (label) check_label(ctx, reader, *label, 0);
    reader.finish();
    const auto v = vault(env);
    managed::Credential c;
    c.label = *label;
    c.sealed_username = v.seal(username.value_or(""));
    c.sealed_password = v.seal(*password);
    c.id = ManagedRepository(ctx.tx()).add_credential(c);
    return http::Response::json(managed::render(c));
}

http::Response rename_credential(http::Context& ctx) {
    require(ctx);
    auto c = credential_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label", {false, 2, 75})) {
        check_label(ctx, reader, *label, c.id);
        c.label = *label;
    }
    reader.finish();
    ManagedRepository(ctx.tx()).save_credential(c);
    return http::Response::json(managed::render(c));
}

http::Response reset_credential(http::Context& ctx, const Environment& env) {
    require(ctx);
    auto c = credential_of(ctx);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto username = reader.string("username", {false, 0, 5000});
    auto password = reader.string("password", {true, 1, 5000});
    reader.finish();
    const auto v = vault(env);
    if (username) c.sealed_username = v.seal(*username);
    c.sealed_password = v.seal(*password);
    ManagedRepository(ctx.tx()).save_credential(c);
    return http::Response::json("{}");
}

// --- Linode settings ---

linodes::Instance managed_linode(http::Context& ctx) {
    auto linode = linodes::find(ctx.tx(), id_param(ctx, "linodeId"));
    if (!linode) throw errors::not_found();
    return *linode;
}

http::Response linode_settings(http::Context& ctx) {
    require(ctx);
    const auto linode = managed_linode(ctx);
    return http::Response::json(managed::render(ManagedRepository(ctx.tx()).linode_ssh(linode.id),
                                                linode.label, linode.group));
}

http::Response update_linode_settings(http::Context& ctx) {
    require(ctx);
    const auto linode = managed_linode(ctx);
    ManagedRepository repo(ctx.tx());
    auto s = repo.linode_ssh(linode.id);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (const auto* ssh = body.if_contains("ssh")) {
        if (!ssh->is_object()) {
            reader.fail("ssh", "ssh must be an object");
        } else {
            const auto& o = ssh->as_object();
            BodyReader fields(o);
            if (auto access = fields.boolean("access")) s.access = *access;
            if (auto user = fields.nullable_string("user")) {
                if (*user && (*user)->size() > 32)
                    reader.fail("ssh.user", "user must be at most 32 characters");
                else
                    s.user = *user;
            }
            if (auto ip = fields.string("ip")) {
                bool known = *ip == "any";
                for (const auto& a : linodes::AddressRepository(ctx.tx()).of_linode(linode.id))
                    known = known || a.address == *ip;
                if (known)
                    s.ip = *ip;
                else
                    reader.fail("ssh.ip", "ip must be any or one of the Linode's addresses");
            }
            if (const auto* port = o.if_contains("port")) {
                if (port->is_null())
                    s.port.reset();
                else if (port->is_int64() && port->as_int64() >= 1 && port->as_int64() <= 65535)
                    s.port = port->as_int64();
                else
                    reader.fail("ssh.port", "port must be 1-65535 or null");
            }
            try {
                fields.finish();
            } catch (const ApiError& e) {
                for (const auto& d : e.details())
                    reader.fail("ssh." + d.field.value_or(""), d.reason);
            }
        }
    }
    reader.finish();
    repo.save_linode_ssh(s);
    return http::Response::json(managed::render(s, linode.label, linode.group));
}

// --- services ---

// The host of a service's address, or nothing when the address is not of its type's shape.
std::optional<std::string> host_of(const std::string& type, const std::string& address) {
    if (type == "url") {
        const auto url = boost::urls::parse_uri(address);
        if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty())
            return std::nullopt;
        return std::string(url->host());
    }
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    const std::string port = address.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
        std::stoi(port) > 65535)
        return std::nullopt;
    return address.substr(0, colon);
}

void read_service(http::Context& ctx, const Environment& env, BodyReader& reader,
                  const json::object& body, managed::Service& s, bool creating) {
    if (auto label = reader.string("label", {creating, 3, 64})) s.label = *label;
    if (auto type = reader.string("service_type", {creating})) {
        if (*type == "url" || *type == "tcp")
            s.service_type = *type;
        else
            reader.fail("service_type", "service_type must be url or tcp");
    }
    if (auto address = reader.string("address", {creating, 3, 100})) s.address = *address;
    if (auto timeout = reader.integer("timeout", creating)) {
        if (*timeout < 1 || *timeout > 255)
            reader.fail("timeout", "timeout must be 1-255 seconds");
        else
            s.timeout = *timeout;
    }
    if (auto expected = reader.nullable_string("body")) {
        if (*expected && (*expected)->size() > 100)
            reader.fail("body", "body must be at most 100 characters");
        else
            s.body = *expected;
    }
    if (auto group = reader.string("consultation_group", {false, 0, 50}))
        s.consultation_group = *group;
    if (auto notes = reader.nullable_string("notes")) s.notes = *notes;
    if (auto region = reader.nullable_string("region")) s.region = *region;
    if (const auto* ids = body.if_contains("credentials")) {
        std::vector<std::int64_t> credentials;
        bool good = ids->is_array();
        if (good)
            for (const auto& id : ids->as_array()) {
                good = good && id.is_int64();
                if (good) credentials.push_back(id.as_int64());
            }
        if (!good)
            reader.fail("credentials", "credentials must be an array of credential ids");
        else if (!ServiceRepository(ctx.tx()).credentials_exist(credentials))
            reader.fail("credentials", "Each credential must be one of your credentials");
        else
            s.credentials = std::move(credentials);
    }
    if (reader.problems() > 0) return;
    const auto host = host_of(s.service_type, s.address);
    if (!host) {
        reader.fail("address", s.service_type == "url"
                                   ? "address must be an http or https URL"
                                   : "address must be HOST:PORT with a port of 1-65535");
        return;
    }
    const auto kind = managed::classify(*host);
    if (kind == managed::AddressClass::forbidden ||
        (kind == managed::AddressClass::loopback && !env.loopback_nodes)) {
        reader.fail("address", "address is not one a service may be checked at");
    } else if (kind == managed::AddressClass::private_address) {
        if (!s.region)
            reader.fail("region", "region is required for a service at a private address");
        else if (!catalog::CatalogRepository(ctx.tx()).region_exists(*s.region))
            reader.fail("region", "region is not a region");
    } else if (s.region) {
        reader.fail("region", "region is only for a service at a private address");
    }
}

managed::Service service_of(http::Context& ctx) {
    auto s = ServiceRepository(ctx.tx()).find(id_param(ctx, "serviceId"));
    if (!s) throw errors::not_found();
    return *s;
}

http::Response save_service(http::Context& ctx, const Environment& env, bool creating) {
    require(ctx);
    managed::Service s = creating ? managed::Service{} : service_of(ctx);
    const auto was = s;
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    read_service(ctx, env, reader, body, s, creating);
    reader.finish();
    s.updated = now_utc();
    // A new service, or one now checked otherwise, waits for its first check.
    if (creating || (s.status != "disabled" &&
                     (s.address != was.address || s.service_type != was.service_type ||
                      s.body != was.body || s.timeout != was.timeout))) {
        if (s.status != "disabled") s.status = "pending";
        s.due = clock::unix_seconds();
    }
    ServiceRepository repo(ctx.tx());
    if (creating) {
        s.created = s.updated;
        s.id = repo.insert(s);
    } else {
        repo.save(s);
    }
    ctx.after_commit.push_back(env.wake_workers);
    return http::Response::json(managed::render(s));
}

http::Response set_enabled(http::Context& ctx, const Environment& env, bool on) {
    require(ctx);
    auto s = service_of(ctx);
    if (on && s.status == "disabled") {
        s.status = "pending";
        s.due = clock::unix_seconds();
    } else if (!on) {
        s.status = "disabled";
    }
    s.updated = now_utc();
    ServiceRepository(ctx.tx()).save(s);
    ctx.after_commit.push_back(env.wake_workers);
    return http::Response::json(managed::render(s));
}

// --- stats ---

// The last day of the account's Linodes, summed at each five-minute step: CPU in percent of a
// core, disk and swap I/O in blocks a second, network in bits a second.
http::Response stats(http::Context& ctx) {
    require(ctx);
    auto& tx = ctx.tx();
    const std::int64_t now = clock::unix_seconds();
    std::map<std::int64_t, std::array<double, 5>> at;
    for (const auto& name : linodes::LinodeRepository(tx).names()) {
        const auto linode = linodes::find(tx, name.id);
        if (!linode) continue;
        for (const auto& u :
             stats::linode_usage(tx, *linode, now - 86400, now, stats::kBucketSeconds)) {
            if (u.seconds <= 0) continue;
            auto& sums = at[u.at * 1000];
            sums[0] += u.cpu_seconds * 100 / u.seconds;
            sums[1] += u.io_bytes / 512 / u.seconds;
            sums[2] += u.net_in * 8 / u.seconds;
            sums[3] += u.net_out * 8 / u.seconds;
            sums[4] += u.swap_bytes / 512 / u.seconds;
        }
    }
    const char* names[] = {"cpu", "disk", "net_in", "net_out", "swap"};
    json::object data;
    for (std::size_t i = 0; i < 5; ++i) {
        json::array points;
        for (const auto& [x, sums] : at)
            points.push_back(json::object{{"x", x}, {"y", std::round(sums[i] * 100) / 100}});
        data[names[i]] = std::move(points);
    }
    return http::Response::json(to_json(json::object{{"data", std::move(data)}}));
}

}  // namespace

void register_managed(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto ro = Requirement::of("account:read_only");
    const auto rw = Requirement::of("account:read_write");
    const auto listed = [](store::Listing (*listing)()) {
        return [listing](http::Context& ctx) {
            require(ctx);
            return list(ctx, listing());
        };
    };
    router.add("POST", "/account/settings/managed-enable", "post-enable-account-managed", rw,
               [&env](http::Context& ctx) { return enable(ctx, env); });

    const std::string contact = "/managed/contacts/{contactId}";
    router.add("GET", "/managed/contacts", "get-managed-contacts", ro,
               listed(ManagedRepository::contact_listing));
    router.add("POST", "/managed/contacts", "post-managed-contact", rw,
               [](http::Context& ctx) { return save_contact(ctx, true); });
    router.add("GET", contact, "get-managed-contact", rw, [](http::Context& ctx) {
        require(ctx);
        return http::Response::json(managed::render(contact_of(ctx)));
    });
    router.add("PUT", contact, "put-managed-contact", rw,
               [](http::Context& ctx) { return save_contact(ctx, false); });
    router.add("DELETE", contact, "delete-managed-contact", rw, [](http::Context& ctx) {
        require(ctx);
        ManagedRepository(ctx.tx()).remove_contact(contact_of(ctx).id);
        return http::Response::json("{}");
    });

    const std::string credential = "/managed/credentials/{credentialId}";
    router.add("GET", "/managed/credentials", "get-managed-credentials", ro,
               listed(ManagedRepository::credential_listing));
    router.add("POST", "/managed/credentials", "post-managed-credential", rw,
               [&env](http::Context& ctx) { return add_credential(ctx, env); });
    router.add("GET", "/managed/credentials/sshkey", "get-managed-ssh-key", ro,
               [](http::Context& ctx) {
                   require(ctx);
                   const auto key = ManagedRepository(ctx.tx()).key();
                   if (!key) throw errors::not_found();
                   return http::Response::json(to_json(json::object{{"ssh_key", key->first}}));
               });
    router.add("GET", credential, "get-managed-credential", rw, [](http::Context& ctx) {
        require(ctx);
        return http::Response::json(managed::render(credential_of(ctx)));
    });
    router.add("PUT", credential, "put-managed-credential", rw, rename_credential);
    router.add("POST", credential + "/revoke", "post-managed-credential-revoke", rw,
               [](http::Context& ctx) {
                   require(ctx);
                   ManagedRepository(ctx.tx()).remove_credential(credential_of(ctx).id);
                   return http::Response::json("{}");
               });
    router.add("POST", credential + "/update", "post-managed-credential-username-password", rw,
               [&env](http::Context& ctx) { return reset_credential(ctx, env); });

    router.add("GET", "/managed/issues", "get-managed-issues", ro,
               listed(ServiceRepository::issue_listing));
    router.add("GET", "/managed/issues/{issueId}", "get-managed-issue", ro, [](http::Context& ctx) {
        require(ctx);
        return one(ctx, ServiceRepository::issue_listing(), "id", id_param(ctx, "issueId"));
    });

    router.add("GET", "/managed/linode-settings", "get-managed-linode-settings", ro,
               [](http::Context& ctx) {
                   require(ctx);
                   return list(ctx, ManagedRepository::linode_listing(
                                        auth::visible_linodes(ctx.caller(), "l.id")));
               });
    router.add("GET", "/managed/linode-settings/{linodeId}", "get-managed-linode-setting", ro,
               linode_settings);
    router.add("PUT", "/managed/linode-settings/{linodeId}", "put-managed-linode-setting", rw,
               update_linode_settings);

    const std::string service = "/managed/services/{serviceId}";
    router.add("GET", "/managed/services", "get-managed-services", ro,
               listed(ServiceRepository::listing));
    router.add("POST", "/managed/services", "post-managed-service", rw,
               [&env](http::Context& ctx) { return save_service(ctx, env, true); });
    router.add("GET", service, "get-managed-service", ro, [](http::Context& ctx) {
        require(ctx);
        return http::Response::json(managed::render(service_of(ctx)));
    });
    router.add("PUT", service, "put-managed-service", rw,
               [&env](http::Context& ctx) { return save_service(ctx, env, false); });
    router.add("DELETE", service, "delete-managed-service", rw, [](http::Context& ctx) {
        require(ctx);
        ServiceRepository(ctx.tx()).remove(service_of(ctx).id);
        return http::Response::json("{}");
    });
    router.add("POST", service + "/disable", "post-disable-managed-service", rw,
               [&env](http::Context& ctx) { return set_enabled(ctx, env, false); });
    router.add("POST", service + "/enable", "post-enable-managed-service", rw,
               [&env](http::Context& ctx) { return set_enabled(ctx, env, true); });
    router.add("GET", "/managed/stats", "get-managed-stats", ro, stats);
}

}  // namespace linnet::api
