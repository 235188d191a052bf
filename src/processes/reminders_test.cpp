#include "processes/reminders.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/testing.hpp"
#include "processes/followers.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace coalition::processes {
namespace {

using accounts::Actor;

using core::testing::email;

FollowSettings follow_settings() {
    return FollowSettings{.base_url = "https://coalition.example",
                          .site_name = "Coalition",
                          .sender = {"Coalition", email("noreply@coalition.example")},
                          .token_secret = "0123456789abcdef0123456789abcdef",
                          .default_reminder_days = {14, 3, 1}};
}

// One server's services over `database`.
struct Server {
    Server(store::Database& database, core::Clock& clock)
        : outbox(database, clock),
          processes(database, clock),
          followers(database, clock, random, outbox, follow_settings()),
          reminders(database, clock, random, outbox, processes, followers) {}
    core::SecureRandom random;
    mail::Outbox outbox;
    Processes processes;
    Followers followers;
    Reminders reminders;
};

class RemindersTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        server_ = std::make_unique<Server>(*database_, clock_);
        ProcessDraft draft{.name = "WSIS+20 Review",
                           .short_name = "WSIS+20",
                           .slug = "",
                           .kind = "un-process",
                           .convenor = "UN General Assembly",
                           .description = "The review.",
                           .links = "",
                           .status = "active"};
        auto fields = validate(draft);
        EXPECT_TRUE(fields.has_value());
        process_ = *server_->processes.create(Actor::cli(), *fields);
    }

    void set_time(std::int64_t unix_seconds) {
        clock_.advance(std::chrono::seconds(unix_seconds - clock_.unix_now()));
    }

    Milestone add_deadline(const std::string& date, const std::string& time,
                           const std::string& zone) {
        MilestoneDraft draft;
        draft.kind = "deadline";
        draft.title = "Written inputs due";
        draft.start_date = date;
        draft.start_time = time;
        draft.start_zone = zone;
        auto fields = validate(draft);
        EXPECT_TRUE(fields.has_value());
        return *server_->processes.add_milestone(Actor::cli(), process_->id, *fields);
    }

    Follower follow(const std::string& address, const std::string& zone = "UTC") {
        auto follower = server_->followers.follow_verified(email(address), accounts::UserId(7),
                                                           {process_->id}, "en", zone);
        EXPECT_TRUE(follower.has_value()) << follower.error().message;
        return *follower;
    }

    std::int64_t outbox_count(const std::string& like = "%") {
        return database_
            ->query_one("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE $1", {like})
            ->integer(0);
    }

    std::string last_mail() {
        return database_->query_one("SELECT bytes FROM mail_outbox ORDER BY id DESC")->text(0);
    }

    core::FakeClock clock_{core::TimePoint{core::Seconds{1767225600}}};  // 2026-01-01 00:00Z
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Server> server_;
    std::optional<Process> process_;
};

std::string confirmation_token(const std::string& mail) {
    // A translated body is quoted-printable: join its soft line breaks (the token has no '=').
    const std::string joined = std::regex_replace(mail, std::regex("=\r\n"), "");
    std::smatch match;
    const std::regex link("/processes/follow/confirm/([A-Za-z0-9_-]{32})");
    EXPECT_TRUE(std::regex_search(joined, match, link)) << mail;
    return match.size() > 1 ? match[1].str() : std::string();
}

TEST(ReminderDays, ParsesAndRefuses) {
    EXPECT_EQ(*parse_reminder_days("1, 14,3 3"), (std::vector<int>{14, 3, 1}));
    EXPECT_TRUE(parse_reminder_days("")->empty());
    for (const char* bad : {"0", "61", "a", "1;2", "1,2,3,4,5,6", "-1", "99999999999999", "1\n2"}) {
        EXPECT_FALSE(parse_reminder_days(bad).has_value()) << bad;
    }
    EXPECT_FALSE(parse_reminder_days(std::string("1\0002", 3)).has_value());
    EXPECT_EQ(format_reminder_days({14, 3, 1}), "14,3,1");
}

TEST_P(RemindersTest, FollowByMailIsConfirmedOnceByItsToken) {
    ASSERT_TRUE(server_->followers
                    .request_follow(email("ana@example.org"), {process_->id}, "fr", "Europe/Paris")
                    .has_value());
    EXPECT_EQ(outbox_count(), 1);
    const std::string token = confirmation_token(last_mail());
    EXPECT_FALSE(server_->followers.by_email(email("ana@example.org")).has_value());

    const auto pending = server_->followers.find_confirmation(token);
    ASSERT_TRUE(pending.has_value());
    EXPECT_EQ(pending->process_ids, std::vector<ProcessId>{process_->id});

    const auto follower = server_->followers.confirm(token);
    ASSERT_TRUE(follower.has_value()) << follower.error().message;
    EXPECT_EQ(follower->language, "fr");
    EXPECT_EQ(follower->time_zone, "Europe/Paris");
    EXPECT_EQ(follower->reminder_days, (std::vector<int>{14, 3, 1}));
    EXPECT_EQ(follower->process_ids, std::vector<ProcessId>{process_->id});

    // Single use; wrong and malformed tokens say the same.
    EXPECT_EQ(server_->followers.confirm(token).error().code, core::ErrorCode::Expired);
    for (const std::string& bad :
         {std::string(32, 'A'), std::string("x"), std::string("' OR 1=1 --"),
          std::string("\xff\xfe"), std::string(token.size(), '\0'), token + "a"}) {
        EXPECT_EQ(server_->followers.confirm(bad).error().code, core::ErrorCode::Expired);
    }

    // Its secret URLs find it; other tokens do not.
    const auto links = server_->followers.links(*follower);
    EXPECT_EQ(server_->followers.by_manage_token(links.manage_token)->id, follower->id);
    EXPECT_EQ(server_->followers.by_calendar_token(links.calendar_token)->id, follower->id);
    EXPECT_FALSE(server_->followers.by_manage_token(links.calendar_token).has_value());
    EXPECT_FALSE(server_->followers.by_calendar_token(std::string(40, '0')).has_value());
    EXPECT_NE(links.calendar_url.find("/processes/followed/" + links.calendar_token + ".ics"),
              std::string::npos);
}

TEST_P(RemindersTest, ConfirmationExpiresAndMailsAreLimited) {
    ASSERT_TRUE(server_->followers.request_follow(email("b@example.org"), {process_->id}, "en", "")
                    .has_value());
    const std::string token = confirmation_token(last_mail());
    clock_.advance(Followers::kConfirmationLifetime + std::chrono::seconds(1));
    EXPECT_EQ(server_->followers.find_confirmation(token).error().code, core::ErrorCode::Expired);
    EXPECT_EQ(server_->followers.confirm(token).error().code, core::ErrorCode::Expired);

    for (int idx = 0; idx < Followers::kMaxMailsPerHour; ++idx) {
        EXPECT_TRUE(
            server_->followers.request_follow(email("b@example.org"), {process_->id}, "en", "")
                .has_value());
    }
    const auto limited =
        server_->followers.request_follow(email("B@EXAMPLE.org"), {process_->id}, "en", "");
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().code, core::ErrorCode::RateLimited);

    EXPECT_EQ(server_->followers.request_follow(email("c@example.org"), {}, "en", "").error().field,
              "process");
    EXPECT_EQ(server_->followers.request_follow(email("c@example.org"), {ProcessId(999)}, "en", "")
                  .error()
                  .field,
              "process");
    EXPECT_EQ(server_->followers
                  .request_follow(email("c@example.org"), {process_->id}, "en", "Mars/Olympus")
                  .error()
                  .field,
              "time_zone");
}

TEST_P(RemindersTest, ManagesPreferencesAndUnfollows) {
    const Follower follower = follow("d@example.org");
    const auto token = server_->followers.links(follower).manage_token;
    std::vector<core::Error> errors;
    const auto refused = server_->followers.update_preferences(
        token, {.reminder_days = "0, 100", .language = "xx", .time_zone = "Nowhere/At_All"},
        &errors);
    ASSERT_FALSE(refused.has_value());
    ASSERT_EQ(errors.size(), 3U);
    EXPECT_EQ(errors[0].field, "reminder_days");
    EXPECT_EQ(errors[1].field, "language");
    EXPECT_EQ(errors[2].field, "time_zone");

    const auto saved = server_->followers.update_preferences(
        token, {.reminder_days = "7 2", .language = "ar", .time_zone = "Asia/Tokyo"}, nullptr);
    ASSERT_TRUE(saved.has_value());
    EXPECT_EQ(saved->reminder_days, (std::vector<int>{7, 2}));
    EXPECT_EQ(saved->language, "ar");
    EXPECT_EQ(saved->time_zone, "Asia/Tokyo");

    EXPECT_TRUE(server_->followers.unfollow(token, process_->id)->process_ids.empty());
    EXPECT_TRUE(server_->followers.active_followers().empty());
    follow("d@example.org");
    EXPECT_EQ(server_->followers.active_followers().size(), 1U);
    EXPECT_TRUE(server_->followers.unfollow_all(token)->process_ids.empty());
    EXPECT_EQ(server_->followers.unfollow_all("bad").error().code, core::ErrorCode::NotFound);
}

TEST_P(RemindersTest, RemindsAtTheSameWallTimeAcrossDst) {
    // 23:59 New York on 10 March 2026, after the clocks went forward on 8 March.
    const Milestone deadline = add_deadline("2026-03-10", "23:59", "America/New_York");
    const std::int64_t deadline_utc = 1773201540;  // 2026-03-11T03:59:00Z (EDT, UTC−4).
    ASSERT_EQ(deadline.fields.start.utc(), deadline_utc);
    follow("e@example.org", "Pacific/Auckland");

    const auto info = deadline_of(deadline);
    ASSERT_TRUE(info.has_value());
    // Three days before is 23:59 EST on 7 March: 04:59Z, not 3 × 24 h earlier (03:59Z).
    const std::int64_t due3 = 1772945940;  // 2026-03-08T04:59:00Z
    EXPECT_EQ(reminder_due_at(*info, 3, "UTC"), due3);
    EXPECT_EQ(reminder_due_at(*info, 1, "UTC"), deadline_utc - core::kSecondsPerDay);

    set_time(reminder_due_at(*info, 14, "UTC") - 60);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
    set_time(reminder_due_at(*info, 14, "UTC"));
    EXPECT_EQ(server_->reminders.send_reminders(), 1);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
    EXPECT_NE(last_mail().find("Written inputs due"), std::string::npos);
    // RFC 8058 one-click unsubscription, to the follower's own unfollow URL.
    EXPECT_TRUE(std::regex_search(
        last_mail(), std::regex("\r\nList-Unsubscribe: <https?://[^>]+/processes/manage/"
                                "[0-9a-f]{40}/unfollow>\r\n")))
        << last_mail();
    EXPECT_NE(last_mail().find("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
              std::string::npos);

    set_time(due3 - 1);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
    set_time(due3);
    EXPECT_EQ(server_->reminders.send_reminders(), 1);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
    set_time(deadline_utc - core::kSecondsPerDay);
    EXPECT_EQ(server_->reminders.send_reminders(), 1);
    set_time(deadline_utc);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
    EXPECT_EQ(outbox_count("Reminder:%"), 3);
}

TEST_P(RemindersTest, AMovedDeadlineIsRemindedAgainAndALateFollowerGetsOne) {
    const Milestone deadline = add_deadline("2026-01-20", "12:00", "UTC");
    follow("f@example.org");
    set_time(deadline.fields.start.utc() -
             2 * core::kSecondsPerDay);  // The 3-day reminder is due, not the 1.
    EXPECT_EQ(server_->reminders.send_reminders(), 1);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);

    auto draft = deadline.to_draft();
    draft.start_date = "2026-01-25";
    auto fields = validate(draft);
    ASSERT_TRUE(fields.has_value());
    ASSERT_TRUE(server_->processes.update_milestone(Actor::cli(), deadline.id, *fields));
    // Now 7 days ahead: the 14-day reminder of the new date is due.
    EXPECT_EQ(server_->reminders.send_reminders(), 1);
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
    EXPECT_EQ(outbox_count("Reminder:%"), 2);
}

TEST_P(RemindersTest, AWholeDayDeadlineIsRemindedAtNineInTheFollowersZone) {
    MilestoneDraft draft;
    draft.kind = "consultation-opens";
    draft.title = "Open consultation";
    draft.start_date = "2026-01-10";
    draft.end_date = "2026-02-10";
    auto fields = validate(draft);
    ASSERT_TRUE(fields.has_value());
    const Milestone consultation =
        *server_->processes.add_milestone(Actor::cli(), process_->id, *fields);
    const auto info = deadline_of(consultation);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->instant, (consultation.fields.end->day_number() + 1) * core::kSecondsPerDay);
    // 1 February 09:00 in Tokyo is 00:00Z.
    EXPECT_EQ(reminder_due_at(*info, 9, "Asia/Tokyo"), 1769904000);
    follow("g@example.org", "Asia/Tokyo");
    set_time(1769904000 - 1);
    EXPECT_EQ(server_->reminders.send_reminders(), 1);  // The 14-day one.
    set_time(1769904000 +
             5 * core::kSecondsPerDay);  // 6 February: the 3-day reminder is due on the 7th.
    EXPECT_EQ(server_->reminders.send_reminders(), 0);
}

TEST_P(RemindersTest, TwoServersRacingSendEachReminderOnce) {
    const Milestone deadline = add_deadline("2026-01-20", "12:00", "Europe/Berlin");
    constexpr int kFollowers = 25;
    for (int idx = 0; idx < kFollowers; ++idx) {
        follow("racer" + std::to_string(idx) + "@example.org");
    }
    set_time(deadline.fields.start.utc() - 2 * core::kSecondsPerDay);
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
        std::thread one([&] { first_count = server_->reminders.send_reminders(); });
        std::thread two([&] { second_count = other.reminders.send_reminders(); });
        one.join();
        two.join();
        EXPECT_EQ(first_count + second_count, round == 0 ? kFollowers : 0);
    }
    EXPECT_EQ(outbox_count("Reminder:%"), kFollowers);
    EXPECT_EQ(database_->query_one("SELECT COUNT(*) FROM process_reminders_sent")->integer(0),
              kFollowers);
}

TEST_P(RemindersTest, TheDigestGoesOutOnceAWeekOnMonday) {
    add_deadline("2026-01-12", "17:00", "UTC");
    follow("h@example.org");
    follow("i@example.org", "Pacific/Auckland");  // UTC+13 in January.
    constexpr std::int64_t kHour = 3600;
    const std::int64_t monday = 1767571200;  // 2026-01-05T00:00Z, a Monday.
    // Auckland's Monday 08:00 is Sunday 19:00Z.
    set_time(monday - 5 * kHour - 1);
    EXPECT_EQ(server_->reminders.send_digests(), 0);
    set_time(monday - 5 * kHour);
    EXPECT_EQ(server_->reminders.send_digests(), 1);
    set_time(monday + 8 * kHour - 1);
    EXPECT_EQ(server_->reminders.send_digests(), 0);
    set_time(monday + 8 * kHour);
    EXPECT_EQ(server_->reminders.send_digests(), 1);
    EXPECT_EQ(server_->reminders.send_digests(), 0);
    set_time(monday + core::kSecondsPerDay + 9 * kHour);  // Tuesday.
    EXPECT_EQ(server_->reminders.send_digests(), 0);
    EXPECT_EQ(outbox_count("Coming up%"), 2);
    EXPECT_NE(last_mail().find("Written inputs due"), std::string::npos);
    // The next Monday is a new week for both (the deadline is still ahead at 09:00Z).
    set_time(monday + 7 * core::kSecondsPerDay + 9 * kHour);
    EXPECT_EQ(server_->reminders.send_digests(), 2);
    EXPECT_EQ(server_->reminders.send_digests(), 0);
    // A week later nothing is coming up: no digest.
    set_time(monday + 14 * core::kSecondsPerDay + 9 * kHour);
    EXPECT_EQ(server_->reminders.send_digests(), 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, RemindersTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::processes
