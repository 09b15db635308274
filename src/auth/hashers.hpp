// Password hashing on a small pool of its own: argon2id takes about 0.1 s of a core and 64 MiB
// for each hash, so a few threads (by default one per two cores) hash, at a lower CPU priority
// than the threads that answer requests, and a few more hashes may wait; past that a hash is
// refused at once (HashersBusy) rather than queued behind a burst of sign-ins. A sign-in takes
// its place (admit) before it writes anything, so that a refused one costs nothing; the handler
// threads that wait here are bounded too, so requests that hash nothing keep their threads and
// their cores.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace linnet::auth {

struct HashersBusy : std::runtime_error {
    HashersBusy() : std::runtime_error("every password hasher is busy") {}
};

class Hashers {
  public:
    // `running` threads hash (at least 1), and `waiting` more hashes are admitted.
    Hashers(unsigned running, unsigned waiting);
    Hashers(const Hashers&) = delete;
    Hashers& operator=(const Hashers&) = delete;
    ~Hashers();

    // A place among the hashes that run or wait; given back when destroyed.
    class Ticket {
      public:
        explicit Ticket(Hashers& hashers);
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        ~Ticket();

        // Runs `hash` on a hashing thread once one is free; answers what it answers (or
        // throws what it throws).
        template <typename F>
        auto run(F&& hash) {
            std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(hash));
            auto done = task.get_future();
            hashers_.submit([&task] { task(); });
            return done.get();
        }

      private:
        Hashers& hashers_;
    };

    // A ticket; HashersBusy when every place is taken.
    Ticket admit() { return Ticket(*this); }
    // Runs `hash` with a ticket of its own.
    template <typename F>
    auto run(F&& hash) {
        Ticket ticket(*this);
        return ticket.run(hash);
    }

    unsigned running() const;                    // hashes running now
    unsigned admitted() const;                   // hashes running or waiting now
    unsigned places() const { return places_; }  // hashes admitted at most

  private:
    void submit(std::function<void()> work);
    void hash_forever();

    mutable std::mutex mutex_;
    std::condition_variable work_;
    std::deque<std::function<void()>> queue_;
    const unsigned places_;
    unsigned running_ = 0, admitted_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

// The process's hashers: one running per two cores (at least 1), and three waiting for each.
Hashers& hashers();

}  // namespace linnet::auth
