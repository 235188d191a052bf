#pragma once
// Shared by signon's tests (never by the library): a fixture with a fresh migrated database per
// test on both dialects, a FakeClock, a real transparency log, a fake DNS resolver, and helpers
// to sign, read mails and follow their links.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "mail/outbox.hpp"
#include "signon/signon.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>

namespace coalition::signon::testing {

// A resolver answering from a table: name → records (and whether they validated).
class FakeResolver final : public dns::Resolver {
public:
    void set(const std::string& name, std::vector<std::string> records, bool secure = false) {
        std::lock_guard lock(mutex_);
        answers_[name] = dns::TxtAnswer{std::move(records), secure};
    }
    core::Result<dns::TxtAnswer> txt(std::string_view name) override {
        std::lock_guard lock(mutex_);
        ++queries_;
        const auto it = answers_.find(std::string(name));
        if (it == answers_.end()) {
            return core::Error::not_found("no such name");
        }
        return it->second;
    }
    int queries() {
        std::lock_guard lock(mutex_);
        return queries_;
    }

private:
    std::mutex mutex_;
    std::map<std::string, dns::TxtAnswer> answers_;  // Guarded by mutex_.
    int queries_ = 0;                                // Guarded by mutex_.
};

inline const std::string kVersion1(64, 'a');
inline const std::string kVersion2(64, 'b');

inline Campaign statement() {
    return {.key = "statement", .title = "the Statement of Purpose", .path = "/statement"};
}

inline SignatureInput individual(std::string name, std::string email, bool shown = true,
                                 std::string country = "NZ") {
    SignatureInput input;
    input.kind = "individual";
    input.name = std::move(name);
    input.email = std::move(email);
    input.country = std::move(country);
    input.show_publicly = shown;
    input.language = "en";
    return input;
}

inline SignatureInput organisation(std::string org_name, std::string email, std::string domain,
                                   std::string country = "GB") {
    SignatureInput input;
    input.kind = "organisation";
    input.name = "Ana Representative";
    input.email = std::move(email);
    input.title = "Chief Executive";
    input.organisation_name = std::move(org_name);
    input.organisation_country = std::move(country);
    input.stakeholder_group = "technical-community";
    input.organisation_domain = std::move(domain);
    input.language = "en";
    return input;
}

class SignonTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        outbox_ = std::make_unique<mail::Outbox>(*database_, clock_);
        key_ = std::make_unique<LogKey>(LogKey::from_seed({}));
        log_ = std::make_unique<TransparencyLog>(*database_, clock_, *key_);
        make_signatures(settings());
    }

    SignOnSettings settings() {
        return SignOnSettings{
            .sender = mail::Mailbox{"Coalition", *core::Email::parse("noreply@coalition.example")},
            .site_name = "Coalition",
            .moderate_individuals = false,
            .confirmation_lifetime = std::chrono::hours(24 * 7),
            .max_notices_per_signature = 3,
            .per_address_per_hour = 1000,
            .per_domain_per_hour = 1000,
        };
    }

    void make_signatures(SignOnSettings settings) {
        signatures_ = std::make_unique<Signatures>(*database_, clock_, random_, *outbox_, *log_,
                                                   resolver_, std::move(settings));
    }

    core::Result<void> sign(const SignatureInput& input, const std::string& version = kVersion1,
                            const std::string& client = "192.0.2.1") {
        return signatures_->sign(statement(), version, input,
                                 Submission{client, "https://coalition.example/"});
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }
    std::int64_t mails() { return outbox_->depth(); }

    // The newest queued mail's bytes, with quoted-printable soft breaks undone.
    std::string newest_mail() {
        const auto items = outbox_->recent(1);
        EXPECT_EQ(items.size(), 1u);
        return items.empty() ? std::string()
                             : std::regex_replace(items.front().bytes, std::regex("=\r\n"), "");
    }
    // The token of a link "https://coalition.example/statement/<what>/TOKEN" in the newest mail.
    std::string link_token(const std::string& what, const std::string& bytes = {}) {
        const std::string mail = bytes.empty() ? newest_mail() : bytes;
        std::smatch match;
        const bool found = std::regex_search(
            mail, match,
            std::regex("https://coalition\\.example/statement/" + what + "/([A-Za-z0-9_-]+)"));
        EXPECT_TRUE(found) << what << " in " << mail;
        return found ? match[1].str() : std::string();
    }

    // Signs and confirms; returns the confirmed signature.
    Signature sign_and_confirm(const SignatureInput& input,
                               const std::string& version = kVersion1) {
        EXPECT_TRUE(sign(input, version).has_value());
        auto confirmed = signatures_->confirm(link_token("confirm"));
        EXPECT_TRUE(confirmed.has_value()) << confirmed.error().message;
        return confirmed ? *confirmed : Signature{};
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    FakeResolver resolver_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<LogKey> key_;
    std::unique_ptr<TransparencyLog> log_;
    std::unique_ptr<Signatures> signatures_;
    accounts::Actor admin_ = accounts::Actor::cli();
};

}  // namespace coalition::signon::testing

#define COALITION_SIGNON_DIALECTS(suite)                                                         \
    INSTANTIATE_TEST_SUITE_P(                                                                    \
        Dialects, suite, ::testing::ValuesIn(::coalition::store::testing::available_dialects()), \
        [](const ::testing::TestParamInfo<::coalition::store::Dialect>& info) {                  \
            return ::coalition::store::testing::dialect_name(info.param);                        \
        })
