#pragma once
// An in-memory token bucket per key ("address:192.0.2.1", "domain:example.org"): `limit`
// requests per `window`, refilled continuously, so a burst of `limit` is allowed and then one
// request every window/limit. Private to signon/ (sign-up limits); per server, not shared.

#include "core/clock.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace coalition::signon {

// Thread-safe. `clock` must outlive it.
class RateLimiter {
public:
    // A `limit` of zero or less disables the limiter (every request is allowed).
    RateLimiter(const core::Clock& clock, int limit, std::chrono::seconds window);

    // Takes one request from `key`'s bucket. Returns 0 when allowed; otherwise the whole seconds
    // until one request will be allowed again (at least 1), and takes nothing.
    std::int64_t acquire(const std::string& key);
    // Seconds until `key` may make one request (0 when it may now); takes nothing.
    std::int64_t wait_seconds(const std::string& key) const;

private:
    struct Bucket {
        double tokens = 0;
        double updated_at = 0;  // Seconds since the epoch, fractional.
    };
    double now_seconds() const;
    double refill(Bucket& bucket, double now) const;  // Returns the tokens available now.
    void forget_full_buckets(double now);             // Needs mutex_ held.

    const core::Clock& clock_;
    double capacity_;
    double per_second_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;  // Guarded by mutex_.
};

}  // namespace coalition::signon
