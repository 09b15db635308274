// Longview agents, as the Longview agent speaks to Linode: every minute it POSTs (to
// /longview/post here) multipart/form-data whose `data` field is gzip-compressed JSON
// {"apikey", "version", "timestamp", "payload": [{"timestamp", "INSTANT": {...},
// "LONGTERM": {...}}]} with flat keys ("CPU.cpu0.user", "Applications.Nginx.status", ...), and
// sleeps for the `sleep` the answer gives; an answer of {"die": "please"} stops it (an API key
// of no client). Each sample is kept a day; the applications it reports (Apache, MySQL, Nginx)
// become the client's `apps`. /longview/fetch answers what was sent, as Longview's fetch API
// did: form fields api_key, api_action (lastUpdated or getLatestValue) and keys (a JSON array of
// keys, `*` at the end of one matching every key it begins).
#pragma once

#include <string>
#include <string_view>

#include "store/database.hpp"

namespace linnet::longview {

struct AgentAnswer {
    int status = 200;
    std::string body;
};

// One post of an agent (the transaction in the system scope).
AgentAnswer receive(store::Transaction& tx, std::string_view content_type, std::string_view body);

// One fetch (the transaction in the system scope).
AgentAnswer fetch(store::Transaction& tx, std::string_view content_type, std::string_view body);

}  // namespace linnet::longview
