// Assembles the route table from the resource families.
#include "api/routes.hpp"

#include "api/alpha/routes.hpp"

namespace linnet::api {

http::Router make_router(const Environment& env) {
    http::Router router;
    register_catalog(router);
    register_images(router, env);
    register_profile(router);
    register_tokens(router);
    register_account(router, env);
    register_oauth_clients(router);
    register_profile_apps(router);
    register_users(router);
    register_grants(router);
    register_linode_instances(router, env);
    register_linode_actions(router, env);
    register_linode_disks(router, env);
    register_linode_configs(router);
    register_linode_ips(router, env);
    register_events(router);
    register_tags(router);
    register_account_status(router);
    register_ssh_keys(router);
    register_logins(router);
    register_profile_tfa(router);
    register_betas(router);
    register_transfers(router);
    register_network_transfer(router);
    register_longview(router);
    register_payments(router);
    register_invoices(router);
    register_managed(router, env);
    register_support(router, env);
    register_profile_phone(router, env);
    register_linode_stats(router);
    register_volumes(router, env);
    register_firewalls(router, env);
    register_placement_groups(router);
    register_nodebalancers(router, env);
    register_domains(router, env);
    register_ipv6_ranges(router);
    register_vlans(router);
    register_vpcs(router);
    register_stackscripts(router);
    register_linode_backups(router, env);
    register_ip_assignment(router);
    register_security_questions(router);
    register_vpc_availability(router);
    alpha::register_routes(router, env);
    return router;
}

}  // namespace linnet::api
