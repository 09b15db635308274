// libFuzzer target: any byte string as an X-Filter header must either compile to SQL or be
// rejected with a 400 ApiError; nothing else (no crash, no other exception, no sanitizer report).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/filter/filter_sql.hpp"

namespace {
using linnet::filter::FieldType;
const linnet::filter::Schema kSchema{{
                                         {"label", "label", FieldType::text},
                                         {"memory", "memory", FieldType::integer},
                                         {"price", "price", FieldType::number},
                                         {"kvm", "kvm", FieldType::boolean},
                                         {"created", "created", FieldType::time},
                                         {"tags", "tags", FieldType::text_list},
                                         {"group", "grp", FieldType::text, true},
                                         {"entity.id", "entity_id", FieldType::integer},
                                     },
                                     "id"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view header(reinterpret_cast<const char*>(data), size);
    try {
        auto sql = linnet::filter::compile(linnet::filter::parse(header, kSchema), kSchema);
        // Every placeholder has its parameter.
        std::size_t marks = 0;
        for (char c : sql.where) marks += c == '?';
        if (marks != sql.params.size()) __builtin_trap();
    } catch (const linnet::ApiError& e) {
        if (e.status() != 400) __builtin_trap();
    }
    return 0;
}
