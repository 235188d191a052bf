// Threads linked to milestones: parsing what admins type, and keeping the links (both dialects).

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "processes/processes.hpp"
#include "processes/removal.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace coalition::processes {
namespace {

using accounts::Actor;

std::vector<ThreadReference> parsed(std::string_view text) {
    auto references = parse_thread_references(text);
    EXPECT_TRUE(references.has_value()) << text;
    return references.has_value() ? *references : std::vector<ThreadReference>{};
}

void expect_refused(std::string_view text) {
    const auto references = parse_thread_references(text);
    ASSERT_FALSE(references.has_value()) << text;
    EXPECT_EQ(references.error().field, "threads");
}

TEST(ThreadReferences, ReadsPermalinksRedirectsAndMessageIds) {
    const auto references = parsed(
        "/lists/coalition/m/42\n"
        "  https://coalition.example.org/lists/wsis-20/m/7/?x=1#top  \r\n"
        "\n"
        "https://coalition.example.org/r/abc%40example.org\n"
        "/r/%3Cdef@example.org%3E\n"
        "<ghi@example.org>\n"
        "jkl.123@mail.example.org\n");
    ASSERT_EQ(references.size(), 6U);
    EXPECT_EQ(references[0].list_name, "coalition");
    EXPECT_EQ(references[0].archive_message_id, 42);
    EXPECT_EQ(references[0].message_id, "");
    EXPECT_EQ(references[1].list_name, "wsis-20");
    EXPECT_EQ(references[1].archive_message_id, 7);
    EXPECT_EQ(references[1].line, "https://coalition.example.org/lists/wsis-20/m/7/?x=1#top");
    EXPECT_EQ(references[2].message_id, "abc@example.org");
    EXPECT_EQ(references[2].archive_message_id, 0);
    EXPECT_EQ(references[3].message_id, "def@example.org");
    EXPECT_EQ(references[4].message_id, "ghi@example.org");
    EXPECT_EQ(references[5].message_id, "jkl.123@mail.example.org");
}

TEST(ThreadReferences, KeepsRepeatsOnceAndEmptyIsNone) {
    EXPECT_TRUE(parsed("").empty());
    EXPECT_TRUE(parsed("\n \r\n\t\n").empty());
    EXPECT_EQ(parsed("a@b.org\n<a@b.org>\n/r/a@b.org\n/lists/x/m/1\n/lists/x/m/1/").size(), 2U);
}

TEST(ThreadReferences, RefusesWhatIsNoThread) {
    expect_refused("not a message id");
    expect_refused("https://example.org/");
    expect_refused("https://example.org");
    expect_refused("/lists/coalition/t/3");  // A thread page: the permalink is asked for.
    expect_refused("/lists/coalition/m/0");
    expect_refused("/lists/coalition/m/-3");
    expect_refused("/lists/coalition/m/3x");
    expect_refused("/lists//m/3");
    expect_refused("/lists/coalition/m/99999999999999999999999");
    expect_refused("/r/");
    expect_refused("/r/%zz@example.org");
    expect_refused("/r/%4");
    expect_refused("/r/no-at-sign");
    expect_refused("@example.org");
    expect_refused("a@");
    expect_refused("<a b@example.org>");
    expect_refused("<script>alert(1)</script>@x");
    expect_refused("' OR 1=1; --");
    expect_refused(std::string_view("a@b.org\0c", 9));
    expect_refused("a@b.org\x01");
    expect_refused("\xff\xfe@example.org");
    expect_refused(std::string(1001, 'a') + "@example.org");
    std::string many;
    for (int idx = 1; idx <= 21; ++idx) {
        many += "m" + std::to_string(idx) + "@example.org\n";
    }
    expect_refused(many);
}

class ThreadLinksTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        processes_ = std::make_unique<Processes>(*database_, clock_);
        ProcessDraft draft{.name = "Internet Governance Forum",
                           .short_name = "IGF",
                           .slug = "",
                           .kind = "forum",
                           .convenor = "",
                           .description = "",
                           .links = "",
                           .status = "active"};
        auto fields = validate(draft);
        ASSERT_TRUE(fields.has_value());
        auto created = processes_->create(Actor::cli(), *fields);
        ASSERT_TRUE(created.has_value());
        process_id_ = created->id;
        MilestoneDraft meeting;
        meeting.kind = "meeting";
        meeting.title = "IGF 2026";
        meeting.start_date = "2026-06-22";
        auto meeting_fields = validate(meeting);
        ASSERT_TRUE(meeting_fields.has_value());
        fields_ = *meeting_fields;
    }

    std::int64_t count(const std::string& sql) { return database_->query_one(sql)->integer(0); }

    core::FakeClock clock_{core::TimePoint{core::Seconds{1767225600}}};
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Processes> processes_;
    ProcessId process_id_;
    MilestoneFields fields_;
};

const ThreadLink first_link{
    .list_id = 1, .archive_message_id = 10, .message_id = "first@example.org"};
const ThreadLink second_link{.list_id = 2, .archive_message_id = 20, .message_id = "second@x.org"};

TEST_P(ThreadLinksTest, AddsUpdatesAndRecordsThreadsInTheHistory) {
    const auto added = processes_->add_milestone(Actor::cli(), process_id_, fields_,
                                                 {first_link, second_link, first_link});
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(added->threads, (std::vector<ThreadLink>{first_link, second_link}));
    const auto before = processes_->snapshot();
    const Process* process = before->find(process_id_);
    ASSERT_NE(process, nullptr);
    ASSERT_EQ(process->milestones.size(), 1U);
    EXPECT_EQ(process->milestones[0].threads, added->threads);
    auto history = processes_->history(process_id_, 5);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.front().action, "milestone.create");
    EXPECT_NE(history.front().changes.find("<first@example.org>, <second@x.org>"),
              std::string::npos);

    // Only the threads change: a milestone.update naming them, and a new snapshot.
    clock_.advance(core::Seconds{60});
    const auto updated =
        processes_->update_milestone(Actor::cli(), added->id, fields_, std::vector{second_link});
    ASSERT_TRUE(updated.has_value());
    EXPECT_EQ(updated->threads, std::vector{second_link});
    history = processes_->history(process_id_, 5);
    EXPECT_EQ(history.front().action, "milestone.update");
    EXPECT_NE(history.front().changes.find("\"threads\""), std::string::npos);
    EXPECT_NE(processes_->snapshot(), before);
    EXPECT_EQ(before->find(process_id_)->milestones[0].threads.size(), 2U);  // Kept unchanged.

    // Nothing changed: no history row. The field-only overload leaves the links alone.
    const auto entries = count("SELECT COUNT(*) FROM process_history");
    ASSERT_TRUE(
        processes_->update_milestone(Actor::cli(), added->id, fields_, std::vector{second_link}));
    fields_.title = "IGF 2026, Norway";
    ASSERT_TRUE(processes_->update_milestone(Actor::cli(), added->id, fields_));
    EXPECT_EQ(count("SELECT COUNT(*) FROM process_history"), entries + 1);
    EXPECT_EQ(processes_->find_milestone(added->id)->threads, std::vector{second_link});
}

TEST_P(ThreadLinksTest, FindsMilestonesByTheirThreadsMessages) {
    const auto one = processes_->add_milestone(Actor::cli(), process_id_, fields_, {first_link});
    fields_.start = *Moment::date("2026-01-10", "start_date");
    const auto two =
        processes_->add_milestone(Actor::cli(), process_id_, fields_, {second_link, first_link});
    ASSERT_TRUE(one && two);
    const auto snapshot = processes_->snapshot();
    const auto both = snapshot->milestones_linking({10, 20, 99});
    ASSERT_EQ(both.size(), 2U);
    EXPECT_EQ(both[0].milestone->id, two->id);  // By start: 10 January first.
    EXPECT_EQ(both[1].milestone->id, one->id);
    EXPECT_EQ(both[0].process->id, process_id_);
    EXPECT_EQ(snapshot->milestones_linking({20}).size(), 1U);
    EXPECT_TRUE(snapshot->milestones_linking({}).empty());
    EXPECT_TRUE(snapshot->milestones_linking({99}).empty());

    // Removing a milestone removes its links.
    ASSERT_TRUE(remove_milestone(*database_, clock_, Actor::cli(), process_id_, two->id));
    EXPECT_EQ(processes_->snapshot()->milestones_linking({20}).size(), 0U);
    EXPECT_EQ(count("SELECT COUNT(*) FROM process_milestone_threads"), 1);
}

TEST_P(ThreadLinksTest, HostileMessageIdsAreStoredAsText) {
    const ThreadLink hostile{
        .list_id = 3, .archive_message_id = 30, .message_id = "x'); DROP TABLE processes;--@a"};
    const auto added = processes_->add_milestone(Actor::cli(), process_id_, fields_, {hostile});
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(processes_->find_milestone(added->id)->threads, std::vector{hostile});
    EXPECT_EQ(count("SELECT COUNT(*) FROM processes"), 1);
}

TEST_P(ThreadLinksTest, UnknownMilestoneIsNotFound) {
    const auto missing =
        processes_->update_milestone(Actor::cli(), MilestoneId(999), fields_, {first_link});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
    const auto no_process =
        processes_->add_milestone(Actor::cli(), ProcessId(999), fields_, {first_link});
    ASSERT_FALSE(no_process.has_value());
    EXPECT_EQ(no_process.error().code, core::ErrorCode::NotFound);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ThreadLinksTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const ::testing::TestParamInfo<store::Dialect>& info) {
                             return store::testing::dialect_name(info.param);
                         });

}  // namespace
}  // namespace coalition::processes
