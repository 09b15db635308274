// The StackScripts aggregate's tables: stackscripts (one row per script), stackscript_images (the
// images a script deploys to, one row each) and stackscript_deployments (the script each Linode
// was last deployed from). Every statement on them lives in stackscript_repository.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/listing.hpp"

namespace linnet::stackscripts {

// Deploys to every image, private ones included.
inline constexpr const char* kAnyImage = "any/all";

struct StackScript {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::int64_t user_id = 0;
    std::string username;  // the owner's; read with the script, never written
    std::string email;     // the owner's (its gravatar id); read, never written
    std::string label;
    std::string description;
    std::string script;
    std::string rev_note;
    bool is_public = false;
    std::int64_t deployments_total = 0;
    std::int64_t deployments_active = 0;  // read, never written
    bool mine = false;                    // owned by the reader's account; read, never written
    std::vector<std::string> images;
    // The images as the store has them (read by find, written by save): save rewrites the image
    // rows only when `images` differs.
    std::vector<std::string> stored_images;
    std::string created;
    std::string updated;
};

class StackScriptRepository {
  public:
    explicit StackScriptRepository(store::Transaction& tx) : tx_(tx) {}

    // Inserts the script into the transaction's account; answers its id.
    std::int64_t insert(const StackScript& s);
    // A public script, or one of the scope's account; on engines that lock rows, locked until
    // the transaction ends.
    std::optional<StackScript> find(std::int64_t id);
    // Writes label, description, script, rev_note, is_public, images and the time of the change.
    void save(StackScript& s);
    void remove(std::int64_t id);
    // A Linode of the account was deployed from the script: counted, and remembered as the
    // Linode's (replacing the one it was deployed from before).
    void record_deployment(std::int64_t stackscript_id, std::int64_t linode_id);
    // A Linode rebuilt without a script is deployed from none.
    void forget_deployment(std::int64_t linode_id);
    // The account's scripts' ids and labels, by id (for grants).
    std::vector<std::pair<std::int64_t, std::string>> names();
    // The scripts of one user pass to another (a user is deleted; the account keeps them).
    void reassign_owner(std::int64_t from_user, std::int64_t to_user);

    // Public scripts and those of the reader's account that `visible` admits, as GET
    // /linode/stackscripts lists them (in the scope of no account: public ones only).
    static store::Listing listing(const std::pair<std::string, store::Params>& visible);

  private:
    store::Transaction& tx_;
};

// The document GET /linode/stackscripts/{id} answers.
std::string render(const StackScript& s);

}  // namespace linnet::stackscripts
