// The Metadata service API as a Linode's guest reaches it at 169.254.169.254 (Linode's v1):
//   PUT /v1/token      a token for this Linode (Metadata-Token-Expiry-Seconds: 1-86400,
//                      3600 when absent): 64 hex characters, or ["token"] as JSON
//   GET /v1/instance   id, host_uuid, label, region, type, tags, specs, backups, image,
//                      account_euuid
//   GET /v1/network    interfaces, ipv4 (public, private, shared), ipv6 (slaac, link_local,
//                      ranges, shared_ranges), addresses with their prefix length
//   GET /v1/ssh-keys   {"users": {"root": [...]}}: the keys the Linode was deployed with
//   GET /v1/user-data  the user data, base64 as it was given (empty without)
// Every GET needs Metadata-Token. Answers are text/plain unless Accept asks for
// application/json; the text form is one "key: value" line per value, nested keys joined by
// dots, sorted, empty values left out, a list written as one line per item. Errors are the API's
// {"errors": [{"reason": ...}]}: 401 Unauthorized, 404, 405, 400 for a bad expiry.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "metadata/metadata_tokens.hpp"
#include "store/database.hpp"

namespace linnet::metadata {

struct Request {
    std::string method;
    std::string target;
    std::string accept;
    std::optional<std::string> token;           // Metadata-Token
    std::optional<std::string> expiry_seconds;  // Metadata-Token-Expiry-Seconds
};

struct Response {
    unsigned status = 200;
    std::string content_type = "text/plain";
    std::string body;
    std::string allow;  // the Allow header of a 405
};

// The text/plain form of a JSON document.
std::string flatten(const boost::json::object& doc);

class Service {
  public:
    Service(store::Database& db, TokenKey key) : db_(db), key_(std::move(key)) {}
    // Answers a request of the guest of `linode_id`.
    Response answer(std::int64_t linode_id, const Request& request) const;

  private:
    store::Database& db_;
    TokenKey key_;
};

}  // namespace linnet::metadata
