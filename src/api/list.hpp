// Lists and single objects over HTTP: the request's page and X-Filter applied to a repository's
// Listing, answered in the {data,page,pages,results} shape.
#pragma once

#include <string>

#include "http/request.hpp"
#include "store/listing.hpp"

namespace linnet::api {

// A page of the listing, filtered by the request's X-Filter.
http::Response list(http::Context& ctx, const store::Listing& listing);

// list(), kept by the version of the caller's account's lists of `family` (an unrestricted
// caller's: what a restricted one sees depends on its grants too).
http::Response versioned_list(http::Context& ctx, std::string_view family,
                              const store::Listing& listing);

// A list of a kind of thing that cannot exist on this Linnet yet (a family the API has and
// Linnet does not serve in full): the page and the X-Filter's JSON are checked as for any list,
// and the page is empty.
http::Response empty_list(http::Context& ctx);

// The document of one visible row of the listing, or 404.
http::Response one(http::Context& ctx, const store::Listing& listing, const std::string& key_column,
                   const store::SqlValue& key);

// Parses an integer path parameter; an id that is not a number names nothing (404).
std::int64_t id_param(const http::Context& ctx, const std::string& name);

}  // namespace linnet::api
