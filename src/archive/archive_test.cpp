#include "archive/archive.hpp"

#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace coalition::archive {
namespace {

using store::Dialect;

constexpr std::int64_t kJune2024 = 1717200000;  // 2024-06-01T00:00:00Z
constexpr std::int64_t kDay = 86400;

// A message's bytes: `references` space-separated ids without <>.
std::string mail(const std::string& id, const std::string& subject, std::int64_t date,
                 const std::string& references = "", const std::string& body = "Hello") {
    std::string raw = "From: Anna <anna@example.org>\r\nSubject: " + subject + "\r\n";
    if (!id.empty()) {
        raw += "Message-ID: <" + id + ">\r\n";
    }
    if (date != 0) {
        // Dates are written in UTC; g_date_time formatting is avoided to keep the test plain.
        static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const std::time_t seconds = date;
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%d %s %d %02d:%02d:%02d +0000", utc.tm_mday,
                      kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
        raw += std::string("Date: ") + buffer + "\r\n";
    }
    if (!references.empty()) {
        std::string bracketed;
        std::size_t start = 0;
        while (start <= references.size()) {
            auto end = references.find(' ', start);
            if (end == std::string::npos) {
                end = references.size();
            }
            bracketed +=
                (bracketed.empty() ? "<" : " <") + references.substr(start, end - start) + ">";
            start = end + 1;
        }
        raw += "References: " + bracketed + "\r\n";
    }
    return raw + "\r\n" + body + "\r\n";
}

class ArchiveStore : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        list_ = make_list("discuss");
        other_list_ = make_list("other");
    }

    std::int64_t make_list(const std::string& name) {
        std::int64_t id = 0;
        database_->transact([&](store::Connection& connection) {
            id = connection
                     .query_one(
                         "INSERT INTO lists (name, domain, domain_ascii, posting_policy, "
                         "nonmember_policy, max_message_bytes, archive_visibility, "
                         "digest_enabled, digest_period, digest_size_threshold_bytes, "
                         "reply_to_policy, dmarc_mitigation, created_at, updated_at) VALUES "
                         "($1, 'example.org', 'example.org', 'members', 'hold', 1000000, "
                         "'public', 0, 'daily', 30000, 'none', 'never', 0, 0) RETURNING id",
                         {name})
                     ->integer(0);
        });
        return id;
    }

    // Received long after the dates the tests write, so no date counts as from the future.
    Stored put(const std::string& raw, std::int64_t received_at = kJune2024 + 365 * kDay,
               std::optional<std::int64_t> list = std::nullopt) {
        Stored stored;
        database_->transact([&](store::Connection& connection) {
            stored = archive::store(connection, list.value_or(list_), raw, received_at);
        });
        return stored;
    }

    std::unique_ptr<store::Database> database_;
    std::int64_t list_ = 0;
    std::int64_t other_list_ = 0;
};

TEST_P(ArchiveStore, StoresBytesAndFieldsAndIsIdempotent) {
    const std::string raw = mail("one@example.org", "=?UTF-8?Q?Caf=C3=A9?=", kJune2024 - 3600) +
                            std::string("binary \0 \xff tail\r\n", 17);
    const auto first = put(raw);
    EXPECT_FALSE(first.duplicate);
    const auto again = put(raw);
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(again.id, first.id);
    EXPECT_EQ(again.thread, first.thread);

    Archive archive(*database_);
    const auto message = archive.message(first.id);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->raw, raw);
    EXPECT_EQ(message->message_id, "one@example.org");
    EXPECT_FALSE(message->message_id_assigned);
    EXPECT_EQ(message->subject, "Café");
    EXPECT_EQ(message->author_name, "Anna");
    EXPECT_EQ(message->date, kJune2024 - 3600);
    EXPECT_FALSE(message->date_is_fallback);
    EXPECT_EQ(message->list_id, list_);

    // The same Message-ID in another list is another message.
    const auto elsewhere = put(raw, kJune2024, other_list_);
    EXPECT_FALSE(elsewhere.duplicate);
    const auto refs = archive.find_by_message_id("one@example.org");
    ASSERT_EQ(refs.size(), 2U);
    EXPECT_EQ(refs[0].id, first.id);
    EXPECT_EQ(refs[1].list_id, other_list_);
}

TEST_P(ArchiveStore, AssignsMessageIdsAndFallbackDates) {
    const std::string raw = mail("", "No id", 0);
    const auto first = put(raw, kJune2024);
    const auto again = put(raw, kJune2024 + 60);
    EXPECT_TRUE(again.duplicate);
    EXPECT_EQ(again.id, first.id);
    Archive archive(*database_);
    const auto message = archive.message(first.id);
    ASSERT_TRUE(message);
    EXPECT_TRUE(message->message_id_assigned);
    EXPECT_NE(message->message_id.find("@archive.invalid"), std::string::npos);
    EXPECT_TRUE(message->date_is_fallback);
    EXPECT_EQ(message->date, kJune2024);

    // A date far after arrival is a broken clock.
    const auto future = put(mail("future@x", "Future", kJune2024 + 10 * kDay), kJune2024);
    EXPECT_TRUE(archive.message(future.id)->date_is_fallback);
    const auto skewed = put(mail("skewed@x", "Skewed", kJune2024 + kDay), kJune2024);
    EXPECT_FALSE(archive.message(skewed.id)->date_is_fallback);
}

TEST_P(ArchiveStore, UnparseableBytesAreKept) {
    const std::string raw("\0\0\xff\xfe not a message", 18);
    const auto stored = put(raw);
    Archive archive(*database_);
    const auto message = archive.message(stored.id);
    ASSERT_TRUE(message);
    EXPECT_FALSE(message->parseable);
    EXPECT_TRUE(message->message_id_assigned);
    EXPECT_EQ(message->raw, raw);
}

TEST_P(ArchiveStore, RepliesJoinTheirParentsThread) {
    const auto root = put(mail("root@x", "Plan", kJune2024));
    const auto reply = put(mail("reply@x", "Re: Plan", kJune2024 + 60, "root@x"));
    const auto nested = put(mail("nested@x", "Re: Plan", kJune2024 + 120, "root@x reply@x"));
    EXPECT_EQ(reply.thread, root.thread);
    EXPECT_EQ(nested.thread, root.thread);
    Archive archive(*database_);
    const auto summary = archive.thread(root.thread);
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->message_count, 3U);
    EXPECT_EQ(summary->subject, "Plan");
    EXPECT_EQ(summary->first_message, root.id);
    EXPECT_EQ(summary->started_at, kJune2024);
    EXPECT_EQ(summary->last_activity, kJune2024 + 120);
    EXPECT_EQ(summary->participants, (std::vector<std::string>{"Anna"}));

    const auto tree = archive.thread_tree(root.thread);
    ASSERT_EQ(tree.size(), 3U);
    EXPECT_EQ(tree[0].message.id, root.id);
    EXPECT_EQ(tree[0].depth, 0U);
    EXPECT_FALSE(tree[0].parent);
    EXPECT_EQ(tree[1].message.id, reply.id);
    EXPECT_EQ(tree[1].depth, 1U);
    EXPECT_EQ(tree[2].message.id, nested.id);
    EXPECT_EQ(tree[2].depth, 2U);
    EXPECT_EQ(tree[2].parent, reply.id);
    EXPECT_TRUE(tree[2].message.raw.empty());
}

TEST_P(ArchiveStore, LateParentMergesThreads) {
    // Replies to a@x arrive before it; c@x shares the missing parent, so it joins b@x at once.
    const auto b = put(mail("b@x", "Re: Agenda", kJune2024 + 60, "a@x"));
    const auto c = put(mail("c@x", "Other words", kJune2024 + 120, "zz@x a@x"));
    const auto d = put(mail("d@x", "Re: Re: Agenda", kJune2024 + 180, "q@x b@x"));
    EXPECT_EQ(c.thread, b.thread);
    EXPECT_EQ(d.thread, b.thread);
    // e@x replies to p@x, also missing: a thread of its own, started before b's.
    const auto e = put(mail("e@x", "Re: Agenda", kJune2024 + 30, "p@x"));
    EXPECT_NE(e.thread, b.thread);
    Archive archive(*database_);
    EXPECT_EQ(archive.thread_count(list_, ""), 2U);

    // a@x arrives, itself a reply to p@x: both threads become one, the oldest (e's).
    const auto a = put(mail("a@x", "Agenda", kJune2024, "p@x"));
    EXPECT_FALSE(a.duplicate);
    EXPECT_EQ(a.thread, e.thread);
    EXPECT_EQ(archive.thread_count(list_, ""), 1U);
    EXPECT_FALSE(archive.thread(b.thread));
    const auto kept = archive.thread(a.thread);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->message_count, 5U);
    EXPECT_EQ(kept->first_message, a.id);
    EXPECT_EQ(kept->subject, "Agenda");
    EXPECT_EQ(kept->started_at, kJune2024);
    EXPECT_EQ(kept->last_activity, kJune2024 + 180);
    for (const auto& id : {a.id, b.id, c.id, d.id, e.id}) {
        EXPECT_EQ(archive.message(id)->thread, a.thread);
    }
    // The tree: the missing p@x holds a@x and e@x (no level of its own).
    const auto tree = archive.thread_tree(a.thread);
    ASSERT_EQ(tree.size(), 5U);
    EXPECT_EQ(tree[0].message.id, a.id);
    EXPECT_EQ(tree[0].depth, 0U);
    EXPECT_EQ(tree[1].message.id, b.id);
    EXPECT_EQ(tree[1].depth, 1U);
    EXPECT_EQ(tree[2].message.id, d.id);
    EXPECT_EQ(tree[2].depth, 2U);
    EXPECT_EQ(tree[3].message.id, c.id);
    EXPECT_EQ(tree[3].parent, a.id);
    EXPECT_EQ(tree[4].message.id, e.id);
    EXPECT_EQ(tree[4].depth, 0U);
}

TEST_P(ArchiveStore, OrphansJoinBySubjectWithinThirtyDays) {
    const auto root = put(mail("r@x", "[discuss] Budget", kJune2024));
    const auto orphan = put(mail("o@x", "Re: [discuss] Budget", kJune2024 + 5 * kDay));
    EXPECT_EQ(orphan.thread, root.thread);
    const auto late = put(mail("l@x", "Re: Budget", kJune2024 + 60 * kDay));
    EXPECT_NE(late.thread, root.thread);
    // A message naming a missing parent is not joined by subject.
    const auto named = put(mail("n@x", "Re: Budget", kJune2024 + 6 * kDay, "gone@x"));
    EXPECT_NE(named.thread, root.thread);
    EXPECT_NE(named.thread, late.thread);
    // A late parent joins the thread of its children, not another of the same subject.
    const auto child = put(mail("c@x", "Re: [discuss] Budget", kJune2024 + 7 * kDay, "p@x"));
    const auto parent = put(mail("p@x", "[discuss] Budget", kJune2024 + 6 * kDay));
    EXPECT_EQ(parent.thread, child.thread);
    EXPECT_NE(parent.thread, root.thread);
}

TEST_P(ArchiveStore, ThreadsByActivityAndMonth) {
    const auto may = put(mail("may@x", "May thread", kJune2024 - 10 * kDay));
    const auto june = put(mail("june@x", "June thread", kJune2024 + kDay));
    put(mail("may-reply@x", "Re: May thread", kJune2024 + 2 * kDay, "may@x"));
    const auto july = put(mail("july@x", "July thread", kJune2024 + 31 * kDay));
    Archive archive(*database_);

    const auto all = archive.threads(list_, "", 10, 0);
    ASSERT_EQ(all.size(), 3U);
    EXPECT_EQ(all[0].id, july.thread);
    EXPECT_EQ(all[1].id, may.thread);  // Its reply in June is newer than the June thread.
    EXPECT_EQ(all[2].id, june.thread);
    EXPECT_EQ(archive.threads(list_, "", 1, 1).at(0).id, may.thread);

    const auto in_june = archive.threads(list_, "2024-06", 10, 0);
    ASSERT_EQ(in_june.size(), 2U);
    EXPECT_EQ(archive.thread_count(list_, "2024-06"), 2U);
    EXPECT_EQ(archive.thread_count(list_, "2024-05"), 1U);
    EXPECT_EQ(archive.thread_count(list_, ""), 3U);
    EXPECT_EQ(archive.thread_count(list_, "2024-13"), 0U);
    EXPECT_EQ(archive.thread_count(list_, "'; DROP TABLE lists; --"), 0U);
    EXPECT_TRUE(archive.threads(list_, "2023-06", 10, 0).empty());

    const auto months = archive.months(list_);
    ASSERT_EQ(months.size(), 3U);
    EXPECT_EQ(months[0].month, "2024-07");
    EXPECT_EQ(months[0].messages, 1U);
    EXPECT_EQ(months[1].month, "2024-06");
    EXPECT_EQ(months[1].messages, 2U);
    EXPECT_EQ(months[2].month, "2024-05");
    EXPECT_TRUE(archive.months(other_list_).empty());

    const auto latest = archive.latest(list_, 2);
    ASSERT_EQ(latest.size(), 2U);
    EXPECT_EQ(latest[0].message_id, "july@x");
    EXPECT_EQ(latest[1].message_id, "may-reply@x");
}

TEST_P(ArchiveStore, AttachmentsAreStoredWithTheirBytes) {
    const std::string raw =
        "From: a@example.org\r\nSubject: file\r\nMessage-ID: <file@x>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        "Content-Type: text/plain\r\n\r\nSee the file.\r\n--b\r\n"
        "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
        "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nAAH/\r\n--b--\r\n";
    const auto stored = put(raw);
    Archive archive(*database_);
    const auto message = archive.message(stored.id);
    ASSERT_EQ(message->attachments.size(), 1U);
    EXPECT_EQ(message->attachments[0].filename, "data.bin");
    EXPECT_EQ(message->attachments[0].size, 3U);
    EXPECT_TRUE(message->attachments[0].bytes.empty());
    const auto attachment = archive.attachment(stored.id, 0);
    ASSERT_TRUE(attachment);
    EXPECT_EQ(attachment->bytes, std::string("\0\x01\xff", 3));
    EXPECT_FALSE(archive.attachment(stored.id, 1));
    EXPECT_EQ(archive.thread_tree(stored.thread).at(0).message.attachments.size(), 1U);
}

TEST_P(ArchiveStore, RevisionRisesWithEveryArchivedMessageOfItsList_Issue7) {
    Archive archive(*database_);
    EXPECT_EQ(archive.revision(list_), 0);
    const auto root = put(mail("root@x", "Plan", kJune2024));
    const std::int64_t after_root = archive.revision(list_);
    EXPECT_GT(after_root, 0);
    // A duplicate writes nothing, so nothing kept from the list goes stale.
    EXPECT_TRUE(put(mail("root@x", "Plan", kJune2024)).duplicate);
    EXPECT_EQ(archive.revision(list_), after_root);
    // Another list's message leaves this list's revision alone.
    put(mail("elsewhere@x", "Plan", kJune2024), kJune2024 + 365 * kDay, other_list_);
    EXPECT_EQ(archive.revision(list_), after_root);
    EXPECT_GT(archive.revision(other_list_), 0);
    // A reply raises it, and so does a late parent that re-links threads.
    put(mail("reply@x", "Re: Plan", kJune2024 + 60, "root@x"));
    const std::int64_t after_reply = archive.revision(list_);
    EXPECT_GT(after_reply, after_root);
    put(mail("child@x", "Re: Agenda", kJune2024 + 60, "parent@x"));
    const std::int64_t after_child = archive.revision(list_);
    EXPECT_GT(after_child, after_reply);
    const auto parent = put(mail("parent@x", "Agenda", kJune2024, "root@x"));
    EXPECT_EQ(parent.thread, root.thread);
    EXPECT_GT(archive.revision(list_), after_child);
}

TEST(Permalink, Path) {
    EXPECT_EQ(permalink_path("discuss", MessageId(42)), "/lists/discuss/m/42");
}

INSTANTIATE_TEST_SUITE_P(Dialects, ArchiveStore,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::archive
