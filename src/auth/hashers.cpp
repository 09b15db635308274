// Bounded admission of password hashes.
#include "auth/hashers.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <thread>

namespace linnet::auth {

Hashers::Hashers(unsigned running, unsigned waiting) : places_(std::max(1u, running) + waiting) {
    for (unsigned i = 0; i < std::max(1u, running); ++i)
        threads_.emplace_back([this] { hash_forever(); });
}

Hashers::~Hashers() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_.notify_all();
    for (auto& t : threads_) t.join();
}

Hashers::Ticket::Ticket(Hashers& h) : hashers_(h) {
    std::lock_guard lock(h.mutex_);
    if (h.admitted_ >= h.places_) throw HashersBusy();
    ++h.admitted_;
}

Hashers::Ticket::~Ticket() {
    std::lock_guard lock(hashers_.mutex_);
    --hashers_.admitted_;
}

void Hashers::submit(std::function<void()> work) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(work));
    }
    work_.notify_one();
}

void Hashers::hash_forever() {
    // Below the threads that answer requests: under a burst of sign-ins the CPU goes to them
    // first (the hashes wait a little longer).
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
    std::unique_lock lock(mutex_);
    for (;;) {
        work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        auto work = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
        lock.unlock();
        work();
        lock.lock();
        --running_;
    }
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

}  // namespace linnet::auth
