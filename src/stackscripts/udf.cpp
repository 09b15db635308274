// Reading UDF tags out of a script, and checking a deployment's values against them.
#include "stackscripts/udf.hpp"

#include <algorithm>
#include <cctype>

#include "core/json.hpp"

namespace linnet::stackscripts {

namespace json = boost::json;

namespace {

constexpr std::size_t kMostDataBytes = 65535;

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view prefix) {
    if (text.size() - at < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(text[at + i]) != prefix[i]) return false;
    return true;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A name a shell can export: a letter or underscore, then letters, digits and underscores.
bool exportable(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

std::vector<std::string> choices(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        out.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

bool among(const std::vector<std::string>& options, const std::string& value) {
    return std::find(options.begin(), options.end(), value) != options.end();
}

}  // namespace

ParsedUdfs parse_udfs(std::string_view script) {
    ParsedUdfs out;
    std::size_t pos = 0;
    int index = 0;
    while ((pos = script.find('<', pos)) != std::string_view::npos) {
        if (!starts_with_nocase(script, pos + 1, "udf") || pos + 4 >= script.size() ||
            !is_space(script[pos + 4])) {
            ++pos;
            continue;
        }
        ++index;
        std::size_t i = pos + 4;
        Udf udf;
        bool name_given = false, label_given = false, closed = false;
        while (i < script.size()) {
            // A tag may go on over comment lines: "# <UDF name=...\n#   label=... />".
            while (i < script.size() && (is_space(script[i]) || script[i] == '#')) ++i;
            if (i < script.size() && script[i] == '>') {
                closed = true;
                ++i;
                break;
            }
            if (i + 1 < script.size() && script[i] == '/' && script[i + 1] == '>') {
                closed = true;
                i += 2;
                break;
            }
            std::string attribute;
            while (i < script.size() && (std::isalpha(static_cast<unsigned char>(script[i])) ||
                                         script[i] == '_' || script[i] == '-'))
                attribute += lower(script[i++]);
            while (i < script.size() && is_space(script[i])) ++i;
            if (attribute.empty() || i >= script.size() || script[i] != '=') break;
            ++i;
            while (i < script.size() && is_space(script[i])) ++i;
            if (i >= script.size() || (script[i] != '"' && script[i] != '\'')) break;
            const char quote = script[i++];
            const auto end = script.find(quote, i);
            if (end == std::string_view::npos) break;
            std::string value(script.substr(i, end - i));
            i = end + 1;
            if (attribute == "name") {
                udf.name = std::move(value);
                name_given = true;
            } else if (attribute == "label") {
                udf.label = std::move(value);
                label_given = true;
            } else if (attribute == "example") {
                udf.example = std::move(value);
            } else if (attribute == "default") {
                udf.default_value = std::move(value);
            } else if (attribute == "oneof") {
                udf.one_of = std::move(value);
            } else if (attribute == "manyof") {
                udf.many_of = std::move(value);
            }
        }
        pos = i;
        const std::string which = "UDF " + std::to_string(index);
        if (!closed) {
            out.problems.push_back(which + " is not a well-formed tag (<UDF name=\"...\" " +
                                   "label=\"...\" />)");
        } else if (!name_given || !exportable(udf.name)) {
            out.problems.push_back(which +
                                   " needs a name of letters, digits and underscores that does "
                                   "not start with a digit");
        } else if (!label_given) {
            out.problems.push_back("UDF " + udf.name + " needs a label");
        } else if (std::any_of(out.fields.begin(), out.fields.end(),
                               [&](const Udf& f) { return f.name == udf.name; })) {
            out.problems.push_back("UDF " + udf.name + " is declared twice");
        } else if (udf.one_of && udf.many_of) {
            out.problems.push_back("UDF " + udf.name + " cannot have both oneOf and manyOf");
        } else {
            out.fields.push_back(std::move(udf));
        }
    }
    return out;
}

json::array render_udfs(const std::vector<Udf>& fields) {
    json::array out;
    for (const auto& f : fields) {
        json::object doc{{"name", f.name}, {"label", f.label}, {"example", f.example}};
        if (f.default_value) doc["default"] = *f.default_value;
        if (f.one_of) doc["oneOf"] = *f.one_of;
        if (f.many_of) doc["manyOf"] = *f.many_of;
        out.push_back(std::move(doc));
    }
    return out;
}

std::map<std::string, std::string> udf_values(const std::vector<Udf>& fields,
                                              const json::value* data,
                                              std::vector<ErrorDetail>& problems) {
    std::map<std::string, std::string> values;
    const json::object* given = nullptr;
    if (data != nullptr && !data->is_null()) {
        given = data->if_object();
        if (given == nullptr) {
            problems.push_back({"stackscript_data must be an object", "stackscript_data"});
            return values;
        }
        if (to_json(*data).size() > kMostDataBytes) {
            problems.push_back(
                {"stackscript_data must be at most 65535 bytes", "stackscript_data"});
            return values;
        }
        for (const auto& [key, value] : *given)
            if (!value.is_string())
                problems.push_back({"stackscript_data values must be strings",
                                    "stackscript_data." + std::string(key)});
    }
    for (const auto& f : fields) {
        const json::value* v = given ? given->if_contains(f.name) : nullptr;
        const std::string field = "stackscript_data." + f.name;
        if (v != nullptr && !v->is_string()) continue;  // reported above
        std::optional<std::string> value;
        if (v != nullptr) value = std::string(v->as_string());
        if (!value || value->empty()) {
            if (f.default_value) {
                values[f.name] = *f.default_value;
                continue;
            }
            problems.push_back({f.label + " (" + f.name + ") is required", field});
            continue;
        }
        if (f.one_of && !among(choices(*f.one_of), *value))
            problems.push_back({f.name + " must be one of " + *f.one_of, field});
        if (f.many_of) {
            const auto allowed = choices(*f.many_of);
            for (const auto& item : choices(*value))
                if (!among(allowed, item)) {
                    problems.push_back({f.name + " must be any of " + *f.many_of, field});
                    break;
                }
        }
        values[f.name] = *value;
    }
    return values;
}

}  // namespace linnet::stackscripts
