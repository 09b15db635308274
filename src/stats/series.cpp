// Turning usage sums into rates, and generating a sim Linode's.
#include "stats/series.hpp"

#include <cmath>
#include <numbers>

namespace linnet::stats {

namespace json = boost::json;

namespace {

json::array pair(std::int64_t at, double value) {
    // Two decimals, as Linode's series show them.
    return json::array{at * 1000, std::round(value * 100) / 100};
}

// A number in [0, 1) from the Linode and the step (splitmix64).
double noise(std::int64_t linode_id, std::int64_t at, std::uint64_t salt) {
    std::uint64_t z = static_cast<std::uint64_t>(linode_id) * 0x9E3779B97F4A7C15ULL ^
                      static_cast<std::uint64_t>(at) ^ (salt << 56);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / static_cast<double>(1ULL << 53);
}

}  // namespace

json::object document(const std::vector<Usage>& steps, const std::string& title) {
    json::array cpu, io, swap, in, out, none_in, none_out, v6_in, v6_out, v6_private_in,
        v6_private_out;
    for (const auto& s : steps) {
        if (s.seconds <= 0) continue;
        cpu.push_back(pair(s.at, s.cpu_seconds / s.seconds * 100));
        io.push_back(pair(s.at, s.io_bytes / 512 / s.seconds));
        swap.push_back(pair(s.at, s.swap_bytes / 512 / s.seconds));
        in.push_back(pair(s.at, s.net_in * 8 / s.seconds));
        out.push_back(pair(s.at, s.net_out * 8 / s.seconds));
        // Private and IPv6 traffic are not told apart from the public IPv4 traffic: zero.
        for (auto* series : {&none_in, &none_out, &v6_in, &v6_out, &v6_private_in, &v6_private_out})
            series->push_back(pair(s.at, 0));
    }
    return json::object{{"cpu", std::move(cpu)},
                        {"io", json::object{{"io", std::move(io)}, {"swap", std::move(swap)}}},
                        {"netv4", json::object{{"in", std::move(in)},
                                               {"out", std::move(out)},
                                               {"private_in", std::move(none_in)},
                                               {"private_out", std::move(none_out)}}},
                        {"netv6", json::object{{"in", std::move(v6_in)},
                                               {"out", std::move(v6_out)},
                                               {"private_in", std::move(v6_private_in)},
                                               {"private_out", std::move(v6_private_out)}}},
                        {"title", title}};
}

std::vector<Usage> generated(std::int64_t linode_id, std::int64_t from, std::int64_t to,
                             std::int64_t step) {
    std::vector<Usage> out;
    if (from >= to) return out;
    // From the step under way at `from` (a new Linode has its first at once) to the one under
    // way at `to`.
    const std::int64_t first = from - ((from % step) + step) % step;
    for (std::int64_t at = first; at < to; at += step) {
        // Busier by day than by night (the hour of the Linode's own phase), with noise.
        const double day = std::sin(2 * std::numbers::pi * static_cast<double>(at % 86400) / 86400 +
                                    static_cast<double>(linode_id % 24));
        const double s = static_cast<double>(step);
        Usage u;
        u.at = at;
        u.seconds = s;
        u.cpu_seconds = s * (0.02 + 0.012 * day + 0.01 * noise(linode_id, at, 1));
        u.io_bytes = s * 512 * (3 + 2 * day + 6 * noise(linode_id, at, 2));
        u.swap_bytes = noise(linode_id, at, 3) > 0.97 ? s * 512 * 2 : 0;
        u.net_in = s / 8 * (4000 + 2500 * day + 3000 * noise(linode_id, at, 4));
        u.net_out = s / 8 * (2500 + 1500 * day + 2000 * noise(linode_id, at, 5));
        out.push_back(u);
    }
    return out;
}

Transfer generated_transfer(std::int64_t linode_id, std::int64_t from, std::int64_t to) {
    double in = 0, out = 0;
    for (const auto& u : generated(linode_id, from, to, kBucketSeconds)) {
        in += u.net_in;
        out += u.net_out;
    }
    return {static_cast<std::int64_t>(in), static_cast<std::int64_t>(out)};
}

}  // namespace linnet::stats
