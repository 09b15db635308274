// Bounded admission of password hashes.
#include "auth/hashers.hpp"

#include <algorithm>
#include <memory>
#include <thread>

namespace linnet::auth {

Hashers::Hashers(unsigned running, unsigned waiting)
    : running_max_(std::max(1u, running)), places_(std::max(1u, running) + waiting) {}

Hashers::Ticket::Ticket(Hashers& h) : hashers_(h) {
    std::lock_guard lock(h.mutex_);
    if (h.admitted_ >= h.places_) throw HashersBusy();
    ++h.admitted_;
}

Hashers::Ticket::~Ticket() {
    std::lock_guard lock(hashers_.mutex_);
    --hashers_.admitted_;
}

Hashers::Running::Running(Hashers& h) : hashers(h) {
    std::unique_lock lock(h.mutex_);
    h.free_.wait(lock, [&] { return h.running_ < h.running_max_; });
    ++h.running_;
}

Hashers::Running::~Running() {
    {
        std::lock_guard lock(hashers.mutex_);
        --hashers.running_;
    }
    hashers.free_.notify_one();
}

unsigned Hashers::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

unsigned Hashers::admitted() const {
    std::lock_guard lock(mutex_);
    return admitted_;
}

namespace {

std::unique_ptr<Hashers>& the_hashers() {
    static std::unique_ptr<Hashers> h;
    return h;
}

std::mutex& the_hashers_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace

Hashers& hashers() {
    std::lock_guard lock(the_hashers_mutex());
    auto& h = the_hashers();
    if (!h) {
        const unsigned running = std::max(1u, std::thread::hardware_concurrency() / 2);
        h = std::make_unique<Hashers>(running, 3 * running);
    }
    return *h;
}

void configure_hashers(unsigned running, unsigned waiting) {
    std::lock_guard lock(the_hashers_mutex());
    the_hashers() = std::make_unique<Hashers>(running, waiting);
}

}  // namespace linnet::auth
