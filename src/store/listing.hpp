// Lists of a table's rows as JSON documents: the X-Filter compiled against the table's schema,
// the visibility a repository imposes, the stable order and one page. Repositories describe
// their lists with a Listing; nothing else builds list SQL.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/filter/filter.hpp"
#include "core/pagination.hpp"
#include "store/database.hpp"

namespace linnet::store {

struct Listing {
    std::string table;
    const filter::Schema& schema;
    // Which rows the caller may see at all, e.g. "user_id = ?", with its parameters.
    std::string visible = "1=1";
    Params visible_params = {};
    // Documents kept in another table, keyed by this table's id: the page's ids are found on
    // the narrow table first and only their documents are read.
    std::string docs_table = "";
    std::string docs_key = "";
    // The columns selected for each document, and how a row becomes one (default: the row's
    // `doc` column as stored).
    std::string columns = "doc";
    std::function<std::string(const Row&)> render = nullptr;
    // A list of each row kept as rows of another table (e.g. a volume's tags in volume_tags):
    // read for all the rows of a page in one statement, `value` of `table` where `key` is the
    // row's `id`, in `order`; then each row becomes its document with its members.
    struct Members {
        std::string table;
        std::string key;
        std::string value;
        std::string order;
    };
    std::optional<Members> members = std::nullopt;
    std::function<std::string(const Row&, const std::vector<std::string>&)> render_with_members =
        nullptr;

    // Completes the page's documents with what one more statement over its rows reads (e.g. a
    // firewall's devices), after they are rendered.
    std::function<void(Transaction&, const Rows&, std::vector<std::string>&)> complete = nullptr;

    // How many rows match, answered from counts the repository keeps (store::list_count) for
    // the queries it knows them for; nullopt: counted from the rows.
    std::function<std::optional<std::int64_t>(Transaction&, const filter::Query&)> counted =
        nullptr;

    std::string document(const Row& row) const { return render ? render(row) : row.text("doc"); }
};

struct DocumentPage {
    std::vector<std::string> docs;
    std::int64_t results = 0;
};

// One page of the listing's rows that match the query, in the query's order.
DocumentPage read_page(Transaction& tx, const Listing& listing, const filter::Query& query,
                       const Page& page);

// The document of the one visible row whose key_column equals key, or nullopt.
std::optional<std::string> read_one(Transaction& tx, const Listing& listing,
                                    const std::string& key_column, const SqlValue& key);

}  // namespace linnet::store
