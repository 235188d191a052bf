#include "responses/endorsement.hpp"

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

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace coalition::responses {
namespace {

using accounts::Actor;
using core::ErrorCode;
using testing::email;
using testing::kDeadline;
using testing::kStart;
using testing::organisation_fields;

constexpr const char* kEndorsedDraft =
    "# Response to the Global Digital Compact\n\n"
    "The coalition *welcomes* the consultation\non the Global Digital Compact.\n\n"
    "## Principles\n\n"
    "We support the multistakeholder model of internet governance.\n";

// A clock that reads `first` once, then `then` ever after: a deadline passing between the
// request's first look and its transaction.
class SteppingClock final : public core::Clock {
public:
    SteppingClock(std::int64_t first, std::int64_t then) : first_(first), then_(then) {}
    core::TimePoint now() const override {
        return core::TimePoint{core::Seconds{calls_++ == 0 ? first_ : then_}};
    }

private:
    std::int64_t first_;
    std::int64_t then_;
    mutable std::atomic<int> calls_{0};
};

// Everything one server has, on one database.
struct Server {
    Server(store::Database& database, const core::Clock& clock)
        : outbox(database, clock),
          users(database, clock),
          organisations(database, clock),
          processes(database, clock),
          log(database, clock, key),
          settings{.base_url = "https://coalition.example",
                   .site_name = "Coalition",
                   .sender = {"Coalition", email("noreply@coalition.example")}},
          responses(database, clock, random, outbox, users, organisations, processes, settings),
          endorsements(database, clock, random, outbox, users, organisations, processes, log,
                       settings) {}

    core::SecureRandom random;
    signon::LogKey key = signon::LogKey::from_seed({});
    mail::Outbox outbox;
    accounts::Users users;
    accounts::Organisations organisations;
    processes::Processes processes;
    signon::TransparencyLog log;
    ResponseSettings settings;
    Responses responses;
    Endorsements endorsements;
};

class EndorsementTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        server_ = std::make_unique<Server>(*database_, clock_);
        org_a_ = make_organisation("Nominet", "member", "GB");
        org_b_ = make_organisation("auDA", "member", "AU");
        org_c_ = make_organisation("CIRA", "member", "CA");
        const auto candidate = make_organisation("Candidate Registry", "candidate", "NZ");
        admin_ = make_user("admin@coalition.example", accounts::Role::Admin, {});
        editor_ = make_user("editor@nominet.example", accounts::Role::Member, org_a_);
        member_a_ = make_user("ana@nominet.example", accounts::Role::Member, org_a_);
        member_b_ = make_user("bo@auda.example", accounts::Role::Member, org_b_);
        member_c_ = make_user("chen@cira.example", accounts::Role::Member, org_c_);
        outsider_ = make_user("olga@candidate.example", accounts::Role::Member, candidate);
        loner_ = make_user("lee@nowhere.example", accounts::Role::Member, {});

        ResponseDraft draft{.title = "GDC response",
                            .deadline_date = "2026-03-24",
                            .deadline_time = "17:00",
                            .deadline_zone = "Europe/London",
                            .link = "https://www.un.org/techenvoy/global-digital-compact"};
        auto fields = validate(draft);
        ASSERT_TRUE(fields.has_value());
        auto created =
            server_->responses.create(Actor::user(admin_), *fields, kEndorsedDraft, {editor_});
        ASSERT_TRUE(created.has_value());
    }

    accounts::OrganisationId make_organisation(const std::string& name, const std::string& status,
                                               const std::string& country) {
        auto created =
            server_->organisations.create(Actor::cli(), organisation_fields(name, status, country));
        EXPECT_TRUE(created.has_value()) << name;
        return created->id;
    }

    accounts::UserId make_user(const std::string& address, accounts::Role role,
                               std::optional<accounts::OrganisationId> organisation) {
        auto user = server_->users.add_user(
            Actor::cli(), accounts::NewUser{.email = email(address),
                                            .display_name = address.substr(0, address.find('@')),
                                            .role = role,
                                            .organisation = organisation});
        EXPECT_TRUE(user.has_value()) << address;
        return user->id;
    }

    void set_time(std::int64_t unix_seconds) {
        clock_.advance(core::Seconds{unix_seconds} - clock_.now().time_since_epoch());
    }

    Endorsements& endorsements() { return server_->endorsements; }

    Round freeze(int based_on = 1, const std::string& time = "17:00") {
        auto round = endorsements().freeze(Actor::user(editor_), "gdc-response",
                                           {.deadline_date = "2026-01-20",
                                            .deadline_time = time,
                                            .deadline_zone = "Europe/London",
                                            .based_on = based_on});
        EXPECT_TRUE(round.has_value()) << (round ? "" : round.error().message);
        return round ? *round : Round{};
    }

    core::Result<Answer> answer(accounts::UserId user, accounts::OrganisationId organisation,
                                const std::string& kind, const std::string& hash,
                                const std::string& reason = "",
                                const std::string& language = "en") {
        return endorsements().answer(Actor::user(user), "gdc-response",
                                     {.organisation = organisation,
                                      .answer = kind,
                                      .reason = reason,
                                      .version_hash = hash,
                                      .language = language});
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }
    std::int64_t refusals() {
        return count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.refused'");
    }
    std::int64_t outbox_count(const std::string& like = "%") {
        return count("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE $1", {like});
    }

    core::FakeClock clock_{core::TimePoint{core::Seconds{kStart}}};
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Server> server_;
    accounts::OrganisationId org_a_, org_b_, org_c_;
    accounts::UserId admin_, editor_, member_a_, member_b_, member_c_, outsider_, loner_;
};

TEST_P(EndorsementTest, FreezeRefusesBadDeadlinesStaleFormsAndNonEditors) {
    auto freeze_with = [&](accounts::UserId user, const std::string& date, const std::string& time,
                           const std::string& zone, int based_on = 1) {
        return endorsements().freeze(Actor::user(user), "gdc-response",
                                     {.deadline_date = date,
                                      .deadline_time = time,
                                      .deadline_zone = zone,
                                      .based_on = based_on});
    };
    auto refused = freeze_with(editor_, "2026-01-20", "17:00", "Mars/Olympus");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::Invalid);
    EXPECT_EQ(refused.error().field, "deadline_zone");
    // 01:30 on 29 March 2026 does not exist in London (clocks go forward at 01:00).
    refused = freeze_with(editor_, "2026-03-29", "01:30", "Europe/London");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::Invalid);
    EXPECT_EQ(refused.error().field.rfind("deadline_", 0), 0U) << refused.error().field;
    refused = freeze_with(editor_, "2025-12-31", "17:00", "Europe/London");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field, "deadline_date");
    refused = freeze_with(editor_, "2026-02-30", "17:00", "Europe/London");
    EXPECT_EQ(refused.error().field, "deadline_date");
    refused = freeze_with(editor_, "2026-01-20", "25:00", "Europe/London");
    EXPECT_EQ(refused.error().field, "deadline_time");
    refused = freeze_with(editor_, "2026-01-20", "17:00", "Europe/London", 7);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    EXPECT_EQ(refused.error().field, "based_on");

    const auto before = refusals();
    for (const auto user : {member_b_, outsider_, loner_}) {
        refused = freeze_with(user, "2026-01-20", "17:00", "Europe/London");
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, ErrorCode::Forbidden);
    }
    EXPECT_EQ(refusals(), before + 3);
    EXPECT_EQ(endorsements().freeze(Actor::user(editor_), "nope", {}).error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_rounds"), 0);

    const Round round = freeze();
    EXPECT_EQ(round.version_number, 1);
    EXPECT_EQ(round.deadline.utc(), kDeadline);
    EXPECT_EQ(round.version_hash,
              server_->responses.text(Actor::user(admin_), "gdc-response", 1)->version.hash);
    EXPECT_EQ(server_->responses.find(Actor::user(admin_), "gdc-response")->status,
              ResponseStatus::OpenForEndorsement);
    // Drafting is over: no comments while the text is open for endorsement.
    EXPECT_EQ(server_->responses.comment(Actor::user(member_b_), "gdc-response", "p-2", "Late")
                  .error()
                  .code,
              ErrorCode::Conflict);
}

TEST_P(EndorsementTest, RepresentativesAnswerChangeAndWithdraw) {
    auto early = answer(member_b_, org_b_, "endorse", "0000");
    ASSERT_FALSE(early.has_value());
    EXPECT_EQ(early.error().code, ErrorCode::Conflict);  // Nothing is open yet.

    const Round round = freeze();
    auto endorsed = answer(member_b_, org_b_, "endorse", round.version_hash, "", "fr");
    ASSERT_TRUE(endorsed.has_value()) << endorsed.error().message;
    EXPECT_EQ(endorsed->kind, AnswerKind::Endorse);
    EXPECT_EQ(endorsed->version_hash, round.version_hash);
    // A double submission changes nothing.
    clock_.advance(core::Seconds{60});
    auto again = answer(member_b_, org_b_, "endorse", round.version_hash, "", "fr");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->answered_at, endorsed->answered_at);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.answer'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_answers"), 1);

    // Another representative of the same organisation changes its answer; the reason is kept
    // verbatim (hostile text is only text).
    const std::string hostile = "'); DROP TABLE response_answers; -- <script>x</script>";
    auto objected = answer(member_a_, org_a_, "object", round.version_hash, hostile);
    ASSERT_TRUE(objected.has_value());
    auto changed = answer(editor_, org_a_, "abstain", round.version_hash, "On reflection.");
    ASSERT_TRUE(changed.has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_answers"), 2);
    auto state = endorsements().state(Actor::user(member_a_), "gdc-response");
    ASSERT_TRUE(state.has_value());
    EXPECT_TRUE(state->is_open);
    ASSERT_TRUE(state->answer.has_value());
    EXPECT_EQ(state->answer->kind, AnswerKind::Abstain);
    EXPECT_EQ(state->answer->reason, "On reflection.");
    EXPECT_TRUE(state->answer_is_current);
    EXPECT_FALSE(state->can_freeze);
    EXPECT_EQ(state->organisation->id, org_a_);

    ASSERT_TRUE(endorsements().withdraw(Actor::user(member_a_), "gdc-response", org_a_));
    ASSERT_TRUE(endorsements().withdraw(Actor::user(member_a_), "gdc-response", org_a_));
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_answers"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.withdraw_answer'"), 1);

    auto overview = endorsements().overview(Actor::user(editor_), "gdc-response");
    ASSERT_TRUE(overview.has_value());
    EXPECT_EQ(overview->organisations.size(), 3U);  // Member organisations only.
    EXPECT_EQ(overview->endorsed, 1);
    EXPECT_EQ(overview->not_answered, 2);
    EXPECT_EQ(endorsements().overview(Actor::user(member_b_), "gdc-response").error().code,
              ErrorCode::Forbidden);
}

TEST_P(EndorsementTest, AnswersForOthersAndBadInputAreRefused) {
    const Round round = freeze();
    const auto before = refusals();
    // Another organisation's answer, a candidate's representative, a user without one, an
    // admin without one, the command line.
    for (const auto& [user, organisation] :
         std::vector<std::pair<accounts::UserId, accounts::OrganisationId>>{
             {member_b_, org_a_}, {outsider_, org_b_}, {loner_, org_b_}, {admin_, org_a_}}) {
        auto refused = answer(user, organisation, "endorse", round.version_hash);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, ErrorCode::Forbidden);
    }
    EXPECT_EQ(
        endorsements()
            .answer(
                Actor::cli(), "gdc-response",
                {.organisation = org_a_, .answer = "endorse", .version_hash = round.version_hash})
            .error()
            .code,
        ErrorCode::Forbidden);
    EXPECT_EQ(endorsements().withdraw(Actor::user(member_b_), "gdc-response", org_c_).error().code,
              ErrorCode::Forbidden);
    EXPECT_EQ(refusals(), before + 6);
    const auto audit = accounts::AuditLog(*database_).recent(1);
    EXPECT_EQ(audit[0].details, R"({"attempt":"withdraw"})");

    auto bad = answer(member_b_, org_b_, "endorse; DROP TABLE x", round.version_hash);
    EXPECT_EQ(bad.error().field, "answer");
    bad = answer(member_b_, org_b_, "endorse", round.version_hash, "bad \xff\xfe utf-8");
    EXPECT_EQ(bad.error().field, "reason");
    bad = answer(member_b_, org_b_, "endorse", round.version_hash, std::string("nul\0byte", 8));
    EXPECT_EQ(bad.error().field, "reason");
    bad = answer(member_b_, org_b_, "endorse", round.version_hash, std::string(20'000, 'x'));
    EXPECT_EQ(bad.error().field, "reason");
    bad = answer(member_b_, org_b_, "endorse", std::string(64, 'a'));
    EXPECT_EQ(bad.error().code, ErrorCode::Conflict);
    EXPECT_EQ(bad.error().field, "version_hash");
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_answers"), 0);
}

TEST_P(EndorsementTest, TheDeadlineIsCheckedInsideTheWritingTransaction) {
    const Round round = freeze();
    // The request's first look is a second before the deadline; by the time its transaction
    // runs, the deadline has passed.
    SteppingClock stepping(kDeadline - 1, kDeadline);
    Endorsements racing(*database_, stepping, server_->random, server_->outbox, server_->users,
                        server_->organisations, server_->processes, server_->log,
                        server_->settings);
    auto late = racing.answer(
        Actor::user(member_b_), "gdc-response",
        {.organisation = org_b_, .answer = "endorse", .version_hash = round.version_hash});
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code, ErrorCode::Conflict);
    EXPECT_EQ(late.error().message, "The deadline for answers has passed.");
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_answers"), 0);

    ASSERT_TRUE(answer(member_c_, org_c_, "endorse", round.version_hash));
    set_time(kDeadline);
    EXPECT_EQ(answer(member_b_, org_b_, "endorse", round.version_hash).error().code,
              ErrorCode::Conflict);
    EXPECT_EQ(endorsements().withdraw(Actor::user(member_c_), "gdc-response", org_c_).error().code,
              ErrorCode::Conflict);
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_answers"), 1);
}

TEST_P(EndorsementTest, ANewFrozenVersionAsksEarlierAnswersAgain) {
    const Round first = freeze();
    ASSERT_TRUE(answer(member_b_, org_b_, "endorse", first.version_hash, "", "fr"));
    ASSERT_TRUE(answer(member_c_, org_c_, "object", first.version_hash, "Too weak."));
    // The same version with a later deadline: answers still count, nobody is asked again.
    const Round extended = freeze(1, "18:00");
    EXPECT_EQ(extended.version_hash, first.version_hash);
    EXPECT_EQ(outbox_count(), 0);

    auto revised = server_->responses.revise(
        Actor::user(editor_), "gdc-response",
        std::string(kEndorsedDraft) + "\nA new closing paragraph.\n", "Closing added", 1);
    ASSERT_TRUE(revised.has_value()) << revised.error().message;
    const Round second = freeze(2);
    EXPECT_NE(second.version_hash, first.version_hash);
    // One mail to each earlier answerer, in the language they answered in (so no one subject).
    EXPECT_EQ(outbox_count(), 2);
    const auto bytes = database_->query_one(
        "SELECT bytes FROM mail_outbox WHERE recipients LIKE '%bo@auda.example%'");
    ASSERT_TRUE(bytes.has_value());
    EXPECT_NE(bytes->text(0).find("Content-Language: fr"), std::string::npos);

    auto state = endorsements().state(Actor::user(member_b_), "gdc-response");
    ASSERT_TRUE(state->answer.has_value());
    EXPECT_FALSE(state->answer_is_current);
    auto overview = endorsements().overview(Actor::user(editor_), "gdc-response");
    EXPECT_EQ(overview->earlier, 2);
    EXPECT_EQ(overview->endorsed, 0);
    // A form still showing the first text is stale.
    auto stale = answer(member_b_, org_b_, "endorse", first.version_hash);
    EXPECT_EQ(stale.error().field, "version_hash");
    ASSERT_TRUE(answer(member_b_, org_b_, "endorse", second.version_hash));
    overview = endorsements().overview(Actor::user(editor_), "gdc-response");
    EXPECT_EQ(overview->endorsed, 1);
    EXPECT_EQ(overview->earlier, 1);
}

TEST_P(EndorsementTest, RemindersGoToOrganisationsThatHaveNotAnsweredOnce) {
    const Round round = freeze();
    ASSERT_TRUE(answer(member_b_, org_b_, "endorse", round.version_hash));
    set_time(kDeadline - 3 * core::kSecondsPerDay - 1);
    EXPECT_EQ(endorsements().send_reminders(), 0);
    set_time(kDeadline - 3 * core::kSecondsPerDay);
    // Nominet (two representatives) and CIRA; auDA answered.
    EXPECT_EQ(endorsements().send_reminders(), 3);
    EXPECT_EQ(endorsements().send_reminders(), 0);
    EXPECT_EQ(outbox_count("Reminder: endorse GDC response by %"), 3);
    ASSERT_TRUE(answer(member_c_, org_c_, "abstain", round.version_hash));
    set_time(kDeadline - core::kSecondsPerDay);
    EXPECT_EQ(endorsements().send_reminders(), 2);
    set_time(kDeadline - 60);
    EXPECT_EQ(endorsements().send_reminders(), 0);
    set_time(kDeadline + 1);
    EXPECT_EQ(endorsements().send_reminders(), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM response_reminders_sent"), 3);
}

TEST_P(EndorsementTest, TwoServersRacingSendEachReminderOnce) {
    freeze();
    set_time(kDeadline - 2 * core::kSecondsPerDay);
    // A second Database on the same database, as a second `coalition serve` has (SQLite: the
    // same Database object, as its one writer serialises every server on one file anyway).
    std::unique_ptr<store::Database> second;
    if (GetParam() == store::Dialect::Postgresql) {
        second = store::open_database(store::testing::database_url(*database_));
    }
    Server other(second ? *second : *database_, clock_);
    for (int round = 0; round < 3; ++round) {
        int first_count = 0;
        int second_count = 0;
        std::thread one([&] { first_count = endorsements().send_reminders(); });
        std::thread two([&] { second_count = other.endorsements.send_reminders(); });
        one.join();
        two.join();
        EXPECT_EQ(first_count + second_count, round == 0 ? 4 : 0);
    }
    EXPECT_EQ(outbox_count("Reminder:%"), 4);
}

TEST_P(EndorsementTest, PublishingPutsEndorsersInTheLogAndOnThePublicPage) {
    EXPECT_FALSE(endorsements().publication("gdc-response", "en").has_value());
    const Round round = freeze();
    ASSERT_TRUE(answer(member_b_, org_b_, "endorse", round.version_hash));
    ASSERT_TRUE(answer(member_c_, org_c_, "endorse", round.version_hash));
    ASSERT_TRUE(answer(member_a_, org_a_, "object", round.version_hash, "Secret reason"));
    EXPECT_EQ(endorsements().publish(Actor::user(editor_), "gdc-response").error().code,
              ErrorCode::Conflict);  // Still open.
    EXPECT_FALSE(endorsements().publication("gdc-response", "en").has_value());
    set_time(kDeadline);
    EXPECT_EQ(endorsements().publish(Actor::user(member_b_), "gdc-response").error().code,
              ErrorCode::Forbidden);
    auto state = endorsements().state(Actor::user(editor_), "gdc-response");
    EXPECT_TRUE(state->can_publish);

    auto published = endorsements().publish(Actor::user(editor_), "gdc-response");
    ASSERT_TRUE(published.has_value()) << published.error().message;
    ASSERT_EQ(published->endorsers.size(), 2U);
    EXPECT_EQ(published->endorsers[0].name, "auDA");
    EXPECT_EQ(published->endorsers[1].name, "CIRA");
    EXPECT_EQ(published->version_hash, round.version_hash);
    EXPECT_EQ(published->published_at, kDeadline);
    EXPECT_EQ(published->consultation_url, "https://www.un.org/techenvoy/global-digital-compact");

    // One leaf per endorser, naming the response, the hash and the organisation; nothing of
    // the objection.
    ASSERT_EQ(server_->log.size(), 2U);
    const auto entries = server_->log.entries(0, 2);
    for (const auto& entry : entries) {
        ASSERT_TRUE(entry.leaf.has_value());
        EXPECT_NE(entry.leaf->find(R"("type":"response.endorsed")"), std::string::npos);
        EXPECT_NE(entry.leaf->find(R"("response":"gdc-response")"), std::string::npos);
        EXPECT_NE(entry.leaf->find(round.version_hash), std::string::npos);
        EXPECT_EQ(entry.leaf->find("Nominet"), std::string::npos);
        EXPECT_EQ(entry.leaf->find("Secret"), std::string::npos);
    }
    EXPECT_NE(entries[published->endorsers[0].log_index].leaf->find(R"("name":"auDA")"),
              std::string::npos);

    EXPECT_EQ(endorsements().publish(Actor::user(editor_), "gdc-response").error().code,
              ErrorCode::Conflict);
    EXPECT_EQ(endorsements()
                  .freeze(Actor::user(editor_), "gdc-response",
                          {.deadline_date = "2026-02-20",
                           .deadline_time = "17:00",
                           .deadline_zone = "UTC",
                           .based_on = 1})
                  .error()
                  .code,
              ErrorCode::Conflict);
    EXPECT_EQ(server_->responses.revise(Actor::user(editor_), "gdc-response", "New text.", "", 1)
                  .error()
                  .code,
              ErrorCode::Conflict);
    EXPECT_EQ(server_->log.size(), 2U);

    auto listed = server_->responses.published(10);
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_EQ((*listed)[0].slug, "gdc-response");
    EXPECT_EQ((*listed)[0].endorsers, 2U);
    EXPECT_EQ((*listed)[0].version_hash, round.version_hash);
    EXPECT_TRUE(server_->responses.published(0)->empty());
}

TEST_P(EndorsementTest, EndorsersAreSortedAsReadersOfTheLanguageExpect) {
    const auto zeta = make_organisation("Zeta Registry", "member", "SE");
    const auto angstrom = make_organisation("Ångström Registry", "member", "SE");
    const auto zeta_user = make_user("z@zeta.example", accounts::Role::Member, zeta);
    const auto angstrom_user = make_user("a@angstrom.example", accounts::Role::Member, angstrom);
    const Round round = freeze();
    for (const auto& [user, organisation] :
         std::vector<std::pair<accounts::UserId, accounts::OrganisationId>>{
             {zeta_user, zeta}, {angstrom_user, angstrom}, {member_b_, org_b_}}) {
        ASSERT_TRUE(answer(user, organisation, "endorse", round.version_hash));
    }
    set_time(kDeadline + 1);
    ASSERT_TRUE(endorsements().publish(Actor::user(admin_), "gdc-response"));
    auto names = [&](const std::string& language) {
        std::vector<std::string> out;
        const auto publication = endorsements().publication("gdc-response", language);
        for (const auto& endorser : publication->endorsers) {
            out.push_back(endorser.name);
        }
        return out;
    };
    // "Å" is a kind of "A" in English, a letter after "Z" in Swedish.
    EXPECT_EQ(names("en"),
              (std::vector<std::string>{"Ångström Registry", "auDA", "Zeta Registry"}));
    EXPECT_EQ(names("sv"),
              (std::vector<std::string>{"auDA", "Zeta Registry", "Ångström Registry"}));
}

TEST_P(EndorsementTest, EditorsChooseTheEndorsersOrderAndCanGoBackToAlphabetical) {
    const auto zeta = make_organisation("Zeta Registry", "member", "SE");
    const auto zeta_user = make_user("z@zeta.example", accounts::Role::Member, zeta);
    const Round round = freeze();
    ASSERT_TRUE(answer(zeta_user, zeta, "endorse", round.version_hash));
    ASSERT_TRUE(answer(member_b_, org_b_, "endorse", round.version_hash));
    ASSERT_TRUE(answer(member_a_, org_a_, "endorse", round.version_hash));
    const std::vector<accounts::OrganisationId> chosen{zeta, org_a_, org_b_};
    // Not before publication.
    EXPECT_EQ(
        endorsements().order_endorsers(Actor::user(editor_), "gdc-response", chosen).error().code,
        core::ErrorCode::Conflict);
    set_time(kDeadline + 1);
    ASSERT_TRUE(endorsements().publish(Actor::user(editor_), "gdc-response"));
    auto names = [&] {
        std::vector<std::string> out;
        const auto publication = endorsements().publication("gdc-response", "en");
        for (const auto& endorser : publication->endorsers) {
            out.push_back(endorser.name);
        }
        return std::pair(out, publication->editors_order);
    };
    EXPECT_EQ(names(),
              std::pair(std::vector<std::string>{"auDA", "Nominet", "Zeta Registry"}, false));

    // Only editors and admins, and only a complete order of the endorsers, each once.
    EXPECT_EQ(
        endorsements().order_endorsers(Actor::user(member_b_), "gdc-response", chosen).error().code,
        core::ErrorCode::Forbidden);
    for (const auto& wrong : std::vector<std::vector<accounts::OrganisationId>>{
             {zeta, org_a_}, {zeta, org_a_, org_a_}, {zeta, org_a_, org_b_, org_c_}}) {
        const auto refused =
            endorsements().order_endorsers(Actor::user(editor_), "gdc-response", wrong);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, core::ErrorCode::Invalid);
        EXPECT_EQ(refused.error().field, "order");
    }
    EXPECT_EQ(names().first, (std::vector<std::string>{"auDA", "Nominet", "Zeta Registry"}));

    ASSERT_TRUE(endorsements().order_endorsers(Actor::user(editor_), "gdc-response", chosen));
    EXPECT_EQ(names(),
              std::pair(std::vector<std::string>{"Zeta Registry", "Nominet", "auDA"}, true));
    const auto publication = endorsements().publication("gdc-response", "en");
    EXPECT_NE(publication_text(*publication, "en")
                  .find("- Zeta Registry (Sweden, Technical community)\n- Nominet"),
              std::string::npos);
    EXPECT_NE(publication_paragraphs(*publication, "en")
                  .find("Endorsed by: Zeta Registry; Nominet; auDA."),
              std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.order_endorsers'"), 1);

    // An empty order goes back to the default.
    ASSERT_TRUE(endorsements().order_endorsers(Actor::user(admin_), "gdc-response", {}));
    EXPECT_EQ(names(),
              std::pair(std::vector<std::string>{"auDA", "Nominet", "Zeta Registry"}, false));
}

TEST_P(EndorsementTest, ExportsCarryTheTextAndTheEndorsers) {
    const Round round = freeze();
    ASSERT_TRUE(answer(member_b_, org_b_, "endorse", round.version_hash));
    set_time(kDeadline);
    const auto publication = endorsements().publish(Actor::user(editor_), "gdc-response");
    ASSERT_TRUE(publication.has_value());

    const std::string markdown = publication_markdown(*publication, "en");
    EXPECT_EQ(markdown.rfind("# GDC response\n\n# Response to the Global Digital Compact\n", 0), 0U)
        << markdown;
    EXPECT_NE(
        markdown.find("## Endorsing organisations\n\n- auDA (Australia, Technical community)\n"),
        std::string::npos)
        << markdown;
    EXPECT_NE(markdown.find(round.version_hash), std::string::npos);

    const std::string text = publication_text(*publication, "en");
    EXPECT_EQ(text.rfind("GDC response\n============\n\nResponse to the Global Digital Compact\n\n"
                         "The coalition welcomes the consultation on the Global Digital Compact.",
                         0),
              0U)
        << text;
    EXPECT_EQ(text.find('#'), std::string::npos);
    EXPECT_EQ(text.find('*'), std::string::npos);

    EXPECT_EQ(publication_paragraphs(*publication, "en"),
              "Response to the Global Digital Compact\n\n"
              "The coalition welcomes the consultation on the Global Digital Compact.\n\n"
              "Principles\n\n"
              "We support the multistakeholder model of internet governance.\n\n"
              "Endorsed by: auDA.\n");
    EXPECT_EQ(plain_block("Some **bold** and [a link](https://example.org) <b>x</b>"),
              "Some bold and a link x");
}

INSTANTIATE_TEST_SUITE_P(Backends, EndorsementTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::responses
