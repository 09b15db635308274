// Wall-clock time with an offset and an optional frozen instant, both atomic.
#include "core/clock.hpp"

#include <atomic>

namespace linnet::clock {

namespace {

std::atomic<std::int64_t> offset_ms{0};
std::atomic<bool> frozen{false};
std::atomic<std::int64_t> frozen_ms{0};

std::int64_t system_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::int64_t unix_ms() {
    const std::int64_t base = frozen.load() ? frozen_ms.load() : system_ms();
    return base + offset_ms.load();
}

TimePoint now() {
    return TimePoint(
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(unix_ms())));
}

std::int64_t unix_seconds() {
    const std::int64_t ms = unix_ms();
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void advance(std::chrono::milliseconds by) {
    offset_ms += by.count();
}

void freeze(TimePoint at) {
    frozen_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() -
        offset_ms.load();
    frozen = true;
}

void thaw() {
    frozen = false;
}

void reset() {
    frozen = false;
    offset_ms = 0;
}

}  // namespace linnet::clock
