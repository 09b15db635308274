// The rate_windows table: every statement on it lives in rate_window_repository.cpp. A row is one
// caller's current window of one limit and how many of its requests the API nodes have taken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.hpp"

namespace linnet::limits {

struct RateWindow {
    std::int64_t start = 0;  // unix seconds
    std::int64_t end = 0;    // the window is over at end
    int granted = 0;         // requests of the window granted to nodes in total
    int lease = 0;           // what the grant that answered this gave (0: nothing was left)
};

class RateWindowRepository {
  public:
    explicit RateWindowRepository(store::Transaction& tx) : tx_(tx) {}

    // Grants up to `batch` more requests of the caller's window of `limit_key`, never past
    // `quota` in total, in one statement. A window that has ended by `now` starts over at `now`
    // and lasts `seconds`. The answer's lease is 0 when the quota is used up.
    RateWindow grant(const std::string& limit_key, const std::string& identity, int quota,
                     int batch, std::int64_t now, std::int64_t seconds);
    // The caller's window of `limit_key`, if one was ever granted.
    std::optional<RateWindow> find(const std::string& limit_key, const std::string& identity);
    // Removes the windows that ended before `before`; answers how many.
    std::int64_t sweep(std::int64_t before);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::limits
