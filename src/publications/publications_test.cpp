#include "publications/publications.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "processes/processes.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace coalition::publications {
namespace {

using accounts::Actor;

PublicationDraft news_draft() {
    return PublicationDraft{.kind = "news",
                            .title = "The coalition welcomes the WSIS+20 outcome",
                            .slug = "",
                            .language = "en",
                            .process = "",
                            .summary = "A short note.",
                            .markdown = "# Welcome\r\n\r\nWe **welcome** it.\r\n"};
}

bool has_error(const accounts::Validated<PublicationFields>& validated, std::string_view field) {
    return !validated && validated.error_for(field) != nullptr;
}

TEST(PublicationValidation, AcceptsAGoodDraftAndNormalisesIt) {
    const auto fields = validate(news_draft());
    ASSERT_TRUE(fields) << fields.errors().front().field;
    EXPECT_EQ(fields->kind, Kind::News);
    EXPECT_EQ(fields->markdown, "# Welcome\n\nWe **welcome** it.\n");
    EXPECT_FALSE(fields->slug.has_value());
    EXPECT_EQ(fields->language, "en");
}

TEST(PublicationValidation, NamesEveryBadField) {
    PublicationDraft draft;
    draft.kind = "blog";
    draft.title = std::string("Bad\xff title");
    draft.slug = "Not A Slug";
    draft.language = "de";
    draft.process = "../etc";
    draft.summary = std::string("nul\0byte", 8);
    draft.markdown = "";
    const auto fields = validate(draft);
    ASSERT_FALSE(fields);
    for (const auto* field :
         {"kind", "title", "slug", "language", "process", "summary", "markdown"}) {
        EXPECT_TRUE(has_error(fields, field)) << field;
    }
}

TEST(PublicationValidation, RefusesLineBreaksInTheTitleAndOversizedText) {
    auto draft = news_draft();
    draft.title = "Two\nlines";
    EXPECT_TRUE(has_error(validate(draft), "title"));
    draft = news_draft();
    draft.markdown = std::string(kMaxMarkdownCharacters + 1, 'a');
    EXPECT_TRUE(has_error(validate(draft), "markdown"));
    draft = news_draft();
    draft.title = "   ";
    EXPECT_TRUE(has_error(validate(draft), "title"));
    draft = news_draft();
    draft.slug = "delivered";  // A path of its own.
    EXPECT_TRUE(has_error(validate(draft), "slug"));
    draft = news_draft();
    draft.markdown = "x\x01y";
    EXPECT_TRUE(has_error(validate(draft), "markdown"));
}

TEST(PublicationValidation, KeepsHostileMarkdownAsTextForTheSafeRenderer) {
    auto draft = news_draft();
    draft.markdown = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) ' OR 1=1; --";
    const auto fields = validate(draft);
    ASSERT_TRUE(fields);
    EXPECT_NE(fields->markdown.find("<script>"), std::string::npos);
}

TEST(PlainText, DropsMarkupAndKeepsParagraphs) {
    const std::string text = plain_text("# Title\n\nSome *em* and **bold**.\n\n- one\n- two\n");
    EXPECT_NE(text.find("Title"), std::string::npos);
    EXPECT_NE(text.find("Some em and bold."), std::string::npos);
    EXPECT_EQ(text.find("**"), std::string::npos);
    EXPECT_NE(text.find("one"), std::string::npos);
    EXPECT_FALSE(plain_text(std::string("\xff\xfe broken")).empty());
}

Entry entry(std::string kind, std::string title, std::int64_t at, std::string process = "") {
    return Entry{.kind = std::move(kind),
                 .title = std::move(title),
                 .path = "/x",
                 .summary = "",
                 .language = "en",
                 .process_slug = std::move(process),
                 .published_at = at,
                 .updated_at = at};
}

TEST(ListEntries, MergesNewestFirstFiltersAndPaginates) {
    std::vector<Entry> entries = {entry("news", "b", 10), entry("statement", "s", 30),
                                  entry("response", "r", 20, "gdc"), entry("news", "a", 10, "gdc"),
                                  entry("position-paper", "p", 40)};
    auto all = list_entries(entries, Filter{});
    ASSERT_EQ(all.entries.size(), 5U);
    EXPECT_EQ(all.entries[0].title, "p");
    EXPECT_EQ(all.entries[1].title, "s");
    EXPECT_EQ(all.entries[2].title, "r");
    EXPECT_EQ(all.entries[3].title, "a");  // Same date: by title.
    EXPECT_EQ(all.pages, 1);

    auto news = list_entries(entries, Filter{.kind = "news"});
    EXPECT_EQ(news.total, 2U);
    auto gdc = list_entries(entries, Filter{.process = "gdc"});
    ASSERT_EQ(gdc.total, 2U);
    EXPECT_EQ(gdc.entries[0].title, "r");

    auto second = list_entries(entries, Filter{.page = 2, .per_page = 2});
    EXPECT_EQ(second.pages, 3);
    ASSERT_EQ(second.entries.size(), 2U);
    EXPECT_EQ(second.entries[0].title, "r");
    EXPECT_TRUE(list_entries(entries, Filter{.page = 9, .per_page = 2}).entries.empty());
    EXPECT_EQ(list_entries(entries, Filter{.page = -3, .per_page = 0}).page, 1);
    EXPECT_EQ(list_entries({}, Filter{}).pages, 1);
}

class PublicationsTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        processes_ = std::make_unique<processes::Processes>(*database_, clock_);
        organisations_ = std::make_unique<accounts::Organisations>(*database_, clock_);
        publications_ =
            std::make_unique<Publications>(*database_, clock_, *processes_, *organisations_);
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }

    Publication create(const PublicationDraft& draft = news_draft()) {
        auto fields = validate(draft);
        EXPECT_TRUE(fields);
        auto created = publications_->create(Actor::cli(), *fields);
        EXPECT_TRUE(created) << created.error().message;
        return *created;
    }

    processes::Process add_process() {
        processes::ProcessDraft draft{.name = "Global Digital Compact",
                                      .short_name = "GDC",
                                      .slug = "gdc",
                                      .kind = "un-process",
                                      .convenor = "",
                                      .description = "",
                                      .links = "",
                                      .status = "active"};
        auto created = processes_->create(Actor::cli(), *processes::validate(draft));
        EXPECT_TRUE(created);
        return *created;
    }

    core::FakeClock clock_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<processes::Processes> processes_;
    std::unique_ptr<accounts::Organisations> organisations_;
    std::unique_ptr<Publications> publications_;
};

TEST_P(PublicationsTest, CreatesADraftThatVisitorsCannotSee) {
    const auto created = create();
    EXPECT_EQ(created.slug.value(), "the-coalition-welcomes-the-wsis-20-outcome");
    EXPECT_FALSE(created.is_published());
    EXPECT_EQ(created.revision, 1);
    EXPECT_TRUE(publications_->find(created.slug.value()).has_value());
    EXPECT_FALSE(publications_->find_published(created.slug.value()).has_value());
    EXPECT_TRUE(publications_->entries().empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'publication.create'"), 1);
}

TEST_P(PublicationsTest, DerivedSlugsAreSuffixedAndTypedOnesConflict) {
    create();
    EXPECT_EQ(create().slug.value(), "the-coalition-welcomes-the-wsis-20-outcome-2");
    auto typed = news_draft();
    typed.slug = "the-coalition-welcomes-the-wsis-20-outcome";
    auto conflict = publications_->create(Actor::cli(), *validate(typed));
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(conflict.error().field, "slug");
}

TEST_P(PublicationsTest, PublishesAndUnpublishes) {
    const auto created = create();
    auto published = publications_->publish(Actor::cli(), created.id);
    ASSERT_TRUE(published);
    EXPECT_EQ(published->published_at, clock_.unix_now());
    EXPECT_TRUE(publications_->find_published(created.slug.value()).has_value());
    ASSERT_EQ(publications_->entries().size(), 1U);
    EXPECT_EQ(publications_->entries()[0].path, "/publications/" + created.slug.value());
    auto again = publications_->publish(Actor::cli(), created.id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::Conflict);

    ASSERT_TRUE(publications_->unpublish(Actor::cli(), created.id));
    EXPECT_FALSE(publications_->find_published(created.slug.value()).has_value());
    EXPECT_TRUE(publications_->entries().empty());
    EXPECT_EQ(publications_->unpublish(Actor::cli(), created.id).error().code,
              core::ErrorCode::Conflict);
    EXPECT_EQ(publications_->publish(Actor::cli(), PublicationId(999)).error().code,
              core::ErrorCode::NotFound);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE subject = $1",
                    {"publication:" + std::to_string(created.id.value())}),
              3);
}

TEST_P(PublicationsTest, EditsKeepEveryRevisionAndShowAnUpdatedDate) {
    const auto created = create();
    ASSERT_TRUE(publications_->publish(Actor::cli(), created.id));
    clock_.advance(std::chrono::hours(24));
    auto draft = news_draft();
    draft.markdown = "# Welcome\n\nWe **warmly** welcome it.\n";
    auto updated = publications_->update(Actor::cli(), created.id, *validate(draft));
    ASSERT_TRUE(updated) << updated.error().message;
    EXPECT_EQ(updated->revision, 2);
    EXPECT_EQ(updated->edited_at, clock_.unix_now());
    EXPECT_EQ(updated->slug, created.slug);  // An empty slug keeps the current one.
    const auto revisions = publications_->revisions(created.id);
    ASSERT_EQ(revisions.size(), 2U);
    EXPECT_EQ(revisions[0].number, 2);
    EXPECT_NE(revisions[1].markdown.find("**welcome**"), std::string::npos);
    ASSERT_EQ(publications_->entries().size(), 1U);
    EXPECT_GT(publications_->entries()[0].updated_at, publications_->entries()[0].published_at);

    // Changing only the kind is no new revision.
    draft.kind = "position-paper";
    auto kind_only = publications_->update(Actor::cli(), created.id, *validate(draft));
    ASSERT_TRUE(kind_only);
    EXPECT_EQ(kind_only->revision, 2);
    EXPECT_EQ(kind_only->fields.kind, Kind::PositionPaper);
    EXPECT_EQ(
        publications_->update(Actor::cli(), PublicationId(999), *validate(draft)).error().code,
        core::ErrorCode::NotFound);
}

TEST_P(PublicationsTest, BelongsOnlyToAProcessThatExists) {
    auto draft = news_draft();
    draft.process = "gdc";
    auto refused = publications_->create(Actor::cli(), *validate(draft));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "process");

    add_process();
    const auto created = create(draft);
    ASSERT_TRUE(publications_->publish(Actor::cli(), created.id));
    const auto other = create();
    ASSERT_TRUE(publications_->publish(Actor::cli(), other.id));
    const auto for_gdc = publications_->entries_for_process("gdc");
    ASSERT_EQ(for_gdc.size(), 1U);
    EXPECT_EQ(for_gdc[0].process_slug, "gdc");
    EXPECT_EQ(publications_->entries().size(), 2U);
}

TEST_P(PublicationsTest, StoresHostileTextVerbatim) {
    auto draft = news_draft();
    draft.title = "Robert'); DROP TABLE publications;--";
    draft.markdown = "<img src=x onerror=alert(1)> 中文 العربية";
    const auto created = create(draft);
    const auto found = publications_->find(created.slug.value());
    ASSERT_TRUE(found);
    EXPECT_EQ(found->fields.title, draft.title);
    EXPECT_EQ(found->fields.markdown, draft.markdown + "\n");
}

TEST_P(PublicationsTest, RecordsDeliveredStatements) {
    const auto process = add_process();
    processes::MilestoneDraft meeting;
    meeting.kind = "meeting";
    meeting.title = "Informal consultation";
    meeting.start_date = "2026-03-02";
    auto milestone =
        processes_->add_milestone(Actor::cli(), process.id, *processes::validate(meeting));
    ASSERT_TRUE(milestone);
    auto organisation = organisations_->create(
        Actor::cli(), *accounts::OrganisationDraft{.name = "InternetNZ",
                                                   .short_name = "",
                                                   .slug = "internetnz",
                                                   .country = "NZ",
                                                   .stakeholder_group = "technical-community",
                                                   .website = "",
                                                   .domain = "",
                                                   .status = "member",
                                                   .description = ""}
                           .validate());
    ASSERT_TRUE(organisation);
    const auto publication = create();

    DeliveryDraft draft{.publication = publication.slug.value(),
                        .speaker = "Riley Ngata",
                        .organisation = "internetnz",
                        .milestone = std::to_string(milestone->id.value()),
                        .meeting = "",
                        .date = "2026-03-02",
                        .link = "https://webtv.un.org/example"};
    auto delivery = publications_->validate_delivery(draft);
    ASSERT_TRUE(delivery) << delivery.errors().front().field;
    auto recorded = publications_->record_delivery(Actor::cli(), *delivery);
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->meeting, "Informal consultation");
    EXPECT_EQ(recorded->organisation_name, "InternetNZ");
    EXPECT_EQ(recorded->process_slug, "gdc");

    DeliveryDraft free_text = draft;
    free_text.milestone = "";
    free_text.organisation = "";
    free_text.meeting = "ICANN 85 public forum";
    free_text.date = "2026-03-10";
    free_text.link = "";
    ASSERT_TRUE(
        publications_->record_delivery(Actor::cli(), *publications_->validate_delivery(free_text)));

    const auto all = publications_->deliveries(std::nullopt);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].meeting, "ICANN 85 public forum");  // Latest date first.
    EXPECT_EQ(all[0].publication_title, publication.fields.title);
    EXPECT_EQ(publications_->deliveries(publication.id).size(), 2U);
    EXPECT_TRUE(publications_->deliveries(PublicationId(999)).empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'publication.delivered'"), 2);
}

TEST_P(PublicationsTest, RefusesBadDeliveries) {
    const auto publication = create();
    DeliveryDraft draft{.publication = "no-such-thing",
                        .speaker = std::string("\xc3\x28"),
                        .organisation = "nobody",
                        .milestone = "12abc",
                        .meeting = "",
                        .date = "2026-02-30",
                        .link = "javascript:alert(1)"};
    auto refused = publications_->validate_delivery(draft);
    ASSERT_FALSE(refused);
    for (const auto* field :
         {"publication", "speaker", "organisation", "milestone", "date", "link"}) {
        EXPECT_NE(refused.error_for(field), nullptr) << field;
    }
    DeliveryDraft no_meeting{.publication = publication.slug.value(),
                             .speaker = "Sam",
                             .organisation = "",
                             .milestone = "",
                             .meeting = "",
                             .date = "2026-02-28",
                             .link = ""};
    auto missing = publications_->validate_delivery(no_meeting);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error_for("meeting"), nullptr);
}

TEST_P(PublicationsTest, ADeliveryNamesAPublishedJointResponse) {
    const auto publication = create();
    const std::vector<ResponseChoice> published = {{.slug = "gdc-response", .title = "GDC"},
                                                   {.slug = "wsis", .title = "WSIS+20"}};
    DeliveryDraft draft{.publication = publication.slug.value(),
                        .speaker = "Sam",
                        .organisation = "",
                        .milestone = "",
                        .meeting = "IGF 2026 main session",
                        .date = "2026-06-23",
                        .link = "",
                        .response = "wsis"};
    auto delivery = publications_->validate_delivery(draft, published);
    ASSERT_TRUE(delivery);
    ASSERT_TRUE(publications_->record_delivery(Actor::cli(), *delivery));
    const auto all = publications_->deliveries(std::nullopt);
    ASSERT_EQ(all.size(), 1U);
    EXPECT_EQ(all[0].response_slug, "wsis");
    EXPECT_EQ(all[0].response_title, "WSIS+20");
    // Not a published response (a draft's slug, hostile text, nothing published at all).
    for (const std::string& bad :
         std::vector<std::string>{"draft-only", "wsis' OR '1'='1", std::string("\xff", 1)}) {
        draft.response = bad;
        auto refused = publications_->validate_delivery(draft, published);
        ASSERT_FALSE(refused);
        EXPECT_NE(refused.error_for("response"), nullptr);
    }
    draft.response = "wsis";
    EXPECT_NE(publications_->validate_delivery(draft).error_for("response"), nullptr);
    // None named: the columns stay empty.
    draft.response = "";
    auto plain = publications_->validate_delivery(draft, published);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->response_slug, "");
}

TEST_P(PublicationsTest, EnsurePublishedIsIdempotent) {
    auto draft = news_draft();
    draft.slug = "demo-news";
    auto first = publications_->ensure_published(Actor::cli(), *validate(draft));
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->is_published());
    auto second = publications_->ensure_published(Actor::cli(), *validate(draft));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->id, first->id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM publications"), 1);
}

INSTANTIATE_TEST_SUITE_P(Dialects, PublicationsTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::publications
