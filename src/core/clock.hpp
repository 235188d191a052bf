#pragma once
// Time comes through core::Clock so expiry, retries and reminders are testable without sleeping.
// Nothing outside core/ reads the system clock directly.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace coalition::core {

// Days in Unix time (UTC) are exactly this long: POSIX time has no leap seconds.
inline constexpr std::int64_t kSecondsPerDay = 86400;

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;

    // Seconds since the Unix epoch: how the store keeps time (BIGINT in both backends).
    std::int64_t unix_now() const {
        return std::chrono::duration_cast<Seconds>(now().time_since_epoch()).count();
    }
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
public:
    explicit FakeClock(TimePoint start = TimePoint{Seconds{1'767'225'600}}) : now_(start) {}
    TimePoint now() const override {
        std::lock_guard lock(mutex_);
        return now_;
    }
    void advance(std::chrono::system_clock::duration by) {
        std::lock_guard lock(mutex_);
        now_ += by;
    }

private:
    mutable std::mutex mutex_;
    TimePoint now_;  // Guarded by mutex_.
};

// RFC 3339 UTC ("2026-11-28T09:39:02Z") for a Unix time.
std::string format_rfc3339(std::int64_t unix_seconds);

}  // namespace coalition::core
