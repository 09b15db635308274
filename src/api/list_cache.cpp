// Kept list answers, by key and version.
#include "api/list_cache.hpp"

namespace linnet::api {

std::optional<std::string> ListCache::find(const std::string& key, std::int64_t version) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return std::nullopt;
    return it->second.body;
}

void ListCache::store(const std::string& key, std::int64_t version, std::string body) {
    const std::size_t size = key.size() + body.size();
    if (size > max_bytes_ / 4) return;
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
        bytes_ -= key.size() + it->second.body.size();
        entries_.erase(it);
    }
    if (bytes_ + size > max_bytes_) {
        entries_.clear();
        bytes_ = 0;
    }
    entries_.emplace(key, Entry{version, std::move(body)});
    bytes_ += size;
}

ListCache& list_cache() {
    static ListCache cache;
    return cache;
}

}  // namespace linnet::api
