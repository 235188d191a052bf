#include "web/page.hpp"

#include <gtest/gtest.h>

namespace coalition::web {
namespace {

// Ids and numbers come from paths, queries and forms: anything but plain decimal digits of a
// number above zero is refused, never read in part.
TEST(PageNumbers, PositiveIntegersAreWholeDecimalNumbersAboveZero) {
    EXPECT_EQ(positive_integer("1"), 1);
    EXPECT_EQ(positive_integer("9223372036854775807"), INT64_MAX);
    for (const char* refused : {"", "0", "-3", "+3", " 3", "3 ", "3a", "0x10", "1e3", "3.0",
                                "9223372036854775808", "١٢"}) {
        EXPECT_FALSE(positive_integer(refused).has_value()) << refused;
    }
}

TEST(PageNumbers, PositiveIntsStayWithinInt) {
    EXPECT_EQ(positive_int("7"), 7);
    EXPECT_EQ(positive_int("2147483647"), 2147483647);
    EXPECT_FALSE(positive_int("2147483648").has_value());
    EXPECT_FALSE(positive_int("0").has_value());
    EXPECT_FALSE(positive_int("12abc").has_value());
}

}  // namespace
}  // namespace coalition::web
