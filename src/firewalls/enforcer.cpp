// Handing a host's firewall rules to its driver.
#include "firewalls/enforcer.hpp"

#include "firewalls/firewall_repository.hpp"

namespace linnet::firewalls {

bool Enforcer::sync(const std::string& node) {
    std::map<std::int64_t, Rules> rules;
    {
        auto tx = db_.begin_in(store::Access::read, store::Scope::system());
        rules = FirewallRepository(*tx).enforced_on_node(node);
        tx->commit();
    }
    return driver_.enforce_firewalls(rules);
}

}  // namespace linnet::firewalls
