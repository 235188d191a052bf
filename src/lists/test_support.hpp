#pragma once
// Shared by the lists tests (never by the library): a fixture with a fresh migrated database per
// test on each dialect, a FakeClock, the outbox, and the two services.

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/testing.hpp"
#include "lists/lists.hpp"
#include "mail/outbox.hpp"
#include "store/testing.hpp"

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>

namespace coalition::lists::testing {

using core::testing::email;

// A header's value as GMime decoded it, or "" when the message has none.
inline std::string header(GMimeMessage* message, const char* name) {
    const char* value = g_mime_object_get_header(GMIME_OBJECT(message), name);
    return value != nullptr ? value : "";
}

class ListsTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        outbox_ = std::make_unique<mail::Outbox>(*database_, clock_);
        lists_ = std::make_unique<Lists>(*database_, clock_);
        subscriptions_ = std::make_unique<Subscriptions>(
            *database_, clock_, random_, *outbox_,
            SubscriptionSettings{.base_url = "https://coalition.example/",
                                 .site_name = "Coalition",
                                 .token_secret = "0123456789abcdef0123456789abcdef"});
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }

    List make_list(const std::string& address = "discuss@lists.example.org") {
        auto list =
            lists_->create(accounts::Actor::cli(), NewList{.address = address,
                                                           .owners = {email("owner@example.org")},
                                                           .moderators = {},
                                                           .display_name = "Discussion",
                                                           .description = ""});
        EXPECT_TRUE(list.has_value()) << (list ? "" : list.error().message);
        return std::move(list).value();
    }

    // The newest queued message's bytes with quoted-printable soft breaks undone.
    std::string newest_mail() {
        const auto items = outbox_->recent(1);
        if (items.empty()) {
            ADD_FAILURE() << "no mail queued";
            return {};
        }
        return std::regex_replace(items.front().bytes, std::regex("=\r\n"), "");
    }

    // The first match of `pattern`'s group 1 in the newest mail.
    std::string from_newest_mail(const std::string& pattern) {
        const std::string bytes = newest_mail();
        std::smatch match;
        if (!std::regex_search(bytes, match, std::regex(pattern))) {
            ADD_FAILURE() << "no " << pattern << " in\n" << bytes;
            return {};
        }
        return match[1].str();
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<Lists> lists_;
    std::unique_ptr<Subscriptions> subscriptions_;
};

}  // namespace coalition::lists::testing

#define COALITION_LISTS_FOR_DIALECTS(suite)                                                      \
    INSTANTIATE_TEST_SUITE_P(                                                                    \
        Dialects, suite, ::testing::ValuesIn(::coalition::store::testing::available_dialects()), \
        [](const ::testing::TestParamInfo<::coalition::store::Dialect>& info) {                  \
            return ::coalition::store::testing::dialect_name(info.param);                        \
        })
