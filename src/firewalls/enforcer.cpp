// Handing a host's firewall rules to its driver.
#include "firewalls/enforcer.hpp"

#include "core/json.hpp"
#include "firewalls/firewall_repository.hpp"

namespace linnet::firewalls {

void Enforcer::sync(const std::string& node) {
    std::map<std::int64_t, Rules> rules;
    {
        auto tx = db_.begin_in(store::Access::read, store::Scope::system());
        rules = FirewallRepository(*tx).enforced_on_node(node);
        tx->commit();
    }
    std::string text;
    for (const auto& [id, r] : rules) text += std::to_string(id) + to_json(render(r)) + "\n";
    if (given_ && text == last_) return;
    if (!driver_.enforce_firewalls(rules)) return;
    last_ = std::move(text);
    given_ = true;
}

}  // namespace linnet::firewalls
