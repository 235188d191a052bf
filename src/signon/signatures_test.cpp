#include "signon/signon.hpp"
#include "signon/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace coalition::signon {
namespace {

using testing::individual;
using testing::kVersion1;
using testing::kVersion2;
using testing::organisation;

class SignaturesTest : public testing::SignonTest {};

// Stored keys begin with the time digits, so each new token's key sorts after the earlier ones
// (appended to the index rather than scattered over it); a link of the earlier, all-random form
// (its key the plain hash) still confirms.
TEST_P(SignaturesTest, TokenKeysGrowWithTimeAndEarlierLinksStillWork) {
    ASSERT_TRUE(sign(individual("First Signer", "first@example.org")).has_value());
    ASSERT_TRUE(sign(individual("Second Signer", "second@example.org")).has_value());
    const auto keys =
        database_->query("SELECT token_hash FROM signature_tokens ORDER BY signature_id");
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_LE(keys[0].text(0), keys[1].text(0));
    EXPECT_EQ(keys[0].text(0).size(), 16u + 64u);

    const std::string earlier_form = random_.token(32);
    ASSERT_EQ(earlier_form.size(), 43u);
    database_->transact([&](store::Connection& connection) {
        connection.execute(
            "UPDATE signature_tokens SET token_hash = $1 WHERE signature_id = "
            "(SELECT id FROM signatures WHERE dedup_key = 'first@example.org')",
            {core::hash_token(earlier_form)});
    });
    auto confirmed = signatures_->confirm(earlier_form);
    ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
    EXPECT_EQ(confirmed->name, "First Signer");
    EXPECT_EQ(confirmed->status, SignatureStatus::Published);
}

TEST_P(SignaturesTest, IndividualLifecycle) {
    ASSERT_TRUE(sign(individual("Zoë Smith", "Zoe@Example.org")).has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE status = 'pending'"), 1);
    ASSERT_EQ(mails(), 1);
    const auto item = outbox_->recent(1).front();
    EXPECT_EQ(item.envelope.recipients, std::vector<std::string>{"Zoe@example.org"});
    EXPECT_EQ(item.subject, "Confirm your signature of the Statement of Purpose");
    const std::string token = link_token("confirm");
    // 16 hex digits of time, then 24 random bytes as base64url.
    ASSERT_EQ(token.size(), 48u);
    EXPECT_EQ(token.substr(0, 16).find_first_not_of("0123456789abcdef"), std::string::npos);
    // Only the time digits and the hash are stored.
    EXPECT_EQ(count("SELECT COUNT(*) FROM signature_tokens WHERE token_hash = $1", {token}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM signature_tokens WHERE token_hash = $1",
                    {token.substr(0, 16) + core::hash_token(token)}),
              1);

    // The GET page shows the signature without confirming it.
    auto view = signatures_->find_confirmation(token);
    ASSERT_TRUE(view.has_value());
    EXPECT_FALSE(view->already_confirmed);
    EXPECT_EQ(view->signature.status, SignatureStatus::Pending);
    EXPECT_EQ(view->signature.name, "Zoë Smith");
    EXPECT_EQ(signatures_->totals("statement").awaiting_confirmation, 1);

    clock_.advance(std::chrono::hours(1));
    auto confirmed = signatures_->confirm(token);
    ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
    EXPECT_EQ(confirmed->status, SignatureStatus::Published);
    EXPECT_EQ(confirmed->verification, Verification::Email);
    EXPECT_EQ(confirmed->confirmed_at, clock_.unix_now());
    EXPECT_EQ(confirmed->published_at, clock_.unix_now());
    ASSERT_TRUE(confirmed->log_index.has_value());
    EXPECT_EQ(*confirmed->log_index, 0u);
    EXPECT_EQ(log_->size(), 1u);
    const auto leaf = nlohmann::json::parse(*log_->entries(0, 1).front().leaf);
    EXPECT_EQ(leaf["name"], "Zoë Smith");
    EXPECT_EQ(leaf["version"], kVersion1);

    // The confirmation mail carries the withdrawal link, and no DNS page for individuals.
    ASSERT_EQ(mails(), 2);
    const std::string mail = newest_mail();
    EXPECT_EQ(mail.find("/verify/"), std::string::npos);
    const std::string withdraw_token = link_token("withdraw", mail);

    // A second press is harmless: same signature, no new log entry, no new mail.
    auto again = signatures_->confirm(token);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->status, SignatureStatus::Published);
    EXPECT_EQ(log_->size(), 1u);
    EXPECT_EQ(mails(), 2);
    EXPECT_TRUE(signatures_->find_confirmation(token)->already_confirmed);

    const auto totals = signatures_->totals("statement");
    EXPECT_EQ(totals.published, 1);
    EXPECT_EQ(totals.individuals, 1);
    EXPECT_EQ(totals.awaiting_confirmation, 0);
    EXPECT_EQ(signatures_->list("statement", {}).total, 1);

    // Withdrawal: off the list, a "withdrawn" event naming the entry.
    auto found = signatures_->find_by_withdrawal_token(withdraw_token);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->status, SignatureStatus::Published);
    auto withdrawn = signatures_->withdraw(withdraw_token);
    ASSERT_TRUE(withdrawn.has_value());
    EXPECT_EQ(withdrawn->status, SignatureStatus::Withdrawn);
    EXPECT_EQ(log_->size(), 2u);
    const auto event = nlohmann::json::parse(*log_->entries(1, 2).front().leaf);
    EXPECT_EQ(event["type"], "signature.withdrawn");
    EXPECT_EQ(event["entry"], 0);
    EXPECT_EQ(signatures_->list("statement", {}).total, 0);
    EXPECT_EQ(signatures_->totals("statement").published, 0);
    // Withdrawing twice changes nothing.
    EXPECT_EQ(signatures_->withdraw(withdraw_token)->status, SignatureStatus::Withdrawn);
    EXPECT_EQ(log_->size(), 2u);
}

TEST_P(SignaturesTest, OrganisationWaitsForModerationAndGetsDomainVerification) {
    ASSERT_TRUE(
        sign(organisation("Nominet", "ana@mail.nominet.uk", "https://nominet.uk/")).has_value());
    auto confirmed = signatures_->confirm(link_token("confirm"));
    ASSERT_TRUE(confirmed.has_value());
    EXPECT_EQ(confirmed->status, SignatureStatus::Confirmed);
    EXPECT_EQ(confirmed->verification, Verification::OrganisationDomain);
    EXPECT_FALSE(confirmed->log_index.has_value());
    EXPECT_EQ(log_->size(), 0u);
    EXPECT_EQ(signatures_->totals("statement").awaiting_moderation, 1);
    EXPECT_EQ(signatures_->list("statement", {}).total, 0);
    const std::string mail = newest_mail();
    EXPECT_FALSE(link_token("verify", mail).empty());
    EXPECT_FALSE(link_token("withdraw", mail).empty());

    // An address elsewhere confirms the address only.
    ASSERT_TRUE(sign(organisation("Other", "ana@gmail.example", "other.example")).has_value());
    EXPECT_EQ(signatures_->confirm(link_token("confirm"))->verification, Verification::Email);
    // A look-alike suffix is not a subdomain.
    ASSERT_TRUE(sign(organisation("Third", "x@evilnominet.uk", "nominet.uk")).has_value());
    EXPECT_EQ(signatures_->confirm(link_token("confirm"))->verification, Verification::Email);
}

TEST_P(SignaturesTest, IdnAddressesMatchIdnOrganisationDomains) {
    // The organisation typed its domain as an A-label; the representative's address is Unicode.
    ASSERT_TRUE(
        sign(organisation("Bücher GmbH", "ÄNNA@Bücher.example", "xn--bcher-kva.example", "DE"))
            .has_value());
    EXPECT_EQ(outbox_->recent(1).front().envelope.recipients.front(), "ÄNNA@xn--bcher-kva.example");
    EXPECT_TRUE(outbox_->recent(1).front().envelope.needs_smtputf8);
    auto confirmed = signatures_->confirm(link_token("confirm"));
    ASSERT_TRUE(confirmed.has_value());
    EXPECT_EQ(confirmed->verification, Verification::OrganisationDomain);
    EXPECT_EQ(confirmed->organisation_domain, "bücher.example");
    EXPECT_EQ(confirmed->email, "ÄNNA@bücher.example");

    ASSERT_TRUE(sign(individual("सुनील", "सुनील@डाटामेल.भारत")).has_value());
    auto hindi = signatures_->confirm(link_token("confirm"));
    ASSERT_TRUE(hindi.has_value());
    EXPECT_EQ(hindi->email, "सुनील@डाटामेल.भारत");
    EXPECT_EQ(hindi->status, SignatureStatus::Published);
}

TEST_P(SignaturesTest, DuplicatesLookExactlyLikeNewSignersAndNoticesAreCapped) {
    ASSERT_TRUE(sign(individual("Ana", "ana@example.org")).has_value());
    signatures_->confirm(link_token("confirm")).value();
    const auto mails_before = mails();

    // The same person through +tags and case: the same answer, no second signature.
    for (const auto* address : {"Ana+again@Example.org", "ANA@EXAMPLE.ORG", "ana+x@example.org",
                                "ana@example.org", "ana+y@example.org"}) {
        const auto result = sign(individual("Someone Else", address));
        EXPECT_TRUE(result.has_value()) << address;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures"), 1);
    // At most max_notices_per_signature (3) notices, then silence.
    EXPECT_EQ(mails(), mails_before + 3);
    const auto notice = outbox_->recent(1).front();
    EXPECT_EQ(notice.subject, "You have already signed the Statement of Purpose");
    EXPECT_EQ(notice.envelope.recipients.front(), "ana@example.org");  // The existing signer.
    EXPECT_EQ(count("SELECT notices_sent FROM signatures"), 3);

    // A different version of the text is a new signature.
    ASSERT_TRUE(sign(individual("Ana", "ana@example.org"), kVersion2).has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures"), 2);
}

TEST_P(SignaturesTest, UnconfirmedDuplicateGetsAFreshLinkAfterExpiry) {
    ASSERT_TRUE(sign(individual("Ana", "ana@example.org")).has_value());
    const std::string first = link_token("confirm");
    clock_.advance(std::chrono::hours(24 * 8));  // Past the 7-day lifetime.
    EXPECT_EQ(signatures_->find_confirmation(first).error().code, core::ErrorCode::Expired);
    EXPECT_EQ(signatures_->confirm(first).error().code, core::ErrorCode::Expired);

    ASSERT_TRUE(sign(individual("Ana", "ana+again@example.org")).has_value());
    const std::string second = link_token("confirm");
    EXPECT_NE(first, second);
    auto confirmed = signatures_->confirm(second);
    ASSERT_TRUE(confirmed.has_value());
    EXPECT_EQ(confirmed->status, SignatureStatus::Published);
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures"), 1);
}

TEST_P(SignaturesTest, HoneypotAnswersLikeSuccessAndKeepsNothing) {
    auto input = individual("Bot", "bot@example.org");
    input.honeypot = "http://spam.example";
    EXPECT_TRUE(sign(input).has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures"), 0);
    EXPECT_EQ(mails(), 0);
}

TEST_P(SignaturesTest, WrongTokensAreRefused) {
    ASSERT_TRUE(sign(individual("Ana", "ana@example.org")).has_value());
    const std::string token = link_token("confirm");
    for (const std::string& wrong :
         {std::string(), std::string("nope"),
          token.substr(0, 42) + (token.back() == 'A' ? "B" : "A"), std::string(10000, 'A'),
          std::string("\0\xff' OR 1=1 --", 14)}) {
        EXPECT_EQ(signatures_->find_confirmation(wrong).error().code, core::ErrorCode::Expired);
        EXPECT_EQ(signatures_->confirm(wrong).error().code, core::ErrorCode::Expired);
        EXPECT_EQ(signatures_->withdraw(wrong).error().code, core::ErrorCode::NotFound);
        EXPECT_EQ(signatures_->dns_challenge(wrong).error().code, core::ErrorCode::NotFound);
    }
    // A confirmation token is not a withdrawal token.
    EXPECT_FALSE(signatures_->withdraw(token).has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE status = 'pending'"), 1);
}

TEST_P(SignaturesTest, InvalidInputStoresNothing) {
    auto input = individual(std::string(10 * 1024, 'x'), "ana@example.org");
    auto result = sign(input);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().field, "name");
    input = individual(std::string("A\0na", 4), "ana@example.org");
    EXPECT_EQ(sign(input).error().field, "name");
    input = individual("Ana", "ana@example.org", true, "ZZ");
    EXPECT_EQ(sign(input).error().field, "country");
    input = individual("Ana\xff", "not an address");
    EXPECT_EQ(sign(input).error().field, "name");  // The first of both errors.
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures"), 0);
    EXPECT_EQ(mails(), 0);

    // Hostile but valid text is stored as typed.
    const std::string hostile = "<img src=x onerror=alert(1)> '; DROP TABLE signatures; --";
    ASSERT_TRUE(sign(individual(hostile, "h@example.org")).has_value());
    auto confirmed = signatures_->confirm(link_token("confirm"));
    ASSERT_TRUE(confirmed.has_value());
    EXPECT_EQ(confirmed->name, hostile);
    EXPECT_EQ(signatures_->list("statement", {}).rows.front().name, hostile);
}

TEST_P(SignaturesTest, RateLimitsPerClientAddressAndPerDomain) {
    auto settings = this->settings();
    settings.per_address_per_hour = 3;
    settings.per_domain_per_hour = 4;
    make_signatures(settings);
    const Submission from_a{"198.51.100.1", "https://coalition.example"};
    for (int idx = 0; idx < 3; ++idx) {
        ASSERT_TRUE(sign(individual("P", "p" + std::to_string(idx) + "@a.example"), kVersion1,
                         from_a.client_address)
                        .has_value());
    }
    EXPECT_EQ(signatures_->retry_after_seconds(from_a), 1200);
    auto limited = sign(individual("P", "p9@b.example"), kVersion1, from_a.client_address);
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().code, core::ErrorCode::RateLimited);
    EXPECT_EQ(limited.error().message,
              "Too many signatures were sent from your network. Try again in 20 minutes.");
    EXPECT_EQ(signatures_->retry_after_seconds(from_a), 1200);
    // Other clients are not affected.
    EXPECT_EQ(signatures_->retry_after_seconds({"198.51.100.2", ""}), 0);

    // The fourth and fifth address at a.example, from other clients: the domain limit.
    ASSERT_TRUE(sign(individual("P", "p3@a.example"), kVersion1, "203.0.113.1").has_value());
    auto by_domain = sign(individual("P", "p4@A.example"), kVersion1, "203.0.113.2");
    ASSERT_FALSE(by_domain.has_value());
    EXPECT_EQ(by_domain.error().code, core::ErrorCode::RateLimited);
    EXPECT_EQ(by_domain.error().field, "email");
    EXPECT_GT(signatures_->retry_after_seconds({"203.0.113.2", ""}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures"), 4);

    clock_.advance(std::chrono::minutes(20));
    EXPECT_EQ(signatures_->retry_after_seconds(from_a), 0);
    EXPECT_TRUE(
        sign(individual("P", "p5@c.example"), kVersion1, from_a.client_address).has_value());
}

TEST_P(SignaturesTest, DnsProofRaisesTheLevel) {
    ASSERT_TRUE(sign(organisation("Nominet", "ana@gmail.example", "Nominet.uk")).has_value());
    signatures_->confirm(link_token("confirm")).value();
    const std::string token = link_token("verify");
    auto challenge = signatures_->dns_challenge(token);
    ASSERT_TRUE(challenge.has_value());
    EXPECT_EQ(challenge->record_name, "_coalition-challenge.nominet.uk");
    EXPECT_GE(challenge->record_value.size(), 30u);

    // Missing, then wrong: NotFound with a readable message, level unchanged.
    auto missing = signatures_->check_dns(token);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(missing.error().message.find("_coalition-challenge.nominet.uk"), std::string::npos);
    resolver_.set(challenge->record_name, {"something-else"});
    EXPECT_EQ(signatures_->check_dns(token).error().code, core::ErrorCode::NotFound);

    resolver_.set(challenge->record_name, {"v=spf1 -all", challenge->record_value});
    auto proven = signatures_->check_dns(token);
    ASSERT_TRUE(proven.has_value());
    EXPECT_EQ(proven->verification, Verification::Dns);
    resolver_.set(challenge->record_name, {challenge->record_value}, true);
    EXPECT_EQ(signatures_->check_dns(token)->verification, Verification::DnsSec);
    // Never lowered by a later, unvalidated answer.
    resolver_.set(challenge->record_name, {challenge->record_value}, false);
    EXPECT_EQ(signatures_->check_dns(token)->verification, Verification::DnsSec);
    EXPECT_EQ(signatures_->find(proven->id)->verification, Verification::DnsSec);

    // IDN: the record name uses A-labels.
    ASSERT_TRUE(sign(organisation("Bücher", "a@b.example", "bücher.example", "DE")).has_value());
    signatures_->confirm(link_token("confirm")).value();
    EXPECT_EQ(signatures_->dns_challenge(link_token("verify"))->record_name,
              "_coalition-challenge.xn--bcher-kva.example");
}

TEST_P(SignaturesTest, ModeratedIndividualsWhenTheDeploymentSaysSo) {
    auto settings = this->settings();
    settings.moderate_individuals = true;
    make_signatures(settings);
    const auto confirmed = sign_and_confirm(individual("Ana", "ana@example.org"));
    EXPECT_EQ(confirmed.status, SignatureStatus::Confirmed);
    EXPECT_EQ(signatures_->moderation_queue("statement").size(), 1u);
}

TEST_P(SignaturesTest, HiddenIndividualsAreCountedButNeverNamed) {
    sign_and_confirm(individual("Visible Vera", "vera@example.org", true));
    const auto hidden = sign_and_confirm(individual("Hidden Hana", "hana@example.org", false));
    EXPECT_EQ(hidden.status, SignatureStatus::Published);
    const auto totals = signatures_->totals("statement");
    EXPECT_EQ(totals.published, 2);
    EXPECT_EQ(totals.hidden_individuals, 1);
    const auto page = signatures_->list("statement", {});
    EXPECT_EQ(page.total, 1);
    ASSERT_EQ(page.rows.size(), 1u);
    EXPECT_EQ(page.rows.front().name, "Visible Vera");
    SignatoryFilter search;
    search.search = "hana";
    EXPECT_EQ(signatures_->list("statement", search).total, 0);
    // The log leaf holds no trace of the hidden signer.
    const auto leaf = *log_->entries(*hidden.log_index, *hidden.log_index + 1).front().leaf;
    EXPECT_EQ(leaf.find("Hana"), std::string::npos);
    EXPECT_EQ(leaf.find("NZ"), std::string::npos);
    EXPECT_EQ(signatures_->breakdown("statement").by_region.front().count, 2);
}

COALITION_SIGNON_DIALECTS(SignaturesTest);

}  // namespace
}  // namespace coalition::signon
