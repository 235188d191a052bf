// Moderation, bulk cancellation, bursts, erasure, re-affirmation and receipts.
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

class ModerationTest : public testing::SignonTest {
protected:
    std::vector<accounts::AuditEntry> audit() { return accounts::AuditLog(*database_).recent(100); }
};

TEST_P(ModerationTest, ApprovePublishesAndIsAudited) {
    const auto org =
        sign_and_confirm(organisation("InternetNZ", "ceo@internetnz.nz", "internetnz.nz", "NZ"));
    ASSERT_EQ(signatures_->moderation_queue("statement").size(), 1u);
    EXPECT_TRUE(signatures_->moderation_queue("response-1").empty());

    auto approved = signatures_->approve(admin_, org.id);
    ASSERT_TRUE(approved.has_value()) << approved.error().message;
    EXPECT_EQ(approved->status, SignatureStatus::Published);
    ASSERT_TRUE(approved->log_index.has_value());
    const auto leaf = nlohmann::json::parse(*log_->entries(0, 1).front().leaf);
    EXPECT_EQ(leaf["organisation"]["name"], "InternetNZ");
    EXPECT_EQ(leaf["representative"]["title"], "Chief Executive");
    EXPECT_EQ(outbox_->recent(1).front().subject,
              "Your signature of the Statement of Purpose is published");
    const auto entries = audit();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries.front().action, "signature.approve");
    EXPECT_EQ(entries.front().subject, "signature:" + std::to_string(org.id));
    EXPECT_TRUE(signatures_->moderation_queue("statement").empty());

    // Approving again is a conflict; unknown ids are not found.
    EXPECT_EQ(signatures_->approve(admin_, org.id).error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(signatures_->approve(admin_, 999999).error().code, core::ErrorCode::NotFound);
    EXPECT_EQ(audit().size(), 1u);  // Refused actions leave no audit row.

    const auto page = signatures_->list("statement", {});
    ASSERT_EQ(page.rows.size(), 1u);
    EXPECT_EQ(page.rows.front().name, "InternetNZ");
    EXPECT_EQ(page.rows.front().representative, "Ana Representative, Chief Executive");
    EXPECT_EQ(page.rows.front().region, "AP");
    EXPECT_EQ(page.rows.front().verification, Verification::OrganisationDomain);
}

TEST_P(ModerationTest, AskForInformationThenRejectMailsTheSigner) {
    const auto org =
        sign_and_confirm(organisation("Shady Ltd", "x@shady.example", "shady.example"));
    EXPECT_EQ(signatures_->request_information(admin_, org.id, "  ").error().field, "reason");
    auto asked = signatures_->request_information(admin_, org.id,
                                                  "Who authorised you to sign?\nPlease tell us.");
    ASSERT_TRUE(asked.has_value());
    EXPECT_EQ(asked->status, SignatureStatus::InformationRequested);
    EXPECT_NE(newest_mail().find("Who authorised you to sign?"), std::string::npos);
    EXPECT_EQ(signatures_->moderation_queue("statement").size(), 1u);

    EXPECT_EQ(signatures_->reject(admin_, org.id, std::string(3000, 'x')).error().code,
              core::ErrorCode::Invalid);
    auto rejected = signatures_->reject(admin_, org.id, "Not a real organisation.");
    ASSERT_TRUE(rejected.has_value());
    EXPECT_EQ(rejected->status, SignatureStatus::Rejected);
    EXPECT_EQ(rejected->moderation_note, "Not a real organisation.");
    EXPECT_EQ(outbox_->recent(1).front().subject,
              "Your signature of the Statement of Purpose was not accepted");
    EXPECT_TRUE(signatures_->moderation_queue("statement").empty());
    EXPECT_EQ(signatures_->approve(admin_, org.id).error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(log_->size(), 0u);
    const auto entries = audit();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].action, "signature.reject");
    EXPECT_EQ(entries[1].action, "signature.request_information");
}

TEST_P(ModerationTest, BurstsAndBulkCancellation) {
    for (int idx = 0; idx < 6; ++idx) {
        ASSERT_TRUE(sign(individual("Bot " + std::to_string(idx),
                                    "bot" + std::to_string(idx) + "@spam.example"),
                         kVersion1, "203.0.113.66")
                        .has_value());
    }
    // Two of them confirmed and published.
    const auto sent = outbox_->recent(6);
    std::vector<std::string> tokens;
    for (int idx = 0; idx < 2; ++idx) {
        tokens.push_back(
            link_token("confirm", std::regex_replace(sent[static_cast<std::size_t>(idx)].bytes,
                                                     std::regex("=\r\n"), "")));
    }
    for (const auto& token : tokens) {
        ASSERT_TRUE(signatures_->confirm(token).has_value());
    }
    ASSERT_TRUE(sign(individual("Real", "real@example.org"), kVersion1, "192.0.2.9").has_value());
    const auto since = clock_.unix_now() - 60;

    const auto by_address = signatures_->bursts("statement", BurstKey::ClientAddress, since);
    ASSERT_EQ(by_address.size(), 1u);
    EXPECT_EQ(by_address.front().key, "203.0.113.66");
    EXPECT_EQ(by_address.front().count, 6);
    EXPECT_EQ(by_address.front().pending, 4);
    EXPECT_EQ(by_address.front().published, 2);
    const auto by_domain = signatures_->bursts("statement", BurstKey::EmailDomain, since, 1);
    ASSERT_EQ(by_domain.size(), 2u);
    EXPECT_EQ(by_domain.front().key, "spam.example");
    EXPECT_EQ(signatures_->bursts("statement", BurstKey::Country, since, 7).front().count, 7);
    EXPECT_TRUE(
        signatures_->bursts("statement", BurstKey::Country, clock_.unix_now() + 1, 1).empty());

    // A cancellation must be narrowed down and give a reason.
    CancelCriteria criteria;
    criteria.campaign = "statement";
    EXPECT_FALSE(signatures_->cancel(admin_, criteria, "spam").has_value());
    criteria.client_address = "203.0.113.66";
    EXPECT_FALSE(signatures_->cancel(admin_, criteria, "").has_value());

    // Pending only by default.
    criteria.client_address.clear();
    criteria.email_domain = "SPAM.example";
    auto cancelled = signatures_->cancel(admin_, criteria, "A bot run from one address.");
    ASSERT_TRUE(cancelled.has_value());
    EXPECT_EQ(*cancelled, 4);
    EXPECT_EQ(log_->size(), 2u);
    EXPECT_EQ(signatures_->totals("statement").published, 2);

    criteria = CancelCriteria{};
    criteria.client_address = "203.0.113.66";
    criteria.include_published = true;
    auto published = signatures_->cancel(admin_, criteria, "Bots.");
    ASSERT_TRUE(published.has_value());
    EXPECT_EQ(*published, 2);
    EXPECT_EQ(signatures_->totals("statement").published, 0);
    EXPECT_EQ(signatures_->list("statement", {}).total, 0);
    ASSERT_EQ(log_->size(), 4u);
    const auto event = nlohmann::json::parse(*log_->entries(2, 3).front().leaf);
    EXPECT_EQ(event["type"], "signature.withdrawn");
    EXPECT_EQ(event["by"], "administrator");
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE status = 'cancelled' AND "
                    "moderation_note = 'Bots.'"),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE status = 'pending'"), 1);  // Real.
    const auto entries = audit();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries.front().action, "signature.cancel");
    EXPECT_EQ(nlohmann::json::parse(entries.front().details)["count"], 2);
}

TEST_P(ModerationTest, ErasureLeavesNoPersonalDataInRowsOrServedLeaves) {
    const auto published =
        sign_and_confirm(individual("Erika Mustermann", "erika@example.de", true, "DE"));
    const auto other_version = sign_and_confirm(
        individual("Erika Mustermann", "Erika+v2@Example.de", true, "DE"), kVersion2);
    sign_and_confirm(individual("Someone Else", "else@example.org"));
    ASSERT_EQ(log_->size(), 3u);

    EXPECT_EQ(signatures_->erase(admin_, "nobody@example.org").error().code,
              core::ErrorCode::NotFound);
    auto erased = signatures_->erase(admin_, "ERIKA@example.de");
    ASSERT_TRUE(erased.has_value()) << erased.error().message;
    EXPECT_EQ(*erased, 2);

    // Nothing personal left in the rows.
    for (const std::string& needle :
         {std::string("Erika"), std::string("erika"), std::string("example.de")}) {
        EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE name LIKE $1 OR email LIKE $1 OR "
                        "dedup_key LIKE $1 OR email_domain LIKE $1 OR search_text LIKE $1 OR "
                        "sort_name LIKE $1 OR client_address <> '' AND status = 'erased'",
                        {"%" + needle + "%"}),
                  0)
            << needle;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM signature_tokens WHERE signature_id IN ($1, $2)",
                    {published.id, other_version.id}),
              0);
    EXPECT_EQ(signatures_->find(published.id)->status, SignatureStatus::Erased);
    EXPECT_EQ(signatures_->find(published.id)->email, "");

    // The log: both leaves withheld, two "erased" events naming only the entries.
    const auto entries = log_->entries(0, log_->size());
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_FALSE(entries[*published.log_index].leaf.has_value());
    EXPECT_FALSE(entries[*other_version.log_index].leaf.has_value());
    for (const auto& entry : entries) {
        if (entry.leaf) {
            EXPECT_EQ(entry.leaf->find("Erika"), std::string::npos) << *entry.leaf;
        }
    }
    const auto event = nlohmann::json::parse(*entries[3].leaf);
    EXPECT_EQ(event["type"], "signature.erased");
    EXPECT_EQ(event["entry"], *published.log_index);
    EXPECT_EQ(signatures_->totals("statement").published, 1);
    const auto audit_entries = audit();
    ASSERT_EQ(audit_entries.size(), 2u);
    EXPECT_EQ(audit_entries.front().details.find("erika"), std::string::npos);

    // The person may sign again later.
    EXPECT_TRUE(sign(individual("Erika", "erika@example.de")).has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE status = 'pending'"), 1);
}

TEST_P(ModerationTest, ReaffirmationOffersTheNewVersionOnce) {
    const auto ana = sign_and_confirm(individual("Ana", "ana@example.org"));
    const auto org = sign_and_confirm(organisation("Nominet", "ceo@nominet.uk", "nominet.uk"));
    signatures_->approve(admin_, org.id).value();
    sign_and_confirm(individual("Withdrawn Wim", "wim@example.org"));
    signatures_->withdraw(link_token("withdraw")).value();
    ASSERT_TRUE(sign(individual("Pending Pia", "pia@example.org")).has_value());

    const auto before = mails();
    auto queued = signatures_->request_reaffirmation(admin_, testing::statement(), kVersion2,
                                                     "https://coalition.example/");
    ASSERT_TRUE(queued.has_value());
    EXPECT_EQ(*queued, 2);  // Ana and Nominet: published signers only.
    EXPECT_EQ(mails(), before + 2);
    // Idempotent.
    EXPECT_EQ(*signatures_->request_reaffirmation(admin_, testing::statement(), kVersion2,
                                                  "https://coalition.example"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM signatures WHERE version_hash = $1", {kVersion2}), 2);

    // Confirming the new version: the organisation was approved before, so it is published at
    // once; the list shows each signer once, with the version they signed last.
    const auto items = outbox_->recent(static_cast<int>(mails()));
    int confirmed = 0;
    for (const auto& item : items) {
        if (item.subject.find("re-affirm") == std::string::npos) {
            continue;
        }
        auto result = signatures_->confirm(
            link_token("confirm", std::regex_replace(item.bytes, std::regex("=\r\n"), "")));
        ASSERT_TRUE(result.has_value());
        EXPECT_EQ(result->status, SignatureStatus::Published);
        EXPECT_EQ(result->version_hash, kVersion2);
        ++confirmed;
    }
    EXPECT_EQ(confirmed, 2);
    const auto page = signatures_->list("statement", {});
    EXPECT_EQ(page.total, 2);
    for (const auto& row : page.rows) {
        EXPECT_EQ(row.version_hash, kVersion2);
    }
    EXPECT_EQ(signatures_->totals("statement").published, 2);
    SignatoryFilter old_version;
    old_version.version_hash = kVersion1;
    EXPECT_EQ(signatures_->list("statement", old_version).total, 0);
    EXPECT_EQ(audit().front().action, "signature.request_reaffirmation");
    (void)ana;
}

TEST_P(ModerationTest, ReceiptsFollowASignedTreeHeadOnce) {
    const auto ana = sign_and_confirm(individual("Ana", "ana@example.org"));
    const auto hidden = sign_and_confirm(individual("Hidden", "hidden@example.org", false));
    EXPECT_EQ(signatures_->send_receipts("https://coalition.example"), 0);  // No head yet.
    const auto head = log_->publish_tree_head();
    ASSERT_EQ(head.tree_size, 2u);

    const auto before = mails();
    EXPECT_EQ(signatures_->send_receipts("https://coalition.example"), 2);
    EXPECT_EQ(mails(), before + 2);
    EXPECT_EQ(signatures_->send_receipts("https://coalition.example"), 0);  // Once.
    const std::string mail = newest_mail();
    EXPECT_NE(mail.find("\"tree_size\":2"), std::string::npos) << mail;
    EXPECT_NE(mail.find("\"root_hash\":\"" + to_base64(head.root_hash) + "\""), std::string::npos);

    // A later signature waits for the next head.
    sign_and_confirm(individual("Late", "late@example.org"));
    EXPECT_EQ(signatures_->send_receipts("https://coalition.example"), 0);
    log_->publish_tree_head();
    EXPECT_EQ(signatures_->send_receipts("https://coalition.example"), 1);
    (void)ana;
    (void)hidden;
}

COALITION_SIGNON_DIALECTS(ModerationTest);

}  // namespace
}  // namespace coalition::signon
