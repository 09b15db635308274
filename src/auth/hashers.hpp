// Password hashing admission: argon2id takes about 0.1 s of a core and 64 MiB for each hash, so
// at most a few run at once (by default one per two cores) and a few more may wait; past that a
// hash is refused at once (HashersBusy) rather than queued behind a burst of sign-ins. A sign-in
// takes its place (admit) before it writes anything, so that a refused one costs nothing; the
// handler threads that wait here are bounded too, so requests that hash nothing keep their
// threads and their cores.
#pragma once

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace linnet::auth {

struct HashersBusy : std::runtime_error {
    HashersBusy() : std::runtime_error("every password hasher is busy") {}
};

class Hashers {
  public:
    // `running` hashes at once (at least 1), and `waiting` more admitted.
    Hashers(unsigned running, unsigned waiting);

    // A place among the hashes that run or wait; given back when destroyed.
    class Ticket {
      public:
        explicit Ticket(Hashers& hashers);
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        ~Ticket();

        // Runs `hash` once a hasher is free.
        template <typename F>
        auto run(F&& hash) {
            Running turn(hashers_);
            return hash();
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

    unsigned running() const;   // hashes running now
    unsigned admitted() const;  // hashes running or waiting now

  private:
    struct Running {
        explicit Running(Hashers& h);
        ~Running();
        Hashers& hashers;
    };
    mutable std::mutex mutex_;
    std::condition_variable free_;
    unsigned running_max_, places_;
    unsigned running_ = 0, admitted_ = 0;
};

// The process's hashers; configure_hashers sets their sizes before the first hash (serve does,
// from the cores and the handler threads).
Hashers& hashers();
void configure_hashers(unsigned running, unsigned waiting);

}  // namespace linnet::auth
