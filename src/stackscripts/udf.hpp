// User-defined fields (UDFs) of a StackScript: the `<UDF name="..." label="..." .../>` tags a
// script declares, and the values a deployment gives them (`stackscript_data`).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace linnet::stackscripts {

struct Udf {
    std::string name;
    std::string label;
    std::string example;
    std::optional<std::string> default_value;  // absent: the field must be given
    std::optional<std::string> one_of;         // comma-separated choices, one of them
    std::optional<std::string> many_of;        // comma-separated choices, any of them
};

struct ParsedUdfs {
    std::vector<Udf> fields;
    // What is wrong with the declarations (a tag without a name, a name that cannot be an
    // environment variable, a name declared twice); empty when nothing.
    std::vector<std::string> problems;
};

// The UDF tags of a script, in the order it declares them.
ParsedUdfs parse_udfs(std::string_view script);

// The document of each field as the API shows it (default, oneOf and manyOf only when declared).
boost::json::array render_udfs(const std::vector<Udf>& fields);

// The values a deployment runs with: each field's given value, else its default. Problems name
// their field ("stackscript_data" or "stackscript_data.NAME"): data that is not an object of
// strings, a field without a default left out, a value outside oneOf or manyOf, more than
// 65,535 bytes. Names the script does not declare are not passed on.
std::map<std::string, std::string> udf_values(const std::vector<Udf>& fields,
                                              const boost::json::value* data,
                                              std::vector<ErrorDetail>& problems);

}  // namespace linnet::stackscripts
