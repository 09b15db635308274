// Alpha Linode lookup: the 2016 id translated, then the modern rules.
#include "api/alpha/linode_access.hpp"

#include "api/alpha/catalog_2016.hpp"
#include "auth/grants.hpp"
#include "core/error.hpp"

namespace linnet::api::alpha {

linodes::Instance linode_named(http::Context& ctx) {
    const auto id = linode_number(ctx.param("linodeId"));
    if (!id) throw errors::not_found();
    auto linode = linodes::get(ctx.tx(), *id);
    const auto need = ctx.request.method == "GET" || ctx.request.method == "HEAD"
                          ? auth::Permission::read_only
                          : auth::Permission::read_write;
    auth::require_linode(ctx.tx(), ctx.caller(), linode.id, need);
    return linode;
}

}  // namespace linnet::api::alpha
