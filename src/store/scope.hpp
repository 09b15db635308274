// Whose data a transaction reads and writes. Every request runs in the scope of the caller's
// account; the few duties that span accounts (authenticating a token, signing in by username,
// the job workers, address pools, and later DNS and billing) run in the one system scope. A
// repository narrows its statements to the transaction's account (`{{account}}` in a statement,
// see scoped.hpp); a transaction with no scope set refuses such statements.
#pragma once

#include <cstdint>

namespace linnet::store {

class Scope {
  public:
    static Scope system() { return Scope(0, true); }
    static Scope account(std::int64_t id) { return Scope(id, false); }
    // The scope of a caller with no account (an open route without a token): it sees only what
    // belongs to no account, such as the catalog and public images.
    static Scope none() { return Scope(0, false); }

    bool is_system() const { return system_; }
    // The account; throws StoreError in the system scope (a write that must name its account).
    std::int64_t account_id() const;

  private:
    Scope(std::int64_t account, bool system) : account_(account), system_(system) {}
    std::int64_t account_ = 0;
    bool system_ = false;
};

}  // namespace linnet::store
