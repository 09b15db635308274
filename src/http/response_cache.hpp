// Answers of routes whose data cannot change while the server runs (the catalog), kept by
// request so that a repeated request costs no database work. Bounded in bytes.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/request.hpp"

namespace linnet::http {

class ResponseCache {
  public:
    explicit ResponseCache(std::size_t max_bytes = 16 << 20) : max_bytes_(max_bytes) {}

    std::shared_ptr<const Response> find(const std::string& key) const;
    void store(const std::string& key, Response response);

  private:
    std::size_t max_bytes_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const Response>> entries_;
    std::size_t bytes_ = 0;
};

}  // namespace linnet::http
