// The rules of Longview: the Longview Pro subscriptions (the catalog's packs of 3, 10, 40 and
// 100 clients; the free plan takes 10), clients with a label unique in the account (3-32
// letters, digits, '-', '_' and '.'; `client<id>` when none is given), their API key and install
// code (made here, shown to the account), and the events each change records.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "longview/longview_repository.hpp"

namespace linnet::longview {

inline constexpr std::int64_t kFreeClients = 10;

struct Subscription {
    std::string id;
    std::string label;
    std::int64_t clients_included = 0;
    double hourly = 0;
    double monthly = 0;
};

const std::vector<Subscription>& subscriptions();
const Subscription* find_subscription(const std::string& id);
boost::json::object render(const Subscription& s);

struct Actor {
    std::int64_t user_id = 0;
    std::string username;
};

Client create(store::Transaction& tx, const Actor& actor, std::optional<std::string> label);
void update(store::Transaction& tx, const Actor& actor, Client& c, const std::string& label);
void remove(store::Transaction& tx, const Actor& actor, const Client& c);
// 400 (field longview_subscription) for an unknown one, or one too small for the clients.
void set_plan(store::Transaction& tx, const std::optional<std::string>& subscription);

}  // namespace linnet::longview
