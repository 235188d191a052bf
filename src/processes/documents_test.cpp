#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "processes/processes.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace coalition::processes {
namespace {

using accounts::Actor;

DocumentDraft zero_draft_document() {
    return DocumentDraft{.title = "Outcome document of the review",
                         .slug = "",
                         .kind = "draft",
                         .url = "https://example.org/zero-draft.pdf"};
}

RevisionDraft revision_draft(std::string label, std::string text) {
    return RevisionDraft{.label = std::move(label),
                         .issued_on = "2025-08-30",
                         .format = "text",
                         .text = std::move(text)};
}

TEST(DocumentValidation, AcceptsADocumentAndNormalisesARevision) {
    const auto document = validate(zero_draft_document());
    ASSERT_TRUE(document.has_value());
    EXPECT_EQ(document->kind, DocumentKind::Draft);
    EXPECT_FALSE(document->slug.has_value());
    // A byte order mark, CRLF and a decomposed "é" (e + U+0301).
    const auto revision = validate(revision_draft(" Rev.1 ",
                                                  "\xEF\xBB\xBF"
                                                  "1. Caf\x65\xCC\x81\r\n\r\n2. Two\r3. x\n\n"));
    ASSERT_TRUE(revision.has_value());
    EXPECT_EQ(revision->label, "Rev.1");
    EXPECT_EQ(revision->text, "1. Caf\xC3\xA9\n\n2. Two\n3. x");
    EXPECT_EQ(revision->format, TextFormat::PlainText);
}

TEST(DocumentValidation, RefusesBadInputFieldByField) {
    const auto document = validate(DocumentDraft{
        .title = "", .slug = "Not A Slug", .kind = "treaty", .url = "javascript:alert(1)"});
    ASSERT_FALSE(document.has_value());
    std::vector<std::string> fields;
    for (const auto& error : document.errors()) {
        fields.push_back(error.field);
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"title", "slug", "kind", "url"}));

    const auto revision = validate(
        RevisionDraft{.label = "", .issued_on = "2025-02-30", .format = "pdf", .text = "\n \n"});
    ASSERT_FALSE(revision.has_value());
    fields.clear();
    for (const auto& error : revision.errors()) {
        fields.push_back(error.field);
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"label", "issued_on", "format", "text"}));

    EXPECT_FALSE(validate(revision_draft("Rev.1", "bad \xC3\x28 utf-8")).has_value());
    EXPECT_FALSE(validate(revision_draft("Rev.1", std::string("nul\0byte", 8))).has_value());
    EXPECT_FALSE(
        validate(revision_draft("Rev.1", std::string(kMaxRevisionBytes + 1, 'a'))).has_value());
    EXPECT_FALSE(validate(revision_draft("Rev.1\nRev.2", "text")).has_value());
    EXPECT_TRUE(validate(revision_draft("Rev.1", std::string(kMaxRevisionBytes, 'a'))).has_value());
}

class DocumentsTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        processes_ = std::make_unique<Processes>(*database_, clock_);
        auto fields = validate(ProcessDraft{.name = "WSIS+20 Review",
                                            .short_name = "WSIS+20",
                                            .slug = "",
                                            .kind = "un-process",
                                            .convenor = "UN General Assembly",
                                            .description = "Review.",
                                            .links = "",
                                            .status = "active"});
        ASSERT_TRUE(fields.has_value());
        auto process = processes_->create(Actor::cli(), *fields);
        ASSERT_TRUE(process.has_value());
        process_id_ = process->id;
    }

    Document add_document() {
        auto document =
            processes_->add_document(Actor::cli(), process_id_, *validate(zero_draft_document()));
        EXPECT_TRUE(document.has_value()) << document.error().message;
        return *document;
    }

    core::FakeClock clock_{core::TimePoint{core::Seconds{1767225600}}};
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Processes> processes_;
    ProcessId process_id_;
};

TEST_P(DocumentsTest, AddsDocumentsWithDerivedSlugsAndNumberedRevisions) {
    const Document document = add_document();
    EXPECT_EQ(document.slug.value(), "outcome-document-of-the-review");
    EXPECT_EQ(document.fields.url, "https://example.org/zero-draft.pdf");
    EXPECT_EQ(add_document().slug.value(), "outcome-document-of-the-review-2");

    const auto zero = processes_->add_revision(
        Actor::cli(), document.id, *validate(revision_draft("Zero draft", "1. One.\n\n2. Two.")));
    ASSERT_TRUE(zero.has_value());
    EXPECT_EQ(zero->number, 1);
    clock_.advance(std::chrono::hours(24));
    const auto rev1 = processes_->add_revision(
        Actor::cli(), document.id, *validate(revision_draft("Rev.1", "1. One.\n\n2. Two, now.")));
    ASSERT_TRUE(rev1.has_value());
    EXPECT_EQ(rev1->number, 2);

    const auto found = processes_->find_document(process_id_, document.slug.value());
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->revisions.size(), 2U);
    EXPECT_EQ(found->revisions[0].fields.label, "Zero draft");
    EXPECT_TRUE(found->revisions[0].fields.text.empty());  // Listings leave texts out.
    EXPECT_EQ(found->revision(2)->fields.label, "Rev.1");
    EXPECT_EQ(found->revision(3), nullptr);
    const auto text = processes_->find_revision(document.id, 2);
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(text->fields.text, "1. One.\n\n2. Two, now.");
    EXPECT_EQ(text->fields.issued_on, "2025-08-30");
    EXPECT_FALSE(processes_->find_revision(document.id, 9).has_value());
    EXPECT_EQ(processes_->documents(process_id_).size(), 2U);

    // The history (and so the Atom feed) tells of the document and each revision.
    const auto history = processes_->history(process_id_, 10);
    ASSERT_GE(history.size(), 4U);
    EXPECT_EQ(history[0].action, "document.revision");
    EXPECT_EQ(history[0].summary, "Outcome document of the review: Rev.1");
    ASSERT_TRUE(history[0].document_id.has_value());
    EXPECT_EQ(*history[0].document_id, document.id);
    EXPECT_EQ(history[1].action, "document.revision");
    EXPECT_EQ(history[2].action, "document.create");
    EXPECT_EQ(database_->query_one("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'document.%'")
                  ->integer(0),
              4);
}

TEST_P(DocumentsTest, RefusesUnknownTargetsAndTakenSlugs) {
    auto fields = *validate(zero_draft_document());
    EXPECT_EQ(processes_->add_document(Actor::cli(), ProcessId(999), fields).error().code,
              core::ErrorCode::NotFound);
    fields.slug = accounts::Slug::parse("zero").value();
    ASSERT_TRUE(processes_->add_document(Actor::cli(), process_id_, fields).has_value());
    const auto taken = processes_->add_document(Actor::cli(), process_id_, fields);
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(taken.error().field, "slug");
    EXPECT_EQ(processes_
                  ->add_revision(Actor::cli(), DocumentId(999),
                                 *validate(revision_draft("Rev.1", "text")))
                  .error()
                  .code,
              core::ErrorCode::NotFound);
}

TEST_P(DocumentsTest, EnsureWritesOnlyOnce) {
    auto fields = *validate(zero_draft_document());
    fields.slug = accounts::Slug::parse("zero").value();
    const auto first = processes_->ensure_document(Actor::cli(), process_id_, fields);
    ASSERT_TRUE(first.has_value());
    const auto again = processes_->ensure_document(Actor::cli(), process_id_, fields);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->id, first->id);
    const auto revision = *validate(revision_draft("Zero draft", "1. One."));
    ASSERT_TRUE(processes_->ensure_revision(Actor::cli(), first->id, revision).has_value());
    const auto same = processes_->ensure_revision(Actor::cli(), first->id, revision);
    ASSERT_TRUE(same.has_value());
    EXPECT_EQ(same->number, 1);
    EXPECT_EQ(same->fields.text, "1. One.");
    EXPECT_EQ(processes_->find_document(process_id_, "zero")->revisions.size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DocumentsTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::processes
