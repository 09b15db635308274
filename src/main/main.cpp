// linnetd: the Linnet server and its admin subcommands.
#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "catalog/catalog.hpp"
#include "main/options.hpp"

namespace linnet::cli {

void add_store_options(CLI::App& app, StoreOptions& options) {
    app.add_option("--data", options.data, "Data folder")->envname("LINNET_DATA");
    app.add_option("--database", options.database,
                   "Database URL (sqlite:PATH or postgresql://...); default SQLite in the data "
                   "folder")
        ->envname("LINNET_DATABASE");
}

std::unique_ptr<store::Database> open_store(const StoreOptions& options) {
    auto db = store::open_database(options.database, options.data);
    catalog::seed(*db);
    return db;
}

}  // namespace linnet::cli

int main(int argc, char** argv) {
    // Memory that a request frees stays in its thread's arena for the next request. By default
    // glibc hands an arena's free top back to the kernel once it passes 128 KiB, which a page of
    // a list does after every response: each time a TLB flush on every core and page faults to
    // map the memory again (a third of a kept list's CPU on a virtual machine: docs/scale.md).
    // Blocks of 8 MiB and more are mapped on their own.
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    // Logs and errors go to standard error: standard output carries only what a command answers
    // (a token, a route table).
    spdlog::set_default_logger(spdlog::stderr_color_mt("linnetd"));
    CLI::App app{"linnetd: a self-hostable cloud that speaks the Linode API v4"};
    app.require_subcommand(1);
    linnet::cli::add_serve(app);
    linnet::cli::add_admin(app);
    linnet::cli::add_users(app);
    linnet::cli::add_image(app);
    linnet::cli::add_hosts(app);
    linnet::cli::add_support(app);
    linnet::cli::add_billing(app);
    linnet::cli::add_managed(app);
    linnet::cli::add_metadata_relay(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
    return 0;
}
