// The API's route table, one registration function per resource family.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>

#include "auth/phone_verification.hpp"
#include "http/router.hpp"
#include "linodes/addresses.hpp"

namespace linnet::api {

// What the routes need from the running server.
struct Environment {
    linodes::Ipv4Pool ipv4_pool = linodes::Ipv4Pool::parse("198.18.0.0/15");
    std::function<void()> wake_workers = [] {};
    // Renews this process's worker leases at once (after the test clock seam moved time).
    std::function<void()> renew_leases = [] {};
    // The driver writes root passwords and SSH keys into disks (qemu): jobs carry their hashes.
    bool disks_hold_credentials = false;
    // The driver encrypts volumes (the sim driver pretends to; the qemu driver does not yet):
    // where it does not, a volume with `encryption: enabled` is refused by name.
    bool volume_encryption = true;
    // The shared folder (--shared-dir): private images' files live in SHARED/images/, backups
    // in SHARED/backups/.
    std::filesystem::path shared = ".";
    // The most an uploaded image may unpack to.
    std::int64_t image_upload_max_mb = 6144;
    // Whether NodeBalancer nodes may be addresses of 127.0.0.0/8 (loopback networking, and the
    // sim driver); a Linode's private address may always be one.
    bool loopback_nodes = true;
    // Sends text messages (phone verification codes).
    auth::phone::SmsSender sms = [](const std::string&, const std::string&) { return true; };
};

// Where an image's upload URL points (outside /v4): PUT /image-uploads/N?secret=...
inline constexpr const char* kImageUploadPath = "/image-uploads/";

void register_catalog(http::Router& router);
void register_images(http::Router& router, const Environment& env);
// The upload URLs of images, on the router of routes outside /v4 (which run in the system
// scope): `db` checks an upload's secret before its body is unpacked.
void register_image_uploads(http::Router& router, const Environment& env, store::Database& db);
// Whether an upload URL (path and query) opens a pending image: the server asks before it takes
// the body.
bool upload_accepted(store::Database& db, std::string_view target);
void register_profile(http::Router& router);
void register_tokens(http::Router& router);
void register_account(http::Router& router, const Environment& env);
void register_oauth_clients(http::Router& router);
void register_profile_apps(http::Router& router);
void register_users(http::Router& router);
void register_grants(http::Router& router);

void register_linode_instances(http::Router& router, const Environment& env);
void register_linode_actions(http::Router& router, const Environment& env);
void register_linode_disks(http::Router& router, const Environment& env);
void register_linode_configs(http::Router& router);
void register_linode_ips(http::Router& router, const Environment& env);
void register_events(http::Router& router);
void register_tags(http::Router& router);
void register_account_status(http::Router& router);
void register_ssh_keys(http::Router& router);
void register_logins(http::Router& router);
void register_profile_tfa(http::Router& router);
void register_betas(http::Router& router);
void register_transfers(http::Router& router);
void register_network_transfer(http::Router& router);
void register_longview(http::Router& router);
void register_payments(http::Router& router);
void register_invoices(http::Router& router);
void register_managed(http::Router& router, const Environment& env);
// Longview agents' URLs (outside /v4): /longview/post and /longview/fetch.
void register_longview_agent(http::Router& router);
// The clock seam for tests (outside /v4), when the server starts with LINNET_TEST_CLOCK=1.
bool test_clock_wanted();
void register_test_clock(http::Router& router, const Environment& env);
// The account's promotions as /account shows them.
boost::json::array active_promotions(store::Transaction& tx);
void register_support(http::Router& router, const Environment& env);
void register_profile_phone(http::Router& router, const Environment& env);
void register_linode_stats(http::Router& router);
void register_volumes(http::Router& router, const Environment& env);
void register_firewalls(http::Router& router, const Environment& env);
void register_placement_groups(http::Router& router);
void register_nodebalancers(http::Router& router, const Environment& env);
void register_domains(http::Router& router, const Environment& env);
void register_ipv6_ranges(http::Router& router);
void register_vlans(http::Router& router);
void register_vpcs(http::Router& router);
void register_stackscripts(http::Router& router);
void register_linode_backups(http::Router& router, const Environment& env);
void register_ip_assignment(http::Router& router);
void register_security_questions(http::Router& router);
void register_vpc_availability(http::Router& router);

// Every route of the API, in one table.
http::Router make_router(const Environment& env);

}  // namespace linnet::api
