#pragma once
// Shared by the accounts tests (never by the library): a fixture with a fresh migrated database
// per test, a FakeClock, and helpers to make valid fields.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace coalition::accounts::testing {

class DatabaseTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
    }

    store::Database& database() { return *database_; }

    // A count from the database, e.g. count("SELECT COUNT(*) FROM audit_log").
    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
};

inline OrganisationDraft draft(std::string name, std::string country = "NZ",
                               std::string domain = "") {
    return OrganisationDraft{
        .name = std::move(name),
        .short_name = "",
        .slug = "",
        .country = std::move(country),
        .stakeholder_group = "technical-community",
        .website = "",
        .domain = std::move(domain),
        .status = "member",
        .description = "",
    };
}

// The fields of a draft that must be valid.
inline OrganisationFields fields(const OrganisationDraft& draft) {
    auto validated = draft.validate();
    if (!validated) {
        ADD_FAILURE() << "draft invalid: " << validated.errors().front().field << ": "
                      << validated.errors().front().message;
    }
    return std::move(validated).value();
}

inline core::Email email(std::string_view text) {
    auto parsed = core::Email::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return std::move(parsed).value();
}

}  // namespace coalition::accounts::testing

#define COALITION_INSTANTIATE_FOR_DIALECTS(suite)                                                \
    INSTANTIATE_TEST_SUITE_P(                                                                    \
        Dialects, suite, ::testing::ValuesIn(::coalition::store::testing::available_dialects()), \
        [](const ::testing::TestParamInfo<::coalition::store::Dialect>& info) {                  \
            return ::coalition::store::testing::dialect_name(info.param);                        \
        })
