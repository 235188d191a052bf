#pragma once
// Shared by every module's tests (never by a library; needs GoogleTest).

#include "core/email.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace coalition::core::testing {

// A test's fixed address, parsed; the test fails (and says which) when it does not parse.
inline Email email(std::string_view text) {
    auto parsed = Email::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return *parsed;
}

}  // namespace coalition::core::testing
