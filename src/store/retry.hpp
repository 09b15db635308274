// Work that begins and commits transactions of its own, run again while it collides with another
// transaction (a store::Conflict: a deadlock, a unique key both inserted). Each run starts over
// and sees what the other committed.
#pragma once

#include "store/database.hpp"

namespace linnet::store {

inline constexpr int kConflictAttempts = 4;

template <class Work>
decltype(auto) again_on_conflict(Work&& work, int attempts = kConflictAttempts) {
    for (int attempt = 1;; ++attempt) {
        try {
            return work();
        } catch (const Conflict&) {
            if (attempt >= attempts) throw;
        }
    }
}

}  // namespace linnet::store
