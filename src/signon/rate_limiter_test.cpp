#include "signon/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace coalition::signon {
namespace {

TEST(RateLimiter, AllowsABurstThenRefillsSteadily) {
    core::FakeClock clock;
    RateLimiter limiter(clock, 3, std::chrono::hours(1));
    EXPECT_EQ(limiter.acquire("a"), 0);
    EXPECT_EQ(limiter.acquire("a"), 0);
    EXPECT_EQ(limiter.acquire("a"), 0);
    // One request every 20 minutes after the burst.
    EXPECT_EQ(limiter.acquire("a"), 1200);
    EXPECT_EQ(limiter.wait_seconds("a"), 1200);
    EXPECT_EQ(limiter.acquire("b"), 0);  // Keys are independent.
    clock.advance(std::chrono::minutes(10));
    EXPECT_EQ(limiter.acquire("a"), 600);
    clock.advance(std::chrono::minutes(10));
    EXPECT_EQ(limiter.wait_seconds("a"), 0);
    EXPECT_EQ(limiter.acquire("a"), 0);
    EXPECT_GT(limiter.acquire("a"), 0);
    // A full window refills the bucket, no further.
    clock.advance(std::chrono::hours(5));
    for (int idx = 0; idx < 3; ++idx) {
        EXPECT_EQ(limiter.acquire("a"), 0);
    }
    EXPECT_GT(limiter.acquire("a"), 0);
}

TEST(RateLimiter, UnknownKeysNeverWait) {
    core::FakeClock clock;
    RateLimiter limiter(clock, 1, std::chrono::hours(1));
    EXPECT_EQ(limiter.wait_seconds("nobody"), 0);
}

TEST(RateLimiter, ZeroDisablesIt) {
    core::FakeClock clock;
    RateLimiter limiter(clock, 0, std::chrono::hours(1));
    for (int idx = 0; idx < 1000; ++idx) {
        ASSERT_EQ(limiter.acquire("a"), 0);
    }
}

}  // namespace
}  // namespace coalition::signon
