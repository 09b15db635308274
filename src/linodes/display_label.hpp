// Labels in 2016's looser rule ("My Awesome Linode", spaces allowed): kept as a Linode's display
// label, shown by the alpha API, while the modern API shows a label derived to fit its pattern.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "linodes/instances.hpp"

namespace linnet::linodes {

// The 2016 rule: 3-64 characters, none of them control characters; the reason when it fails.
std::optional<std::string> display_label_problem(std::string_view label);

// The modern label for a display label: each run of characters outside letters, digits and
// -_. becomes one "-", repeated separators fold into one, separators at the ends go, short
// results are padded with "-linode", and "-2", "-3", ... keep it unique among the Linodes
// (other than `except`).
std::string modern_label(store::Transaction& tx, std::string_view display, std::int64_t except = 0);

// Gives the Linode this display label and the modern label derived from it (no save).
void set_display_label(store::Transaction& tx, Instance& linode, const std::string& display);

// The label the alpha API shows: the display label, or the modern label when there is none.
std::string display_label(const Instance& linode);

// Forgets the display label (a modern update that sets the label directly).
void clear_display_label(Instance& linode);

}  // namespace linnet::linodes
