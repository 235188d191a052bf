#include "archive/import.hpp"

#include "archive/archive.hpp"
#include "archive/mbox.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace coalition::archive {
namespace {

using store::Dialect;

constexpr const char* kSeparator = "From anna@example.org Fri Nov 28 20:55:21 2025\n";

std::string mail(const std::string& id, const std::string& date, const std::string& references,
                 const std::string& body) {
    std::string raw = "From: Anna <anna@example.org>\nSubject: test\n";
    if (!id.empty()) {
        raw += "Message-ID: <" + id + ">\n";
    }
    raw += "Date: " + date + "\n";
    if (!references.empty()) {
        raw += "References: <" + references + ">\n";
    }
    return raw + "\n" + body;
}

std::string as_mbox(const std::vector<std::string>& messages) {
    std::ostringstream out;
    for (const auto& message : messages) {
        out << kSeparator << message << "\n";
    }
    return out.str();
}

class Import : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
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

    ImportReport import(std::int64_t list, const std::string& text) {
        std::istringstream in(text);
        return import_mbox(*database_, list, in);
    }

    std::string exported(std::int64_t list, const ExportScope& scope = {}) {
        std::ostringstream out;
        export_mbox(*database_, list, scope, out);
        return out.str();
    }

    std::unique_ptr<store::Database> database_;
};

TEST_P(Import, ImportsCountsDuplicatesAndReportsGarbage) {
    const auto list = make_list("discuss");
    const std::string text =
        "garbage before\n\n" +
        as_mbox({mail("a@x", "Mon, 3 Nov 2025 10:00:00 +0000", "", "one\nFrom inside\n"),
                 mail("b@x", "Mon, 3 Nov 2025 11:00:00 +0000", "a@x", ">From quoted\n"),
                 mail("a@x", "Mon, 3 Nov 2025 10:00:00 +0000", "", "same id again\n"),
                 mail("", "broken date", "", "no id\n")});
    const auto first = import(list, text);
    EXPECT_EQ(first.imported, 4u);  // The garbage is kept as a message too.
    EXPECT_EQ(first.duplicates, 1u);
    ASSERT_EQ(first.unparseable.size(), 1u);
    EXPECT_EQ(first.unparseable[0].offset, 0u);

    const auto second = import(list, text);
    EXPECT_EQ(second.imported, 0u);
    EXPECT_EQ(second.duplicates, 5u);
}

// Servers keep a list's pages until its archive revision moves: an import that stored anything
// moves it (once a batch, not once a message), one that found only duplicates does not.
TEST_P(Import, ImportRaisesTheListsRevisionWhenItStoresSomething) {
    const auto list = make_list("discuss");
    const auto other = make_list("other");
    Archive archive(*database_);
    const std::string text =
        as_mbox({mail("a@x", "Mon, 3 Nov 2025 10:00:00 +0000", "", "one\n"),
                 mail("b@x", "Mon, 3 Nov 2025 11:00:00 +0000", "a@x", "two\n")});
    const std::int64_t before = archive.revision(list);
    ASSERT_EQ(import(list, text).imported, 2u);
    const std::int64_t after = archive.revision(list);
    EXPECT_GT(after, before);
    EXPECT_EQ(archive.revision(other), 0);
    ASSERT_EQ(import(list, text).duplicates, 2u);
    EXPECT_EQ(archive.revision(list), after);
}

TEST_P(Import, MessageWithoutDateTakesItsSeparatorsDate) {
    const auto list = make_list("discuss");
    const std::string text =
        "From anna at example.org  Mon Nov  3 10:00:00 2025\nMessage-ID: <p@x>\n\npipermail\n\n"
        "From - Tue Nov  4 11:00:00 2025\r\nMessage-ID: <t@x>\r\n\r\nthunderbird\r\n\r\n"
        "From MAILER-DAEMON not a date\nMessage-ID: <m@x>\n\nprevious one's\n";
    ASSERT_EQ(import(list, text).imported, 3u);
    const Archive archive(*database_);
    const auto date_of = [&](const std::string& message_id) {
        const auto found = archive.find_by_message_id(message_id);
        EXPECT_EQ(found.size(), 1u) << message_id;
        const auto message = found.empty() ? std::nullopt : archive.message(found[0].id);
        EXPECT_TRUE(message && message->date_is_fallback) << message_id;
        return message ? message->date : 0;
    };
    EXPECT_EQ(date_of("p@x"), 1'762'164'000);  // 2025-11-03T10:00:00Z
    EXPECT_EQ(date_of("t@x"), 1'762'254'000);  // 2025-11-04T11:00:00Z
    EXPECT_EQ(date_of("m@x"), 1'762'254'000);
}

TEST_P(Import, ExportImportsBackByteForByte) {
    const auto list = make_list("discuss");
    const std::vector<std::string> messages = {
        mail("c@x", "Tue, 4 Nov 2025 10:00:00 +0000", "", "From start\n>From one\n>>From two\n"),
        mail("d@x", "Mon, 3 Nov 2025 10:00:00 +0000", "", std::string("nul \0 \xff\r\n", 9)),
        mail("e@x", "Wed, 1 Oct 2025 10:00:00 +0000", "d@x", "\n\nblank lines\n\n"),
    };
    std::ostringstream written;
    for (const auto& message : messages) {
        mbox::write(written, "", 0, message);
    }
    ASSERT_EQ(import(list, written.str()).imported, 3u);
    const std::string first = exported(list);
    // By date: October, then the two November messages.
    EXPECT_LT(first.find("e@x"), first.find("d@x"));
    EXPECT_LT(first.find("d@x"), first.find("c@x"));

    const auto fresh = make_list("fresh");
    const auto report = import(fresh, first);
    EXPECT_EQ(report.imported, 3u);
    EXPECT_TRUE(report.unparseable.empty());
    EXPECT_EQ(exported(fresh), first);

    std::istringstream in(first);
    std::vector<std::string> bytes;
    mbox::split(in, [&](mbox::Entry&& entry) { bytes.push_back(entry.bytes); });
    ASSERT_EQ(bytes.size(), 3u);
    EXPECT_EQ(bytes[0], messages[2]);
    EXPECT_EQ(bytes[1], messages[1]);
    EXPECT_EQ(bytes[2], messages[0]);
}

TEST_P(Import, ExportsOneMonthOrOneThread) {
    const auto list = make_list("discuss");
    ASSERT_EQ(import(list, as_mbox({
                               mail("f@x", "Mon, 3 Nov 2025 10:00:00 +0000", "", "a\n"),
                               mail("g@x", "Wed, 1 Oct 2025 10:00:00 +0000", "", "b\n"),
                               mail("h@x", "Wed, 1 Oct 2025 11:00:00 +0000", "f@x", "c\n"),
                           }))
                  .imported,
              3u);
    const std::string october = exported(list, {.month = "2025-10", .thread = {}});
    EXPECT_NE(october.find("g@x"), std::string::npos);
    EXPECT_NE(october.find("h@x"), std::string::npos);
    EXPECT_EQ(october.find("Message-ID: <f@x>"), std::string::npos);
    EXPECT_EQ(exported(list, {.month = "2025-13", .thread = {}}), "");
    EXPECT_EQ(exported(list, {.month = "1999-01", .thread = {}}), "");

    const auto found = Archive(*database_).find_by_message_id("f@x");
    ASSERT_EQ(found.size(), 1u);
    const auto message = Archive(*database_).message(found[0].id);
    ASSERT_TRUE(message);
    const std::string thread = exported(list, {.month = {}, .thread = message->thread});
    EXPECT_NE(thread.find("Message-ID: <f@x>"), std::string::npos);
    EXPECT_NE(thread.find("Message-ID: <h@x>"), std::string::npos);
    EXPECT_EQ(thread.find("Message-ID: <g@x>"), std::string::npos);
}

TEST_P(Import, ImportsInBatchesWithProgress) {
    const auto list = make_list("discuss");
    std::vector<std::string> messages;
    messages.reserve(1203);
    for (int message_idx = 0; message_idx < 1203; ++message_idx) {
        messages.push_back(mail("m" + std::to_string(message_idx) + "@x",
                                "Mon, 3 Nov 2025 10:00:00 +0000", message_idx > 0 ? "m0@x" : "",
                                "body\n"));
    }
    const std::string text = as_mbox(messages);
    std::istringstream in(text);
    std::size_t last_progress = 0;
    std::size_t calls = 0;
    const auto report = import_mbox(*database_, list, in, [&](std::size_t read) {
        EXPECT_GE(read, last_progress);
        last_progress = read;
        ++calls;
    });
    EXPECT_EQ(report.imported, 1203u);
    EXPECT_GT(calls, 2u);
    EXPECT_EQ(last_progress, text.size());
    EXPECT_EQ(Archive(*database_).thread_count(list, ""), 1u);
}

// A corpus with what threading must get right, in a shuffled order: replies arriving before
// their parents (across batches too), siblings under a parent that never arrives, orphans joining
// by subject within the window and not beyond it, reference cycles, repeated messages, messages
// without a Message-ID, replies dated before the message they answer.
std::vector<std::string> threading_corpus(unsigned seed) {
    std::mt19937 random(seed);
    const auto pick = [&random](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    const std::int64_t start = 1'730'000'000;
    const auto date_text = [](std::int64_t when) {
        char text[64];
        const std::time_t time = when;
        std::tm parts{};
        gmtime_r(&time, &parts);
        std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &parts);
        return std::string(text);
    };
    const auto message = [&](const std::string& id, const std::string& subject, std::int64_t when,
                             const std::vector<std::string>& ancestors, bool in_reply_to_only) {
        std::string raw = "From: Anna <anna@example.org>\nSubject: " + subject + "\n";
        if (!id.empty()) {
            raw += "Message-ID: <" + id + ">\n";
        }
        raw += "Date: " + date_text(when) + "\n";
        if (!ancestors.empty()) {
            if (in_reply_to_only) {
                raw += "In-Reply-To: <" + ancestors.back() + ">\n";
            } else {
                raw += "References:";
                for (const auto& ancestor : ancestors) {
                    raw += " <" + ancestor + ">";
                }
                raw += "\n";
            }
        }
        return raw + "\nbody of " + id + " " + subject + "\n";
    };
    std::vector<std::string> corpus;
    const std::vector<std::string> prefixes{"", "Re: ", "RE: ", "AW: ", "Fwd: ", "Re: Re: "};
    for (int thread = 0; thread < 60; ++thread) {
        const std::string topic = "topic " + std::to_string(thread % 45);
        const std::int64_t root_date = start + std::int64_t{pick(0, 300)} * 86400;
        const bool root_missing = thread % 7 == 3;
        std::vector<std::vector<std::string>> chains{{"t" + std::to_string(thread) + "r@x"}};
        if (!root_missing) {
            corpus.push_back(message(chains[0].back(), topic, root_date, {}, false));
        }
        const int size = pick(0, 24);
        for (int reply = 1; reply <= size; ++reply) {
            const auto& parent = chains[static_cast<std::size_t>(pick(0, reply - 1))];
            std::vector<std::string> chain = parent;
            if (chain.size() > 4 && pick(0, 2) == 0) {
                chain.erase(chain.begin() + 1, chain.end() - 2);  // A References: cut short.
            }
            const std::string id =
                "t" + std::to_string(thread) + "m" + std::to_string(reply) + "@x";
            const std::string subject = prefixes[static_cast<std::size_t>(pick(0, 5))] + topic;
            corpus.push_back(message(id, subject, root_date + std::int64_t{pick(-5, 40)} * 3600,
                                     chain, pick(0, 5) == 0));
            chain.push_back(id);
            chains.push_back(std::move(chain));
        }
    }
    for (int orphan = 0; orphan < 80; ++orphan) {
        const std::string topic = "topic " + std::to_string(pick(0, 50));
        corpus.push_back(message("o" + std::to_string(orphan) + "@x",
                                 prefixes[static_cast<std::size_t>(pick(0, 5))] + topic,
                                 start + std::int64_t{pick(0, 330)} * 86400, {}, false));
    }
    for (int cycle = 0; cycle < 4; ++cycle) {
        const std::string a = "c" + std::to_string(cycle) + "a@x";
        const std::string b = "c" + std::to_string(cycle) + "b@x";
        corpus.push_back(message(a, "cycle", start + std::int64_t{cycle} * 86400, {b}, false));
        corpus.push_back(
            message(b, "Re: cycle", start + std::int64_t{cycle} * 86400 + 60, {a}, false));
    }
    for (int anonymous = 0; anonymous < 6; ++anonymous) {
        corpus.push_back(message("", "no id " + std::to_string(anonymous % 4),
                                 start + std::int64_t{anonymous} * 86400, {}, false));
    }
    for (int repeat = 0; repeat < 40; ++repeat) {
        corpus.push_back(corpus[static_cast<std::size_t>(pick(0, 600)) % corpus.size()]);
    }
    std::shuffle(corpus.begin(), corpus.end(), random);
    return corpus;
}

// The threads of a list as Message-ID sets, each with its summary (count, first message's
// Message-ID, subject, base subject, start, last activity), so that two lists compare whatever
// their row ids.
std::set<std::string> thread_grouping(store::Database& database, std::int64_t list) {
    std::map<std::int64_t, std::set<std::string>> members;
    for (const auto& row : database.query(
             "SELECT thread_id, message_id FROM archive_messages WHERE list_id = $1", {list})) {
        members[row.integer(0)].insert(row.text(1));
    }
    std::set<std::string> threads;
    for (const auto& row : database.query(
             "SELECT t.id, t.message_count, f.message_id, t.subject, t.base_subject, "
             "t.started_at, t.last_activity FROM archive_threads t "
             "LEFT JOIN archive_messages f ON f.id = t.first_message WHERE t.list_id = $1",
             {list})) {
        std::string thread;
        for (const auto& id : members[row.integer(0)]) {
            thread += id + " ";
        }
        thread += "| " + std::to_string(row.integer(1)) + " " + row.text(2) + " " + row.text(3) +
                  " / " + row.text(4) + " " + std::to_string(row.integer(5)) + " " +
                  std::to_string(row.integer(6));
        threads.insert(thread);
    }
    return threads;
}

// An import places a batch in memory on PostgreSQL (placement.hpp) and writes it with statements
// of arrays; store() places one message at a time with statements. Both must thread alike: the
// same corpus imported (in two parts: the second meets stored threads, grows and merges them)
// and stored message by message give the same threads with the same summaries.
TEST_P(Import, ImportThreadsAsStoringOneByOneDoes) {
    const std::int64_t separator_date = 1'764'363'321;  // kSeparator's date.
    for (const unsigned seed : {7U, 11U}) {
        const auto corpus = threading_corpus(seed);
        const std::vector<std::string> first_part(
            corpus.begin(), corpus.begin() + static_cast<std::ptrdiff_t>(corpus.size() / 3));
        const auto imported = make_list("imported" + std::to_string(seed));
        const auto first = import(imported, as_mbox(first_part));
        const auto second = import(imported, as_mbox(corpus));
        EXPECT_EQ(first.imported + first.duplicates, first_part.size());
        EXPECT_EQ(second.imported + second.duplicates, corpus.size());
        EXPECT_GE(second.duplicates, first_part.size());
        const auto stored = make_list("stored" + std::to_string(seed));
        for (const auto* part : {&first_part, &corpus}) {
            for (const auto& raw : *part) {
                database_->transact([&](store::Connection& connection) {
                    store(connection, stored, raw, separator_date);
                });
            }
        }
        const auto by_import = thread_grouping(*database_, imported);
        const auto one_by_one = thread_grouping(*database_, stored);
        EXPECT_GT(one_by_one.size(), 60U);
        EXPECT_EQ(by_import, one_by_one) << "seed " << seed;
    }
}

// A message the store refuses (here a trigger, standing for any failure of its row) rolls its
// batch back; the importer stores that batch again one message at a time, reports the refused
// one with its offset and keeps the others. On PostgreSQL the batches after it were placed from
// what the failed batch would have written: they are placed again, so replies in later batches
// still join the threads of the messages the failed batch held.
TEST_P(Import, ARefusedMessageFailsOnlyItselfAndLaterBatchesThreadAsUsual) {
    const auto list = make_list("discuss");
    database_->transact([](store::Connection& connection) {
        if (connection.dialect() == Dialect::Sqlite) {
            connection.execute_script(
                "CREATE TRIGGER poison BEFORE INSERT ON archive_messages "
                "WHEN NEW.message_id = 'poison@x' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
        } else {
            connection.execute_script(
                "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.message_id = 'poison@x' THEN RAISE EXCEPTION 'poisoned'; END IF; "
                "RETURN NEW; END $$; CREATE TRIGGER poison BEFORE INSERT ON archive_messages "
                "FOR EACH ROW EXECUTE FUNCTION poison()");
        }
    });
    // 30 roots, then the poison, then a reply to each root: with batches of 50, then 100, the
    // poison and the roots share the first batch, and the replies come in later ones.
    const auto titled = [](const std::string& subject, std::string raw) {
        return raw.replace(raw.find("Subject: test"), 13, "Subject: " + subject);
    };
    std::vector<std::string> messages;
    messages.reserve(121);
    for (int root = 0; root < 30; ++root) {
        messages.push_back(titled("topic " + std::to_string(root),
                                  mail("root" + std::to_string(root) + "@x",
                                       "Mon, 3 Nov 2025 10:00:00 +0000", "", "root\n")));
    }
    messages.push_back(mail("poison@x", "Mon, 3 Nov 2025 10:30:00 +0000", "root0@x", "bad\n"));
    for (int filler = 0; filler < 60; ++filler) {
        messages.push_back(titled("filler", mail("filler" + std::to_string(filler) + "@x",
                                                 "Mon, 3 Nov 2025 11:00:00 +0000", "", "f\n")));
    }
    for (int root = 0; root < 30; ++root) {
        messages.push_back(
            titled("Re: topic " + std::to_string(root),
                   mail("reply" + std::to_string(root) + "@x", "Mon, 3 Nov 2025 12:00:00 +0000",
                        "root" + std::to_string(root) + "@x", "reply\n")));
    }
    const std::string text = as_mbox(messages);
    const auto report = import(list, text);
    EXPECT_EQ(report.imported, messages.size() - 1);
    EXPECT_EQ(report.duplicates, 0U);
    ASSERT_EQ(report.unparseable.size(), 1U);
    EXPECT_EQ(report.unparseable[0].offset,
              text.rfind(kSeparator, text.find("Message-ID: <poison@x>")));
    EXPECT_NE(report.unparseable[0].reason.find("poisoned"), std::string::npos)
        << report.unparseable[0].reason;

    const Archive archive(*database_);
    const auto thread_of = [&](const std::string& message_id) {
        const auto found = archive.find_by_message_id(message_id);
        EXPECT_EQ(found.size(), 1U) << message_id;
        const auto message = found.empty() ? std::nullopt : archive.message(found[0].id);
        return message ? message->thread : ThreadId();
    };
    for (int root = 0; root < 30; ++root) {
        const std::string name = std::to_string(root);
        EXPECT_EQ(thread_of("reply" + name + "@x"), thread_of("root" + name + "@x")) << name;
        const auto summary = archive.thread(thread_of("root" + name + "@x"));
        ASSERT_TRUE(summary);
        EXPECT_EQ(summary->message_count, 2U) << name;
    }
    EXPECT_TRUE(archive.find_by_message_id("poison@x").empty());
    // 30 threads of a root and its reply; the fillers joined one thread by their subject.
    EXPECT_EQ(archive.thread_count(list, ""), 31U);
}

TEST(MonthBounds, ParsesOnlyWellFormedMonths) {
    EXPECT_EQ(month_bounds("2025-11"),
              std::make_pair(std::int64_t{1'761'955'200}, std::int64_t{1'764'547'200}));
    EXPECT_EQ(month_bounds("2025-12")->second, 1'767'225'600);
    EXPECT_FALSE(month_bounds("2025-00"));
    EXPECT_FALSE(month_bounds("2025-1"));
    EXPECT_FALSE(month_bounds("2025/11"));
    EXPECT_FALSE(month_bounds("abcd-ef"));
    EXPECT_FALSE(month_bounds(""));
}

INSTANTIATE_TEST_SUITE_P(Dialects, Import,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::archive
