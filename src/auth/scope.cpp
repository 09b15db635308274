// Scope parsing, comparison and route requirements.
#include "auth/scope.hpp"

#include <stdexcept>

namespace linnet::auth {

std::string Scope::str() const {
    return area + (level == Level::read_write ? ":read_write" : ":read_only");
}

const std::vector<std::string>& scope_areas() {
    static const std::vector<std::string> areas = {
        "account",        "child_account", "databases",    "domains", "events",   "firewall",
        "images",         "ips",           "linodes",      "lke",     "longview", "nodebalancers",
        "object_storage", "placement",     "stackscripts", "volumes", "vpc"};
    return areas;
}

namespace {

std::optional<Scope> parse_scope(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string area(text.substr(0, colon));
    std::string_view level = text.substr(colon + 1);
    bool known = false;
    for (const auto& a : scope_areas()) known = known || a == area;
    if (!known) return std::nullopt;
    if (level == "read_only") return Scope{area, Level::read_only};
    if (level == "read_write" || level == "*") return Scope{area, Level::read_write};
    return std::nullopt;
}

}  // namespace

ScopeSet ScopeSet::everything() {
    ScopeSet s;
    s.all_ = true;
    return s;
}

std::optional<ScopeSet> ScopeSet::parse(std::string_view text) {
    ScopeSet set;
    std::size_t start = 0;
    bool any = false;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(" ,", start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = text.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        any = true;
        if (item == "*") {
            set.all_ = true;
            continue;
        }
        auto scope = parse_scope(item);
        if (!scope) return std::nullopt;
        auto [it, inserted] = set.areas_.emplace(scope->area, scope->level);
        if (!inserted && scope->level == Level::read_write) it->second = Level::read_write;
    }
    if (!any) return std::nullopt;
    if (set.all_) set.areas_.clear();
    return set;
}

bool ScopeSet::allows(const Scope& scope) const {
    if (all_) return true;
    auto it = areas_.find(scope.area);
    if (it == areas_.end()) return false;
    return it->second == Level::read_write || scope.level == Level::read_only;
}

bool ScopeSet::covers(const ScopeSet& other) const {
    if (all_) return true;
    if (other.all_) return false;
    for (const auto& [area, level] : other.areas_)
        if (!allows(Scope{area, level})) return false;
    return true;
}

std::string ScopeSet::str() const {
    if (all_) return "*";
    std::string out;
    for (const auto& [area, level] : areas_) {
        if (!out.empty()) out += ' ';
        out += Scope{area, level}.str();
    }
    return out;
}

Requirement Requirement::of(std::string_view list, Kind kind) {
    Requirement r;
    r.kind = kind;
    std::size_t start = 0;
    while (start < list.size()) {
        std::size_t end = list.find(',', start);
        if (end == std::string_view::npos) end = list.size();
        auto scope = parse_scope(list.substr(start, end - start));
        if (!scope) throw std::invalid_argument("bad scope in route table: " + std::string(list));
        r.scopes.push_back(*scope);
        start = end + 1;
    }
    return r;
}

std::string Requirement::accepted() const {
    std::string out;
    for (const auto& s : scopes) {
        if (!out.empty()) out += ' ';
        out += s.str();
    }
    return out;
}

std::string Requirement::describe() const {
    switch (kind) {
        case Kind::open:
            return "public";
        case Kind::token:
            return "token";
        case Kind::open_or_scopes:
            return "public|" + accepted();
        case Kind::scopes:
            break;
    }
    std::string out = accepted();
    for (auto& c : out)
        if (c == ' ') c = ',';
    return out;
}

}  // namespace linnet::auth
