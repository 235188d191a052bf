#include "archive/search.hpp"

#include "archive/search_query.hpp"
#include "archive/tokenizer.hpp"
#include "store/migrations.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace coalition::archive::search {
namespace {

// ---- The tokenizer and the query parser (no database). ----

TEST(SearchTokens, FoldsCaseAndCompatibilityForms) {
    EXPECT_EQ(tokens("Hello WORLD ﬁnal Ｆｕｌｌ"),
              (std::vector<std::string>{"hello", "world", "final", "full"}));
    EXPECT_EQ(tokens("Straße"), (std::vector<std::string>{"strasse"}));
}

TEST(SearchTokens, SplitsAtPunctuationButKeepsAccents) {
    EXPECT_EQ(tokens("l'homme, e-mail: négociation!"),
              (std::vector<std::string>{"l", "homme", "e", "mail", "négociation"}));
    EXPECT_TRUE(tokens("... !!! ??? <> \"\" ()").empty());
    EXPECT_TRUE(tokens("").empty());
}

// ASCII chunks are cut without ICU (tokenizer.cpp); a no-break space, not ASCII, sends the whole
// text through ICU's word breaker, which must find the same words.
TEST(SearchTokens, AsciiWordsAreTheWordsIcuFinds) {
    const std::string ascii =
        "Don't re-send e-mail_v2 to X.Y@example.org: 3.14, 1,000.50 and (a)b\tC\r\nlast-Word";
    std::string through_icu = ascii;
    for (std::size_t at = 0; (at = through_icu.find(' ', at)) != std::string::npos; at += 2) {
        through_icu.replace(at, 1, "\u00A0");
    }
    ASSERT_NE(through_icu, ascii);
    EXPECT_EQ(tokens(ascii), tokens(through_icu));
    EXPECT_EQ(tokens(ascii),
              (std::vector<std::string>{"don", "t",   "re",      "send", "e", "mail", "v2",  "to",
                                        "x",   "y",   "example", "org",  "3", "14",   "1",   "000",
                                        "50",  "and", "a",       "b",    "c", "last", "word"}));
}

TEST(SearchTokens, MixedTextKeepsEachWordsPlaceInTheText) {
    const std::string text = "Draft v2 — négociation AGREED, 数字契约 text café.";
    std::vector<std::string> found;
    for (const Word& word : words(text)) {
        ASSERT_LE(word.begin, word.end);
        ASSERT_LE(word.end, text.size());
        found.push_back(text.substr(word.begin, word.end - word.begin) + "=" + word.surface);
    }
    EXPECT_NE(std::find(found.begin(), found.end(), "Draft=draft"), found.end());
    EXPECT_NE(std::find(found.begin(), found.end(), "v2=v2"), found.end());
    EXPECT_NE(std::find(found.begin(), found.end(), "négociation=négociation"), found.end());
    EXPECT_NE(std::find(found.begin(), found.end(), "AGREED=agreed"), found.end());
    EXPECT_NE(std::find(found.begin(), found.end(), "text=text"), found.end());
    EXPECT_NE(std::find(found.begin(), found.end(), "café=café"), found.end());
    EXPECT_EQ(words(text, 3).size(), 3u);
}

TEST(SearchTokens, SegmentsChineseWithTheDictionary) {
    const auto chinese = tokens("我们讨论了数字契约的问题");
    EXPECT_NE(std::find(chinese.begin(), chinese.end(), "数字"), chinese.end());
    EXPECT_NE(std::find(chinese.begin(), chinese.end(), "契约"), chinese.end());
}

TEST(SearchTokens, RemovesArabicHarakatAndTatweel) {
    // "al-salam" with fatha, sukun, shadda and a tatweel, and as usually written.
    EXPECT_EQ(tokens("السَّلَامُ"), tokens("السلام"));
    EXPECT_EQ(tokens("الســلام"), tokens("السلام"));
    EXPECT_EQ(tokens("السلام").size(), 1u);
}

TEST(SearchTokens, InvalidUtf8IsASeparator) {
    EXPECT_EQ(tokens(std::string("abc\xff\xfe"
                                 "def",
                                 8)),
              (std::vector<std::string>{"abc", "def"}));
    EXPECT_EQ(tokens(std::string("one\0two", 7)), (std::vector<std::string>{"one", "two"}));
}

TEST(SearchStems, PerLanguageWithoutDiacritics) {
    EXPECT_EQ(stem("running", Language::English), "run");
    EXPECT_EQ(stem("négociations", Language::French), stem("négociation", Language::French));
    EXPECT_EQ(stem("negociations", Language::French), stem("négociation", Language::French));
    EXPECT_EQ(stem("declaraciones", Language::Spanish), stem("declaración", Language::Spanish));
    EXPECT_EQ(stem("процессы", Language::Russian), stem("процесс", Language::Russian));
    EXPECT_EQ(stem("2024", Language::English), "");
    EXPECT_EQ(stem("数字", Language::English), "");
}

TEST(SearchLanguage, DetectsFromScriptAndStopwords) {
    EXPECT_EQ(detect_language(words("Процесс обсуждения продолжается")), Language::Russian);
    EXPECT_EQ(detect_language(words("Les négociations sont dans une impasse et la réunion")),
              Language::French);
    EXPECT_EQ(detect_language(words("Las negociaciones de la reunión y el acuerdo")),
              Language::Spanish);
    EXPECT_EQ(detect_language(words("The meeting and the agenda")), Language::English);
    EXPECT_EQ(detect_language(words("数字契约")), Language::English);
}

TEST(SearchQuery, RejectsBadInput) {
    EXPECT_FALSE(parse_query(""));
    EXPECT_FALSE(parse_query("   "));
    EXPECT_FALSE(parse_query("!!! ... ()"));
    EXPECT_FALSE(parse_query("the and of"));
    EXPECT_FALSE(parse_query("-excluded -only"));
    EXPECT_FALSE(parse_query(std::string("bad \xc3\x28 utf8")));
    EXPECT_FALSE(parse_query(std::string(513, 'a')));
    std::string longest;
    while (longest.size() < 510) {
        longest += "word ";
    }
    longest += "ab";
    ASSERT_EQ(longest.size(), 512u);
    EXPECT_TRUE(parse_query(longest));
    const auto invalid = parse_query("the");
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, core::ErrorCode::Invalid);
    EXPECT_EQ(invalid.error().field, "q");
}

TEST(SearchQuery, ParsesWordsPhrasesAndExclusions) {
    const auto query = parse_query("Running \"the digital compact\" -spam 数字契约");
    ASSERT_TRUE(query);
    ASSERT_EQ(query->clauses.size(), 4u);
    EXPECT_EQ(query->clauses[0].surfaces, (std::vector<std::string>{"running"}));
    EXPECT_NE(std::find(query->clauses[0].stems.begin(), query->clauses[0].stems.end(), "run"),
              query->clauses[0].stems.end());
    EXPECT_EQ(query->clauses[1].surfaces, (std::vector<std::string>{"the", "digital", "compact"}));
    EXPECT_TRUE(query->clauses[1].stems.empty());
    EXPECT_TRUE(query->clauses[2].excluded);
    EXPECT_EQ(query->clauses[3].surfaces, (std::vector<std::string>{"数字", "契约"}));
}

TEST(SearchQuery, EngineSyntaxIsNeverPassedThrough) {
    const auto query = parse_query("a\"b NEAR(x y) c* ^d col:e (f OR g) AND h ' ; -- \\");
    ASSERT_TRUE(query);
    for (const std::string& expression : {to_fts5(*query), to_tsquery(*query)}) {
        EXPECT_EQ(expression.find('*'), std::string::npos) << expression;
        EXPECT_EQ(expression.find('^'), std::string::npos) << expression;
        EXPECT_EQ(expression.find(':'), std::string::npos) << expression;
        EXPECT_EQ(expression.find(';'), std::string::npos) << expression;
        EXPECT_EQ(expression.find('\\'), std::string::npos) << expression;
    }
}

// ---- Search on both backends. ----

struct Message {
    std::string subject;
    std::string text;
    std::string author_name = "Ada Lovelace";
    std::string author_email = "ada@example.org";
    std::int64_t date = 1700000000;
    int attachments = 0;
    std::int64_t list = 0;  // 0: the first list.
};

class SearchTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        list_ = add_list("discuss");
        other_list_ = add_list("other");
    }

    std::int64_t add_list(const std::string& name) {
        std::int64_t id = 0;
        database_->transact([&](store::Connection& connection) {
            id = connection
                     .query_one(
                         "INSERT INTO lists (name, domain, domain_ascii, posting_policy, "
                         "nonmember_policy, max_message_bytes, archive_visibility, "
                         "digest_enabled, digest_period, digest_size_threshold_bytes, "
                         "reply_to_policy, dmarc_mitigation, created_at, updated_at) VALUES "
                         "($1, 'example.org', 'example.org', 'members', 'hold', 1000000, "
                         "'public', 0, 'daily', 1000, 'none', 'never', 0, 0) RETURNING id",
                         {name})
                     ->integer(0);
        });
        return id;
    }

    MessageId add(const Message& message) {
        ArchivedMessage archived;
        archived.list_id = message.list == 0 ? list_ : message.list;
        archived.subject = message.subject;
        archived.text = message.text;
        archived.author_name = message.author_name;
        archived.author_email = message.author_email;
        archived.date = message.date;
        archived.message_id = "m" + std::to_string(++sequence_) + "@example.org";
        database_->transact([&](store::Connection& connection) {
            const std::int64_t thread =
                connection
                    .query_one(
                        "INSERT INTO archive_threads (list_id, subject, started_at, "
                        "last_activity) VALUES ($1, $2, $3, $3) RETURNING id",
                        {archived.list_id, archived.subject, archived.date})
                    ->integer(0);
            archived.thread = ThreadId(thread);
            archived.id = MessageId(
                connection
                    .query_one(
                        "INSERT INTO archive_messages (list_id, thread_id, message_id, date, "
                        "author_name, author_email, subject, body_text, attachment_count, raw, "
                        "archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $4) "
                        "RETURNING id",
                        {archived.list_id, thread, archived.message_id, archived.date,
                         archived.author_name, archived.author_email, archived.subject,
                         archived.text, std::int64_t{message.attachments}})
                    ->integer(0));
            if (index_as_before_0032_) {
                index_as_before_0032(connection, archived);
            } else {
                index_new(connection, archived.id, archived.list_id,
                          document_of(archived.subject, archived.text));
            }
        });
        return archived.id;
    }

    Results find(const std::string& text) {
        Query query;
        query.text = text;
        query.lists = {list_, other_list_};
        return find(query);
    }

    Results find(const Query& query) {
        auto results = search(*database_, query);
        EXPECT_TRUE(results) << query.text << ": " << results.error().message;
        return results ? *results : Results{};
    }

    std::vector<MessageId> ids(const std::string& text) {
        std::vector<MessageId> out;
        for (const Hit& hit : find(text).hits) {
            out.push_back(hit.message);
        }
        std::sort(out.begin(), out.end(),
                  [](MessageId a, MessageId b) { return a.value() < b.value(); });
        return out;
    }

    // An index entry as written before migration 0032 (no list term; surface forms only).
    static void index_as_before_0032(store::Connection& connection,
                                     const ArchivedMessage& archived) {
        std::string subject;
        std::string body;
        for (const std::string& token : tokens(archived.subject)) {
            subject += token + " ";
        }
        for (const std::string& token : tokens(archived.text)) {
            body += token + " ";
        }
        if (connection.dialect() == store::Dialect::Sqlite) {
            connection.execute(
                "INSERT INTO archive_search (rowid, subject, body) VALUES ($1, $2, $3)",
                {archived.id.value(), subject, body});
        } else {
            connection.execute(
                "INSERT INTO archive_search (message_id, document) "
                "VALUES ($1, to_tsvector('simple', $2))",
                {archived.id.value(), subject + body});
        }
    }

    // What migration 0032 leaves on SQLite: an empty index and messages first…last to index.
    void leave_to_rebuild(MessageId first, MessageId last) {
        database_->transact([&](store::Connection& connection) {
            connection.execute_script(
                "DROP TABLE archive_search; CREATE VIRTUAL TABLE archive_search USING "
                "fts5(subject, body, list, content = '', tokenize = 'ascii');");
            connection.execute(
                "INSERT INTO archive_search_rebuild (next_id, last_id) VALUES ($1, $2)",
                {first.value(), last.value()});
        });
    }

    std::int64_t index_entries() {
        return database_->query_one("SELECT count(*) FROM archive_search")->integer(0);
    }

    std::unique_ptr<store::Database> database_;
    std::int64_t list_ = 0;
    std::int64_t other_list_ = 0;
    int sequence_ = 0;
    bool index_as_before_0032_ = false;
};

using Ids = std::vector<MessageId>;

TEST_P(SearchTest, EnglishInflectionsAndExactWords) {
    const MessageId run = add({"Weekly call", "We run the tests every night."});
    const MessageId other = add({"Lunch", "Nothing to see here."});
    EXPECT_EQ(ids("running"), Ids{run});
    EXPECT_EQ(ids("RUN"), Ids{run});
    EXPECT_EQ(ids("tested"), Ids{run});
    EXPECT_EQ(ids("lunch"), Ids{other});
    EXPECT_TRUE(ids("dinner").empty());
}

TEST_P(SearchTest, FrenchSpanishAndRussianInflections) {
    const MessageId french = add({"Réunion",
                                  "La négociation sur le texte est dans une phase difficile et les "
                                  "délégations sont présentes."});
    const MessageId spanish =
        add({"Reunión", "La declaración de los participantes y el acuerdo de la reunión."});
    const MessageId russian = add({"Встреча", "Этот процесс обсуждения идёт в рабочей группе."});
    EXPECT_EQ(ids("négociations"), Ids{french});
    EXPECT_EQ(ids("negociations"), Ids{french});
    EXPECT_EQ(ids("délégation"), Ids{french});
    EXPECT_EQ(ids("declaraciones"), Ids{spanish});
    EXPECT_EQ(ids("процессы"), Ids{russian});
    EXPECT_EQ(ids("процессе"), Ids{russian});
}

TEST_P(SearchTest, ChineseWordInsideASentence) {
    const MessageId chinese = add({"会议", "我们今天讨论了全球数字契约的草案和时间表。"});
    add({"其他", "这是一个关于天气的消息。"});
    EXPECT_EQ(ids("数字契约"), Ids{chinese});
    EXPECT_EQ(ids("草案"), Ids{chinese});
    EXPECT_EQ(ids("天气"), Ids{MessageId(chinese.value() + 1)});
}

TEST_P(SearchTest, ArabicWithAndWithoutDiacritics) {
    const MessageId plain = add({"اجتماع", "نحن ندعم السلام والتعاون الدولي"});
    const MessageId marked = add({"بيان", "إعلان السَّلَامُ العالمي"});
    EXPECT_EQ(ids("السلام"), (Ids{plain, marked}));
    EXPECT_EQ(ids("السَّلَامُ"), (Ids{plain, marked}));
    EXPECT_EQ(ids("إعلان"), Ids{marked});
}

TEST_P(SearchTest, PhraseNeedsConsecutiveWords) {
    const MessageId together = add({"A", "The digital compact was adopted."});
    const MessageId apart = add({"B", "The compact on digital matters."});
    EXPECT_EQ(ids("digital compact"), (Ids{together, apart}));
    EXPECT_EQ(ids("\"digital compact\""), Ids{together});
    EXPECT_EQ(ids("\"compact digital\"").size(), 0u);
    // A phrase does not run from the subject into the body.
    const MessageId split = add({"Global digital", "compact news"});
    EXPECT_EQ(ids("\"digital compact\""), Ids{together});
    EXPECT_EQ(ids("\"compact news\""), Ids{split});
}

TEST_P(SearchTest, ExclusionRemovesMatches) {
    const MessageId cats = add({"Pets", "cats and dogs"});
    const MessageId dogs = add({"Pets", "dogs only"});
    EXPECT_EQ(ids("dogs"), (Ids{cats, dogs}));
    EXPECT_EQ(ids("dogs -cats"), Ids{dogs});
    EXPECT_EQ(ids("dogs -cat"), Ids{dogs});  // Exclusion matches stems too.
    EXPECT_EQ(ids("dogs -\"cats and\""), Ids{dogs});
}

TEST_P(SearchTest, FiltersListsAuthorDatesAndAttachments) {
    const MessageId first =
        add({"Budget", "budget draft", "Grace Hopper", "grace@navy.example", 1000, 1});
    const MessageId second =
        add({"Budget", "budget final", "Ada Lovelace", "ada@example.org", 2000, 0});
    const MessageId elsewhere = add(
        {"Budget", "budget elsewhere", "Ada Lovelace", "ada@example.org", 3000, 0, other_list_});
    Query query;
    query.text = "budget";
    query.lists = {list_};
    EXPECT_EQ(find(query).total, 2u);
    query.lists = {other_list_};
    ASSERT_EQ(find(query).hits.size(), 1u);
    EXPECT_EQ(find(query).hits[0].message, elsewhere);
    query.lists = {};
    EXPECT_EQ(find(query).total, 0u);

    query.lists = {list_, other_list_};
    query.author = "HOPPER";
    ASSERT_EQ(find(query).total, 1u);
    EXPECT_EQ(find(query).hits[0].message, first);
    query.author = "navy.exa";
    EXPECT_EQ(find(query).total, 1u);
    query.author = "%";  // A LIKE wildcard is a literal.
    EXPECT_EQ(find(query).total, 0u);
    query.author = "";

    query.from = 1500;
    query.until = 2500;
    ASSERT_EQ(find(query).total, 1u);
    EXPECT_EQ(find(query).hits[0].message, second);
    query.from.reset();
    query.until.reset();

    query.has_attachment = true;
    ASSERT_EQ(find(query).total, 1u);
    EXPECT_EQ(find(query).hits[0].message, first);
}

TEST_P(SearchTest, TotalLimitAndOffset) {
    for (int message_idx = 0; message_idx < 7; ++message_idx) {
        add({"Item " + std::to_string(message_idx), "repeated word", "Ada", "ada@example.org",
             1000 + message_idx});
    }
    Query query;
    query.text = "repeated";
    query.lists = {list_};
    query.limit = 3;
    Results page = find(query);
    EXPECT_EQ(page.total, 7u);
    EXPECT_EQ(page.hits.size(), 3u);
    EXPECT_EQ(page.hits[0].author_name, "Ada");
    EXPECT_EQ(page.hits[0].author_email, "ada@example.org");
    query.offset = 6;
    page = find(query);
    EXPECT_EQ(page.total, 7u);
    EXPECT_EQ(page.hits.size(), 1u);
    query.offset = 7;
    page = find(query);
    EXPECT_TRUE(page.hits.empty());
    EXPECT_EQ(page.total, 7u) << "a page past the end still says how many there are";
    query.offset = 3;
    query.text = "repeated -nothing";
    EXPECT_EQ(find(query).total, 7u);
    query.text = "absent";
    query.offset = 0;
    EXPECT_EQ(find(query).total, 0u);
}

TEST_P(SearchTest, RankingPrefersSubjectAndDensity) {
    const MessageId once = add({"Other topic",
                                "A long message that mentions governance once among many other "
                                "words about lunch, weather, travel and the agenda of the day."});
    const MessageId subject = add({"Governance", "Notes from the meeting."});
    const MessageId often = add({"Notes", "Governance, governance and more governance."});
    const Results results = find("governance");
    ASSERT_EQ(results.hits.size(), 3u);
    EXPECT_EQ(results.hits.back().message, once);
    EXPECT_NE(std::find_if(results.hits.begin(), results.hits.begin() + 2,
                           [&](const Hit& hit) { return hit.message == subject; }),
              results.hits.begin() + 2);
    EXPECT_NE(std::find_if(results.hits.begin(), results.hits.begin() + 2,
                           [&](const Hit& hit) { return hit.message == often; }),
              results.hits.begin() + 2);
    EXPECT_GT(results.hits[0].score, results.hits[2].score);
}

TEST_P(SearchTest, SnippetMarksHitsAndEscapesHtml) {
    add({"Hostile", "Before <script>alert('x')</script> & the running tests \"quoted\" end."});
    const Results results = find("run");
    ASSERT_EQ(results.hits.size(), 1u);
    const std::string& snippet = results.hits[0].snippet_html;
    EXPECT_EQ(snippet.find("<script>"), std::string::npos) << snippet;
    EXPECT_NE(snippet.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"),
              std::string::npos)
        << snippet;
    EXPECT_NE(snippet.find("<mark>running</mark>"), std::string::npos) << snippet;
    EXPECT_NE(snippet.find("&quot;quoted&quot;"), std::string::npos) << snippet;
}

TEST_P(SearchTest, SnippetIsAWindowAroundTheHits) {
    std::string text;
    for (int word_idx = 0; word_idx < 200; ++word_idx) {
        text += "filler" + std::to_string(word_idx) + " ";
    }
    text += "the needle is here.\n\nAnd   more ";
    for (int word_idx = 0; word_idx < 200; ++word_idx) {
        text += "padding" + std::to_string(word_idx) + " ";
    }
    add({"Haystack", text});
    const Results results = find("needle");
    ASSERT_EQ(results.hits.size(), 1u);
    const std::string& snippet = results.hits[0].snippet_html;
    EXPECT_TRUE(snippet.starts_with("… ")) << snippet;
    EXPECT_TRUE(snippet.ends_with(" …")) << snippet;
    EXPECT_NE(snippet.find("the <mark>needle</mark> is here. And more"), std::string::npos)
        << snippet;
    EXPECT_LT(snippet.size(), 400u);
    // Chinese: the hit inside a sentence without spaces.
    add({"会议", "我们今天讨论了全球数字契约的草案和时间表。"});
    const Results chinese = find("契约");
    ASSERT_EQ(chinese.hits.size(), 1u);
    EXPECT_NE(chinese.hits[0].snippet_html.find("<mark>契约</mark>"), std::string::npos)
        << chinese.hits[0].snippet_html;
}

TEST_P(SearchTest, HostileQueriesAreNeverSqlErrors) {
    add({"Safe", "robert tables drop students near"});
    const std::vector<std::string> hostile = {
        "robert'); DROP TABLE archive_messages;--",
        "\"unterminated phrase",
        "NEAR(robert tables, 2)",
        "robert*",
        "^robert",
        "subject:robert",
        "(robert OR tables) AND NOT students",
        "robert AND OR NOT",
        "' OR 1=1 --",
        "robert & !tables | students <-> near",
        "robert:* <2> tables",
        "\\x00 robert \\",
        "-",
        "--robert",
        "robert -",
        "\"\" robert \"\"",
    };
    for (const std::string& text : hostile) {
        Query query;
        query.text = text;
        query.lists = {list_};
        const auto results = search(*database_, query);  // Must not throw.
        if (results) {
            EXPECT_LE(results->total, 1u) << text;
        } else {
            EXPECT_EQ(results.error().code, core::ErrorCode::Invalid) << text;
        }
    }
    // Operators are words like any other ("or", "and", "not" are stopwords).
    EXPECT_EQ(ids("robert'); DROP TABLE students;--").size(), 1u);
    EXPECT_EQ(ids("(robert OR tables) AND NOT students").size(), 1u);
    EXPECT_EQ(ids("near*").size(), 1u);
    EXPECT_EQ(database_->query_one("SELECT count(*) FROM archive_messages")->integer(0), 1);

    Query bad;
    bad.lists = {list_};
    for (const std::string& text : {std::string("robert \xff\xfe"), std::string(600, 'x'),
                                    std::string("!!!"), std::string("the of and")}) {
        bad.text = text;
        const auto results = search(*database_, bad);
        ASSERT_FALSE(results) << text;
        EXPECT_EQ(results.error().code, core::ErrorCode::Invalid);
    }
}

TEST_P(SearchTest, DeletedMessagesDisappear) {
    const MessageId id = add({"Subject words", "original words"});
    const MessageId other = add({"Other", "original text"});
    EXPECT_EQ(ids("original"), (Ids{id, other}));
    EXPECT_EQ(index_entries(), 2);
    database_->transact([&](store::Connection& connection) {
        connection.execute("DELETE FROM archive_messages WHERE id = $1", {id.value()});
    });
    EXPECT_EQ(ids("original"), Ids{other});
    EXPECT_EQ(find("words").total, 0u);
}

// A search in a few lists asks the index for the lists' terms; in more, only the SQL filter
// runs. Either way the same messages, and the list term never changes a score.
TEST_P(SearchTest, ListTermsFilterWithoutChangingScores) {
    std::vector<std::int64_t> lists = {list_, other_list_};
    for (int list_idx = 0; list_idx < 4; ++list_idx) {
        lists.push_back(add_list("more" + std::to_string(list_idx)));
    }
    for (const std::int64_t list : lists) {
        add({"Budget " + std::to_string(list), "the budget draft for " + std::to_string(list),
             "Ada", "ada@example.org", 1000, 0, list});
    }
    Query query;
    query.text = "budget";
    for (std::size_t count = 1; count <= lists.size(); ++count) {
        query.lists.assign(lists.begin(), lists.begin() + static_cast<std::ptrdiff_t>(count));
        const Results results = find(query);
        EXPECT_EQ(results.total, count);
        for (const Hit& hit : results.hits) {
            EXPECT_NE(std::find(query.lists.begin(), query.lists.end(), hit.list_id),
                      query.lists.end());
        }
    }
    query.lists = {lists[2]};
    const Results one = find(query);
    query.lists = lists;
    const Results all = find(query);
    ASSERT_EQ(one.hits.size(), 1u);
    for (const Hit& hit : all.hits) {
        if (hit.message == one.hits[0].message) {
            EXPECT_DOUBLE_EQ(hit.score, one.hits[0].score);
        }
    }
    // What a list's term is made of, typed as a search, is a number like any other.
    query.text = "\u00a7\u00a7" + std::to_string(lists[2]);
    query.lists = {lists[2]};
    EXPECT_EQ(find(query).total, 1u);  // The number in its subject and text.
    query.lists = {lists[3]};
    EXPECT_EQ(find(query).total, 0u);
}

// Migration 0032 on SQLite leaves the FTS5 table empty and a rebuild range; finish_rebuild()
// indexes that range (and only it: what was archived since is indexed already), then forgets it.
TEST_P(SearchTest, RebuildIndexesTheRangeTheMigrationLeft) {
    if (GetParam() != store::Dialect::Sqlite) {
        EXPECT_EQ(finish_rebuild(*database_), 0u);
        return;
    }
    std::vector<MessageId> before;
    before.reserve(4);
    for (int message_idx = 0; message_idx < 4; ++message_idx) {
        before.push_back(add({"Agenda", "agenda item " + std::to_string(message_idx)}));
    }
    // As if a first run had indexed up to before[1] and been stopped.
    leave_to_rebuild(before[2], before[3]);
    const MessageId after = add({"Agenda", "agenda item after"});
    EXPECT_EQ(ids("agenda"), Ids{after});

    std::vector<std::int64_t> reported;
    EXPECT_EQ(finish_rebuild(*database_,
                             [&](std::int64_t done, std::int64_t last) {
                                 EXPECT_EQ(last, before[3].value());
                                 reported.push_back(done);
                             }),
              2u);
    EXPECT_EQ(reported, std::vector<std::int64_t>{before[3].value()});
    EXPECT_EQ(ids("agenda"), (Ids{before[2], before[3], after}));
    EXPECT_EQ(index_entries(), 3);
    EXPECT_FALSE(database_->query_one("SELECT 1 FROM archive_search_rebuild"));
    EXPECT_EQ(finish_rebuild(*database_), 0u);
}

// Two processes starting on the same database (the server and a command) both run the rebuild:
// each batch is done by one of them, and no message gets two entries.
TEST_P(SearchTest, TwoRebuildsAtOnceIndexEachMessageOnce) {
    if (GetParam() != store::Dialect::Sqlite) {
        GTEST_SKIP() << "PostgreSQL's migration leaves nothing to rebuild";
    }
    std::vector<MessageId> messages;
    messages.reserve(60);
    for (int message_idx = 0; message_idx < 60; ++message_idx) {
        messages.push_back(add({"Minutes", "minutes number " + std::to_string(message_idx)}));
    }
    leave_to_rebuild(messages.front(), messages.back());
    const auto second = store::open_database(store::testing::database_url(*database_));
    std::size_t by_second = 0;
    std::thread other([&] { by_second = finish_rebuild(*second, {}, 3); });
    const std::size_t by_first = finish_rebuild(*database_, {}, 3);
    other.join();
    EXPECT_EQ(by_first + by_second, messages.size());
    EXPECT_EQ(index_entries(), static_cast<std::int64_t>(messages.size()));
    EXPECT_EQ(find("minutes").total, messages.size());
}

class SearchMigrationTest : public SearchTest {};

// A database archived before migration 0032 finds its messages by list afterwards: PostgreSQL's
// documents gain the list term in the migration, SQLite's index is made again by finish_rebuild.
TEST_P(SearchMigrationTest, MessagesIndexedBefore0032AreFoundByListAfterIt) {
    database_ = store::testing::empty_database(GetParam());
    std::vector<store::Migration> before_0032;
    for (const store::Migration& migration : store::embedded_migrations()) {
        if (migration.version < 32) {
            before_0032.push_back(migration);
        }
    }
    store::migrate(*database_, before_0032);
    list_ = add_list("discuss");
    other_list_ = add_list("other");
    index_as_before_0032_ = true;
    const MessageId first = add({"Consultation", "consultation response"});
    const MessageId second = add({"Consultation", "consultation draft"});
    const MessageId elsewhere = add(
        {"Consultation", "consultation elsewhere", "Ada", "ada@example.org", 1000, 0, other_list_});
    index_as_before_0032_ = false;

    store::migrate(*database_);
    EXPECT_EQ(finish_rebuild(*database_), GetParam() == store::Dialect::Sqlite ? 3u : 0u);
    Query query;
    query.text = "consultation";
    query.lists = {list_};
    EXPECT_EQ(find(query).total, 2u);
    query.lists = {other_list_};
    ASSERT_EQ(find(query).total, 1u);
    EXPECT_EQ(find(query).hits[0].message, elsewhere);
    EXPECT_EQ(ids("consultation"), (Ids{first, second, elsewhere}));
    EXPECT_EQ(index_entries(), 3);
}

INSTANTIATE_TEST_SUITE_P(Dialects, SearchTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });
INSTANTIATE_TEST_SUITE_P(Dialects, SearchMigrationTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::archive::search
