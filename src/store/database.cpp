// Row accessors and the choice of database from its URL.
#include "store/database.hpp"

#include "store/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace linnet::store {

std::int64_t Row::integer(std::size_t i) const {
    const auto& v = values_.at(i);
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
    return 0;
}

double Row::real(std::size_t i) const {
    const auto& v = values_.at(i);
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
    return 0;
}

const std::string& Row::text(std::size_t i) const {
    static const std::string empty;
    const auto& v = values_.at(i);
    if (auto p = std::get_if<std::string>(&v)) return *p;
    return empty;
}

std::unique_ptr<Database> open_database(const std::string& url,
                                        const std::filesystem::path& data_dir) {
    std::unique_ptr<Database> db;
    if (url.empty()) {
        std::filesystem::create_directories(data_dir);
        db = std::make_unique<SqliteDatabase>(data_dir / "linnet.db");
    } else if (url.rfind("sqlite:", 0) == 0) {
        db = std::make_unique<SqliteDatabase>(url.substr(7));
    } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        throw StoreError("the PostgreSQL backend is not available in this build");
    } else {
        throw StoreError("unknown database URL (expected sqlite:PATH or postgresql://...): " + url);
    }
    migrate(*db);
    return db;
}

std::string like_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace linnet::store
