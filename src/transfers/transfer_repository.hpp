// Entity transfers (entity_transfers, and the Linodes of each in entity_transfer_linodes): every
// statement on them lives in transfer_repository.cpp. A transfer is its sender's; its token is
// what the receiver is given, so a transfer is also found by its token from any account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::transfers {

struct Transfer {
    std::string token;
    std::int64_t account_id = 0;  // the sender
    std::optional<std::int64_t> receiver_account_id;
    std::string status;  // pending | canceled | completed (stale: pending past its expiry)
    std::string created;
    std::string updated;
    std::string expiry;
    std::int64_t expiry_unix = 0;
    std::vector<std::int64_t> linodes;
};

class TransferRepository {
  public:
    explicit TransferRepository(store::Transaction& tx) : tx_(tx) {}

    void insert(const Transfer& t);
    // By its token, whoever's it is; locked on engines that lock rows.
    std::optional<Transfer> find(const std::string& token);
    void save_status(const Transfer& t);
    // The pending, unexpired transfer (of any account) that holds the Linode, if any.
    std::optional<std::string> pending_with(std::int64_t linode_id, std::int64_t now_unix);

    // The transfers `account_id` sent or received, as it sees them at `now_unix`.
    static store::Listing listing(std::int64_t account_id, std::int64_t now_unix);

  private:
    store::Transaction& tx_;
};

// The transfer as `account_id` sees it at `now_unix` (is_sender, stale when expired).
std::string render(const Transfer& t, std::int64_t account_id, std::int64_t now_unix);

}  // namespace linnet::transfers
