// A Linode's statistics as /linode/instances/{id}/stats answers them: per step, CPU in percent
// of one core, disk and swap I/O in blocks (512 bytes) per second, public network in bits per
// second ([milliseconds, value] pairs). A qemu Linode's come from what its host measured; a sim
// Linode's are generated: plausible, and the same every time they are read.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "stats/usage_repository.hpp"

namespace linnet::stats {

boost::json::object document(const std::vector<Usage>& steps, const std::string& title);

// A sim Linode's usage in steps of `step` seconds, from the step under way at `from` to the one
// under way at `to`: a daily rhythm and noise drawn from its id and the time.
std::vector<Usage> generated(std::int64_t linode_id, std::int64_t from, std::int64_t to,
                             std::int64_t step);

// The public bytes in and out of the generated usage over [from, to).
Transfer generated_transfer(std::int64_t linode_id, std::int64_t from, std::int64_t to);

}  // namespace linnet::stats
