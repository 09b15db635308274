// The cancel request and the rounds of teardown after it.
#include "account/cancellation.hpp"

#include <boost/json.hpp>

#include "account/account_repository.hpp"
#include "billing/invoice_repository.hpp"
#include "billing/invoicing.hpp"
#include "billing/payment_repository.hpp"
#include "billing/usage_repository.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "images/image_repository.hpp"
#include "images/private_images.hpp"
#include "jobs/events.hpp"
#include "jobs/job_repository.hpp"
#include "jobs/jobs.hpp"
#include "linodes/instances.hpp"
#include "linodes/lifecycle.hpp"
#include "linodes/linode_repository.hpp"
#include "store/erase.hpp"
#include "support/ticket_repository.hpp"
#include "volumes/volume_repository.hpp"
#include "volumes/volumes.hpp"

namespace linnet::account {

namespace {

namespace json = boost::json;

// What is left of an account's Linodes or volumes, and how many deletions a round started.
struct Left {
    std::size_t left = 0;
    int started = 0;
};

// Starts deleting each Linode of the account that is not being deleted; one busy with a job
// that runs is left for a later round.
Left delete_linodes(store::Transaction& tx, const Canceller& by) {
    Left out;
    const auto names = linodes::LinodeRepository(tx).names();
    for (const auto& name : names) {
        auto linode = linodes::find(tx, name.id);
        if (!linode || linode->status == "deleting") continue;
        try {
            linodes::check_can_start(tx, linode->id, linode->status, "linode_delete");
        } catch (const ApiError&) {
            continue;
        }
        jobs::cancel_jobs(tx, linode->id, "The account was cancelled.");
        json::object payload{{"final_status", "deleting"},
                             {"was_running", linode->status == "running"},
                             {"fallback_status", linode->status}};
        linode->status = "deleting";
        linodes::save(tx, *linode);
        const std::int64_t event_id =
            jobs::record_event(tx, {"linode_delete", jobs::linode_entity(linode->id, linode->label),
                                    std::nullopt, "scheduled", by.user_id, by.username, ""});
        jobs::enqueue(tx, "linode_delete", linode->id, event_id, payload);
        ++out.started;
    }
    out.left = names.size();
    return out;
}

// Deletes each volume no Linode holds and no job is busy with.
Left delete_volumes(store::Transaction& tx, const Canceller& by) {
    Left out;
    volumes::VolumeRepository repo(tx);
    const auto names = repo.names();
    for (const auto& [id, label] : names) {
        auto volume = repo.find(id);
        if (!volume || volume->linode_id) continue;
        try {
            volumes::remove(tx, {by.user_id, by.username}, *volume);
            ++out.started;
        } catch (const ApiError&) {
        }
    }
    out.left = names.size();
    return out;
}

}  // namespace

std::vector<std::filesystem::path> cancel(store::Transaction& tx, const Canceller& by,
                                          const std::filesystem::path& shared) {
    const std::int64_t account_id = tx.scope().account_id();
    const std::int64_t now = clock::unix_seconds();
    AccountRepository accounts(tx);
    if (accounts.parent_of())
        throw errors::forbidden("A child account is cancelled by its parent account's operator");
    if (accounts.has_children())
        throw ApiError(409, "The account has child accounts: they are cancelled first.");
    // The account's Linodes are locked before their usage lines, as a job that ends one does.
    linodes::LinodeRepository linodes(tx);
    for (const auto& linode : linodes.names()) linodes.lock(linode.id);
    // What ran until now is invoiced, and what is owed is paid before anything goes.
    billing::close(tx, account_id, now + 1);
    billing::PaymentRepository payments(tx);
    billing::InvoiceRepository invoices(tx);
    const std::int64_t owed =
        invoices.invoiced_cents() - invoices.promo_cents() - payments.paid_cents();
    if (owed > 0) {
        const auto card = payments.default_method();
        if (!card)
            throw ApiError(409, "The account has an outstanding balance of $" +
                                    billing::dollars(owed) +
                                    " and no card to charge it to: pay it first.");
        payments.add_payment({0, owed, card->id, now_utc()});
    }
    accounts.cancel(now_utc());
    // Nothing of it is billed from now on (the meter opens no line for a cancelled account).
    billing::UsageRepository(tx).close_account(account_id, now + 1);

    std::vector<std::filesystem::path> files;
    for (const auto& [number, label] : images::ImageRepository(tx).private_names())
        files.push_back(images::files_of(shared, "private/" + std::to_string(number)));
    for (const auto& linode : linodes.names())
        files.push_back(shared / "backups" / std::to_string(linode.id));
    for (const auto ticket : support::TicketRepository(tx).ids())
        files.push_back(shared / "attachments" / std::to_string(ticket));
    delete_linodes(tx, by);
    delete_volumes(tx, by);
    return files;
}

TearDown tear_down(store::Transaction& tx) {
    TearDown round;
    const auto saved = tx.scope();
    for (const auto account_id : AccountRepository(tx).cancelled()) {
        ++round.accounts;
        tx.set_scope(store::Scope::account(account_id));
        const Canceller system{0, "linnet"};
        const Left linodes = delete_linodes(tx, system);
        const Left volumes = delete_volumes(tx, system);
        round.started += linodes.started + volumes.started;
        if (linodes.left == 0 && volumes.left == 0 &&
            !jobs::JobRepository(tx).any_active_for_account(account_id)) {
            tx.set_scope(store::Scope::system());
            store::erase_account(tx, account_id);
            ++round.erased;
        }
    }
    tx.set_scope(saved);
    return round;
}

}  // namespace linnet::account
