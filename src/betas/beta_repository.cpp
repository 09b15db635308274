// Statements on beta_programs and account_betas.
#include "betas/beta_repository.hpp"

#include "core/json.hpp"
#include "store/scoped.hpp"

namespace linnet::betas {

namespace json = boost::json;

namespace statements {
constexpr std::string_view save_program =
    "INSERT INTO beta_programs (id, label, description, started, ended, greenlight_only, "
    "more_info, sort) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = "
    "excluded.label, description = excluded.description, started = excluded.started, ended = "
    "excluded.ended, greenlight_only = excluded.greenlight_only, more_info = excluded.more_info, "
    "sort = excluded.sort";
constexpr std::string_view columns =
    "id, label, description, started, ended, greenlight_only, more_info";
constexpr std::string_view find_program =
    "SELECT id, label, description, started, ended, greenlight_only, more_info FROM "
    "beta_programs WHERE id = ?";
constexpr std::string_view enrolled =
    "SELECT enrolled FROM account_betas WHERE beta_id = ? AND {{account}}";
constexpr std::string_view enrol =
    "INSERT INTO account_betas (account_id, beta_id, enrolled) VALUES (?, ?, ?)";
// Each program the account is enrolled in, with when.
constexpr std::string_view enrolments =
    "(SELECT p.id AS id, p.label AS label, p.description AS description, p.started AS started, "
    "p.ended AS ended, p.greenlight_only AS greenlight_only, p.more_info AS more_info, "
    "b.enrolled AS enrolled, b.account_id AS account_id FROM account_betas b JOIN beta_programs "
    "p ON p.id = b.beta_id) enrolments";
}  // namespace statements

namespace {

using filter::FieldType;

const filter::Schema kPrograms{{
                                   {"label", "label", FieldType::text},
                                   {"greenlight_only", "greenlight_only", FieldType::boolean},
                                   {"started", "started", FieldType::time},
                                   {"ended", "ended", FieldType::time},
                               },
                               "id"};
const filter::Schema kEnrolments{{
                                     {"label", "label", FieldType::text},
                                     {"started", "started", FieldType::time},
                                     {"ended", "ended", FieldType::time},
                                     {"enrolled", "enrolled", FieldType::time},
                                 },
                                 "id"};

Program from_row(const store::Row& r) {
    Program p;
    p.id = r.text("id");
    p.label = r.text("label");
    p.description = r.text("description");
    p.started = r.text("started");
    p.ended = r.optional_text("ended");
    p.greenlight_only = r.boolean("greenlight_only");
    p.more_info = r.optional_text("more_info");
    return p;
}

std::optional<std::string> text_of(const json::object& doc, const char* key) {
    const auto* v = doc.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

}  // namespace

void BetaRepository::save_program(const json::object& doc, std::int64_t sort) {
    tx_.execute(statements::save_program,
                {*text_of(doc, "id"), *text_of(doc, "label"), *text_of(doc, "description"),
                 *text_of(doc, "started"), store::or_null(text_of(doc, "ended")),
                 std::int64_t{doc.at("greenlight_only").as_bool() ? 1 : 0},
                 store::or_null(text_of(doc, "more_info")), sort});
}

std::optional<Program> BetaRepository::find_program(const std::string& id) {
    auto rows = tx_.query(statements::find_program, {id});
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

std::optional<std::string> BetaRepository::enrolled(const std::string& id) {
    auto rows = store::scoped_query(tx_, statements::enrolled, {id});
    if (rows.empty()) return std::nullopt;
    return rows.front().text("enrolled");
}

void BetaRepository::enrol(const std::string& id, const std::string& when) {
    tx_.execute(statements::enrol, {tx_.scope().account_id(), id, when});
}

store::Listing BetaRepository::active_listing(const std::string& now) {
    store::Listing l{
        "beta_programs", kPrograms, "started <= ? AND (ended IS NULL OR ended > ?)", {now, now}};
    l.columns = std::string(statements::columns);
    l.render = [](const store::Row& r) { return render(from_row(r)); };
    return l;
}

store::Listing BetaRepository::enrolled_listing() {
    store::Listing l{std::string(statements::enrolments), kEnrolments, "{{account}}"};
    l.columns = std::string(statements::columns) + ", enrolled";
    l.render = [](const store::Row& r) { return render(from_row(r), r.text("enrolled")); };
    return l;
}

std::string render(const Program& p, const std::optional<std::string>& enrolled) {
    json::object doc{{"id", p.id},
                     {"label", p.label},
                     {"description", p.description},
                     {"started", p.started},
                     {"ended", p.ended ? json::value(*p.ended) : json::value(nullptr)}};
    if (enrolled) {
        doc["enrolled"] = *enrolled;
    } else {
        doc["greenlight_only"] = p.greenlight_only;
        doc["more_info"] = p.more_info ? json::value(*p.more_info) : json::value(nullptr);
    }
    return to_json(doc);
}

}  // namespace linnet::betas
