#include "web/render_cache.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace coalition::web {
namespace {

std::shared_ptr<const std::string> html(const std::string& text) {
    return std::make_shared<const std::string>(text);
}

TEST(RenderCache, KeepsByKeyAtExactlyItsRevision) {
    RenderCache<std::string> cache(1000);
    EXPECT_EQ(cache.find("a", 1), nullptr);
    cache.keep("a", 1, html("one"), 3);
    ASSERT_NE(cache.find("a", 1), nullptr);
    EXPECT_EQ(*cache.find("a", 1), "one");
    EXPECT_EQ(cache.find("b", 1), nullptr);

    // A request that read an older revision renders its own and leaves the newer value alone.
    EXPECT_EQ(cache.find("a", 0), nullptr);
    cache.keep("a", 0, html("zero"), 4);
    EXPECT_EQ(*cache.find("a", 1), "one");

    // A newer revision makes the value stale: dropped, then replaced.
    EXPECT_EQ(cache.find("a", 2), nullptr);
    EXPECT_EQ(cache.size(), 0U);
    EXPECT_EQ(cache.bytes(), 0U);
    cache.keep("a", 2, html("two"), 3);
    EXPECT_EQ(*cache.find("a", 2), "two");
    EXPECT_EQ(cache.find("a", 1), nullptr);
}

TEST(RenderCache, DropsTheLeastRecentlyUsedPastItsBudget) {
    RenderCache<std::string> cache(30);  // Each value counts 9 bytes plus its 1-byte key.
    cache.keep("a", 1, html("a"), 9);
    cache.keep("b", 1, html("b"), 9);
    cache.keep("c", 1, html("c"), 9);
    EXPECT_EQ(cache.bytes(), 30U);
    ASSERT_NE(cache.find("a", 1), nullptr);  // "a" is now the most recently used; "b" the least.
    cache.keep("d", 1, html("d"), 9);
    EXPECT_EQ(cache.size(), 3U);
    EXPECT_EQ(cache.find("b", 1), nullptr);
    EXPECT_NE(cache.find("a", 1), nullptr);
    EXPECT_NE(cache.find("c", 1), nullptr);
    EXPECT_NE(cache.find("d", 1), nullptr);

    // A value larger than the whole budget is not kept, and evicts nothing.
    cache.keep("huge", 1, html("huge"), 100);
    EXPECT_EQ(cache.find("huge", 1), nullptr);
    EXPECT_EQ(cache.size(), 3U);
    EXPECT_LE(cache.bytes(), 30U);

    // Replacing a key counts its bytes once.
    cache.keep("a", 2, html("a2"), 9);
    EXPECT_EQ(cache.size(), 3U);
    EXPECT_EQ(cache.bytes(), 30U);
}

}  // namespace
}  // namespace coalition::web
