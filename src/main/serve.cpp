// `linnetd serve`: the API and login service on one listener.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "api/routes.hpp"
#include "auth/hashers.hpp"
#include "auth/phone_verification.hpp"
#include "auth/token_repository.hpp"
#include "compute/driver.hpp"
#include "compute/process.hpp"
#include "domains/publisher.hpp"
#include "http/rate_ledger.hpp"
#include "http/server.hpp"
#include "jobs/worker.hpp"
#include "login/routes.hpp"
#include "main/options.hpp"
#include "metadata/metadata_listener.hpp"
#include "store/serve_lock.hpp"

namespace linnet::cli {

namespace {

struct ServeOptions {
    StoreOptions store;
    std::string listen = "127.0.0.1:8080";
    std::string driver = "sim";
    unsigned threads = 0;
    unsigned handler_threads = 0;
    std::size_t handler_queue = 1024;
    std::string log_level = "info";
    std::string ipv4_pool;  // default: 198.18.0.0/15 (sim), 127.64.0.0/16 (qemu, loopback)
    std::string accel = "auto";
    std::string rate_limits = "default";
    int oauth_code_ttl = 600;  // seconds an OAuth authorization code stays valid
    std::string network = "loopback";
    std::string bridge = "br-linnet";
    double sim_scale = 1.0;
    unsigned workers = 0;
    std::string host;                         // default: the machine's host name
    std::string role = "all";                 // all | api | worker
    unsigned sim_hosts = 8;                   // virtual hosts per region of the sim driver
    std::vector<std::string> host_regions;    // the regions a qemu host serves (default: all)
    std::string trusted_proxies;              // addresses and networks, comma-separated
    std::string metrics_token;                // bearer token /metrics asks for (default: none)
    std::int64_t image_upload_max_mb = 6144;  // the most an uploaded image unpacks to
    // Private images, backups and volumes: a folder every host of a cluster mounts (default:
    // the data folder, enough for one host).
    std::string shared_dir;
    // Where the DNS server answers the Domains' zones ("off": no DNS server in this process).
    std::string dns_listen = "127.0.0.1:5353";
    // What sends a text message: run with the number and the text as its two arguments
    // (default: none; the message goes to the server log).
    std::string sms_command;
};

// Texts (phone verification codes) go through the operator's command, or to the log.
auth::phone::SmsSender sms_sender(const std::string& command) {
    if (command.empty())
        return [](const std::string& number, const std::string& text) {
            spdlog::info("SMS to {}: {}", number, text);
            return true;
        };
    return [command](const std::string& number, const std::string& text) {
        // At most 20 seconds: a command that hangs fails the request, not the server.
        const auto sent = compute::run(
            {"timeout", "20", "/bin/sh", "-c", command + " \"$@\"", "linnet-sms", number, text});
        if (sent.status != 0)
            spdlog::error("--sms-command failed ({}): {}", sent.status, sent.output);
        return sent.status == 0;
    };
}

std::string shared_dir(const ServeOptions& o) {
    return o.shared_dir.empty() ? o.store.data : o.shared_dir;
}

http::ServerOptions server_options(const ServeOptions& o) {
    http::ServerOptions s;
    auto colon = o.listen.rfind(':');
    if (colon == std::string::npos) throw CLI::ValidationError("--listen", "expected HOST:PORT");
    s.host = o.listen.substr(0, colon);
    if (s.host.size() > 2 && s.host.front() == '[') s.host = s.host.substr(1, s.host.size() - 2);
    int port = std::atoi(o.listen.c_str() + colon + 1);
    if (port < 0 || port > 65535) throw CLI::ValidationError("--listen", "bad port");
    s.port = static_cast<std::uint16_t>(port);
    s.threads = o.threads;
    s.handler_threads = o.handler_threads;
    s.handler_queue = o.handler_queue;
    try {
        s.trusted_proxies = http::TrustedProxies::parse(o.trusted_proxies);
    } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError("--trusted-proxies", e.what());
    }
    s.metrics_token = o.metrics_token;
    // An image upload is gzip: it may come out a little larger than what it unpacks to.
    const std::uint64_t unpacked = static_cast<std::uint64_t>(o.image_upload_max_mb) << 20;
    // Only a node that serves the API takes uploads (run() says whose they are).
    if (o.role != "worker") {
        s.upload_prefix = api::kImageUploadPath;
        s.upload_dir = std::filesystem::path(o.store.data) / "uploads";
        s.upload_limit = unpacked + unpacked / 100 + (1 << 20);
    }
    return s;
}

void run(const ServeOptions& o) {
    spdlog::set_level(spdlog::level::from_str(o.log_level));
    auto options = server_options(o);  // a bad option stops serve before anything starts
    const auto serve_lock = store::ServeLock::acquire(o.store.database, o.store.data);
    auto db = open_store(o.store);
    const bool qemu = o.driver == "qemu";
    std::unique_ptr<compute::Driver> driver;
    const std::string pool = !o.ipv4_pool.empty() ? o.ipv4_pool
                             : qemu               ? "127.64.0.0/16"
                                                  : "198.18.0.0/15";
    if (qemu) {
        compute::QemuOptions q;
        q.data = o.store.data;
        q.shared = shared_dir(o);
        q.accel = o.accel;
        q.network = o.network;
        q.bridge = o.bridge;
        q.pool = pool;
        // Guests reach the Metadata service of a host that runs jobs.
        if (o.role != "api")
            q.metadata_relay = "'" + std::filesystem::read_symlink("/proc/self/exe").string() +
                               "' metadata-relay --socket '" +
                               (std::filesystem::path(o.store.data) / "metadata.sock").string() +
                               "'";
        driver = compute::make_qemu_driver(q);
    } else {
        driver = compute::make_sim_driver(o.sim_scale);
    }
    hosts::NodeOptions node;
    node.node = o.host.empty() ? jobs::Worker::default_name() : o.host;
    node.driver = o.driver;
    node.sim_hosts = o.sim_hosts;
    node.regions = o.host_regions;
    node.data = o.store.data;
    jobs::Worker worker(*db, *driver, node);
    api::Environment env;
    env.ipv4_pool = linodes::Ipv4Pool::parse(!o.ipv4_pool.empty() ? o.ipv4_pool
                                             : qemu               ? "127.64.0.0/16"
                                                                  : "198.18.0.0/15");
    // On PostgreSQL a new job's NOTIFY reaches this process's worker too (its listener): a
    // second wake from here would only send it to a queue already emptied.
    if (db->dialect() == store::Dialect::postgresql)
        env.wake_workers = [] {};
    else
        env.wake_workers = [&worker] { worker.wake(); };
    if (o.role != "api") env.renew_leases = [&worker] { worker.renew_now(); };
    env.disks_hold_credentials = qemu;
    env.volume_encryption = !qemu;
    env.loopback_nodes = !qemu || o.network != "bridge";
    worker.allow_loopback_services(env.loopback_nodes);
    env.shared = shared_dir(o);
    env.image_upload_max_mb = o.image_upload_max_mb;
    env.sms = sms_sender(o.sms_command);
    // An API node answers requests and leaves jobs to the workers of the compute hosts (which
    // find them within half a second); a worker node runs jobs and answers only /healthz and
    // /metrics; `all` does both.
    if (o.role != "all" && o.role != "api" && o.role != "worker")
        throw CLI::ValidationError("--role", "expected all, api or worker");
    const bool serves_api = o.role != "worker";
    // The Metadata service of the Linodes this host runs (made before any other thread: its
    // socket is created under a umask of its own).
    std::unique_ptr<metadata::Listener> metadata_listener;
    if (o.role != "api") {
        const std::filesystem::path data(o.store.data);
        try {
            metadata_listener = std::make_unique<metadata::Listener>(*db, data / "metadata.sock",
                                                                     data / "metadata.key");
        } catch (const std::exception& e) {
            spdlog::warn("the Metadata service is not available: {}", e.what());
        }
    }
    // The DNS server of the Domains, run by one worker process of the cluster at a time.
    std::unique_ptr<domains::Publisher> publisher;
    if (o.role != "api" && !o.dns_listen.empty() && o.dns_listen != "off") {
        publisher = std::make_unique<domains::Publisher>(
            *db, std::make_unique<domains::DnsServer>(std::filesystem::path(o.store.data) / "dns",
                                                      o.dns_listen));
        worker.publish_domains(publisher.get());
    }
    // Job threads: 2 on the sim driver, 4 on qemu (a boot holds one until SSH answers).
    if (o.role != "api") worker.start(o.workers ? o.workers : qemu ? 4 : 2);
    // However serving ends (a listener that cannot bind throws), the worker stops while the
    // publisher it stops with still exists.
    struct WorkerStopped {
        jobs::Worker& worker;
        ~WorkerStopped() { worker.stop(); }
    } worker_stopped{worker};
    if (o.role == "api") env.wake_workers = [] {};
    const http::Router router = serves_api ? api::make_router(env) : http::Router{};
    // On PostgreSQL several API nodes may serve one database: they take each caller's windows
    // from it in batches, so that a limit holds across them. One SQLite file serves one process,
    // which counts on its own.
    std::unique_ptr<http::RateLedger> ledger;
    if (db->dialect() == store::Dialect::postgresql)
        ledger = std::make_unique<http::RateLedger>(*db);
    http::RateLimiter limiter(
        o.rate_limits == "default" ? http::default_limits() : http::parse_limits(o.rate_limits),
        ledger.get());
    http::Dispatcher dispatcher(router, *db, &limiter);
    login::LoginOptions login_options;
    login_options.code_ttl = o.oauth_code_ttl;
    // Routes outside /v4: the login service and images' upload URLs.
    http::Router login_router = login::make_login_router(login_options, *db);
    if (serves_api) api::register_image_uploads(login_router, env, *db);
    if (serves_api) api::register_longview_agent(login_router);
    if (api::test_clock_wanted()) api::register_test_clock(login_router, env);
    if (serves_api) dispatcher.mount_login(login_router);
    http::Metrics metrics(router);
    if (ledger) {
        metrics.add_counter("linnet_rate_limit_store_writes_total",
                            "Write transactions the rate limiter made to share its windows.",
                            [&ledger] { return ledger->writes(); });
        metrics.add_counter("linnet_rate_limit_store_failures_total",
                            "Rate limiter writes that failed (it counted in this process then).",
                            [&ledger] { return ledger->failures(); });
    }
    // Past the password hashes admitted a sign-in is refused at once. The routes that hash run on
    // a lane of twice as many threads (http/server.hpp): one that waits for its hash holds none
    // of the handlers, and one beyond those admitted still finds a thread to be refused on.
    options.hashing_threads = 2 * auth::hashers().places();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    if (options.handler_threads == 0 && db->dialect() == store::Dialect::postgresql) {
        // On PostgreSQL each handler in a statement has a server process working beside it: one
        // handler per core keeps the runnable threads near the cores (docs/scale.md, "Handlers
        // per engine"). SQLite's handlers do their reads themselves and keep http's default.
        options.handler_threads = std::max(2u, cores);
    }
    // Requests that write run on a lane of their own, two threads per core: a read never waits
    // behind writes for a handler, and on PostgreSQL, where a create waits on a dozen round trips
    // to the server and a read on one or two, the server works on one write while another waits
    // (docs/scale.md, "Jobs performed where they are claimed, a lane for writes, ids set aside").
    options.writing_threads = std::max(4u, 2 * cores);
    // Requests that wait for a handler are taken together, their callers' tokens found in one
    // round trip (docs/scale.md, "Requests taken together").
    options.batch = auth::TokenRepository::kBearersAtOnce;
    options.accept_upload = [&db](std::string_view target) {
        return api::upload_accepted(*db, target);
    };
    if (o.role != "api") options.component_problems = [&worker] { return worker.problems(); };
    http::serve(options, dispatcher, metrics, [&](std::uint16_t port) {
        spdlog::info("linnetd listening on http://{}:{} (role {}, data {}, driver {})",
                     options.host, port, o.role, o.store.data, o.driver);
    });
    worker.stop();
    if (metadata_listener) metadata_listener->stop();
    spdlog::info("linnetd stopped");
}

}  // namespace

void add_serve(CLI::App& app) {
    auto options = std::make_shared<ServeOptions>();
    auto* cmd = app.add_subcommand("serve", "Serve the API");
    add_store_options(*cmd, options->store);
    cmd->add_option("--listen", options->listen, "HOST:PORT to listen on")
        ->envname("LINNET_LISTEN");
    cmd->add_option("--driver", options->driver, "Compute driver")
        ->envname("LINNET_DRIVER")
        ->check(CLI::IsMember({"sim", "qemu"}));
    cmd->add_option("--threads", options->threads, "I/O threads (default: one per core)")
        ->envname("LINNET_THREADS");
    cmd->add_option("--handler-threads", options->handler_threads,
                    "Threads that run the handlers of reads and their transactions (default on "
                    "SQLite: 2 per core, at least 4; on PostgreSQL: 1 per core, at least 2); "
                    "requests that write have 2 per core, at least 4, of their own")
        ->envname("LINNET_HANDLER_THREADS")
        ->check(CLI::Range(1u, 1024u));
    cmd->add_option("--handler-queue", options->handler_queue,
                    "Requests waiting for or in a handler before new ones are answered 503")
        ->envname("LINNET_HANDLER_QUEUE")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
    cmd->add_option("--trusted-proxies", options->trusted_proxies,
                    "Addresses and networks of proxies whose X-Forwarded-Proto and "
                    "X-Forwarded-For are believed, e.g. '127.0.0.1,10.0.0.0/8' (default: none)")
        ->envname("LINNET_TRUSTED_PROXIES");
    cmd->add_option("--metrics-token", options->metrics_token,
                    "Bearer token that GET /metrics requires (default: /metrics is open)")
        ->envname("LINNET_METRICS_TOKEN");
    cmd->add_option("--shared-dir", options->shared_dir,
                    "Folder of private images, backups and volumes that every host of a cluster "
                    "mounts (default: the data folder)")
        ->envname("LINNET_SHARED_DIR");
    cmd->add_option("--dns-listen", options->dns_listen,
                    "HOST:PORT where the DNS server answers every active master Domain, while "
                    "this process holds the cluster's DNS duty; off: never (default "
                    "127.0.0.1:5353)")
        ->envname("LINNET_DNS_LISTEN");
    cmd->add_option("--sms-command", options->sms_command,
                    "A command that sends a text message (phone verification codes), run with "
                    "the number and the text as its two arguments (default: the server log)")
        ->envname("LINNET_SMS_COMMAND");
    cmd->add_option("--image-upload-max-mb", options->image_upload_max_mb,
                    "The most an uploaded image may unpack to, in MB (default 6144, as Linode's)")
        ->envname("LINNET_IMAGE_UPLOAD_MAX_MB")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 30));
    cmd->add_option("--ipv4-pool", options->ipv4_pool, "CIDR that public IPv4 addresses come from")
        ->envname("LINNET_IPV4_POOL");
    cmd->add_option("--sim-scale", options->sim_scale,
                    "Duration scale of the sim driver (1 realistic, 0 instant)")
        ->envname("LINNET_SIM_SCALE")
        ->check(CLI::Range(0.0, 1000.0));
    cmd->add_option("--accel", options->accel, "QEMU accelerator: auto, kvm or tcg")
        ->envname("LINNET_ACCEL")
        ->check(CLI::IsMember({"auto", "kvm", "tcg"}));
    cmd->add_option("--network", options->network,
                    "qemu networking: loopback (ports forwarded to 127.0.0.0/8) or bridge")
        ->envname("LINNET_NETWORK")
        ->check(CLI::IsMember({"loopback", "bridge"}));
    cmd->add_option("--bridge", options->bridge, "Linux bridge for --network bridge")
        ->envname("LINNET_BRIDGE");
    cmd->add_option("--rate-limits", options->rate_limits,
                    "default (the spec's), off, or e.g. '*=800/120,post-linode-instance=10/30'")
        ->envname("LINNET_RATE_LIMITS");
    cmd->add_option("--oauth-code-ttl", options->oauth_code_ttl,
                    "Seconds an OAuth authorization code stays valid")
        ->envname("LINNET_OAUTH_CODE_TTL")
        ->check(CLI::Range(1, 3600));
    cmd->add_option("--role", options->role,
                    "all (default), api (answers requests, runs no jobs) or worker (runs jobs)")
        ->envname("LINNET_ROLE");
    cmd->add_option("--host", options->host,
                    "This compute host's name: the owner of its job claims (default: hostname)")
        ->envname("LINNET_HOST");
    cmd->add_option("--sim-hosts", options->sim_hosts,
                    "Virtual hosts per region that the sim driver presents")
        ->envname("LINNET_SIM_HOSTS")
        ->check(CLI::Range(1u, 64u));
    cmd->add_option("--host-regions", options->host_regions,
                    "Regions this qemu host serves (default: every region)")
        ->envname("LINNET_HOST_REGIONS")
        ->delimiter(',');
    cmd->add_option("--workers", options->workers, "Job worker threads")
        ->envname("LINNET_WORKERS")
        ->check(CLI::Range(1u, 64u));
    cmd->add_option("--log-level", options->log_level, "trace, debug, info, warn, error")
        ->envname("LINNET_LOG_LEVEL");
    cmd->callback([options] { run(*options); });
}

}  // namespace linnet::cli
