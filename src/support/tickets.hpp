// The life of a support ticket: a user opens it (about one of the account's entities, or none),
// the account and the operator (`linnetd support reply`) reply, files are attached (each at most
// kMaxAttachmentBytes, kMaxAttachments a ticket, kept in SHARED/attachments/TICKET/), and a user
// closes it. An operator's reply makes a new ticket open; a closed ticket takes nothing more.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/ticket_repository.hpp"

namespace linnet::support {

inline constexpr std::size_t kMaxAttachmentBytes = 1'000'000;
inline constexpr std::int64_t kMaxAttachments = 10;
// Who replies for the operator.
inline constexpr const char* kOperator = "Linnet Support";

struct Author {
    std::int64_t user_id = 0;
    std::string username;
    std::string email;
};

Ticket open(store::Transaction& tx, const Author& author, const std::string& summary,
            const std::string& description, std::optional<Entity> entity);
// 400 when the ticket is closed.
Reply reply(store::Transaction& tx, const Author& author, Ticket& ticket,
            const std::string& description);
// The operator's reply (the transaction in the ticket's account's scope).
Reply operator_reply(store::Transaction& tx, Ticket& ticket, const std::string& description);
// 400 (field `file`) for a name, type or size it cannot take, or a closed ticket.
void attach(store::Transaction& tx, const Author& author, Ticket& ticket, const std::string& name,
            const std::string& content, const std::filesystem::path& shared);
// 400 when it is closed already.
void close(store::Transaction& tx, const Author& author, Ticket& ticket);

// The Gravatar id of an email: the MD5 of its trimmed, lower-case form.
std::string gravatar_id(const std::string& email);

}  // namespace linnet::support
