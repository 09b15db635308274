// Support tickets (support_tickets), their replies (support_replies) and the names of their
// attached files (support_attachments; the files are in the shared folder): every statement on
// them lives in ticket_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/listing.hpp"

namespace linnet::support {

// What a ticket is about: one of the account's entities.
struct Entity {
    std::string type;  // linode, volume, domain, nodebalancer, firewall, vpc
    std::int64_t id = 0;
    std::string label;
    std::string url;
};

struct Ticket {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string summary;
    std::string description;
    std::string status;  // new | open | closed
    std::optional<Entity> entity;
    std::string gravatar_id;
    std::string opened;
    std::string opened_by;
    std::string updated;
    std::string updated_by;
    std::optional<std::string> closed;
    std::vector<std::string> attachments;
};

struct Reply {
    std::int64_t id = 0;
    std::int64_t ticket_id = 0;
    std::string description;
    std::string created;
    std::string created_by;
    std::string gravatar_id;
    bool from_linode = false;  // the operator's
};

class TicketRepository {
  public:
    explicit TicketRepository(store::Transaction& tx) : tx_(tx) {}

    std::int64_t insert(const Ticket& t);
    // The scope's account's ticket (any account's in the system scope), locked on engines that
    // lock rows.
    std::optional<Ticket> find(std::int64_t id);
    void save(const Ticket& t);
    std::int64_t add_reply(const Reply& r);
    bool has_attachment(std::int64_t ticket_id, const std::string& name);
    std::int64_t count_attachments(std::int64_t ticket_id);
    void add_attachment(std::int64_t ticket_id, const std::string& name, std::int64_t size,
                        const std::string& created);

    // The tickets not closed, of every account (the system scope), the longest waiting first.
    std::vector<Ticket> open_tickets();
    // The ids of the account's tickets, whatever their status.
    std::vector<std::int64_t> ids();

    static store::Listing listing();
    static store::Listing reply_listing(std::int64_t ticket_id);

  private:
    store::Transaction& tx_;
};

std::string render(const Ticket& t);
std::string render(const Reply& r);

}  // namespace linnet::support
