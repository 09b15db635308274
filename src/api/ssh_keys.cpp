// /profile/sshkeys: the caller's SSH public keys, which a Linode create or rebuild installs for
// each user named in authorized_users.
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/ssh_key_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace linnet::api {

namespace {

using auth::SshKeyRepository;

constexpr StringRule kLabel{false, 0, 64};

auth::SshKey key_of(http::Context& ctx) {
    auto key = SshKeyRepository(ctx.tx()).find(ctx.caller().user_id, id_param(ctx, "sshKeyId"));
    if (!key) throw errors::not_found();
    return *key;
}

http::Response add(http::Context& ctx) {
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", kLabel);
    auto key = reader.string("ssh_key", {true, 1, 16384});
    if (key)
        if (auto problem = auth::ssh_key_problem(*key)) reader.fail("ssh_key", *problem);
    reader.finish();
    const std::string created = now_utc();
    const auto id =
        SshKeyRepository(ctx.tx()).insert(ctx.caller().user_id, label.value_or(""), *key, created);
    return http::Response::json(render(auth::SshKey{id, label.value_or(""), *key, created}));
}

http::Response update(http::Context& ctx) {
    auto key = key_of(ctx);
    const auto body = parse_body(ctx.request.body);
    BodyReader reader(body);
    auto label = reader.string("label", kLabel);
    // What GET shows may come back unchanged; the key itself is replaced by a new one.
    if (auto sent = reader.string("ssh_key"); sent && *sent != key.ssh_key)
        reader.fail("ssh_key", "ssh_key cannot be changed; add a new key instead");
    if (const auto* id = body.if_contains("id"); id && *id != key.id)
        reader.fail("id", "id is read-only");
    if (const auto* created = body.if_contains("created");
        created && *created != boost::json::value(key.created))
        reader.fail("created", "created is read-only");
    reader.finish();
    if (label) {
        SshKeyRepository(ctx.tx()).rename(ctx.caller().user_id, key.id, *label);
        key.label = *label;
    }
    return http::Response::json(render(key));
}

}  // namespace

void register_ssh_keys(http::Router& router) {
    using auth::Requirement;
    const auto ro = Requirement::of("account:read_only");
    const auto rw = Requirement::of("account:read_write");
    router.add("GET", "/profile/sshkeys", "get-ssh-keys", ro, [](http::Context& ctx) {
        return list(ctx, SshKeyRepository::of_user(ctx.caller().user_id));
    });
    router.add("POST", "/profile/sshkeys", "post-add-ssh-key", rw, add);
    router.add("GET", "/profile/sshkeys/{sshKeyId}", "get-ssh-key", ro,
               [](http::Context& ctx) { return http::Response::json(render(key_of(ctx))); });
    router.add("PUT", "/profile/sshkeys/{sshKeyId}", "put-ssh-key", rw, update);
    router.add("DELETE", "/profile/sshkeys/{sshKeyId}", "delete-ssh-key", rw,
               [](http::Context& ctx) {
                   const auto key = key_of(ctx);
                   SshKeyRepository(ctx.tx()).remove(ctx.caller().user_id, key.id);
                   return http::Response::json("{}");
               });
}

}  // namespace linnet::api
