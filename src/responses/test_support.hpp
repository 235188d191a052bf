#pragma once
// Shared by the responses tests (never by the library): the fixed times their deadlines are set
// around, and helpers to make valid fields.

#include "accounts/accounts.hpp"
#include "core/testing.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace coalition::responses::testing {

using core::testing::email;

// 2026-01-01T00:00Z; the deadline, 2026-01-20 17:00 Europe/London, is 17:00Z.
inline constexpr std::int64_t kStart = 1767225600;
inline constexpr std::int64_t kDeadline = 1768928400;

inline accounts::OrganisationFields organisation_fields(const std::string& name,
                                                        const std::string& status,
                                                        const std::string& country = "NZ") {
    accounts::OrganisationDraft draft{.name = name,
                                      .short_name = "",
                                      .slug = "",
                                      .country = country,
                                      .stakeholder_group = "technical-community",
                                      .website = "",
                                      .domain = "",
                                      .status = status,
                                      .description = ""};
    auto validated = draft.validate();
    EXPECT_TRUE(validated.has_value()) << name;
    return std::move(validated).value();
}

}  // namespace coalition::responses::testing
