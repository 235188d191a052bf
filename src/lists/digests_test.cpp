#include "lists/digests.hpp"

#include "core/base64.hpp"
#include "core/text.hpp"
#include "lists/bounces.hpp"
#include "lists/delivery.hpp"
#include "lists/digest_store.hpp"
#include "lists/test_support.hpp"
#include "mail/gmime_support.hpp"
#include "mail/test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace coalition::lists {
namespace {

using testing::email;
using testing::header;
using namespace std::chrono_literals;

std::string raw_message(std::string_view from, std::string_view subject, std::string_view body) {
    return "From: " + std::string(from) +
           "\r\nTo: discuss@lists.example.org\r\nSubject: " + std::string(subject) +
           "\r\nMessage-ID: <" + std::string(subject) +
           "@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
           "charset=utf-8\r\n\r\n" +
           std::string(body) + "\r\n";
}

Post post(std::int64_t id, std::string subject, std::string raw) {
    Post out;
    out.id = PostId(id);
    out.message_id = subject + "@example.org";
    out.author_email = "ana@example.org";
    out.author_name = "Ana Lima";
    out.subject = std::move(subject);
    out.size_bytes = static_cast<std::int64_t>(raw.size());
    out.raw = std::move(raw);
    out.state = PostState::Accepted;
    out.received_at = 1'767'225'600;
    out.decided_at = out.received_at;
    return out;
}

List sample_list() {
    List list{.id = ListId(7),
              .name = "discuss",
              .domain = *core::Domain::parse("lists.example.org"),
              .settings = {},
              .owners = {},
              .moderators = {},
              .created_at = 0,
              .updated_at = 0};
    list.settings.display_name = "Discussion";
    list.settings.subject_prefix = "[discuss]";
    list.created_at = 1'700'000'000;
    return list;
}

// Parses `bytes` with GMime; nullptr when it is not a message.
mail::GObjectPtr<GMimeMessage> parse(const std::string& bytes) {
    mail::ensure_gmime_initialised();
    mail::GObjectPtr<GMimeStream> stream(
        g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    mail::GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    return mail::GObjectPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

TEST(ComposeDigest, MimeDigestHasContentsThenEveryPostAsMessagePart) {
    const std::vector<Post> posts = {
        post(1, "Agenda for Geneva", raw_message("Ana Lima <ana@example.org>", "Agenda", "Hello")),
        post(2, "Réponse commune", raw_message("bo@example.org", "Re", "Ça va — 你好")),
    };
    const std::string bytes =
        compose_digest(sample_list(), posts, 2026, 3, DigestFormat::Mime, "https://c.example");
    EXPECT_TRUE(core::is_valid_utf8(bytes));

    auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(header(parsed.get(), "Subject"), "[discuss] Digest, Vol 2026, Issue 3");
    EXPECT_NE(header(parsed.get(), "From").find("discuss-request@lists.example.org"),
              std::string::npos);
    EXPECT_NE(header(parsed.get(), "To").find("discuss@lists.example.org"), std::string::npos);
    EXPECT_NE(header(parsed.get(), "List-Id").find("<discuss.lists.example.org>"),
              std::string::npos);

    auto* top = g_mime_message_get_mime_part(parsed.get());
    ASSERT_TRUE(GMIME_IS_MULTIPART(top));
    auto* mixed = GMIME_MULTIPART(top);
    ASSERT_EQ(g_mime_multipart_get_count(mixed), 2);
    auto* contents = g_mime_multipart_get_part(mixed, 0);
    ASSERT_TRUE(GMIME_IS_TEXT_PART(contents));
    mail::GCharPtr toc(g_mime_text_part_get_text(GMIME_TEXT_PART(contents)));
    const std::string toc_text(toc.get());
    EXPECT_NE(toc_text.find("Today's Topics:"), std::string::npos);
    EXPECT_NE(toc_text.find("   1. Agenda for Geneva (Ana Lima)"), std::string::npos);
    EXPECT_NE(toc_text.find("   2. Réponse commune (Ana Lima)"), std::string::npos);

    auto* digest = g_mime_multipart_get_part(mixed, 1);
    ASSERT_TRUE(GMIME_IS_MULTIPART(digest));
    EXPECT_TRUE(
        g_mime_content_type_is_type(g_mime_object_get_content_type(digest), "multipart", "digest"));
    auto* parts = GMIME_MULTIPART(digest);
    ASSERT_EQ(g_mime_multipart_get_count(parts), 2);
    for (int part_idx = 0; part_idx < 2; ++part_idx) {
        auto* part = g_mime_multipart_get_part(parts, part_idx);
        ASSERT_TRUE(GMIME_IS_MESSAGE_PART(part));
        auto* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
        ASSERT_NE(inner, nullptr);
        EXPECT_EQ(header(inner, "Subject"), part_idx == 0 ? "Agenda" : "Re");
    }
}

TEST(ComposeDigest, FooterIsItsOwnPartAndNonAsciiHeadersAreEncoded) {
    auto list = sample_list();
    list.settings.subject_prefix = "[المناقشة]";
    list.settings.footer = "Unsubscribe: https://c.example/lists/discuss\nМир";
    const std::string bytes = compose_digest(list, {post(1, "x", raw_message("a@b.org", "x", "y"))},
                                             2026, 1, DigestFormat::Mime, "https://c.example");
    EXPECT_NE(bytes.find("Subject: =?utf-8?b?"), std::string::npos);
    auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(header(parsed.get(), "Subject"), "[المناقشة] Digest, Vol 2026, Issue 1");
    auto* mixed = GMIME_MULTIPART(g_mime_message_get_mime_part(parsed.get()));
    ASSERT_EQ(g_mime_multipart_get_count(mixed), 3);
    mail::GCharPtr footer(
        g_mime_text_part_get_text(GMIME_TEXT_PART(g_mime_multipart_get_part(mixed, 2))));
    EXPECT_EQ(std::string(footer.get()), "Unsubscribe: https://c.example/lists/discuss\r\nМир\r\n");
}

TEST(ComposeDigest, BoundaryNeverOccursInAPost) {
    const std::string hostile =
        raw_message("a@b.org", "x", "--=_coalition_digest_2026_1\r\n--=_coalition_posts_2026_1--");
    const std::string bytes = compose_digest(sample_list(), {post(1, "x", hostile)}, 2026, 1,
                                             DigestFormat::Mime, "https://c.example");
    auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    auto* mixed = GMIME_MULTIPART(g_mime_message_get_mime_part(parsed.get()));
    ASSERT_EQ(g_mime_multipart_get_count(mixed), 2);
    auto* parts = GMIME_MULTIPART(g_mime_multipart_get_part(mixed, 1));
    EXPECT_EQ(g_mime_multipart_get_count(parts), 1);
}

TEST(ComposeDigest, InvalidUtf8AndNulBytesNeverReachTheOutbox) {
    std::string raw = raw_message("a@b.org", "x", "latin-1 caf\xe9 and a NUL");
    raw.insert(raw.size() - 2, 1, '\0');
    for (auto format : {DigestFormat::Mime, DigestFormat::PlainText}) {
        const std::string bytes = compose_digest(sample_list(), {post(1, "x", raw)}, 2026, 1,
                                                 format, "https://c.example");
        EXPECT_TRUE(core::is_valid_utf8(bytes));
        EXPECT_EQ(bytes.find('\0'), std::string::npos);
    }
}

TEST(ComposeDigest, PlainTextFollowsRfc1153) {
    const std::string multipart =
        "From: bo@example.org\r\nSubject: Notes\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
        "quoted-printable\r\n\r\nCaf=C3=A9 notes\r\n------------------------------\r\nend\r\n"
        "--b\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b--\r\n";
    const std::string html_only =
        "From: cy@example.org\r\nSubject: Html\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html\r\n\r\n<p>only html</p>\r\n";
    const std::vector<Post> posts = {post(1, "Agenda", raw_message("a@b.org", "Agenda", "Hello")),
                                     post(2, "Notes", multipart), post(3, "Html", html_only)};
    const std::string bytes =
        compose_digest(sample_list(), posts, 2026, 4, DigestFormat::PlainText, "https://c.example");
    auto parsed = parse(bytes);
    ASSERT_TRUE(parsed);
    auto* body = g_mime_message_get_mime_part(parsed.get());
    ASSERT_TRUE(GMIME_IS_TEXT_PART(body));
    mail::GCharPtr decoded(g_mime_text_part_get_text(GMIME_TEXT_PART(body)));
    const std::string text =
        std::regex_replace(std::string(decoded.get()), std::regex("\r\n"), "\n");

    EXPECT_NE(text.find("Today's Topics:\n\n   1. Agenda (Ana Lima)\n   2. Notes (Ana Lima)\n"
                        "   3. Html (Ana Lima)\n\n" +
                        std::string(70, '-') + "\n\nMessage: 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Subject: Notes\nMessage-ID: <Notes@example.org>\n\nCafé notes\n "),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("<p>html</p>"), std::string::npos);
    EXPECT_NE(text.find("[This message has no plain-text part."), std::string::npos);
    // Three separators after messages, none from the escaped body line.
    EXPECT_EQ(occurrences(text, "\n" + std::string(30, '-') + "\n"), 3U) << text;
    EXPECT_NE(text.find("End of [discuss] Digest, Vol 2026, Issue 4\n****"), std::string::npos);
}

class DigestsTest : public testing::ListsTest {
protected:
    void SetUp() override {
        ListsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        list_ = std::make_unique<List>(make_list());
        digests_ = std::make_unique<Digests>(*database_, clock_, *lists_, *subscriptions_, *outbox_,
                                             "https://coalition.example/");
        bounces_ = std::make_unique<Bounces>(*database_, clock_, *subscriptions_, *outbox_);
        // Digests go out through the delivery worker; without a relay it writes one file a
        // recipient, its envelope in X-Envelope-* lines.
        delivery_ = std::make_unique<DeliveryWorker>(
            *database_, clock_, *subscriptions_, *bounces_, nullptr,
            (directory_.path() / "lists").string(), DeliverySettings{.batch_size = 2});
        add_member("regular@example.org", DeliveryMode::Regular);
        add_member("digest@example.org", DeliveryMode::Digest);
        add_member("анна@пример.рф", DeliveryMode::Digest);
        add_member("nomail@example.org", DeliveryMode::None);
        outbox_before_ = outbox_->depth();
    }

    void TearDown() override {
        delivery_.reset();
        ListsTest::TearDown();
    }

    void add_member(std::string_view address, DeliveryMode mode) {
        subscriptions_->add_members(accounts::Actor::cli(), *list_, {{email(address), ""}},
                                    Welcome::Skip);
        const auto member = subscriptions_->find_member(list_->id, email(address));
        ASSERT_TRUE(member.has_value());
        const auto links = subscriptions_->links(*list_, member->id);
        ASSERT_TRUE(links.has_value());
        ASSERT_TRUE(subscriptions_->update_preferences(links->preferences_token, mode, "en"));
    }

    // Stores a post the way intake does; returns its id.
    std::int64_t store_post(std::string_view subject, std::size_t body_bytes = 20,
                            std::string_view state = "accepted",
                            std::optional<std::int64_t> decided_at = std::nullopt) {
        const std::string raw =
            raw_message("ana@example.org", subject, std::string(body_bytes, 'x'));
        const auto now = clock_.unix_now();
        std::int64_t id = 0;
        database_->transact([&](store::Connection& connection) {
            id = connection
                     .query_one(
                         "INSERT INTO list_posts (list_id, message_id, author_email, subject, "
                         "size_bytes, raw, decorated, source, state, received_at, decided_at) "
                         "VALUES ($1, $2, 'ana@example.org', $3, $4, $5, $6, 'lmtp', $7, $8, $9) "
                         "RETURNING id",
                         {list_->id.value(), std::string(subject) + "@example.org",
                          std::string(subject), static_cast<std::int64_t>(raw.size()),
                          core::encode_base64(raw),
                          state == "accepted" ? core::encode_base64(raw) : "", std::string(state),
                          now,
                          state == "held" ? store::Value(nullptr)
                                          : store::Value(decided_at.value_or(now))})
                     ->integer(0);
        });
        return id;
    }

    // One digest mail as the delivery worker wrote it.
    struct Delivered {
        std::int64_t job = 0;
        std::string mail_from;
        std::vector<std::string> recipients;
        std::string subject;
        std::string bytes;  // The message, without the X-Envelope-* lines.
    };

    // Runs the delivery worker, then returns the mails it wrote since the last call, by job (the
    // oldest digest first) and file name.
    std::vector<Delivered> new_mail() {
        delivery_->run_until_idle();
        std::vector<std::pair<std::string, Delivered>> found;
        const auto directory = directory_.path() / "lists";
        if (!std::filesystem::exists(directory)) {
            return {};
        }
        for (const auto& entry : std::filesystem::directory_iterator(directory)) {
            const std::string name = entry.path().filename().string();
            if (name.starts_with(".") || !seen_.insert(name).second) {
                continue;
            }
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream content;
            content << in.rdbuf();
            std::string text = content.str();
            Delivered mail;
            mail.job = std::stoll(name.substr(0, name.find('-')));
            while (text.starts_with("X-Envelope-")) {
                const std::size_t end = text.find("\r\n");
                const std::string line = text.substr(0, end);
                const std::string address = line.substr(line.find('<') + 1);
                if (line.starts_with("X-Envelope-From:")) {
                    mail.mail_from = address.substr(0, address.size() - 1);
                } else {
                    mail.recipients.push_back(address.substr(0, address.size() - 1));
                }
                text.erase(0, end + 2);
            }
            const std::size_t subject = text.find("\r\nSubject: ");
            if (subject != std::string::npos) {
                const std::size_t start = subject + 11;
                mail.subject = text.substr(start, text.find("\r\n", start) - start);
            }
            mail.bytes = std::move(text);
            found.emplace_back(name, std::move(mail));
        }
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
            return std::pair(a.second.job, a.first) < std::pair(b.second.job, b.first);
        });
        std::vector<Delivered> mails;
        mails.reserve(found.size());
        for (auto& each : found) {
            mails.push_back(std::move(each.second));
        }
        return mails;
    }

    mail::testing::TemporaryDirectory directory_;
    std::unique_ptr<List> list_;
    std::unique_ptr<Digests> digests_;
    std::unique_ptr<Bounces> bounces_;
    std::unique_ptr<DeliveryWorker> delivery_;
    std::set<std::string> seen_;
    std::int64_t outbox_before_ = 0;
};

TEST_P(DigestsTest, NothingToSendWithoutPosts) {
    EXPECT_EQ(digests_->send_due(), 0);
    EXPECT_FALSE(digests_->send_now(list_->id));
    clock_.advance(48h);
    EXPECT_EQ(digests_->send_due(), 0);
    EXPECT_TRUE(new_mail().empty());
}

TEST_P(DigestsTest, DailyDigestGoesToDigestMembersOnceWhenTheDayEnds) {
    clock_.advance(10h);
    store_post("First");
    store_post("Second");
    store_post("Rejected one", 20, "rejected");
    EXPECT_EQ(digests_->send_due(), 0) << "the day has not ended and the size is small";
    clock_.advance(14h);  // Midnight UTC.
    EXPECT_EQ(digests_->send_due(), 1);
    EXPECT_EQ(digests_->send_due(), 0) << "never twice";
    clock_.advance(72h);
    EXPECT_EQ(digests_->send_due(), 0) << "no new post";

    const auto mails = new_mail();
    ASSERT_EQ(mails.size(), 2U);
    std::vector<std::string> recipients;
    for (const auto& item : mails) {
        ASSERT_EQ(item.recipients.size(), 1U);
        recipients.push_back(item.recipients.front());
        EXPECT_EQ(item.subject, "[discuss] Digest, Vol 2026, Issue 1");
        EXPECT_NE(item.bytes.find("Subject: [discuss] Digest, Vol 2026, Issue 1\r\n"),
                  std::string::npos);
        EXPECT_NE(item.bytes.find("Date: Fri, 02 Jan 2026 00:00:00 +0000\r\n"), std::string::npos);
        EXPECT_NE(item.bytes.find("List-Unsubscribe: <https://coalition.example/lists/discuss/"
                                  "unsubscribe/"),
                  std::string::npos);
        EXPECT_NE(item.bytes.find("First"), std::string::npos);
        EXPECT_NE(item.bytes.find("Second"), std::string::npos);
        EXPECT_EQ(item.bytes.find("Rejected one"), std::string::npos);
        EXPECT_EQ(item.mail_from.rfind("discuss-bounces+", 0), 0U) << item.mail_from;
    }
    std::sort(recipients.begin(), recipients.end());
    EXPECT_EQ(recipients,
              (std::vector<std::string>{"digest@example.org", "анна@xn--e1afmkfd.xn--p1ai"}));
    EXPECT_EQ(outbox_->depth(), outbox_before_) << "digests no longer go through the outbox";
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_digests WHERE list_id = $1", {list_->id.value()}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_digest_posts"), 2);
}

TEST_P(DigestsTest, EachMemberGetsTheFormatTheyChose) {
    add_member("plain@example.org", DeliveryMode::PlainDigest);
    outbox_before_ = outbox_->depth();
    store_post("Only post");
    ASSERT_TRUE(digests_->send_now(list_->id));
    const auto mails = new_mail();
    ASSERT_EQ(mails.size(), 3U);
    int plain = 0;
    for (const auto& item : mails) {
        const bool is_mime = item.bytes.find("Content-Type: multipart/digest") != std::string::npos;
        if (item.recipients.front() == "plain@example.org") {
            ++plain;
            EXPECT_FALSE(is_mime) << item.bytes;
            EXPECT_NE(item.bytes.find("Content-Type: text/plain"), std::string::npos);
            EXPECT_NE(item.bytes.find("Only post"), std::string::npos);
        } else {
            EXPECT_TRUE(is_mime) << item.bytes;
        }
    }
    EXPECT_EQ(plain, 1);
    EXPECT_EQ(subscriptions_->counts(list_->id).digest, 3);
}

TEST_P(DigestsTest, SizeThresholdSendsAtOnceAndIssuesCount) {
    auto settings = list_->settings;
    settings.digest_size_threshold_bytes = 4096;
    ASSERT_TRUE(lists_->update_settings(accounts::Actor::cli(), list_->id, settings));
    store_post("Small");
    EXPECT_EQ(digests_->send_due(), 0);
    store_post("Large", 5000);
    EXPECT_EQ(digests_->send_due(), 1);
    store_post("Another large", 5000);
    EXPECT_EQ(digests_->send_due(), 1);
    const auto mails = new_mail();
    ASSERT_EQ(mails.size(), 4U);
    EXPECT_EQ(mails.front().subject, "[discuss] Digest, Vol 2026, Issue 1");
    EXPECT_EQ(mails.back().subject, "[discuss] Digest, Vol 2026, Issue 2");
    EXPECT_EQ(mails.back().bytes.find("Small"), std::string::npos);
    EXPECT_NE(mails.front().bytes.find("Small"), std::string::npos);
}

TEST_P(DigestsTest, WeeklyAndMonthlyPeriods) {
    auto settings = list_->settings;
    settings.digest_period = DigestPeriod::Weekly;
    ASSERT_TRUE(lists_->update_settings(accounts::Actor::cli(), list_->id, settings));
    store_post("Thursday");  // 2026-01-01 is a Thursday: the week ends on Monday the 5th.
    clock_.advance(24h * 3 + 23h);
    EXPECT_EQ(digests_->send_due(), 0);
    clock_.advance(1h);
    EXPECT_EQ(digests_->send_due(), 1);

    settings.digest_period = DigestPeriod::Monthly;
    ASSERT_TRUE(lists_->update_settings(accounts::Actor::cli(), list_->id, settings));
    store_post("January");
    clock_.advance(24h * 26);  // 31 January.
    EXPECT_EQ(digests_->send_due(), 0);
    clock_.advance(24h);  // 1 February.
    EXPECT_EQ(digests_->send_due(), 1);
}

TEST_P(DigestsTest, PostApprovedAfterALaterPostWasDigestedIsNotLost) {
    const auto held = store_post("Held for a while", 20, "held");
    store_post("Accepted at once");
    EXPECT_TRUE(digests_->send_now(list_->id));
    clock_.advance(3h);
    database_->transact([&](store::Connection& connection) {
        connection.execute(
            "UPDATE list_posts SET state = 'accepted', decided_at = $2, decorated = raw "
            "WHERE id = $1",
            {held, clock_.unix_now()});
    });
    EXPECT_TRUE(digests_->send_now(list_->id));
    EXPECT_FALSE(digests_->send_now(list_->id));
    const auto mails = new_mail();
    ASSERT_EQ(mails.size(), 4U);
    EXPECT_NE(mails.back().bytes.find("Held for a while"), std::string::npos);
    EXPECT_EQ(mails.back().bytes.find("Accepted at once"), std::string::npos);
}

TEST_P(DigestsTest, DisabledDigestsAreNotSentOnSchedule) {
    auto settings = list_->settings;
    settings.digest_enabled = false;
    ASSERT_TRUE(lists_->update_settings(accounts::Actor::cli(), list_->id, settings));
    store_post("Quiet");
    clock_.advance(48h);
    EXPECT_EQ(digests_->send_due(), 0);
    EXPECT_TRUE(digests_->send_now(list_->id)) << "an owner may still send one";
}

TEST_P(DigestsTest, OneBodyPerFormatIsStoredAndBouncingMembersAreSkipped) {
    for (int member_idx = 0; member_idx < 7; ++member_idx) {
        add_member("many" + std::to_string(member_idx) + "@example.org", DeliveryMode::Digest);
    }
    add_member("plain@example.org", DeliveryMode::PlainDigest);
    const auto bouncing = subscriptions_->find_member(list_->id, email("many3@example.org"));
    ASSERT_TRUE(bouncing.has_value());
    database_->transact([&](store::Connection& connection) {
        connection.execute(
            "INSERT INTO list_bounce_scores (member_id, list_id, last_bounce_at, "
            "delivery_disabled, updated_at) VALUES ($1, $2, 0, 1, 0)",
            {bouncing->id.value(), list_->id.value()});
    });
    store_post("Stored once");
    ASSERT_TRUE(digests_->send_now(list_->id));
    // Two editions (MIME, plain), however many members: delivery reads the members in batches.
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_digest_editions"), 2);
    EXPECT_EQ(count("SELECT recipients FROM list_digests"), 2 + 6 + 1);
    const auto mails = new_mail();
    std::set<std::string> recipients;
    for (const auto& item : mails) {
        recipients.insert(item.recipients.front());
        EXPECT_NE(item.bytes.find("Stored once"), std::string::npos);
        // The personal part is only in the headers, before the shared digest.
        EXPECT_LT(item.bytes.find("List-Unsubscribe: "), item.bytes.find("\r\n\r\n"));
    }
    EXPECT_EQ(mails.size(), 9U);
    EXPECT_EQ(recipients.count("many3@example.org"), 0U) << "delivery disabled by bounces";
    EXPECT_EQ(recipients.count("plain@example.org"), 1U);
    EXPECT_EQ(count("SELECT COUNT(*) FROM list_delivery_recipients WHERE state = 'sent'"), 9);
    EXPECT_TRUE(new_mail().empty()) << "each member once";
}

COALITION_LISTS_FOR_DIALECTS(DigestsTest);

}  // namespace
}  // namespace coalition::lists
