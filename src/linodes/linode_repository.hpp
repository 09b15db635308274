// The Linodes aggregate's own tables: linodes (the narrow, filterable columns), linode_tags (a
// Linode's tags, one row each: the only record of them) and linode_docs (the wide settings and
// the document GET answers, rebuilt only by save(); set_status() changes its status alone). Every
// statement on them lives in linode_repository.cpp; disks, configs and addresses have repositories
// of their own.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::linodes {

struct Instance {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::int64_t user_id = 0;
    std::string label;
    std::string region;
    std::string type;
    std::optional<std::string> image;
    std::string status;
    std::string group;
    std::vector<std::string> tags;
    // The tags as the store has them (read by find, written by save): save rewrites the tag
    // rows only when `tags` differs.
    std::vector<std::string> stored_tags;
    // The region as the store has it (read by find, written by save), for the list counts.
    std::string stored_region;
    // The 2016 API's looser label, when it was given one that the modern rule refuses.
    std::optional<std::string> display_label;
    boost::json::object settings;  // alerts, backups, watchdog, specs, host_uuid, ...
    // The host it was placed on (written by insert; hosts::move changes it later).
    std::optional<std::int64_t> host_id;
    std::string created;
    std::string updated;
    // Between insert and the first save: the label the row was inserted with, and that the
    // document is still to be written (the first save inserts it rather than rewriting it).
    std::string inserted_label;
    bool document_pending = false;
    // Read without its tags (find_untagged): saving it would lose them.
    bool untagged = false;
};

// How many Linodes of one plan one region holds.
struct PlanCount {
    std::string region;
    std::string type;
    std::int64_t count = 0;
};

struct LinodeName {
    std::int64_t id = 0;
    std::string label;
};

// The family of the lists these Linodes appear in: every write here moves its version on
// (store::list_version), which kept answers of /linode/instances are checked against.
inline constexpr std::string_view kListFamily = "linodes";

// Which Linodes a caller sees: an SQL condition on a Linode id column and its parameters, as
// auth::visible_linodes builds it.
using Visibility = std::pair<std::string, store::Params>;

// The id the next Linode gets, and whether the label it gets by default ("linode<ID>") is
// already another Linode's in the account.
struct NextLinode {
    std::int64_t id = 0;
    bool default_label_taken = false;
};

// The Linodes of the transaction's account (every account's in the system scope).
class LinodeRepository {
  public:
    explicit LinodeRepository(store::Transaction& tx) : tx_(tx) {}
    // Hands the Linode over to another account (an accepted transfer): its owner there, and
    // the label it has there.
    void move_to_account(std::int64_t id, std::int64_t account_id, std::int64_t user_id,
                         const std::string& label);

    std::optional<Instance> find(std::int64_t id);
    // The row and its settings without the tags, locked as find() locks it: to read from, never
    // to save (save() refuses it).
    std::optional<Instance> find_untagged(std::int64_t id);
    // Announces find_untagged's read (Transaction::read_ahead).
    void read_ahead_untagged(std::int64_t id);
    // Reads the tags of a Linode that find_untagged() read, which may then be saved.
    void read_tags(Instance& linode);
    // Locks the Linode's row for the rest of a write transaction (on PostgreSQL; a no-op where
    // writers take turns), waiting for another holder, or not (`wait` false: false when another
    // transaction holds it). False too when there is no such Linode.
    bool lock(std::int64_t id, bool wait = true);
    // Sets the next Linode's id aside (for insert()), with its default label's availability;
    // read_ahead_next_id() announces the read.
    NextLinode next_id();
    void read_ahead_next_id();
    // Announces lock()'s read (Transaction::read_ahead): the row is locked when the next round
    // trip reaches it, before the statements that follow it there.
    void read_ahead_lock(std::int64_t id);
    // The label of the account's Linode, read without locking it.
    std::optional<std::string> label_of(std::int64_t id);
    // The region of the account's Linode (also of one whose document is still to be written).
    std::optional<std::string> region_of(std::int64_t id);
    bool exists(std::int64_t id);
    // True when another Linode than `except` has this label.
    bool label_taken(const std::string& label, std::int64_t except = 0);
    // Every Linode's id and label, by id.
    std::vector<LinodeName> names();
    std::vector<std::int64_t> ids_with_status(const std::string& status);
    std::vector<std::int64_t> ids_tagged(const std::string& tag);
    // The account's Linodes counted by region and plan.
    std::vector<PlanCount> plans();

    // Adds a Linode (its tags and document are written by the first save); answers its id, the
    // one it has if next_id() gave it one.
    std::int64_t insert(Instance& linode);
    // Writes the row, the tags and the settings back and rebuilds the stored document.
    void save(Instance& linode);
    // Changes the status alone (and the time of change), in the row and the document; the
    // Linode's row is locked as find() locks it. False when the Linode is not there (or its
    // document is still to be written) or already has that status. `booted_config`: the Linode
    // runs that config from now on (its interfaces are active while it runs), written with the
    // status.
    bool set_status(std::int64_t id, const std::string& status,
                    std::optional<std::int64_t> booted_config = std::nullopt);
    // Records that the Linode booted this config: its interfaces are active while it runs.
    void mark_booted(std::int64_t id, std::int64_t config_id);
    // Announces set_status()'s read (Transaction::read_ahead).
    void read_ahead_status(std::int64_t id);
    void remove(std::int64_t id);
    // The Linodes of one user pass to another (a user is deleted; the account keeps them).
    void reassign_owner(std::int64_t from_user, std::int64_t to_user);

    // The stored document of one Linode.
    std::optional<std::string> document(std::int64_t id);
    // The Linodes `visible` lets through, as /linode/instances lists them.
    store::Listing listing(const Visibility& visible);
    // The same Linodes, filtered by the 2016 API's fields.
    store::Listing alpha_listing(const Visibility& visible);
    // The same, narrowed to the Linodes that carry `tag`.
    store::Listing tagged_listing(const std::string& tag, const Visibility& visible);

  private:
    std::string render(const Instance& linode);
    // Rewrites the tag rows when the tags changed, and moves the list counts when they or the
    // region did.
    void save_tags(Instance& linode);
    // The account, region and tags a Linode is counted under, as stored.
    std::optional<Instance> counted_as(std::int64_t id);
    // Moves by `delta` the counts a Linode of this region and these tags is in: every Linode
    // of the account, the region's, each tag's, and each tag's in the region.
    void count(std::int64_t account_id, const std::string& region,
               const std::vector<std::string>& tags, std::int64_t delta);
    store::Transaction& tx_;
};

}  // namespace linnet::linodes
