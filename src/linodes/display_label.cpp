// Display labels and the modern labels derived from them.
#include "linodes/display_label.hpp"

#include <cctype>

namespace linnet::linodes {

namespace {

bool separator(char c) {
    return c == '-' || c == '_' || c == '.';
}

bool alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// The label's shape under the modern pattern, before uniqueness.
std::string fitted(std::string_view display) {
    std::string out;
    for (char c : display) {
        const char next = alnum(c) ? c : separator(c) ? c : '-';
        if (separator(next) && (out.empty() || separator(out.back()))) continue;
        out.push_back(next);
    }
    while (!out.empty() && separator(out.back())) out.pop_back();
    if (out.size() < 3) out += out.empty() ? "linode" : "-linode";
    if (out.size() > 60) out.resize(60);
    while (!out.empty() && separator(out.back())) out.pop_back();
    return out;
}

}  // namespace

std::optional<std::string> display_label_problem(std::string_view label) {
    if (label.size() < 3 || label.size() > 64) return "Label must be 3-64 characters";
    for (char c : label)
        if (std::iscntrl(static_cast<unsigned char>(c)))
            return "Label must not contain control characters";
    return std::nullopt;
}

std::string modern_label(store::Transaction& tx, std::string_view display, std::int64_t except) {
    const std::string base = fitted(display);
    std::string label = base;
    for (int n = 2; label_taken(tx, label, except); ++n) label = base + "-" + std::to_string(n);
    return label;
}

void set_display_label(store::Transaction& tx, Instance& linode, const std::string& display) {
    if (valid_label(display) && !label_taken(tx, display, linode.id)) {
        linode.label = display;
        clear_display_label(linode);
        return;
    }
    linode.label = modern_label(tx, display, linode.id);
    linode.display_label = display;
}

std::string display_label(const Instance& linode) {
    return linode.display_label.value_or(linode.label);
}

void clear_display_label(Instance& linode) {
    linode.display_label.reset();
}

}  // namespace linnet::linodes
