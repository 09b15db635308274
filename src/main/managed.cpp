// `linnetd managed credentials --account A`: what the operator's team reads of an account's
// Managed credentials when it answers an issue: each one opened with the vault's key (in
// --shared-dir, default the data folder), its last_decrypted set to now.
#include <cstdio>

#include "account/accounts.hpp"
#include "core/time.hpp"
#include "main/options.hpp"
#include "managed/managed_repository.hpp"
#include "managed/vault.hpp"

namespace linnet::cli {

namespace {

struct CredentialOptions {
    StoreOptions store;
    std::string account;
    std::string shared;
};

void show_credentials(const CredentialOptions& o) {
    auto db = open_store(o.store);
    auto tx = db->begin_in(store::Access::write, store::Scope::system());
    const auto account = account::resolve(*tx, o.account);
    if (!account) throw CLI::ValidationError("--account", "no account " + o.account);
    tx->set_scope(store::Scope::account(*account));
    // The key the servers made: a missing one is the wrong folder, not a reason for a new one.
    const auto vault = [&] {
        try {
            return managed::Vault::open(
                std::filesystem::path(o.shared.empty() ? o.store.data : o.shared) / "managed.key",
                false);
        } catch (const std::runtime_error& e) {
            throw CLI::ValidationError("--shared-dir", e.what());
        }
    }();
    managed::ManagedRepository repo(*tx);
    std::printf("%-8s %-24s %-24s %s\n", "ID", "LABEL", "USERNAME", "PASSWORD");
    for (auto c : repo.credentials()) {
        const auto username = vault.open_sealed(c.sealed_username);
        const auto password = vault.open_sealed(c.sealed_password);
        if (!username || !password) {
            std::printf("%-8lld %-24s (not sealed with this vault's key)\n",
                        static_cast<long long>(c.id), c.label.c_str());
            continue;
        }
        c.last_decrypted = now_utc();
        repo.save_credential(c);
        std::printf("%-8lld %-24s %-24s %s\n", static_cast<long long>(c.id), c.label.c_str(),
                    username->c_str(), password->c_str());
    }
    tx->commit();
}

}  // namespace

void add_managed(CLI::App& app) {
    auto* managed = app.add_subcommand("managed", "Linode Managed: the operator's side");
    managed->require_subcommand(1);
    auto o = std::make_shared<CredentialOptions>();
    auto* credentials = managed->add_subcommand(
        "credentials", "Print an account's Managed credentials, opened (and mark them decrypted)");
    add_store_options(*credentials, o->store);
    credentials->add_option("--account", o->account, "The account (its id or a user's name)")
        ->required();
    credentials
        ->add_option("--shared-dir", o->shared,
                     "The folder of the vault's key (default: the data folder)")
        ->envname("LINNET_SHARED_DIR");
    credentials->callback([o] { show_credentials(*o); });
}

}  // namespace linnet::cli
