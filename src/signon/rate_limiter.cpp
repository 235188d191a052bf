#include "signon/rate_limiter.hpp"

#include <cmath>
#include <vector>

namespace coalition::signon {
namespace {

// Past this many keys, buckets that have refilled completely are dropped (they mean the same
// as an absent key), so a flood of distinct addresses cannot grow memory without bound.
constexpr std::size_t kSweepAbove = 100'000;

}  // namespace

RateLimiter::RateLimiter(const core::Clock& clock, int limit, std::chrono::seconds window)
    : clock_(clock),
      capacity_(limit > 0 ? limit : 0),
      per_second_(limit > 0 ? static_cast<double>(limit) / static_cast<double>(window.count())
                            : 0) {
}

double RateLimiter::now_seconds() const {
    return std::chrono::duration<double>(clock_.now().time_since_epoch()).count();
}

double RateLimiter::refill(Bucket& bucket, double now) const {
    if (now > bucket.updated_at) {
        bucket.tokens =
            std::min(capacity_, bucket.tokens + (now - bucket.updated_at) * per_second_);
        bucket.updated_at = now;
    }
    return bucket.tokens;
}

void RateLimiter::forget_full_buckets(double now) {
    std::erase_if(buckets_, [&](const auto& entry) {
        Bucket bucket = entry.second;
        return refill(bucket, now) >= capacity_;
    });
}

std::int64_t RateLimiter::acquire(const std::string& key) {
    if (capacity_ <= 0) {
        return 0;
    }
    const double now = now_seconds();
    std::lock_guard lock(mutex_);
    if (buckets_.size() > kSweepAbove) {
        forget_full_buckets(now);
    }
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{capacity_, now});
    Bucket& bucket = it->second;
    const double tokens = refill(bucket, now);
    if (tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil((1.0 - tokens) / per_second_)));
}

std::int64_t RateLimiter::wait_seconds(const std::string& key) const {
    if (capacity_ <= 0) {
        return 0;
    }
    const double now = now_seconds();
    std::lock_guard lock(mutex_);
    const auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        return 0;
    }
    Bucket bucket = it->second;
    const double tokens = refill(bucket, now);
    if (tokens >= 1.0) {
        return 0;
    }
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil((1.0 - tokens) / per_second_)));
}

}  // namespace coalition::signon
