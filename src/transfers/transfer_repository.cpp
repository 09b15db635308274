// Statements on entity_transfers and entity_transfer_linodes.
#include "transfers/transfer_repository.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/json.hpp"

namespace linnet::transfers {

namespace json = boost::json;

namespace statements {
constexpr std::string_view insert =
    "INSERT INTO entity_transfers (token, account_id, status, created, updated, expiry, "
    "expiry_unix) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view add_linode =
    "INSERT INTO entity_transfer_linodes (token, linode_id) VALUES (?, ?)";
constexpr std::string_view columns =
    "token, account_id, receiver_account_id, status, created, updated, expiry, expiry_unix";
const std::string find =
    "SELECT " + std::string(columns) + " FROM entity_transfers WHERE token = ?";
constexpr std::string_view linodes_of =
    "SELECT token, linode_id FROM entity_transfer_linodes WHERE token IN (";
constexpr std::string_view save_status =
    "UPDATE entity_transfers SET status = ?, receiver_account_id = ?, updated = ? WHERE token = "
    "?";
constexpr std::string_view pending_with =
    "SELECT t.token FROM entity_transfers t JOIN entity_transfer_linodes l ON l.token = t.token "
    "WHERE l.linode_id = ? AND t.status = 'pending' AND t.expiry_unix > ?";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kTransfers{{
                                    {"status", "status", FieldType::text},
                                    {"is_sender", "is_sender", FieldType::boolean},
                                },
                                "token"};

Transfer from_row(const store::Row& r) {
    Transfer t;
    t.token = r.text("token");
    t.account_id = r.integer("account_id");
    t.receiver_account_id = r.optional_integer("receiver_account_id");
    t.status = r.text("status");
    t.created = r.text("created");
    t.updated = r.text("updated");
    t.expiry = r.text("expiry");
    t.expiry_unix = r.integer("expiry_unix");
    return t;
}

std::map<std::string, std::vector<std::int64_t>> linodes_of(
    store::Transaction& tx, const std::vector<std::string>& tokens) {
    std::map<std::string, std::vector<std::int64_t>> out;
    if (tokens.empty()) return out;
    store::Params params;
    const std::string marks = store::placeholders(tokens, params);
    for (const auto& row : tx.query(
             std::string(statements::linodes_of) + marks + ") ORDER BY token, linode_id", params))
        out[row.text("token")].push_back(row.integer("linode_id"));
    return out;
}

}  // namespace

void TransferRepository::insert(const Transfer& t) {
    tx_.execute(statements::insert,
                {t.token, t.account_id, t.status, t.created, t.updated, t.expiry, t.expiry_unix});
    for (const auto id : t.linodes) tx_.execute(statements::add_linode, {t.token, id});
}

std::optional<Transfer> TransferRepository::find(const std::string& token) {
    auto rows = tx_.query(store::locking(tx_, statements::find), {token});
    if (rows.empty()) return std::nullopt;
    Transfer t = from_row(rows.front());
    t.linodes = std::move(linodes_of(tx_, {token})[token]);
    return t;
}

void TransferRepository::save_status(const Transfer& t) {
    tx_.execute(statements::save_status,
                {t.status, store::or_null(t.receiver_account_id), t.updated, t.token});
}

std::optional<std::string> TransferRepository::pending_with(std::int64_t linode_id,
                                                            std::int64_t now_unix) {
    auto rows = tx_.query(statements::pending_with, {linode_id, now_unix});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("token");
}

store::Listing TransferRepository::listing(std::int64_t account_id, std::int64_t now_unix) {
    // The account's view: whether it sent each, and the status a lapsed one has now. (The ids
    // are the server's own integers, written into the statement.)
    const std::string me = std::to_string(account_id), now = std::to_string(now_unix);
    const std::string view =
        "(SELECT token, account_id, receiver_account_id, CASE WHEN status = 'pending' AND "
        "expiry_unix <= " +
        now +
        " THEN 'stale' ELSE status END AS status, created, updated, expiry, expiry_unix, "
        "CASE WHEN account_id = " +
        me + " THEN 1 ELSE 0 END AS is_sender FROM entity_transfers WHERE account_id = " + me +
        " OR receiver_account_id = " + me + ") transfers";
    store::Listing l{view, kTransfers};
    l.columns = std::string(statements::columns);
    l.render = [account_id, now_unix](const store::Row& r) {
        return render(from_row(r), account_id, now_unix);
    };
    l.complete = [account_id, now_unix](store::Transaction& tx, const store::Rows& rows,
                                        std::vector<std::string>& docs) {
        std::vector<std::string> tokens;
        for (const auto& r : rows) tokens.push_back(r.text("token"));
        auto of = linodes_of(tx, tokens);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            Transfer t = from_row(rows[i]);
            t.linodes = std::move(of[t.token]);
            docs[i] = render(t, account_id, now_unix);
        }
    };
    return l;
}

std::string render(const Transfer& t, std::int64_t account_id, std::int64_t now_unix) {
    json::array linodes;
    for (const auto id : t.linodes) linodes.push_back(id);
    const bool stale = t.status == "pending" && t.expiry_unix <= now_unix;
    return to_json(json::object{{"token", t.token},
                                {"status", stale ? std::string("stale") : t.status},
                                {"created", t.created},
                                {"updated", t.updated},
                                {"expiry", t.expiry},
                                {"is_sender", t.account_id == account_id},
                                {"entities", json::object{{"linodes", std::move(linodes)}}}});
}

}  // namespace linnet::transfers
