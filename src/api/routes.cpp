// Assembles the route table from the resource families.
#include "api/routes.hpp"

namespace linnet::api {

http::Router make_router() {
    http::Router router;
    register_catalog(router);
    register_images(router);
    register_profile(router);
    register_tokens(router);
    register_account(router);
    return router;
}

}  // namespace linnet::api
