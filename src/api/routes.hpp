// The API's route table, one registration function per resource family.
#pragma once

#include "http/router.hpp"

namespace linnet::api {

void register_catalog(http::Router& router);
void register_images(http::Router& router);
void register_profile(http::Router& router);
void register_tokens(http::Router& router);
void register_account(http::Router& router);

// Every route of the API, in one table.
http::Router make_router();

}  // namespace linnet::api
