#include "processes/processes.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "processes/removal.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>

namespace coalition::processes {
namespace {

using accounts::Actor;

ProcessDraft wsis_draft() {
    return ProcessDraft{.name = "WSIS+20 Review",
                        .short_name = "WSIS+20",
                        .slug = "",
                        .kind = "un-process",
                        .convenor = "UN General Assembly",
                        .description =
                            "The **twenty-year review** of the WSIS.\n\nSee <https://"
                            "example.org/wsis> and [the page](https://example.org).",
                        .links = "https://example.org/wsis20 Official page\nhttps://example.org/b",
                        .status = "active"};
}

MilestoneDraft deadline_draft() {
    MilestoneDraft draft;
    draft.kind = "deadline";
    draft.title = "Written inputs due";
    draft.start_date = "2026-01-15";
    draft.start_time = "23:59";
    draft.start_zone = "America/New_York";
    draft.links = "https://example.org/elements.pdf Elements paper";
    draft.notes = "Extended once.";
    return draft;
}

class ProcessesTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        processes_ = std::make_unique<Processes>(*database_, clock_);
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }

    Process create(const ProcessDraft& draft) {
        auto fields = validate(draft);
        EXPECT_TRUE(fields.has_value());
        auto created = processes_->create(Actor::cli(), *fields);
        EXPECT_TRUE(created.has_value()) << created.error().message;
        return *created;
    }

    core::FakeClock clock_{core::TimePoint{core::Seconds{1767225600}}};  // 2026-01-01
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Processes> processes_;
};

TEST_P(ProcessesTest, CreatesAProcessWithADerivedSlugHistoryAndAudit) {
    const Process process = create(wsis_draft());
    EXPECT_EQ(process.slug.value(), "wsis-20");
    EXPECT_EQ(process.fields.links.size(), 2U);
    EXPECT_EQ(process.fields.links[0].title, "Official page");
    EXPECT_EQ(process.fields.links[1].url, "https://example.org/b");
    EXPECT_EQ(process.created_at, 1767225600);
    const auto found = processes_->find("wsis-20");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->fields.description, wsis_draft().description);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'process.create'"), 1);
    const auto history = processes_->history(process.id, 10);
    ASSERT_EQ(history.size(), 1U);
    EXPECT_EQ(history[0].action, "process.create");
    EXPECT_EQ(history[0].actor, "cli");
    // The same derived slug twice gets a suffix; a typed slug that is taken is a conflict.
    EXPECT_EQ(create(wsis_draft()).slug.value(), "wsis-20-2");
    auto typed = wsis_draft();
    typed.slug = "wsis-20";
    auto conflict = processes_->create(Actor::cli(), *validate(typed));
    ASSERT_FALSE(conflict.has_value());
    EXPECT_EQ(conflict.error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(conflict.error().field, "slug");
}

TEST_P(ProcessesTest, UpdateRecordsOnlyWhatChanged) {
    const Process process = create(wsis_draft());
    auto draft = wsis_draft();
    draft.status = "concluded";
    clock_.advance(std::chrono::hours(1));
    auto updated = processes_->update(Actor::cli(), process.id, *validate(draft));
    ASSERT_TRUE(updated.has_value());
    EXPECT_EQ(updated->fields.status, ProcessStatus::Concluded);
    EXPECT_EQ(updated->slug.value(), "wsis-20");  // An empty slug keeps the current one.
    auto history = processes_->history(process.id, 10);
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[0].action, "process.update");
    EXPECT_EQ(history[0].changes, R"({"status":["active","concluded"]})");
    // Saving the same fields again writes nothing.
    ASSERT_TRUE(processes_->update(Actor::cli(), process.id, *validate(draft)).has_value());
    EXPECT_EQ(processes_->history(process.id, 10).size(), 2U);
    auto missing = processes_->update(Actor::cli(), ProcessId(9999), *validate(draft));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
}

TEST_P(ProcessesTest, MilestonesKeepWallTimeZoneAndInstant) {
    const Process process = create(wsis_draft());
    auto fields = validate(deadline_draft());
    ASSERT_TRUE(fields.has_value());
    auto added = processes_->add_milestone(Actor::cli(), process.id, *fields);
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(added->uid, "milestone-" + std::to_string(added->id.value()));
    const auto stored = processes_->find_milestone(added->id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->fields.start.date(), "2026-01-15");
    EXPECT_EQ(stored->fields.start.time(), "23:59");
    EXPECT_EQ(stored->fields.start.zone(), "America/New_York");
    EXPECT_EQ(stored->fields.start.utc(), 1768539540);
    EXPECT_EQ(stored->fields.links[0].title, "Elements paper");

    // Moving the deadline is one history row naming the old and the new time.
    auto moved = deadline_draft();
    moved.start_date = "2026-01-22";
    clock_.advance(std::chrono::hours(2));
    ASSERT_TRUE(
        processes_->update_milestone(Actor::cli(), added->id, *validate(moved)).has_value());
    const auto history = processes_->history(process.id, 10);
    ASSERT_EQ(history.size(), 3U);
    EXPECT_EQ(history[0].action, "milestone.update");
    EXPECT_EQ(
        history[0].changes,
        R"({"start":["2026-01-15 23:59 America/New_York","2026-01-22 23:59 America/New_York"]})");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE subject = $1",
                    {"milestone:" + std::to_string(added->id.value())}),
              2);
    const auto found = processes_->find("wsis-20");
    ASSERT_EQ(found->milestones.size(), 1U);
    const Milestone* next = found->next_milestone(clock_.unix_now());
    ASSERT_NE(next, nullptr);
    EXPECT_EQ(next->fields.start.date(), "2026-01-22");
}

TEST_P(ProcessesTest, EnsureIsIdempotent) {
    auto draft = wsis_draft();
    draft.slug = "wsis20";
    auto fields = *validate(draft);
    ASSERT_TRUE(processes_->ensure(Actor::cli(), fields).has_value());
    const auto process = processes_->ensure(Actor::cli(), fields);
    ASSERT_TRUE(process.has_value());
    auto milestone = *validate(deadline_draft());
    ASSERT_TRUE(processes_->ensure_milestone(Actor::cli(), process->id, "wsis-d", milestone));
    const auto again = processes_->ensure_milestone(Actor::cli(), process->id, "wsis-d", milestone);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->uid, "wsis-d");
    EXPECT_EQ(count("SELECT COUNT(*) FROM processes"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM process_milestones"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM process_history"), 2);
    EXPECT_EQ(processes_->list().size(), 1U);
    EXPECT_EQ(processes_->list()[0].milestones.size(), 1U);
}

TEST_P(ProcessesTest, HostileTextIsStoredVerbatimOrRefused) {
    auto draft = wsis_draft();
    draft.name = "Robert'); DROP TABLE processes;-- <b>";
    const Process process = create(draft);
    EXPECT_EQ(processes_->find(process.slug.value())->fields.name, draft.name);
    EXPECT_EQ(count("SELECT COUNT(*) FROM processes"), 1);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ProcessesTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const ::testing::TestParamInfo<store::Dialect>& info) {
                             return store::testing::dialect_name(info.param);
                         });

// Validation needs no database.

std::string first_field(const accounts::FieldErrors& errors) {
    return errors.empty() ? "" : errors.front().field;
}

// Two servers sharing one database: each keeps its own snapshot, and a change written through
// either (or through the other's removal path) is seen by both on their next call, because the
// counter row moves in the change's own transaction.
TEST_P(ProcessesTest, SnapshotIsKeptUntilAnyWriterRaisesTheRevision) {
    const Process process = create(wsis_draft());
    Processes other(*database_, clock_);
    const auto first = processes_->snapshot();
    ASSERT_TRUE(first->revision().has_value());
    EXPECT_EQ(processes_->snapshot(), first);  // Nothing changed: the same object, no reload.
    EXPECT_EQ(first->changed_at(), clock_.unix_now());
    ASSERT_NE(first->find("wsis-20"), nullptr);
    EXPECT_EQ(first->find(process.id), first->find("wsis-20"));
    EXPECT_EQ(first->find("no-such-process"), nullptr);
    EXPECT_EQ(first->find(ProcessId(999)), nullptr);

    const auto seen_by_other = other.snapshot();
    EXPECT_EQ(seen_by_other->revision(), first->revision());
    clock_.advance(std::chrono::hours(1));
    auto added = other.add_milestone(Actor::cli(), process.id, *validate(deadline_draft()));
    ASSERT_TRUE(added.has_value()) << added.error().message;

    const auto second = processes_->snapshot();
    EXPECT_NE(second, first);
    EXPECT_GT(*second->revision(), *first->revision());
    EXPECT_EQ(second->changed_at(), clock_.unix_now());
    ASSERT_EQ(second->find("wsis-20")->milestones.size(), 1U);
    EXPECT_EQ(first->find("wsis-20")->milestones.size(), 0U);  // A kept snapshot never changes.

    // An update that changes a field, and one that changes nothing (no revision, no reload).
    auto moved = deadline_draft();
    moved.start_date = "2026-02-01";
    clock_.advance(std::chrono::hours(1));
    ASSERT_TRUE(processes_->update_milestone(Actor::cli(), added->id, *validate(moved)));
    const auto third = other.snapshot();
    EXPECT_EQ(third->find("wsis-20")->milestones[0].fields.start.date(), "2026-02-01");
    ASSERT_TRUE(processes_->update_milestone(Actor::cli(), added->id, *validate(moved)));
    EXPECT_EQ(other.snapshot(), third);

    // A removal outside the service raises the revision too.
    clock_.advance(std::chrono::hours(1));
    ASSERT_TRUE(remove_milestone(*database_, clock_, Actor::cli(), process.id, added->id));
    const auto fourth = processes_->snapshot();
    EXPECT_TRUE(fourth->find("wsis-20")->milestones.empty());
    EXPECT_EQ(fourth->changed_at(), clock_.unix_now());
    EXPECT_TRUE(processes_->find("wsis-20")->milestones.empty());
    EXPECT_EQ(processes_->list().size(), 1U);
}

// Without the counter row nothing tells when rows go stale: every call reads them again.
TEST_P(ProcessesTest, SnapshotWithoutCounterRowIsNeverKept) {
    create(wsis_draft());
    database_->transact(
        [](store::Connection& connection) { connection.execute("DELETE FROM process_revision"); });
    const auto first = processes_->snapshot();
    EXPECT_FALSE(first->revision().has_value());
    EXPECT_EQ(first->processes().size(), 1U);
    EXPECT_NE(processes_->snapshot(), first);
    auto other = wsis_draft();
    other.name = "Internet Governance Forum";
    other.short_name = "IGF";
    create(other);
    EXPECT_EQ(processes_->snapshot()->processes().size(), 2U);
}

TEST(ProcessValidation, NamesEveryBadField) {
    ProcessDraft draft{.name = "",
                       .short_name = std::string(61, 'x'),
                       .slug = "Not A Slug",
                       .kind = "party",
                       .convenor = "line\nbreak",
                       .description = "ok",
                       .links = "javascript:alert(1)",
                       .status = "dormant"};
    const auto result = validate(draft);
    ASSERT_FALSE(result.has_value());
    std::vector<std::string> fields;
    for (const auto& error : result.errors()) {
        fields.push_back(error.field);
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"name", "short_name", "slug", "kind", "convenor",
                                                "links", "status"}));
}

TEST(ProcessValidation, RefusesHostileMarkdownAndBadBytes) {
    for (const char* hostile :
         {"Hello <script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- hidden -->",
          "[click](javascript:alert(1))", "[click]( JavaScript:alert(1))", "[x]: vbscript:msgbox",
          "<iframe src=https://evil.example>", "</div>", "![p](data:text/html;base64,AAAA)"}) {
        auto draft = wsis_draft();
        draft.description = hostile;
        const auto result = validate(draft);
        ASSERT_FALSE(result.has_value()) << hostile;
        EXPECT_EQ(first_field(result.errors()), "description") << hostile;
    }
    for (const char* fine : {"a < b and b > c", "<https://example.org>", "<a@b.example>",
                             "Costs 5<10 units", "The data: plenty of it."}) {
        auto draft = wsis_draft();
        draft.description = fine;
        EXPECT_TRUE(validate(draft).has_value()) << fine;
    }
    auto draft = wsis_draft();
    draft.name = std::string("nul\0byte", 8);
    EXPECT_EQ(first_field(validate(draft).errors()), "name");
    draft = wsis_draft();
    draft.name = "bad \xc3\x28 utf8";
    EXPECT_EQ(first_field(validate(draft).errors()), "name");
    draft = wsis_draft();
    draft.description = std::string(kMaxDescriptionCharacters + 1, 'a');
    EXPECT_EQ(first_field(validate(draft).errors()), "description");
    draft = wsis_draft();
    draft.links = std::string(10'000'000, 'h');
    EXPECT_EQ(first_field(validate(draft).errors()), "links");
}

TEST(MilestoneValidation, RefusesEndBeforeStartAndMixedKinds) {
    auto draft = deadline_draft();
    draft.end_date = "2026-01-15";
    draft.end_time = "20:00";
    draft.end_zone = "America/New_York";
    EXPECT_EQ(first_field(validate(draft).errors()), "end_date");
    // 21:00 in Los Angeles is after 23:59 in New York: a later instant, though an earlier hour.
    draft.end_time = "21:00";
    draft.end_zone = "America/Los_Angeles";
    EXPECT_TRUE(validate(draft).has_value());
    draft.end_time = "";
    draft.end_zone = "";
    EXPECT_EQ(first_field(validate(draft).errors()), "end_date");  // Date end for a timed start.

    MilestoneDraft days;
    days.kind = "meeting";
    days.title = "IGF 2025";
    days.start_date = "2025-06-23";
    days.end_date = "2025-06-22";
    EXPECT_EQ(first_field(validate(days).errors()), "end_date");
    days.end_date = "2025-06-27";
    days.location_kind = "in-person";
    EXPECT_EQ(first_field(validate(days).errors()), "location");
    days.location = "Lillestrøm, Norway";
    const auto valid = validate(days);
    ASSERT_TRUE(valid.has_value());
    EXPECT_TRUE(valid->start.is_date());
    EXPECT_EQ(valid->end->date(), "2025-06-27");
}

TEST(MilestoneValidation, RefusesBadDatesZonesAndKinds) {
    auto draft = deadline_draft();
    draft.start_zone = "Atlantis/Capital";
    EXPECT_EQ(first_field(validate(draft).errors()), "start_zone");
    draft = deadline_draft();
    draft.start_zone = "";
    EXPECT_EQ(first_field(validate(draft).errors()), "start_zone");
    draft = deadline_draft();
    draft.start_date = "2026-02-30";
    EXPECT_EQ(first_field(validate(draft).errors()), "start_date");
    draft = deadline_draft();
    draft.start_time = "02:30";
    draft.start_date = "2026-03-08";
    EXPECT_EQ(first_field(validate(draft).errors()), "start_time");  // The DST gap.
    draft = deadline_draft();
    draft.kind = "party";
    EXPECT_EQ(first_field(validate(draft).errors()), "kind");
    draft = deadline_draft();
    draft.precision = "month";
    EXPECT_EQ(first_field(validate(draft).errors()), "precision");  // Month with a time.
    draft = deadline_draft();
    draft.title = std::string(kMaxTitleCharacters + 1, 'x');
    EXPECT_EQ(first_field(validate(draft).errors()), "title");
    draft = deadline_draft();
    draft.links = "ftp://example.org/file";
    EXPECT_EQ(first_field(validate(draft).errors()), "links");
}

TEST(Outlook, SortsOpenClosingAndComingUp) {
    auto make = [](MilestoneKind kind, const char* start, const char* end) {
        Milestone milestone;
        milestone.fields.kind = kind;
        milestone.fields.start = *Moment::date(start, "start");
        if (end) {
            milestone.fields.end = *Moment::date(end, "end");
        }
        return milestone;
    };
    Process process{.id = ProcessId(1),
                    .slug = *accounts::Slug::parse("p"),
                    .fields = {},
                    .created_at = 0,
                    .updated_at = 0,
                    .milestones = {}};
    process.milestones = {make(MilestoneKind::Meeting, "2025-12-30", "2026-01-02"),
                          make(MilestoneKind::Deadline, "2026-01-10", nullptr),
                          make(MilestoneKind::Deadline, "2026-03-10", nullptr),
                          make(MilestoneKind::Meeting, "2026-01-20", nullptr),
                          make(MilestoneKind::Report, "2025-01-20", nullptr)};
    const std::vector<Process> processes{process};
    const auto view = outlook(processes, 1767225600, 30 * 86400);  // 2026-01-01, 30 days.
    ASSERT_EQ(view.open_now.size(), 1U);
    EXPECT_EQ(view.open_now[0].milestone->fields.start.date(), "2025-12-30");
    ASSERT_EQ(view.closing_soon.size(), 1U);
    EXPECT_EQ(view.closing_soon[0].milestone->fields.start.date(), "2026-01-10");
    ASSERT_EQ(view.coming_up.size(), 1U);
    EXPECT_EQ(view.coming_up[0].milestone->fields.start.date(), "2026-01-20");
}

TEST(Outlook, NextChangeIsTheFirstStartEndOrHorizonEntryAhead) {
    auto make = [](const char* start, const char* end) {
        Milestone milestone;
        milestone.fields.kind = MilestoneKind::Meeting;
        milestone.fields.start = *Moment::date(start, "start");
        if (end) {
            milestone.fields.end = *Moment::date(end, "end");
        }
        return milestone;
    };
    Process process{.id = ProcessId(1),
                    .slug = *accounts::Slug::parse("p"),
                    .fields = {},
                    .created_at = 0,
                    .updated_at = 0,
                    .milestones = {}};
    constexpr std::int64_t kDay = 86400;
    constexpr std::int64_t kNow = 1767225600;  // 2026-01-01
    // Under way until the end of 3 January; the next one enters the 30-day horizon on 10 January
    // (it starts on 9 February).
    process.milestones = {make("2025-12-30", "2026-01-03"), make("2026-02-09", nullptr),
                          make("2020-01-01", nullptr)};
    const std::vector<Process> processes{process};
    EXPECT_EQ(next_outlook_change(processes, kNow, 30 * kDay), kNow + 3 * kDay);  // 4 Jan 00:00.
    EXPECT_EQ(next_outlook_change(processes, kNow + 3 * kDay, 30 * kDay), kNow + 9 * kDay);
    // Everything over: nothing will change any more.
    EXPECT_EQ(next_outlook_change(processes, kNow + 400 * kDay, 30 * kDay),
              std::numeric_limits<std::int64_t>::max());
    // Between two instants the outlook is indeed the same.
    const auto before = outlook(processes, kNow + 4 * kDay, 30 * kDay);
    const auto after = outlook(processes, kNow + 9 * kDay - 1, 30 * kDay);
    EXPECT_EQ(before.open_now.size(), after.open_now.size());
    EXPECT_EQ(before.coming_up.size(), after.coming_up.size());
    EXPECT_EQ(outlook(processes, kNow + 9 * kDay, 30 * kDay).coming_up.size(), 1U);
}

}  // namespace
}  // namespace coalition::processes
