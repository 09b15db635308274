// The host's Metadata service: a Unix socket in the data folder (metadata.sock, 0600) that the
// relay QEMU starts for each guest connection to 169.254.169.254:80 joins (linnetd
// metadata-relay). A connection begins with the preamble naming its Linode, then speaks
// HTTP/1.1 (keep-alive, 30 s idle, 64 KiB requests). The socket is reachable only by the host's
// own user: guests reach it only through their relay, which names their own Linode.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "store/database.hpp"

namespace linnet::metadata {

// "linode <id>\n": what a relay says before the guest's bytes.
std::string preamble(std::int64_t linode_id);

class Listener {
  public:
    // Binds `socket` (a stale one is replaced) with the token key kept in `key_file`; serves on
    // a thread of its own until stopped.
    Listener(store::Database& db, const std::filesystem::path& socket,
             const std::filesystem::path& key_file);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    void stop();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace linnet::metadata
