// Statements on invoices and invoice_items.
#include "billing/invoice_repository.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::billing {

namespace json = boost::json;

namespace statements {
constexpr std::string_view billed_until =
    "SELECT MAX(period_to) AS until FROM invoices WHERE account_id = ?";
constexpr std::string_view insert =
    "INSERT INTO invoices (account_id, date, label, period_from, period_to, subtotal_cents, "
    "tax_cents, total_cents, promo_cents) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view label = "UPDATE invoices SET label = ? WHERE id = ?";
constexpr std::string_view insert_item =
    "INSERT INTO invoice_items (invoice_id, account_id, label, type, unit_price, quantity, "
    "amount_cents, tax_cents, item_from, item_to, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?)";
constexpr std::string_view sums =
    "SELECT COALESCE(SUM(total_cents), 0) AS total, COALESCE(SUM(promo_cents), 0) AS promo FROM "
    "invoices WHERE {{account}}";
constexpr std::string_view promo_between =
    "SELECT COALESCE(SUM(promo_cents), 0) AS promo FROM invoices WHERE period_from >= ? AND "
    "period_from < ? AND {{account}}";
constexpr std::string_view exists = "SELECT id FROM invoices WHERE id = ? AND {{account}}";
constexpr std::string_view accounts_due =
    "SELECT DISTINCT u.account_id FROM billing_usage u WHERE u.started < ? AND COALESCE((SELECT "
    "MAX(i.period_to) FROM invoices i WHERE i.account_id = u.account_id), 0) < ? AND (u.ended "
    "IS NULL OR u.ended > COALESCE((SELECT MAX(i.period_to) FROM invoices i WHERE i.account_id "
    "= u.account_id), 0)) ORDER BY u.account_id";
constexpr std::string_view invoice_columns =
    "id, date, label, subtotal_cents, tax_cents, total_cents";
constexpr std::string_view item_columns =
    "id, label, type, unit_price, quantity, amount_cents, tax_cents, item_from, item_to, region";
}  // namespace statements

namespace {

const filter::Schema kInvoices{{
                                   {"date", "date", filter::FieldType::time},
                                   {"label", "label", filter::FieldType::text},
                                   {"total", "(total_cents / 100.0)", filter::FieldType::number},
                                   {"billing_source", "'linode'", filter::FieldType::text},
                               },
                               "id"};
const filter::Schema kItems{{}, "id"};

double dollars(const store::Row& r, std::string_view column) {
    return static_cast<double>(r.integer(column)) / 100.0;
}

std::string render_invoice(const store::Row& r) {
    const double tax = dollars(r, "tax_cents");
    json::array summary;
    if (tax != 0) summary.push_back(json::object{{"name", "Sales tax"}, {"tax", tax}});
    return to_json(json::object{{"id", r.integer("id")},
                                {"date", r.text("date")},
                                {"label", r.text("label")},
                                {"billing_source", "linode"},
                                {"subtotal", dollars(r, "subtotal_cents")},
                                {"tax", tax},
                                {"tax_summary", std::move(summary)},
                                {"total", dollars(r, "total_cents")}});
}

std::string render_item(const store::Row& r) {
    const double amount = dollars(r, "amount_cents"), tax = dollars(r, "tax_cents");
    const auto region = r.optional_text("region");
    return to_json(json::object{
        {"label", r.text("label")},
        {"type", r.text("type")},
        {"unit_price", r.text("unit_price")},
        {"quantity", r.integer("quantity")},
        {"amount", amount},
        {"tax", tax},
        {"total", static_cast<double>(r.integer("amount_cents") + r.integer("tax_cents")) / 100.0},
        {"from", r.text("item_from")},
        {"to", r.text("item_to")},
        {"region", region ? json::value(*region) : json::value(nullptr)}});
}

}  // namespace

std::optional<std::int64_t> InvoiceRepository::billed_until(std::int64_t account_id) {
    return tx_.query(statements::billed_until, {account_id}).at(0).optional_integer("until");
}

std::int64_t InvoiceRepository::insert(Invoice& v, const std::vector<InvoiceItem>& items) {
    v.id =
        tx_.query(statements::insert, {v.account_id, v.date, v.period_from, v.period_to,
                                       v.subtotal_cents, v.tax_cents, v.total_cents, v.promo_cents})
            .at(0)
            .integer("id");
    v.label = "Invoice #" + std::to_string(v.id);
    tx_.execute(statements::label, {v.label, v.id});
    for (const auto& i : items)
        tx_.execute(statements::insert_item,
                    {v.id, v.account_id, i.label, i.type, i.unit_price, i.quantity, i.amount_cents,
                     i.tax_cents, i.from, i.to, store::or_null(i.region)});
    return v.id;
}

std::int64_t InvoiceRepository::invoiced_cents() {
    return store::scoped_query(tx_, statements::sums).at(0).integer("total");
}

std::int64_t InvoiceRepository::promo_cents() {
    return store::scoped_query(tx_, statements::sums).at(0).integer("promo");
}

std::int64_t InvoiceRepository::promo_cents_between(std::int64_t from, std::int64_t to) {
    return store::scoped_query(tx_, statements::promo_between, {from, to}).at(0).integer("promo");
}

bool InvoiceRepository::exists(std::int64_t id) {
    return !store::scoped_query(tx_, statements::exists, {id}).empty();
}

std::vector<std::int64_t> InvoiceRepository::accounts_due(std::int64_t before) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx_.query(statements::accounts_due, {before, before}))
        out.push_back(r.integer("account_id"));
    return out;
}

store::Listing InvoiceRepository::listing() {
    store::Listing l{"invoices", kInvoices, "{{account}}"};
    l.columns = std::string(statements::invoice_columns);
    l.render = render_invoice;
    return l;
}

store::Listing InvoiceRepository::item_listing(std::int64_t invoice_id) {
    store::Listing l{"invoice_items", kItems, "invoice_id = ? AND {{account}}", {invoice_id}};
    l.columns = std::string(statements::item_columns);
    l.render = render_item;
    return l;
}

}  // namespace linnet::billing
