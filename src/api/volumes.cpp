// /volumes: Block Storage Volumes, their types, and the volumes of a Linode.
#include <boost/json.hpp>

#include "api/linode_access.hpp"
#include "api/list.hpp"
#include "api/routes.hpp"
#include "auth/grants.hpp"
#include "billing/prices.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "linodes/linode_repository.hpp"
#include "store/inline_table.hpp"
#include "volumes/volumes.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;
using auth::Permission;

const StringRule kTag{false, 1, 50};

volumes::Actor actor_of(http::Context& ctx) {
    return {ctx.caller().user_id, ctx.caller().username};
}

// The volume the path names, with the caller's permission on it checked; locked for the rest of
// the request unless `lock` is false.
volumes::Volume volume_of(http::Context& ctx, Permission need, bool lock = true) {
    const std::int64_t id = id_param(ctx, "volumeId");
    volumes::VolumeRepository repo(ctx.tx());
    auto volume = lock ? repo.find(id) : repo.find_unlocked(id);
    auth::require_entity(ctx.tx(), ctx.caller(), "volume", id, need, volume.has_value());
    if (!volume) throw errors::not_found();
    return *volume;
}

http::Response document(const volumes::Volume& volume) {
    return http::Response::json(volumes::render(volume));
}

http::Response create(http::Context& ctx, const Environment& env) {
    auth::require_global(ctx.tx(), ctx.caller(), "add_volumes");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    volumes::NewVolume request;
    request.label = reader.string("label", {true}).value_or("");
    request.region = reader.string("region");
    request.size = reader.integer("size").value_or(20);
    request.linode_id = reader.integer("linode_id");
    request.config_id = reader.integer("config_id");
    request.encryption = reader.string("encryption").value_or("disabled");
    request.tags = reader.string_list("tags", kTag).value_or(std::vector<std::string>{});
    if (request.encryption == "enabled" && !env.volume_encryption)
        reader.fail("encryption", "Volume encryption is not available on this server's driver");
    reader.finish();
    if (request.linode_id)
        auth::require_linode(ctx.tx(), ctx.caller(), *request.linode_id, Permission::read_write);
    auto volume = volumes::create(ctx.tx(), actor_of(ctx), request);
    auth::grant_creator(ctx.tx(), ctx.caller(), "volume", volume.id);
    return document(volume);
}

http::Response update(http::Context& ctx) {
    auto volume = volume_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    if (auto label = reader.string("label")) {
        if (auto problem = volumes::label_problem(*label))
            reader.fail("label", *problem);
        else
            volume.label = *label;
    }
    if (auto tags = reader.string_list("tags", kTag)) volume.tags = *tags;
    reader.finish();
    volumes::update(ctx.tx(), actor_of(ctx), volume);
    return document(volume);
}

// A Linode is locked before the volumes attached to it (as its jobs do): the volume is read,
// the Linode locked, then the volume read again under its lock.
volumes::Volume with_linode_locked(http::Context& ctx, std::optional<std::int64_t> linode_id) {
    if (linode_id) linodes::LinodeRepository(ctx.tx()).lock(*linode_id);
    return volume_of(ctx, Permission::read_write);
}

http::Response attach(http::Context& ctx) {
    auto volume = volume_of(ctx, Permission::read_write, false);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto linode_id = reader.integer("linode_id", true);
    const auto config_id = reader.integer("config_id");
    const bool persist = reader.boolean("persist_across_boots").value_or(true);
    reader.finish();
    auth::require_linode(ctx.tx(), ctx.caller(), *linode_id, Permission::read_write);
    volume = with_linode_locked(ctx, linode_id);
    volumes::attach(ctx.tx(), actor_of(ctx), volume, *linode_id, config_id, persist);
    return document(volume);
}

http::Response detach(http::Context& ctx) {
    auto volume = volume_of(ctx, Permission::read_write, false);
    if (volume.linode_id)
        auth::require_linode(ctx.tx(), ctx.caller(), *volume.linode_id, Permission::read_write);
    const auto seen = volume.linode_id;
    volume = with_linode_locked(ctx, seen);
    // Attached elsewhere meanwhile: the request runs again and checks that Linode.
    if (volume.linode_id != seen) throw store::Conflict("the volume moved while it was detached");
    volumes::detach(ctx.tx(), actor_of(ctx), volume);
    return http::Response::json("{}");
}

http::Response resize(http::Context& ctx) {
    auto volume = volume_of(ctx, Permission::read_write);
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto size = reader.integer("size", true);
    reader.finish();
    volumes::resize(ctx.tx(), actor_of(ctx), volume, *size);
    return document(volume);
}

http::Response clone(http::Context& ctx) {
    auto source = volume_of(ctx, Permission::read_write);
    auth::require_global(ctx.tx(), ctx.caller(), "add_volumes");
    const json::object body = parse_body(ctx.request.body);
    BodyReader reader(body);
    const auto label = reader.string("label", {true});
    reader.finish();
    auto copy = volumes::clone(ctx.tx(), actor_of(ctx), source, *label);
    auth::grant_creator(ctx.tx(), ctx.caller(), "volume", copy.id);
    return document(copy);
}

http::Response remove(http::Context& ctx) {
    auto volume = volume_of(ctx, Permission::read_write);
    volumes::remove(ctx.tx(), actor_of(ctx), volume);
    return http::Response::json("{}");
}

// The one type of volume and its prices, as the catalog of Linode prices it.
const filter::Schema kVolumeTypes{{}, "sort"};

store::Listing volume_types() {
    return store::Listing{store::inline_table("volume_types", {"sort", "doc"},
                                              {{std::int64_t{0}, to_json(billing::volume_type())}}),
                          kVolumeTypes};
}

}  // namespace

void register_volumes(http::Router& router, const Environment& env) {
    using auth::Requirement;
    const auto ro = Requirement::of("volumes:read_only");
    const auto rw = Requirement::of("volumes:read_write");
    const auto rw_both = Requirement::of("volumes:read_write,linodes:read_write");
    router.add("GET", "/volumes", "get-volumes", ro, [](http::Context& ctx) {
        return list(ctx, volumes::VolumeRepository::listing(
                             auth::visible_entities(ctx.caller(), "volume")));
    });
    router.add("POST", "/volumes", "post-volume", rw,
               [&env](http::Context& ctx) { return create(ctx, env); });
    router.add(
        "GET", "/volumes/types", "get-volume-types", Requirement::open(),
        [](http::Context& ctx) { return list(ctx, volume_types()); }, true);
    router.add("GET", "/volumes/{volumeId}", "get-volume", ro,
               [](http::Context& ctx) { return document(volume_of(ctx, Permission::read_only)); });
    router.add("PUT", "/volumes/{volumeId}", "put-volume", rw, update);
    router.add("DELETE", "/volumes/{volumeId}", "delete-volume", rw, remove);
    router.add("POST", "/volumes/{volumeId}/attach", "post-attach-volume", rw_both, attach);
    router.add("POST", "/volumes/{volumeId}/detach", "post-detach-volume", rw_both, detach);
    router.add("POST", "/volumes/{volumeId}/resize", "post-resize-volume", rw, resize);
    router.add("POST", "/volumes/{volumeId}/clone", "post-clone-volume", rw, clone);
    router.add("GET", "/linode/instances/{linodeId}/volumes", "get-linode-volumes",
               Requirement::of("linodes:read_only"), [](http::Context& ctx) {
                   const auto linode = linode_of(ctx);
                   return list(ctx, volumes::VolumeRepository::of_linode(
                                        linode.id, auth::visible_entities(ctx.caller(), "volume")));
               });
}

}  // namespace linnet::api
