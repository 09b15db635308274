// The billing aggregate's record of use: billing_usage, one row per service an entity was billed
// for, from when it started to when it ended (open while it runs). The meter opens and closes
// rows; invoicing reads them. Every statement on it lives in usage_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace linnet::billing {

struct UsageLine {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string entity_type;  // linode, volume, nodebalancer, image
    std::int64_t entity_id = 0;
    std::string service;  // linode, backups, volume, nodebalancer, image
    std::string plan;     // a Linode type, or a size in GB
    std::string label;    // as an invoice item shows it
    std::optional<std::string> region;
    std::int64_t hourly_micros = 0;
    std::int64_t monthly_micros = 0;
    std::int64_t transfer_gb = 0;  // what a Linode brings to the transfer pool in a month
    bool metered = false;          // its network transfer is counted by its host (qemu)
    std::int64_t started = 0;
    std::optional<std::int64_t> ended;
};

class UsageRepository {
  public:
    explicit UsageRepository(store::Transaction& tx) : tx_(tx) {}

    // The lines of one entity that still run (entity ids are Linnet-wide).
    std::vector<UsageLine> running(const std::string& entity_type, std::int64_t entity_id);
    void open(const UsageLine& line);
    void close(std::int64_t id, std::int64_t at);
    // The account's lines that ran at some time in [from, to), by start.
    std::vector<UsageLine> overlapping(std::int64_t account_id, std::int64_t from, std::int64_t to);
    // Ends every running line of the account (it is cancelled).
    void close_account(std::int64_t account_id, std::int64_t at);

    // A metered Linode's transfer counter (bytes out) in `month` as the account began billing
    // it (kept if it began before), and as it stopped.
    void mark_transfer_start(std::int64_t account_id, std::int64_t linode_id,
                             const std::string& month, std::int64_t bytes);
    void mark_transfer_end(std::int64_t account_id, std::int64_t linode_id,
                           const std::string& month, std::int64_t bytes);
    struct TransferMark {
        std::int64_t base = 0;
        std::optional<std::int64_t> final_bytes;
    };
    std::optional<TransferMark> transfer_mark(std::int64_t account_id, std::int64_t linode_id,
                                              const std::string& month);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::billing
