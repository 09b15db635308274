// Beta programs: the catalog's (beta_programs, loaded from data/catalog/betas.json at start) and
// the account's enrolments (account_betas). Every statement on them lives in
// beta_repository.cpp.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "store/listing.hpp"

namespace linnet::betas {

struct Program {
    std::string id;
    std::string label;
    std::string description;
    std::string started;
    std::optional<std::string> ended;
    bool greenlight_only = false;
    std::optional<std::string> more_info;
};

class BetaRepository {
  public:
    explicit BetaRepository(store::Transaction& tx) : tx_(tx) {}

    // Inserts or refreshes a catalog program (its document as betas.json has it).
    void save_program(const boost::json::object& doc, std::int64_t sort);
    std::optional<Program> find_program(const std::string& id);
    // The scope's account's enrolment in the program: when it enrolled.
    std::optional<std::string> enrolled(const std::string& id);
    void enrol(const std::string& id, const std::string& when);

    // The programs running at `now` (started, not ended).
    static store::Listing active_listing(const std::string& now);
    // The programs the account is enrolled in, with when it enrolled.
    static store::Listing enrolled_listing();

  private:
    store::Transaction& tx_;
};

// A program as /betas shows it; with `enrolled`, as /account/betas does.
std::string render(const Program& p, const std::optional<std::string>& enrolled = std::nullopt);

}  // namespace linnet::betas
