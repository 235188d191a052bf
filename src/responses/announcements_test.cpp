#include "responses/announcements.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "mail/outbox.hpp"
#include "processes/processes.hpp"
#include "responses/responses.hpp"
#include "responses/test_support.hpp"
#include "signon/signon.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coalition::responses {
namespace {

using accounts::Actor;
using core::ErrorCode;
using testing::email;
using testing::kDeadline;
using testing::kStart;

constexpr const char* kAnnouncedDraft =
    "# Response to the Global Digital Compact\n\n"
    "We support the multistakeholder model of internet governance.\n";

// A list side that keeps what it was asked to post.
class FakePoster final : public ListPoster {
public:
    struct Posted {
        std::int64_t list = 0;
        std::string author;
        std::string author_name;
        std::string subject;
        std::string body;
    };

    std::vector<AnnouncementList> lists() const override { return lists_; }
    std::optional<AnnouncementList> find(std::string_view name) const override {
        for (const auto& list : lists_) {
            if (list.name == name) {
                return list;
            }
        }
        return std::nullopt;
    }
    core::Result<ListPost> post(std::int64_t list, const core::Email& author,
                                std::string_view author_name, std::string_view subject,
                                std::string_view body) override {
        posted.push_back(Posted{list, author.unicode(), std::string(author_name),
                                std::string(subject), std::string(body)});
        if (refuse_next) {
            refuse_next = false;
            return core::Error{ErrorCode::TooLarge, "The message is longer than this list accepts.",
                               "body"};
        }
        return ListPost{.outcome = outcome, .post = next_post++};
    }

    std::vector<AnnouncementList> lists_ = {
        {.id = 7, .name = "coalition", .title = "Coalition", .address = "coalition@lists.example"},
        {.id = 9,
         .name = "announce",
         .title = "Announcements",
         .address = "announce@lists.example",
         .language = "fr",
         .holds_every_post = true}};
    std::vector<Posted> posted;
    PostOutcome outcome = PostOutcome::Accepted;
    bool refuse_next = false;
    std::int64_t next_post = 100;
};

class AnnouncementsTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        outbox_ = std::make_unique<mail::Outbox>(*database_, clock_);
        users_ = std::make_unique<accounts::Users>(*database_, clock_);
        organisations_ = std::make_unique<accounts::Organisations>(*database_, clock_);
        processes_ = std::make_unique<processes::Processes>(*database_, clock_);
        log_ = std::make_unique<signon::TransparencyLog>(*database_, clock_, key_);
        responses_ = std::make_unique<Responses>(*database_, clock_, random_, *outbox_, *users_,
                                                 *organisations_, *processes_, settings_);
        endorsements_ =
            std::make_unique<Endorsements>(*database_, clock_, random_, *outbox_, *users_,
                                           *organisations_, *processes_, *log_, settings_);
        announcements_ = std::make_unique<Announcements>(*database_, clock_, *users_,
                                                         *organisations_, poster_, settings_);
        accounts::OrganisationDraft draft{.name = "Nominet",
                                          .short_name = "",
                                          .slug = "",
                                          .country = "GB",
                                          .stakeholder_group = "technical-community",
                                          .website = "",
                                          .domain = "",
                                          .status = "member",
                                          .description = ""};
        auto organisation = organisations_->create(Actor::cli(), *draft.validate());
        ASSERT_TRUE(organisation.has_value());
        admin_ = make_user("admin@coalition.example", accounts::Role::Admin, std::nullopt);
        editor_ = make_user("editor@nominet.example", accounts::Role::Member, organisation->id);
        member_ = make_user("ana@nominet.example", accounts::Role::Member, organisation->id);
        loner_ = make_user("lee@nowhere.example", accounts::Role::Member, std::nullopt);
        auto fields = validate(ResponseDraft{.title = "GDC response",
                                             .deadline_date = "2026-03-24",
                                             .deadline_time = "17:00",
                                             .deadline_zone = "Europe/London"});
        ASSERT_TRUE(fields.has_value());
        ASSERT_TRUE(responses_->create(Actor::user(admin_), *fields, kAnnouncedDraft, {editor_})
                        .has_value());
    }

    accounts::UserId make_user(const std::string& address, accounts::Role role,
                               std::optional<accounts::OrganisationId> organisation) {
        auto user = users_->add_user(
            Actor::cli(), accounts::NewUser{.email = email(address),
                                            .display_name = address.substr(0, address.find('@')),
                                            .role = role,
                                            .organisation = organisation});
        EXPECT_TRUE(user.has_value()) << address;
        return user->id;
    }

    core::Result<Announcement> announce(accounts::UserId user, const std::string& list,
                                        const std::string& event, const std::string& note = "") {
        return announcements_->announce(Actor::user(user), "gdc-response",
                                        {.list = list, .event = event, .note = note});
    }

    void freeze() {
        auto round = endorsements_->freeze(Actor::user(editor_), "gdc-response",
                                           {.deadline_date = "2026-01-20",
                                            .deadline_time = "17:00",
                                            .deadline_zone = "Europe/London",
                                            .based_on = 1});
        ASSERT_TRUE(round.has_value()) << round.error().message;
    }

    std::int64_t count(const std::string& sql) { return database_->query_one(sql)->integer(0); }

    core::FakeClock clock_{core::TimePoint{core::Seconds{kStart}}};
    core::SecureRandom random_;
    signon::LogKey key_ = signon::LogKey::from_seed({});
    ResponseSettings settings_{.base_url = "https://coalition.example",
                               .site_name = "Coalition",
                               .sender = {"Coalition", email("noreply@coalition.example")}};
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<accounts::Users> users_;
    std::unique_ptr<accounts::Organisations> organisations_;
    std::unique_ptr<processes::Processes> processes_;
    std::unique_ptr<signon::TransparencyLog> log_;
    std::unique_ptr<Responses> responses_;
    std::unique_ptr<Endorsements> endorsements_;
    FakePoster poster_;
    std::unique_ptr<Announcements> announcements_;
    accounts::UserId admin_, editor_, member_, loner_;
};

TEST_P(AnnouncementsTest, EditorAnnouncesTheDraftAndItIsRecordedAndAudited) {
    auto announced = announce(editor_, "coalition", "draft", "Comments by Friday, please.");
    ASSERT_TRUE(announced.has_value()) << announced.error().message;
    EXPECT_EQ(announced->event, AnnouncementEvent::DraftOpened);
    EXPECT_EQ(announced->version_number, 1);
    EXPECT_EQ(announced->list_id, 7);
    EXPECT_EQ(announced->post, 100);
    ASSERT_EQ(poster_.posted.size(), 1U);
    const auto& posted = poster_.posted.front();
    EXPECT_EQ(posted.list, 7);
    EXPECT_EQ(posted.author, "editor@nominet.example");
    EXPECT_EQ(posted.author_name, "editor");
    EXPECT_EQ(posted.subject, "Draft open for comments: GDC response");
    EXPECT_NE(posted.body.find("\nhttps://coalition.example/responses/gdc-response\n"),
              std::string::npos)
        << posted.body;
    EXPECT_NE(posted.body.find("A note from editor:\n\nComments by Friday, please.\n"),
              std::string::npos)
        << posted.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.announce'"), 1);

    auto options = announcements_->options(Actor::user(editor_), "gdc-response");
    ASSERT_TRUE(options.has_value());
    ASSERT_EQ(options->history.size(), 1U);
    EXPECT_EQ(options->history.front().list_name, "coalition");
    EXPECT_EQ(options->history.front().editor_name, "editor");
    EXPECT_EQ(options->history.front().announced_at, kStart);
    EXPECT_EQ(options->history.front().subject, posted.subject);
    EXPECT_EQ(options->lists.size(), 2U);
    // One version, never frozen: only the draft can be announced.
    EXPECT_EQ(options->events, std::vector<AnnouncementEvent>{AnnouncementEvent::DraftOpened});
    EXPECT_FALSE(options->open_round.has_value());
}

TEST_P(AnnouncementsTest, OnlyEditorsAndAdminsAnnounceAndRefusalsAreAudited) {
    for (const auto user : {member_, loner_}) {
        auto refused = announce(user, "coalition", "draft");
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, ErrorCode::Forbidden);
        EXPECT_EQ(announcements_->options(Actor::user(user), "gdc-response").error().code,
                  ErrorCode::Forbidden);
    }
    // The command line has no address to post from.
    EXPECT_EQ(announcements_
                  ->announce(Actor::cli(), "gdc-response", {.list = "coalition", .event = "draft"})
                  .error()
                  .code,
              ErrorCode::Forbidden);
    EXPECT_TRUE(poster_.posted.empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.refused' AND details "
                    "LIKE '%announce%'"),
              5);
    EXPECT_TRUE(announce(admin_, "coalition", "draft").has_value());
    EXPECT_EQ(announcements_->announce(Actor::user(editor_), "no-such-response", {}).error().code,
              ErrorCode::NotFound);
}

TEST_P(AnnouncementsTest, BadInputIsRefusedWithItsFieldAndNothingIsPosted) {
    struct Case {
        std::string list;
        std::string event;
        std::string note;
        std::string field;
    };
    const std::vector<Case> cases = {
        {"no-such-list", "draft", "", "list"},
        {"", "draft", "", "list"},
        {std::string("coal\xff", 5), "draft", "", "list"},
        {"coalition'; DROP TABLE responses; --", "draft", "", "list"},
        {"coalition", "everything", "", "event"},
        {"coalition", "", "", "event"},
        {"coalition", "draft", std::string("bad \xc3\x28 bytes"), "note"},
        {"coalition", "draft", std::string("nul\0byte", 8), "note"},
        {"coalition", "draft", "bell\x07", "note"},
        {"coalition", "draft", std::string(kMaxAnnouncementNoteCharacters + 1, 'x'), "note"},
        {"coalition", "draft", std::string(100'000, 'x'), "note"},
    };
    for (const auto& bad : cases) {
        auto refused = announce(editor_, bad.list, bad.event, bad.note);
        ASSERT_FALSE(refused.has_value()) << bad.field;
        EXPECT_EQ(refused.error().code, ErrorCode::Invalid) << bad.field;
        EXPECT_EQ(refused.error().field, bad.field);
    }
    EXPECT_TRUE(poster_.posted.empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_announcements"), 0);
    // A note at the limit is fine; one the list refuses comes back on the note.
    EXPECT_TRUE(
        announce(editor_, "coalition", "draft", std::string(kMaxAnnouncementNoteCharacters, 'x'))
            .has_value());
    poster_.refuse_next = true;
    auto refused = announce(editor_, "coalition", "draft");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::TooLarge);
    EXPECT_EQ(refused.error().field, "note");
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_announcements"), 1);
}

TEST_P(AnnouncementsTest, HostileNoteIsSentAsTypedAndBracesStay) {
    const std::string note = "<script>alert(1)</script> {title} & \"quotes\"\r\nsecond line";
    ASSERT_TRUE(announce(editor_, "coalition", "draft", note).has_value());
    EXPECT_NE(poster_.posted.front().body.find(
                  "<script>alert(1)</script> {title} & \"quotes\"\nsecond line\n"),
              std::string::npos)
        << poster_.posted.front().body;
}

TEST_P(AnnouncementsTest, CallForEndorsementOnlyWhileARoundIsOpen) {
    auto refused = announce(editor_, "coalition", "endorsement");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    EXPECT_EQ(refused.error().field, "event");
    EXPECT_EQ(announce(editor_, "coalition", "version").error().field, "event");

    freeze();
    auto options = announcements_->options(Actor::user(editor_), "gdc-response");
    ASSERT_TRUE(options.has_value());
    EXPECT_EQ(options->events.back(), AnnouncementEvent::CallForEndorsement);
    ASSERT_TRUE(options->open_round.has_value());
    EXPECT_EQ(options->open_round->deadline.utc(), kDeadline);

    auto announced = announce(editor_, "coalition", "endorsement");
    ASSERT_TRUE(announced.has_value()) << announced.error().message;
    EXPECT_EQ(announced->version_number, 1);
    const auto& posted = poster_.posted.back();
    EXPECT_EQ(posted.subject.rfind("Call for endorsement: GDC response (until ", 0), 0U)
        << posted.subject;
    EXPECT_NE(posted.subject.find("Europe/London)"), std::string::npos) << posted.subject;
    EXPECT_NE(posted.body.find("https://coalition.example/responses/gdc-response#endorsement"),
              std::string::npos);
    EXPECT_NE(posted.body.find("17:00"), std::string::npos) << posted.body;

    clock_.advance(core::Seconds{kDeadline - kStart});
    EXPECT_EQ(announce(editor_, "coalition", "endorsement").error().code, ErrorCode::Conflict);
}

TEST_P(AnnouncementsTest, NewVersionLinksToTheDifferences) {
    EXPECT_FALSE(announce(editor_, "coalition", "version").has_value());
    ASSERT_TRUE(responses_
                    ->revise(Actor::user(editor_), "gdc-response",
                             "# Response\n\nWe strongly support the multistakeholder model.\n",
                             "Tighter", 1)
                    .has_value());
    auto announced = announce(editor_, "coalition", "version");
    ASSERT_TRUE(announced.has_value()) << announced.error().message;
    EXPECT_EQ(announced->version_number, 2);
    EXPECT_EQ(poster_.posted.back().subject, "New version 2 of the draft: GDC response");
    EXPECT_NE(poster_.posted.back().body.find(
                  "https://coalition.example/responses/gdc-response/diff?from=1&to=2"),
              std::string::npos);
}

TEST_P(AnnouncementsTest, HeldPostsAreRecordedAsHeldNewestFirst) {
    ASSERT_TRUE(announce(editor_, "coalition", "draft").has_value());
    clock_.advance(core::Seconds{60});
    poster_.outcome = PostOutcome::Held;
    auto held = announce(admin_, "announce", "draft");
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(held->outcome, PostOutcome::Held);
    auto options = announcements_->options(Actor::user(admin_), "gdc-response");
    ASSERT_TRUE(options.has_value());
    ASSERT_EQ(options->history.size(), 2U);
    EXPECT_EQ(options->history[0].list_name, "announce");
    EXPECT_EQ(options->history[0].outcome, PostOutcome::Held);
    EXPECT_EQ(options->history[0].editor_name, "admin");
    EXPECT_EQ(options->history[1].outcome, PostOutcome::Accepted);
}

INSTANTIATE_TEST_SUITE_P(Backends, AnnouncementsTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

TEST(ComposeAnnouncement, EveryEventNamesTheTitleAndTheLinkOnItsOwnLine) {
    for (const auto event : {AnnouncementEvent::DraftOpened, AnnouncementEvent::NewVersion,
                             AnnouncementEvent::CallForEndorsement}) {
        const auto mail = compose_announcement({.event = event,
                                                .title = "A title\nwith a break",
                                                .version_number = 3,
                                                .link = "https://example.org/responses/x",
                                                .deadline = "20 January 2026 17:00 Europe/London",
                                                .note = "",
                                                .editor = "Ana",
                                                .site_name = "Coalition"},
                                               "xx-unknown");
        EXPECT_EQ(mail.subject.find('\n'), std::string::npos) << mail.subject;
        EXPECT_NE(mail.subject.find("A title with a break"), std::string::npos) << mail.subject;
        EXPECT_NE(mail.body.find("\nhttps://example.org/responses/x\n"), std::string::npos);
        EXPECT_EQ(mail.body.find("A note from"), std::string::npos);
    }
}

TEST(AnnouncementIds, RoundTrip) {
    for (const auto event : {AnnouncementEvent::DraftOpened, AnnouncementEvent::NewVersion,
                             AnnouncementEvent::CallForEndorsement}) {
        EXPECT_EQ(parse_announcement_event(id(event)), event);
    }
    for (const auto outcome : {PostOutcome::Accepted, PostOutcome::Held, PostOutcome::Rejected,
                               PostOutcome::Discarded}) {
        EXPECT_EQ(parse_post_outcome(id(outcome)), outcome);
    }
    EXPECT_FALSE(parse_announcement_event("Draft").has_value());
    EXPECT_FALSE(parse_post_outcome("").has_value());
}

}  // namespace
}  // namespace coalition::responses
