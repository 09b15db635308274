// Answers of lists kept by the list's version (store::list_version): a repeated request of an
// unchanged list costs one read of its version instead of its queries. Every process keeps its
// own; the version lives in the store, so a change committed by any process makes the answers
// of every process stale. Bounded in bytes; when full it starts over.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace linnet::api {

class ListCache {
  public:
    explicit ListCache(std::size_t max_bytes = 32 << 20) : max_bytes_(max_bytes) {}

    // The body kept for `key` at `version`, if any.
    std::optional<std::string> find(const std::string& key, std::int64_t version) const;
    void store(const std::string& key, std::int64_t version, std::string body);

  private:
    struct Entry {
        std::int64_t version;
        std::string body;
    };
    std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::size_t bytes_ = 0;
};

// The process's cache of list answers.
ListCache& list_cache();

}  // namespace linnet::api
