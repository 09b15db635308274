// The one source of wall-clock time. Everything that stamps, expires or schedules asks here, so
// that tests can move time instead of waiting for it.
#pragma once

#include <chrono>
#include <cstdint>

namespace linnet::clock {

using TimePoint = std::chrono::system_clock::time_point;

TimePoint now();
std::int64_t unix_seconds();
std::int64_t unix_ms();

// Test seams: time moves on by `by` from now on; freeze() stops it at a given instant (until
// thaw()). Safe to call while other threads read the clock.
void advance(std::chrono::milliseconds by);
void freeze(TimePoint at);
void thaw();
void reset();

}  // namespace linnet::clock
