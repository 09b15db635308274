// Where SQL may be written: the store itself, the X-Filter compiler and the repositories
// (files named *_repository.cpp). A handler, worker or driver that writes SQL fails this test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

bool may_hold_sql(const fs::path& relative) {
    const std::string p = relative.generic_string();
    return p.rfind("src/store/", 0) == 0 || p == "src/core/filter/filter_sql.cpp" ||
           relative.filename().string().ends_with("_repository.cpp");
}

std::vector<std::string> offences() {
    const fs::path root = LINNET_SOURCE_DIR;
    const std::regex statement(
        R"re("[^"]*\b(SELECT .*FROM|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX)|ALTER TABLE)\b)re");
    const std::regex call(R"re(\b(tx|tx_|tx\(\))\s*(\.|->)\s*(query|execute)\s*\()re");
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(root / "src")) {
        if (!entry.is_regular_file()) continue;
        const auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        const auto relative = fs::relative(entry.path(), root);
        if (may_hold_sql(relative)) continue;
        std::ifstream in(entry.path());
        std::string line;
        for (int n = 1; std::getline(in, line); ++n)
            if (std::regex_search(line, statement) || std::regex_search(line, call))
                found.push_back(relative.generic_string() + ":" + std::to_string(n) + ": " + line);
    }
    return found;
}

TEST(SqlPlacement, OnlyTheStoreAndRepositoriesWriteSql) {
    const auto found = offences();
    std::string report;
    for (const auto& line : found) report += line + "\n";
    EXPECT_TRUE(found.empty()) << report;
}

TEST(SqlPlacement, TheCheckSeesSqlWhereItIs) {
    // The check itself must find the repositories' statements, or it could pass on nothing.
    const fs::path repo = fs::path(LINNET_SOURCE_DIR) / "src/linodes/linode_repository.cpp";
    std::ifstream in(repo);
    ASSERT_TRUE(in.good());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(std::regex_search(text, std::regex(R"re("[^"]*\bDELETE FROM\b)re")));
    EXPECT_TRUE(std::regex_search(text, std::regex(R"re("[^"]*\bSELECT .*FROM\b)re")));
}

}  // namespace
