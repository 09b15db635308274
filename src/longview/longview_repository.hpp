// Longview's tables: longview_clients (the account's clients) and longview_plans (its Longview
// Pro subscription). Every statement on them lives in longview_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::longview {

struct Client {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string label;
    std::string api_key;
    std::string install_code;
    std::string apps;  // JSON: {"apache": bool, "mysql": bool, "nginx": bool}
    std::string created;
    std::string updated;
};

class LongviewRepository {
  public:
    explicit LongviewRepository(store::Transaction& tx) : tx_(tx) {}

    std::int64_t insert(const Client& c);
    std::optional<Client> find(std::int64_t id);
    void save(const Client& c);
    void remove(std::int64_t id);
    bool label_taken(const std::string& label, std::int64_t except_id);
    std::int64_t count();
    std::vector<std::pair<std::int64_t, std::string>> names();

    // The client whose agent sends this API key, of any account (system scope).
    std::optional<Client> find_by_api_key(const std::string& api_key);
    // A sample its agent sent (flat JSON objects of instant and long-term values), and the
    // samples older than `before` forgotten.
    void add_sample(std::int64_t client_id, std::int64_t at, const std::string& instant,
                    const std::string& longterm, std::int64_t before);
    // The newest sample: its time, instant and long-term values.
    struct Sample {
        std::int64_t at = 0;
        std::string instant;
        std::string longterm;
    };
    std::optional<Sample> latest_sample(std::int64_t client_id);

    // The account's subscription (nothing: the free plan).
    std::optional<std::string> plan();
    void set_plan(const std::optional<std::string>& subscription);

    static store::Listing listing(const std::pair<std::string, store::Params>& visible);

  private:
    store::Transaction& tx_;
};

std::string render(const Client& c);

}  // namespace linnet::longview
