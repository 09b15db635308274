// OAuth scopes: "area:read_only" / "area:read_write" / "*", and what each route requires.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linnet::auth {

enum class Level { read_only, read_write };

struct Scope {
    std::string area;
    Level level;
    std::string str() const;
};

// The areas of the Linode API's scopes.
const std::vector<std::string>& scope_areas();

class ScopeSet {
  public:
    static ScopeSet everything();
    // Parses a space- or comma-separated scope list; answers nullopt on an unknown area or level.
    static std::optional<ScopeSet> parse(std::string_view text);

    bool is_everything() const { return all_; }
    bool allows(const Scope& scope) const;
    // True when every permission of other is also in this set.
    bool covers(const ScopeSet& other) const;
    // "*" or the scopes sorted by area, space-separated (the X-OAuth-Scopes form).
    std::string str() const;

  private:
    bool all_ = false;
    std::map<std::string, Level> areas_;
};

// What a route asks of the caller.
struct Requirement {
    enum class Kind {
        open,           // no token needed (the catalog)
        token,          // any valid token, no particular scope
        scopes,         // a token holding every listed scope
        open_or_scopes  // open, but a token that is presented must hold the scopes
    };
    Kind kind = Kind::scopes;
    std::vector<Scope> scopes;

    static Requirement open() { return {Kind::open, {}}; }
    static Requirement token() { return {Kind::token, {}}; }
    // "linodes:read_write" or "images:read_write,linodes:read_only"
    static Requirement of(std::string_view list, Kind kind = Kind::scopes);

    // The X-Accepted-OAuth-Scopes value.
    std::string accepted() const;
    // The form printed by `linnetd routes`.
    std::string describe() const;
};

}  // namespace linnet::auth
