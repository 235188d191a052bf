#include "lists/intake.hpp"

#include "archive/archive.hpp"
#include "core/text.hpp"
#include "core/unavailable.hpp"
#include "dns/dns.hpp"
#include "lists/bounces.hpp"
#include "lists/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>

namespace coalition::lists {
namespace {

using testing::email;
using Kind = Disposition::Kind;

constexpr const char* kList = "discuss@lists.example.org";

// DNS answers from a table; a name in `failing` times out.
class FakeResolver final : public dns::Resolver {
public:
    core::Result<dns::TxtAnswer> txt(std::string_view name) override {
        ++queries;
        if (failing.count(std::string(name)) != 0) {
            throw core::Unavailable("fake DNS timeout");
        }
        const auto found = records.find(std::string(name));
        if (found == records.end()) {
            return core::Error::not_found("no TXT record");
        }
        return dns::TxtAnswer{found->second, false};
    }

    std::map<std::string, std::vector<std::string>> records;
    std::set<std::string> failing;
    std::atomic<int> queries{0};
};

std::string incoming_message(const std::string& from, const std::string& subject,
                             const std::string& extra_headers = "Message-ID: <m1@example.org>\r\n",
                             const std::string& body = "Hello, list.\r\n") {
    return "From: " + from + "\r\nTo: discuss@lists.example.org\r\nSubject: " + subject + "\r\n" +
           extra_headers + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
           body;
}

class IntakeTest : public testing::ListsTest {
protected:
    void SetUp() override {
        ListsTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        bounces_ = std::make_unique<Bounces>(*database_, clock_, *subscriptions_, *outbox_);
        dmarc_ = std::make_unique<dns::DmarcPolicies>(resolver_, clock_);
        intake_ = std::make_unique<Intake>(
            *database_, clock_, *lists_, *subscriptions_, *bounces_, *outbox_, *dmarc_,
            IntakeSettings{.base_url = "https://coalition.example/", .site_name = "Coalition"});
        list_ = std::make_unique<List>(make_list());
        add_member("ana@example.org");
    }

    void add_member(const std::string& address) {
        const auto outcomes = subscriptions_->add_members(
            accounts::Actor::cli(), *list_, {NewMember{email(address), ""}}, Welcome::Skip);
        ASSERT_EQ(outcomes.size(), 1U);
    }

    core::Result<Disposition> post(const std::string& raw,
                                   const std::string& sender = "ana@example.org",
                                   const std::string& to = kList) {
        return intake_->receive(to, sender, raw, PostSource::Lmtp);
    }

    Disposition posted(const std::string& raw, const std::string& sender = "ana@example.org") {
        auto result = post(raw, sender);
        EXPECT_TRUE(result.has_value()) << result.error().message;
        return result.has_value() ? *result : Disposition{};
    }

    Post stored(const Disposition& disposition) {
        EXPECT_TRUE(disposition.post.has_value());
        auto found = intake_->find(disposition.post.value_or(PostId(0)));
        EXPECT_TRUE(found.has_value());
        return found.value_or(Post{});
    }

    std::int64_t deliveries() { return count("SELECT COUNT(*) FROM list_deliveries"); }
    std::int64_t mails() { return count("SELECT COUNT(*) FROM mail_outbox"); }

    void set_settings(const std::function<void(ListSettings&)>& change) {
        ListSettings settings = list_->settings;
        change(settings);
        auto updated = lists_->update_settings(accounts::Actor::cli(), list_->id, settings);
        ASSERT_TRUE(updated.has_value()) << updated.error().message;
        *list_ = *updated;
    }

    FakeResolver resolver_;
    std::unique_ptr<Bounces> bounces_;
    std::unique_ptr<dns::DmarcPolicies> dmarc_;
    std::unique_ptr<Intake> intake_;
    std::unique_ptr<List> list_;
};

TEST_P(IntakeTest, MemberPostIsStoredDecoratedAndScheduledAtOnce) {
    const std::string raw = incoming_message("Ana <ana@example.org>", "First post");
    const auto disposition = posted(raw);
    EXPECT_EQ(disposition.kind, Kind::Accepted);
    const Post post = stored(disposition);
    EXPECT_EQ(post.state, PostState::Accepted);
    EXPECT_EQ(post.raw, raw);
    EXPECT_EQ(post.message_id, "m1@example.org");
    EXPECT_FALSE(post.message_id_assigned);
    EXPECT_EQ(post.author_email, "ana@example.org");
    EXPECT_EQ(post.author_name, "Ana");
    EXPECT_EQ(post.subject, "First post");
    EXPECT_EQ(post.decided_by, "rules");
    EXPECT_TRUE(post.decided_at.has_value());
    EXPECT_NE(post.decorated.find("discuss.lists.example.org"), std::string::npos);
    EXPECT_NE(post.decorated.find("https://coalition.example/lists/discuss/m/" +
                                  std::to_string(post.id.value())),
              std::string::npos)
        << post.decorated;
    EXPECT_EQ(deliveries(), 1);
    EXPECT_EQ(mails(), 0) << "an accepted post is delivered by delivery, not the outbox";
    const auto accepted = intake_->accepted(list_->id, 10, 0);
    ASSERT_EQ(accepted.size(), 1U);
    EXPECT_EQ(accepted.front().id, post.id);
}

TEST_P(IntakeTest, MissingMessageIdIsAssignedUnderTheListDomain) {
    const Post post = stored(posted(incoming_message("ana@example.org", "No id", "")));
    EXPECT_TRUE(post.message_id_assigned);
    EXPECT_NE(post.message_id.find("@lists.example.org"), std::string::npos) << post.message_id;
    EXPECT_NE(post.decorated.find("<" + post.message_id + ">"), std::string::npos);
    // Two posts without a Message-ID are two posts, not duplicates.
    EXPECT_EQ(posted(incoming_message("ana@example.org", "No id again", "")).kind, Kind::Accepted);
}

TEST_P(IntakeTest, NonmemberIsHeldAndTheModeratorsAreTold) {
    const auto disposition =
        posted(incoming_message("Eve <eve@example.net>", "Outside"), "eve@example.net");
    EXPECT_EQ(disposition.kind, Kind::Held);
    EXPECT_EQ(disposition.reason, "nonmember");
    const Post post = stored(disposition);
    EXPECT_EQ(post.state, PostState::Held);
    EXPECT_EQ(post.hold_reason, "nonmember");
    EXPECT_FALSE(post.hold_detail.empty());
    EXPECT_EQ(deliveries(), 0);
    const auto items = outbox_->recent(1);
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items.front().envelope.recipients, std::vector<std::string>{"owner@example.org"});
    EXPECT_EQ(items.front().envelope.mail_from, "discuss-bounces@lists.example.org");
    EXPECT_NE(newest_mail().find("https://coalition.example/lists/discuss/moderation"),
              std::string::npos);
    EXPECT_NE(newest_mail().find("Outside"), std::string::npos);
    const auto queue = intake_->held(list_->id);
    ASSERT_EQ(queue.size(), 1U);
    EXPECT_EQ(queue.front().id, post.id);
}

TEST_P(IntakeTest, ApproveDecoratesSchedulesAuditsAndRacesLose) {
    const auto held = posted(incoming_message("eve@example.net", "Outside"), "eve@example.net");
    const auto approved = intake_->approve(accounts::Actor::cli(), list_->id, *held.post);
    ASSERT_TRUE(approved.has_value()) << approved.error().message;
    EXPECT_EQ(approved->state, PostState::Accepted);
    EXPECT_EQ(approved->decided_by, "cli");
    EXPECT_FALSE(approved->decorated.empty());
    EXPECT_EQ(deliveries(), 1);
    EXPECT_TRUE(intake_->held(list_->id).empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.moderate'"), 1);
    const auto again = intake_->discard(accounts::Actor::cli(), list_->id, *held.post);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, core::ErrorCode::Conflict);
    const auto other_list = intake_->approve(accounts::Actor::cli(), ListId(999), *held.post);
    ASSERT_FALSE(other_list.has_value());
    EXPECT_EQ(other_list.error().code, core::ErrorCode::NotFound);
    EXPECT_EQ(intake_->approve(accounts::Actor::cli(), list_->id, PostId(12345)).error().code,
              core::ErrorCode::NotFound);
}

TEST_P(IntakeTest, ApproveAndAcceptSenderLetsTheNextPostThrough) {
    const auto held =
        posted(incoming_message("eve@example.net", "One", "Message-ID: <e1@x.net>\r\n"),
               "eve@example.net");
    ASSERT_TRUE(intake_->approve_and_accept_sender(accounts::Actor::cli(), list_->id, *held.post));
    const auto next =
        posted(incoming_message("EVE@example.net", "Two", "Message-ID: <e2@x.net>\r\n"),
               "eve@example.net");
    EXPECT_EQ(next.kind, Kind::Accepted);
    EXPECT_EQ(next.reason, "accepted-sender");
}

TEST_P(IntakeTest, RejectTellsTheAuthorWhy) {
    const auto held =
        posted(incoming_message("Eve <eve@example.net>", "Outside"), "eve@example.net");
    for (const std::string& reason :
         {std::string(""), std::string("   "), std::string(2001, 'x')}) {
        const auto refused = intake_->reject(accounts::Actor::cli(), list_->id, *held.post, reason);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().field, "reason");
    }
    const auto rejected = intake_->reject(accounts::Actor::cli(), list_->id, *held.post,
                                          "Off topic <script>alert(1)</script>");
    ASSERT_TRUE(rejected.has_value()) << rejected.error().message;
    EXPECT_EQ(rejected->state, PostState::Rejected);
    EXPECT_EQ(rejected->decision_reason, "Off topic <script>alert(1)</script>");
    const auto items = outbox_->recent(1);
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items.front().envelope.recipients, std::vector<std::string>{"eve@example.net"});
    EXPECT_NE(newest_mail().find("Off topic"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.moderate'"), 1);
}

TEST_P(IntakeTest, DiscardIsSilent) {
    const auto held = posted(incoming_message("eve@example.net", "Outside"), "eve@example.net");
    const auto before = mails();
    const auto discarded = intake_->discard(accounts::Actor::cli(), list_->id, *held.post);
    ASSERT_TRUE(discarded.has_value());
    EXPECT_EQ(discarded->state, PostState::Discarded);
    EXPECT_EQ(mails(), before);
}

TEST_P(IntakeTest, RejectPolicyTellsTheAuthorButNeverTheNullSenderOrAList) {
    set_settings(
        [](ListSettings& settings) { settings.nonmember_policy = NonmemberPolicy::Reject; });
    const auto rejected = posted(incoming_message("eve@example.net", "Outside"), "eve@example.net");
    EXPECT_EQ(rejected.kind, Kind::Rejected);
    EXPECT_EQ(mails(), 1);
    EXPECT_NE(newest_mail().find("not a member"), std::string::npos);
    // The null sender, automatic mail, and our own addresses are never answered: no loops.
    posted(incoming_message("eve@example.net", "Bounce", "Message-ID: <b@x>\r\n"), "");
    posted(incoming_message("eve@example.net", "Vacation",
                            "Message-ID: <v@x>\r\nAuto-Submitted: auto-replied\r\n"),
           "eve@example.net");
    posted(incoming_message("discuss-request@lists.example.org", "Robot", "Message-ID: <r@x>\r\n"),
           "discuss-bounces@lists.example.org");
    EXPECT_EQ(mails(), 1);
}

TEST_P(IntakeTest, DuplicateMessageIdIsDiscarded) {
    EXPECT_EQ(posted(incoming_message("ana@example.org", "Once")).kind, Kind::Accepted);
    const auto again = posted(incoming_message("ana@example.org", "Once"));
    EXPECT_EQ(again.kind, Kind::Discarded);
    EXPECT_EQ(again.reason, "duplicate");
    EXPECT_EQ(stored(again).state, PostState::Discarded) << "even a discarded post is kept";
    EXPECT_EQ(deliveries(), 1);
}

TEST_P(IntakeTest, TheSameMessageArrivingAtOnceIsAcceptedOnce) {
    // An MTA retrying while the first attempt is still being taken, or two MX hosts handing over
    // one message: on PostgreSQL the transactions really overlap.
    constexpr int kMessages = 6;
    constexpr int kCopies = 4;
    std::vector<std::thread> threads;
    threads.reserve(kCopies);
    std::atomic<int> accepted = 0;
    std::atomic<int> discarded = 0;
    for (int copy = 0; copy < kCopies; ++copy) {
        threads.emplace_back([&] {
            for (int index = 0; index < kMessages; ++index) {
                const std::string id = "race-" + std::to_string(index) + "@example.org";
                const auto kind = posted(incoming_message("ana@example.org", "Race",
                                                          "Message-ID: <" + id + ">\r\n"))
                                      .kind;
                (kind == Kind::Accepted ? accepted : discarded) += 1;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(accepted, kMessages);
    EXPECT_EQ(discarded, kMessages * (kCopies - 1));
    EXPECT_EQ(deliveries(), kMessages);
}

TEST_P(IntakeTest, OurOwnDecoratedPostComingBackIsALoop) {
    const Post first = stored(posted(incoming_message("ana@example.org", "Echo")));
    std::string echoed = first.decorated;
    // An auto-forward keeps our headers but the Message-ID may change.
    const auto at = echoed.find("m1@example.org");
    ASSERT_NE(at, std::string::npos);
    echoed.replace(at, 14, "m2@example.org");
    const auto loop = posted(echoed);
    EXPECT_EQ(loop.kind, Kind::Discarded);
    EXPECT_EQ(loop.reason, "loop");
    const auto marked = posted(incoming_message("ana@example.org", "Marked",
                                                "Message-ID: <m3@x>\r\nX-Coalition-Loop: "
                                                "discuss.lists.example.org\r\n"));
    EXPECT_EQ(marked.reason, "loop");
    EXPECT_EQ(deliveries(), 1);
}

TEST_P(IntakeTest, OversizedPostIsRefusedAsTooLargeAndRecordedWithItsHeaders) {
    set_settings([](ListSettings& settings) { settings.max_message_bytes = 2048; });
    const std::string raw = incoming_message("ana@example.org", "Big", "Message-ID: <big@x>\r\n",
                                             std::string(4000, 'y') + "\r\n");
    const auto refused = post(raw);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::TooLarge);
    const auto row = database_->query_one(
        "SELECT id FROM list_posts WHERE state = 'rejected' AND hold_reason = 'max-size'");
    ASSERT_TRUE(row.has_value());
    const auto post = intake_->find(PostId(row->integer(0)));
    EXPECT_EQ(post->raw.find("yyyy"), std::string::npos) << "only the headers are kept";
    EXPECT_NE(post->raw.find("Subject: Big"), std::string::npos);
    EXPECT_EQ(post->size_bytes, static_cast<std::int64_t>(raw.size()));
    EXPECT_EQ(mails(), 0) << "the MTA tells the author (552)";
}

TEST_P(IntakeTest, HugeMessageOverTheDefaultLimit) {
    const std::string raw = incoming_message("ana@example.org", "Huge", "Message-ID: <huge@x>\r\n",
                                             std::string(std::size_t{3} * 1024 * 1024, 'z'));
    const auto refused = post(raw);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::TooLarge);
}

TEST_P(IntakeTest, BytesThatAreNoMessageAreInvalid) {
    for (const std::string& raw :
         {std::string(), std::string("\r\n"), std::string("\x00\x01\x02\xff\xfe", 5),
          std::string("this is not a header at all\r\nnor this\r\n\r\nbody\r\n")}) {
        const auto result = post(raw);
        if (result.has_value()) {
            // GMime reads some garbage as a message with odd headers: then it is a post without
            // an author, held for a person, never distributed.
            EXPECT_NE(result->kind, Kind::Accepted);
        } else {
            EXPECT_EQ(result.error().code, core::ErrorCode::Invalid);
        }
    }
    EXPECT_EQ(deliveries(), 0);
}

TEST_P(IntakeTest, NoFromIsHeldForAPerson) {
    const auto held = posted(
        "To: discuss@lists.example.org\r\nSubject: Who?\r\nMessage-ID: <w@x>\r\n\r\nbody\r\n");
    EXPECT_EQ(held.kind, Kind::Held);
    EXPECT_EQ(held.reason, "no-author");
}

TEST_P(IntakeTest, NulAndEightBitBytesAreKeptExactlyAndTextIsCleaned) {
    // Built from pieces: a string literal would stop at its first NUL.
    std::string raw = "From: \xff\xfe Ana <ana@example.org>\r\nSubject: D\xe9";
    raw += "claration ";
    raw += '\0';
    raw += " and \xc3\x28 bytes\r\nMessage-ID: <nul@example.org>\r\n\r\n";
    raw += std::string(3, '\0');
    raw += "\x01\x02\xff body\r\n";
    ASSERT_EQ(std::count(raw.begin(), raw.end(), '\0'), 4);
    const Post post = stored(posted(raw));
    EXPECT_EQ(post.state, PostState::Accepted);
    EXPECT_NE(post.subject.find("claration"), std::string::npos) << post.subject;
    EXPECT_EQ(post.raw, raw) << "the original bytes round-trip through the database";
    EXPECT_TRUE(core::is_valid_utf8(post.subject)) << post.subject;
    EXPECT_EQ(post.subject.find('\0'), std::string::npos);
    EXPECT_TRUE(core::is_valid_utf8(post.author_name));
    EXPECT_EQ(post.author_email, "ana@example.org");
}

TEST_P(IntakeTest, EightBitUtf8HeadersAreReadAsUtf8) {
    const Post post = stored(posted(
        incoming_message("Zoë Ndiaye <ana@example.org>", "Déclaration commune — 共同声明 — بيان")));
    EXPECT_EQ(post.subject, "Déclaration commune — 共同声明 — بيان");
    EXPECT_EQ(post.author_name, "Zoë Ndiaye");
    EXPECT_EQ(post.state, PostState::Accepted);
}

TEST_P(IntakeTest, SubscribeSentToThePostingAddressIsHeldAsAdministrivia) {
    const auto held = posted(incoming_message("ana@example.org", "subscribe"));
    EXPECT_EQ(held.kind, Kind::Held);
    EXPECT_EQ(held.reason, "administrivia");
    const auto body = posted(
        incoming_message("ana@example.org", "Hi", "Message-ID: <u@x>\r\n", "unsubscribe\r\n"));
    EXPECT_EQ(body.reason, "administrivia");
}

TEST_P(IntakeTest, EmergencyModerationHoldsMembers) {
    set_settings([](ListSettings& settings) { settings.emergency_moderation = true; });
    EXPECT_EQ(posted(incoming_message("ana@example.org", "Calm")).reason, "emergency");
}

TEST_P(IntakeTest, AuthorDomainWithDmarcRejectIsMungedAndDnsFailureCountsAsReject) {
    add_member("bo@strict.example");
    add_member("cy@broken.example");
    resolver_.records["_dmarc.strict.example"] = {"v=DMARC1; p=reject"};
    resolver_.failing.insert("_dmarc.broken.example");
    const Post strict =
        stored(posted(incoming_message("Bo <bo@strict.example>", "Strict", "Message-ID: <s@x>\r\n"),
                      "bo@strict.example"));
    EXPECT_NE(strict.decorated.find("via"), std::string::npos) << strict.decorated;
    const Post broken =
        stored(posted(incoming_message("Cy <cy@broken.example>", "Broken", "Message-ID: <f@x>\r\n"),
                      "cy@broken.example"));
    EXPECT_EQ(broken.state, PostState::Accepted);
    EXPECT_NE(broken.decorated.find("via"), std::string::npos) << broken.decorated;
    const Post plain = stored(posted(incoming_message("Ana <ana@example.org>", "Plain")));
    EXPECT_EQ(plain.decorated.find(" via "), std::string::npos);
}

TEST_P(IntakeTest, PostFromTheWebTakesTheSamePath) {
    const auto posted_web =
        intake_->post_from_web(*list_, email("ana@example.org"), "Ana", "From the web",
                               "Body text.\n", std::string("parent@example.org"));
    ASSERT_TRUE(posted_web.has_value()) << posted_web.error().message;
    EXPECT_EQ(posted_web->kind, Kind::Accepted);
    const Post post = stored(*posted_web);
    EXPECT_EQ(post.source, PostSource::Web);
    EXPECT_NE(post.raw.find("In-Reply-To: <parent@example.org>"), std::string::npos) << post.raw;
    const auto nonmember =
        intake_->post_from_web(*list_, email("eve@example.net"), "", "Hello", "Text", std::nullopt);
    ASSERT_TRUE(nonmember.has_value());
    EXPECT_EQ(nonmember->kind, Kind::Held);
    for (const auto& [subject, body, field] :
         {std::tuple<std::string, std::string, std::string>{"", "x", "subject"},
          {"Bad\r\nBcc: x@y", "x", "subject"},
          {"Fine", "", "body"},
          {"Fine", std::string("a\0b", 3), "body"},
          {"Fine", "\xff", "body"}}) {
        const auto refused =
            intake_->post_from_web(*list_, email("ana@example.org"), "", subject, body, {});
        ASSERT_FALSE(refused.has_value()) << subject << "/" << body;
        EXPECT_EQ(refused.error().field, field);
    }
    const auto bad_parent = intake_->post_from_web(*list_, email("ana@example.org"), "", "Fine",
                                                   "x", std::string("<a b>"));
    ASSERT_FALSE(bad_parent.has_value());
    EXPECT_EQ(bad_parent.error().field, "in_reply_to");
}

TEST_P(IntakeTest, UnknownAddressesAreNotFound) {
    for (const char* to : {"other@lists.example.org", "discuss@other.example", "garbage",
                           "\xff@lists.example.org"}) {
        const auto result = post(incoming_message("ana@example.org", "x"), "ana@example.org", to);
        ASSERT_FALSE(result.has_value()) << to;
        EXPECT_EQ(result.error().code, core::ErrorCode::NotFound) << to;
    }
}

TEST_P(IntakeTest, OwnerAddressForwardsToOwnersAndModerators) {
    const auto forwarded = post(incoming_message("eve@example.net", "Question"), "eve@example.net",
                                "discuss-owner@lists.example.org");
    ASSERT_TRUE(forwarded.has_value());
    EXPECT_EQ(forwarded->kind, Kind::Accepted);
    const auto items = outbox_->recent(1);
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items.front().envelope.recipients, std::vector<std::string>{"owner@example.org"});
    EXPECT_EQ(items.front().envelope.mail_from, "discuss-bounces@lists.example.org");
    EXPECT_NE(items.front().bytes.find("Subject: Question"), std::string::npos);
    // Bytes the outbox cannot keep as text are made text, not refused.
    const auto eight_bit =
        post(incoming_message("eve@example.net", "Bytes", "", std::string("\xff\x00", 2)),
             "eve@example.net", "discuss-owner@lists.example.org");
    ASSERT_TRUE(eight_bit.has_value());
    EXPECT_EQ(mails(), 2);
}

TEST_P(IntakeTest, RequestJoinAndConfirmAddressesRunCommands) {
    const auto request = post(incoming_message("Dee <dee@example.org>", "subscribe"),
                              "dee@example.org", "discuss-request@lists.example.org");
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(request->kind, Kind::Accepted);
    EXPECT_FALSE(request->post.has_value());
    const std::string token = from_newest_mail("/confirm/([a-z2-7]{32})");
    ASSERT_FALSE(token.empty());
    const auto confirmed =
        post(incoming_message("dee@example.org", "Re: Confirm"), "dee@example.org",
             "discuss-confirm+" + token + "@lists.example.org");
    ASSERT_TRUE(confirmed.has_value());
    const auto member = subscriptions_->find_member(list_->id, email("dee@example.org"));
    ASSERT_TRUE(member.has_value());
    EXPECT_EQ(member->state, MemberState::Subscribed);
    EXPECT_EQ(member->source, MemberSource::Mail);

    ASSERT_TRUE(post(incoming_message("fay@example.org", "anything"), "fay@example.org",
                     "discuss-join@lists.example.org"));
    EXPECT_NE(newest_mail().find("fay@example.org"), std::string::npos);
    EXPECT_EQ(subscriptions_->find_member(list_->id, email("fay@example.org"))->state,
              MemberState::Pending);
}

TEST_P(IntakeTest, BouncesAddressIsHandedToBounces) {
    const auto bounce = post(incoming_message("MAILER-DAEMON@example.org", "Undelivered"), "",
                             "discuss-bounces+ana=example.org@lists.example.org");
    ASSERT_TRUE(bounce.has_value()) << bounce.error().message;
    EXPECT_EQ(bounce->kind, Kind::Accepted);
    EXPECT_FALSE(bounce->post.has_value());
}

TEST_P(IntakeTest, AcceptedPostIsArchivedAndArchivedAtNamesTheArchivedMessage) {
    // A held post first, so that post ids and archive ids differ.
    const auto held = posted(
        incoming_message("eve@example.net", "Outside", "Message-ID: <h@x>\r\n"), "eve@example.net");
    ASSERT_EQ(held.kind, Kind::Held);
    const Post post = stored(posted(incoming_message("Ana <ana@example.org>", "Archived")));
    ASSERT_EQ(post.state, PostState::Accepted);
    archive::Archive archive(*database_);
    EXPECT_TRUE(archive.find_by_message_id("h@x").empty()) << "held posts are not archived";
    const auto found = archive.find_by_message_id("m1@example.org");
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found[0].list_id, list_->id.value());
    EXPECT_NE(found[0].id.value(), post.id.value());
    const auto archived = archive.message(found[0].id);
    ASSERT_TRUE(archived);
    EXPECT_EQ(archived->raw, post.raw);
    EXPECT_EQ(archived->subject, "Archived");
    EXPECT_EQ(count("SELECT COUNT(*) FROM archive_messages WHERE post_id = $1", {post.id.value()}),
              1);
    EXPECT_NE(post.decorated.find("Archived-At: <https://coalition.example/lists/discuss/m/" +
                                  std::to_string(found[0].id.value()) + ">"),
              std::string::npos)
        << post.decorated;

    // Approved by a moderator: archived then, with its own permalink.
    const auto approved = intake_->approve(accounts::Actor::cli(), list_->id, *held.post);
    ASSERT_TRUE(approved.has_value()) << approved.error().message;
    const auto approved_archived = archive.find_by_message_id("h@x");
    ASSERT_EQ(approved_archived.size(), 1U);
    EXPECT_NE(approved->decorated.find("/lists/discuss/m/" +
                                       std::to_string(approved_archived[0].id.value()) + ">"),
              std::string::npos);
}

TEST_P(IntakeTest, PrivateArchiveStillArchivesButHasNoArchivedAt) {
    set_settings(
        [](ListSettings& settings) { settings.archive_visibility = ArchiveVisibility::None; });
    const Post post = stored(posted(incoming_message("ana@example.org", "Private")));
    ASSERT_EQ(post.state, PostState::Accepted);
    EXPECT_EQ(archive::Archive(*database_).find_by_message_id("m1@example.org").size(), 1U);
    EXPECT_EQ(post.decorated.find("Archived-At"), std::string::npos) << post.decorated;
}

TEST_P(IntakeTest, SameBytesWithoutMessageIdTwiceAreBothAccepted) {
    // The list assigns each post its own Message-ID; the archive's id for both is the hash of the
    // same bytes, so the second is an archive duplicate, which must not fail the accept.
    const std::string raw = incoming_message("ana@example.org", "No id", "");
    const Post first = stored(posted(raw));
    const Post second = stored(posted(raw));
    EXPECT_EQ(first.state, PostState::Accepted);
    EXPECT_EQ(second.state, PostState::Accepted);
    EXPECT_NE(first.message_id, second.message_id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM archive_messages"), 1);
    EXPECT_EQ(deliveries(), 2);
}

TEST_P(IntakeTest, WebPostIsArchived) {
    const auto posted_web = intake_->post_from_web(*list_, email("ana@example.org"), "Ana",
                                                   "From the web", "Body text.\n", std::nullopt);
    ASSERT_TRUE(posted_web.has_value()) << posted_web.error().message;
    const Post post = stored(*posted_web);
    const auto found = archive::Archive(*database_).find_by_message_id(post.message_id);
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(archive::Archive(*database_).message(found[0].id)->author_name, "Ana");
}

COALITION_LISTS_FOR_DIALECTS(IntakeTest);

}  // namespace
}  // namespace coalition::lists
