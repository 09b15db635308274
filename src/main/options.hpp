// Options every subcommand shares: where the data lives and which database holds it.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "store/database.hpp"

namespace linnet::cli {

struct StoreOptions {
    std::string data = "./linnet-data";
    std::string database;  // empty: SQLite in the data folder
};

// Adds --data and --database (with LINNET_DATA and LINNET_DATABASE) to a subcommand.
void add_store_options(CLI::App& app, StoreOptions& options);

// Opens the store, migrates it and loads the catalog and the account.
std::unique_ptr<store::Database> open_store(const StoreOptions& options);

void add_serve(CLI::App& app);
void add_admin(CLI::App& app);
void add_users(CLI::App& app);
void add_image(CLI::App& app);
void add_hosts(CLI::App& app);
void add_support(CLI::App& app);
void add_billing(CLI::App& app);
void add_managed(CLI::App& app);
void add_metadata_relay(CLI::App& app);

}  // namespace linnet::cli
