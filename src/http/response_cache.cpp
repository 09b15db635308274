// A byte-bounded map from request to answer; when full it starts over, which keeps the hot
// entries (they come straight back) without the bookkeeping of an LRU.
#include "http/response_cache.hpp"

namespace linnet::http {

std::shared_ptr<const Response> ResponseCache::find(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second;
}

void ResponseCache::store(const std::string& key, Response response) {
    const std::size_t size = key.size() + response.body.size();
    if (size > max_bytes_ / 4) return;
    auto entry = std::make_shared<const Response>(std::move(response));
    std::unique_lock lock(mutex_);
    if (bytes_ + size > max_bytes_) {
        entries_.clear();
        bytes_ = 0;
    }
    if (entries_.emplace(key, std::move(entry)).second) bytes_ += size;
}

}  // namespace linnet::http
