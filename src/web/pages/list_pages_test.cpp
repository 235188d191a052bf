// The mailing lists' pages, driven through the real route table (router, CSRF, access levels,
// templates) over real services on a fresh database of each dialect. Tests marked "needs Intake"
// hold or post messages through lists::Intake and pass once its implementation is in.

#include "web/pages/list_pages.hpp"

#include "accounts/accounts.hpp"
#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "i18n/i18n.hpp"
#include "lists/bounces.hpp"
#include "lists/intake.hpp"
#include "lists/lists.hpp"
#include "mail/outbox.hpp"
#include "processes/processes.hpp"
#include "signon/signon.hpp"
#include "statement/statement.hpp"
#include "store/testing.hpp"
#include "web/layout.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/site.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>

namespace coalition::web {
namespace {

constexpr std::string_view kSiteSecret = "0123456789abcdef0123456789abcdef";
constexpr std::string_view kHostile = "<script>alert('x')</script><b onmouseover=\"x\">";

core::Email email(std::string_view text) {
    auto parsed = core::Email::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return std::move(parsed).value();
}

class NoDns final : public dns::Resolver {
public:
    core::Result<dns::TxtAnswer> txt(std::string_view) override {
        return core::Error::not_found("no such name");
    }
};

Request make_request(Method method, std::string_view target) {
    Request request;
    request.method = method;
    request.raw_target = std::string(target);
    const auto query = target.find('?');
    auto path = percent_decode(target.substr(0, query));
    request.path = path ? *path : std::string(target.substr(0, query));
    if (query != std::string_view::npos) {
        if (auto form = parse_form(target.substr(query + 1))) {
            request.query = form->fields();
        }
    }
    request.remote_address = "192.0.2.1";
    return request;
}

// A browser: keeps cookies, reads CSRF tokens from pages.
struct Browser {
    std::map<std::string, std::string> cookies;

    void keep_cookies(const Response& response) {
        for (const auto& [name, value] : response.headers.entries()) {
            if (name != "Set-Cookie") {
                continue;
            }
            const auto equals = value.find('=');
            const auto end = value.find(';');
            const std::string cookie = value.substr(0, equals);
            const std::string content = value.substr(equals + 1, end - equals - 1);
            if (content.empty() || value.find("Max-Age=0") != std::string::npos) {
                cookies.erase(cookie);
            } else {
                cookies[cookie] = content;
            }
        }
    }
    void add_cookies(Request& request) const {
        std::string header;
        for (const auto& [name, value] : cookies) {
            header.append(header.empty() ? "" : "; ").append(name).append("=").append(value);
        }
        if (!header.empty()) {
            request.headers.add("Cookie", header);
        }
    }
};

std::string csrf_in(const std::string& page) {
    std::smatch match;
    if (!std::regex_search(page, match, std::regex("name=\"_csrf\" value=\"([^\"]+)\""))) {
        ADD_FAILURE() << "no _csrf field in the page";
        return {};
    }
    return match[1].str();
}

class ListPagesTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        auto& database = *database_;
        outbox_ = std::make_unique<mail::Outbox>(database, clock_);
        organisations_ = std::make_unique<accounts::Organisations>(database, clock_);
        users_ = std::make_unique<accounts::Users>(database, clock_);
        sessions_ = std::make_unique<accounts::Sessions>(database, clock_, random_);
        sign_in_ = std::make_unique<accounts::SignInLinks>(
            database, clock_, random_, *outbox_,
            accounts::SignInMailSettings{
                mail::Mailbox{"Coalition", email("noreply@coalition.example")}, "Coalition"});
        audit_ = std::make_unique<accounts::AuditLog>(database);
        key_ = std::make_unique<signon::LogKey>(signon::LogKey::from_seed({}));
        log_ = std::make_unique<signon::TransparencyLog>(database, clock_, *key_);
        signatures_ = std::make_unique<signon::Signatures>(
            database, clock_, random_, *outbox_, *log_, resolver_,
            signon::SignOnSettings{
                .sender = mail::Mailbox{"Coalition", email("noreply@coalition.example")},
                .site_name = "Coalition"});
        statements_ = std::make_unique<statement::Statements>(database, clock_);
        processes_ = std::make_unique<processes::Processes>(database, clock_);
        pages_ = std::make_unique<Pages>(i18n::Catalog::embedded());
        lists_ = std::make_unique<lists::Lists>(database, clock_);
        subscriptions_ = std::make_unique<lists::Subscriptions>(
            database, clock_, random_, *outbox_,
            lists::SubscriptionSettings{.base_url = "https://coalition.example",
                                        .site_name = "Coalition",
                                        .token_secret = "0123456789abcdef0123456789abcdef"});
        bounces_ = std::make_unique<lists::Bounces>(database, clock_, *subscriptions_, *outbox_);
        dmarc_ = std::make_unique<dns::DmarcPolicies>(resolver_, clock_);
        intake_ = std::make_unique<lists::Intake>(
            database, clock_, *lists_, *subscriptions_, *bounces_, *outbox_, *dmarc_,
            lists::IntakeSettings{.base_url = "https://coalition.example",
                                  .site_name = "Coalition"});
        site_ = std::make_unique<Site>(Site{
            .settings = {.name = "Coalition",
                         .base_url = "https://coalition.example",
                         .contact_email = "secretariat@coalition.example",
                         .site_secret = std::string(kSiteSecret)},
            .database = database,
            .outbox = *outbox_,
            .organisations = *organisations_,
            .users = *users_,
            .sessions = *sessions_,
            .sign_in = *sign_in_,
            .audit = *audit_,
            .signatures = *signatures_,
            .transparency_log = *log_,
            .statements = *statements_,
            .processes = *processes_,
            .metrics = metrics_,
            .pages = *pages_,
            .lists = lists_.get(),
            .subscriptions = subscriptions_.get(),
            .intake = intake_.get(),
            .bounces = bounces_.get(),
        });
        router_ = std::make_unique<Router>(RouterOptions{.site_secret = std::string(kSiteSecret)});
        register_routes(*router_, *site_);
        list_ = make_list("discuss@lists.example.org", "owner@example.org");
    }

    lists::List make_list(const std::string& address, const std::string& owner,
                          const std::string& description = "Talk about the GDC.") {
        auto list = lists_->create(accounts::Actor::cli(),
                                   lists::NewList{.address = address,
                                                  .owners = {email(owner)},
                                                  .moderators = {email("mod@example.org")},
                                                  .display_name = "Discussion",
                                                  .description = description});
        EXPECT_TRUE(list.has_value()) << (list ? "" : list.error().message);
        return std::move(list).value();
    }

    // A browser signed in as a new user with this address and role.
    Browser signed_in(const std::string& address, accounts::Role role = accounts::Role::Member) {
        auto user = users_->add_user(accounts::Actor::cli(),
                                     accounts::NewUser{.email = email(address), .role = role});
        EXPECT_TRUE(user.has_value());
        Browser browser;
        browser.cookies["session"] = sessions_->create_session(user->id).token;
        return browser;
    }

    Response get(Browser& browser, std::string_view target) {
        Request request = make_request(Method::Get, target);
        browser.add_cookies(request);
        Response response = router_->handle(request);
        browser.keep_cookies(response);
        return response;
    }

    Response post_raw(Browser& browser, std::string_view target, std::string body,
                      std::string content_type = "application/x-www-form-urlencoded") {
        Request request = make_request(Method::Post, target);
        browser.add_cookies(request);
        request.headers.add("Content-Type", std::move(content_type));
        request.body = std::move(body);
        Response response = router_->handle(request);
        browser.keep_cookies(response);
        return response;
    }

    // Posts `fields` (already encoded, "a=1&b=2") with the CSRF token of the page at `from`.
    Response submit(Browser& browser, std::string_view from, std::string_view target,
                    const std::string& fields) {
        const auto page = get(browser, from);
        EXPECT_EQ(page.status, 200) << from << "\n" << page.body.substr(0, 2000);
        std::string body = "_csrf=" + csrf_in(page.body);
        if (!fields.empty()) {
            body += "&" + fields;
        }
        return post_raw(browser, target, body);
    }

    std::string newest_mail() {
        const auto items = outbox_->recent(1);
        if (items.empty()) {
            ADD_FAILURE() << "no mail queued";
            return {};
        }
        return std::regex_replace(items.front().bytes, std::regex("=\r\n"), "");
    }

    std::string token_in_newest_mail(const std::string& what) {
        const std::string mail = newest_mail();
        std::smatch match;
        if (!std::regex_search(mail, match,
                               std::regex("/lists/discuss/" + what + "/([a-z2-7]{32})"))) {
            ADD_FAILURE() << "no " << what << " link in\n" << mail;
            return {};
        }
        return match[1].str();
    }

    lists::Member subscribed_member(const std::string& address) {
        const auto outcome = subscriptions_->add_members(accounts::Actor::cli(), *list_,
                                                         {lists::NewMember{email(address), "Ana"}},
                                                         lists::Welcome::Skip);
        EXPECT_EQ(outcome.front(), lists::AddOutcome::Added);
        return *subscriptions_->find_member(list_->id, email(address));
    }

    lists::MemberState state_of(const std::string& address) {
        auto member = subscriptions_->find_member(list_->id, email(address));
        EXPECT_TRUE(member.has_value());
        return member ? member->state : lists::MemberState::Pending;
    }

    core::FakeClock clock_;
    core::SecureRandom random_;
    NoDns resolver_;
    Metrics metrics_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<accounts::Organisations> organisations_;
    std::unique_ptr<accounts::Users> users_;
    std::unique_ptr<accounts::Sessions> sessions_;
    std::unique_ptr<accounts::SignInLinks> sign_in_;
    std::unique_ptr<accounts::AuditLog> audit_;
    std::unique_ptr<signon::LogKey> key_;
    std::unique_ptr<signon::TransparencyLog> log_;
    std::unique_ptr<signon::Signatures> signatures_;
    std::unique_ptr<statement::Statements> statements_;
    std::unique_ptr<processes::Processes> processes_;
    std::unique_ptr<Pages> pages_;
    std::unique_ptr<lists::Lists> lists_;
    std::unique_ptr<lists::Subscriptions> subscriptions_;
    std::unique_ptr<lists::Bounces> bounces_;
    std::unique_ptr<dns::DmarcPolicies> dmarc_;
    std::unique_ptr<lists::Intake> intake_;
    std::unique_ptr<Site> site_;
    std::unique_ptr<Router> router_;
    std::optional<lists::List> list_;
};

TEST_P(ListPagesTest, IndexAndInfoShowTheListWithItsDescriptionEscaped) {
    make_list("hostile@lists.example.org", "owner@example.org", std::string(kHostile));
    subscribed_member("ana@example.org");
    Browser visitor;
    const auto index = get(visitor, "/lists");
    ASSERT_EQ(index.status, 200);
    EXPECT_NE(index.body.find("href=\"/lists/discuss\""), std::string::npos);
    EXPECT_NE(index.body.find("discuss@lists.example.org"), std::string::npos);
    EXPECT_NE(index.body.find("1 member"), std::string::npos);
    EXPECT_EQ(index.body.find("<script>alert"), std::string::npos);
    EXPECT_NE(index.body.find("&lt;script&gt;alert("), std::string::npos);
    EXPECT_EQ(index.body.find("<b onmouseover"), std::string::npos);

    const auto info = get(visitor, "/lists/hostile");
    ASSERT_EQ(info.status, 200);
    EXPECT_EQ(info.body.find("<script>alert"), std::string::npos);
    EXPECT_NE(info.body.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(info.body.find("action=\"/lists/hostile/subscribe\""), std::string::npos);
    EXPECT_NE(info.body.find("action=\"/lists/hostile/unsubscribe\""), std::string::npos);
    // Names are matched case-insensitively; unknown names are 404.
    EXPECT_EQ(get(visitor, "/lists/DISCUSS").status, 200);
    EXPECT_EQ(get(visitor, "/lists/nope").status, 404);
    EXPECT_EQ(get(visitor, "/lists/%3Cscript%3E").status, 404);
}

TEST_P(ListPagesTest, SubscribeConfirmGetShowsAButtonAndOnlyThePostConfirms) {
    Browser visitor;
    const auto sent = submit(visitor, "/lists/discuss", "/lists/discuss/subscribe",
                             "email=new%40example.org&name=Nia&language=fr");
    ASSERT_EQ(sent.status, 202) << sent.body;
    EXPECT_NE(sent.body.find("new@example.org"), std::string::npos);
    const std::string token = token_in_newest_mail("confirm");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(state_of("new@example.org"), lists::MemberState::Pending);

    Browser clicker;  // The link may open in another browser.
    const auto page = get(clicker, "/lists/discuss/confirm/" + token);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<button type=\"submit\">"), std::string::npos);
    EXPECT_NE(page.body.find("new@example.org"), std::string::npos);
    EXPECT_EQ(state_of("new@example.org"), lists::MemberState::Pending);  // GET changes nothing.

    const auto confirmed =
        post_raw(clicker, "/lists/discuss/confirm/" + token, "_csrf=" + csrf_in(page.body));
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    EXPECT_EQ(state_of("new@example.org"), lists::MemberState::Subscribed);
    EXPECT_NE(newest_mail().find("/lists/discuss/preferences/"), std::string::npos);  // Welcome.

    // Used once: the same link is now a clear "no longer works".
    const auto again = get(clicker, "/lists/discuss/confirm/" + token);
    EXPECT_EQ(again.status, 410);
    EXPECT_NE(again.body.find("This link no longer works"), std::string::npos);
}

TEST_P(ListPagesTest, SameAnswerForMembersAndStrangers) {
    subscribed_member("ana@example.org");
    Browser one;
    Browser two;
    const auto member = submit(one, "/lists/discuss", "/lists/discuss/subscribe",
                               "email=ana%40example.org&language=en");
    const auto stranger = submit(two, "/lists/discuss", "/lists/discuss/subscribe",
                                 "email=zed%40example.org&language=en");
    EXPECT_EQ(member.status, 202);
    EXPECT_EQ(stranger.status, 202);
    const auto strip = [](std::string body, const std::string& address) {
        body = std::regex_replace(body, std::regex(address), "ADDRESS");
        return std::regex_replace(body, std::regex("value=\"[A-Za-z0-9_-]{43}\""), "TOKEN");
    };
    EXPECT_EQ(strip(member.body, "ana@example.org"), strip(stranger.body, "zed@example.org"));

    const auto leave_member = submit(one, "/lists/discuss", "/lists/discuss/unsubscribe",
                                     "leave_email=ana%40example.org");
    const auto leave_stranger = submit(two, "/lists/discuss", "/lists/discuss/unsubscribe",
                                       "leave_email=zed%40example.org");
    EXPECT_EQ(leave_member.status, 202);
    EXPECT_EQ(leave_stranger.status, 202);
    EXPECT_EQ(strip(leave_member.body, "ana@example.org"),
              strip(leave_stranger.body, "zed@example.org"));
}

TEST_P(ListPagesTest, BadInputIsRefusedWithTheFieldAndEscaped) {
    Browser visitor;
    const auto bad = submit(visitor, "/lists/discuss", "/lists/discuss/subscribe",
                            "email=%3Cb%3Enot+an+address&language=en");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("aria-invalid=\"true\""), std::string::npos);
    EXPECT_NE(bad.body.find("&lt;b&gt;not an address"), std::string::npos);
    EXPECT_EQ(bad.body.find("<b>not"), std::string::npos);
    // NUL bytes and invalid UTF-8 never reach a handler.
    const auto page = get(visitor, "/lists/discuss");
    const std::string csrf = "_csrf=" + csrf_in(page.body);
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/subscribe", csrf + "&email=a%00b%40x.org").status,
              400);
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/subscribe", csrf + "&email=%FF%40x.org").status,
              400);
    const std::string long_name(500, 'n');
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/subscribe",
                       csrf + "&email=ok%40example.org&name=" + long_name)
                  .status,
              422);
}

TEST_P(ListPagesTest, EveryOrdinaryFormNeedsItsCsrfToken) {
    const auto member = subscribed_member("ana@example.org");
    const auto links = subscriptions_->links(*list_, member.id);
    ASSERT_TRUE(links.has_value());
    Browser visitor;
    get(visitor, "/lists/discuss");  // Has an anon cookie now, but sends no token.
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/subscribe", "email=x%40example.org").status, 403);
    EXPECT_EQ(
        post_raw(visitor, "/lists/discuss/unsubscribe", "leave_email=ana%40example.org").status,
        403);
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/preferences/" + links->preferences_token,
                       "delivery=none&language=en")
                  .status,
              403);
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/confirm/" + std::string(32, 'a'), "").status, 403);
    // The unsubscribe button without its token (and without the one-click field) is refused too.
    EXPECT_EQ(post_raw(visitor, "/lists/discuss/unsubscribe/" + links->unsubscribe_token,
                       "List-Unsubscribe=Two-Clicks")
                  .status,
              403);
    EXPECT_EQ(state_of("ana@example.org"), lists::MemberState::Subscribed);
    Browser admin = signed_in("root@example.org", accounts::Role::Admin);
    EXPECT_EQ(
        post_raw(admin, "/admin/lists", "address=x%40lists.example.org&owners=a%40b.org").status,
        403);
    EXPECT_EQ(post_raw(admin, "/lists/discuss/admin", "subject_prefix=x").status, 403);
}

TEST_P(ListPagesTest, OneClickUnsubscribesWithoutCookiesOrToken) {
    const auto member = subscribed_member("ana@example.org");
    const auto links = subscriptions_->links(*list_, member.id);
    ASSERT_TRUE(links.has_value());
    Browser mail_client;  // No cookies at all.
    const auto done =
        post_raw(mail_client, "/lists/discuss/unsubscribe/" + links->unsubscribe_token,
                 "List-Unsubscribe=One-Click");
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(state_of("ana@example.org"), lists::MemberState::Unsubscribed);
    EXPECT_TRUE(mail_client.cookies.empty());
    // Idempotent.
    EXPECT_EQ(post_raw(mail_client, "/lists/discuss/unsubscribe/" + links->unsubscribe_token,
                       "List-Unsubscribe=One-Click")
                  .status,
              200);
    // An unknown token is 404, well-formed or not.
    EXPECT_EQ(post_raw(mail_client, "/lists/discuss/unsubscribe/" + std::string(32, 'a'),
                       "List-Unsubscribe=One-Click")
                  .status,
              404);
    EXPECT_EQ(
        post_raw(mail_client, "/lists/discuss/unsubscribe/%3Cx%3E", "List-Unsubscribe=One-Click")
            .status,
        404);
    EXPECT_EQ(get(mail_client, "/lists/discuss/unsubscribe/nonsense").status, 404);
}

TEST_P(ListPagesTest, UnsubscribePageChecksTheLinkBeforeTheButton) {
    const auto member = subscribed_member("ana@example.org");
    const auto links = subscriptions_->links(*list_, member.id);
    ASSERT_TRUE(links.has_value());
    Browser visitor;
    const auto page = get(visitor, "/lists/discuss/unsubscribe/" + links->unsubscribe_token);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("ana@example.org"), std::string::npos);
    EXPECT_NE(page.body.find("Unsubscribe me"), std::string::npos);
    // Opening the page changes nothing.
    EXPECT_EQ(state_of("ana@example.org"), lists::MemberState::Subscribed);
    // A well-formed token that names no member: 404 at once, not after the button.
    EXPECT_EQ(get(visitor, "/lists/discuss/unsubscribe/" + std::string(32, 'a')).status, 404);
    // Once unsubscribed, the page says so instead of offering the button again.
    ASSERT_TRUE(subscriptions_->unsubscribe(links->unsubscribe_token).has_value());
    const auto after = get(visitor, "/lists/discuss/unsubscribe/" + links->unsubscribe_token);
    EXPECT_EQ(after.status, 200);
    EXPECT_EQ(after.body.find("Unsubscribe me"), std::string::npos);
    EXPECT_NE(after.body.find("no longer receives"), std::string::npos);
}

TEST_P(ListPagesTest, OneClickAcceptsMultipartFormData) {
    const auto member = subscribed_member("ana@example.org");
    const auto links = subscriptions_->links(*list_, member.id);
    ASSERT_TRUE(links.has_value());
    Browser mail_client;
    const std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
        "One-Click\r\n--XyZ--\r\n";
    const auto done =
        post_raw(mail_client, "/lists/discuss/unsubscribe/" + links->unsubscribe_token, body,
                 "multipart/form-data; boundary=XyZ");
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(state_of("ana@example.org"), lists::MemberState::Unsubscribed);
}

TEST_P(ListPagesTest, UnsubscribeLinkShowsAButtonThatWorksWithItsToken) {
    const auto member = subscribed_member("ana@example.org");
    const auto links = subscriptions_->links(*list_, member.id);
    Browser reader;
    const std::string path = "/lists/discuss/unsubscribe/" + links->unsubscribe_token;
    const auto page = get(reader, path);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(state_of("ana@example.org"), lists::MemberState::Subscribed);
    const auto done = post_raw(reader, path, "_csrf=" + csrf_in(page.body));
    EXPECT_EQ(done.status, 200);
    EXPECT_EQ(state_of("ana@example.org"), lists::MemberState::Unsubscribed);
}

TEST_P(ListPagesTest, PreferencesChangeDeliveryAndLanguage) {
    const auto member = subscribed_member("ana@example.org");
    const auto links = subscriptions_->links(*list_, member.id);
    Browser reader;
    const std::string path = "/lists/discuss/preferences/" + links->preferences_token;
    const auto saved = submit(reader, path, path, "delivery=digest&language=ar");
    EXPECT_EQ(saved.status, 200) << saved.body;
    EXPECT_NE(saved.body.find("role=\"status\""), std::string::npos);
    auto changed = subscriptions_->find_member(list_->id, email("ana@example.org"));
    EXPECT_EQ(changed->delivery_mode, lists::DeliveryMode::Digest);
    EXPECT_EQ(changed->language, "ar");

    const auto bad = submit(reader, path, path, "delivery=%3Cevery-hour%3E&language=en");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(get(reader, "/lists/discuss/preferences/" + std::string(32, 'b')).status, 404);
    // Another list's name in the path does not open this member's preferences.
    make_list("other@lists.example.org", "owner@example.org");
    EXPECT_EQ(get(reader, "/lists/other/preferences/" + links->preferences_token).status, 404);
}

TEST_P(ListPagesTest, ExpiredConfirmationIsExplained) {
    Browser visitor;
    ASSERT_EQ(submit(visitor, "/lists/discuss", "/lists/discuss/subscribe",
                     "email=late%40example.org&language=en")
                  .status,
              202);
    const std::string token = token_in_newest_mail("confirm");
    clock_.advance(std::chrono::hours(24 * 4));
    const auto page = get(visitor, "/lists/discuss/confirm/" + token);
    EXPECT_EQ(page.status, 410);
    EXPECT_NE(page.body.find("three days"), std::string::npos);
    EXPECT_EQ(state_of("late@example.org"), lists::MemberState::Pending);
}

TEST_P(ListPagesTest, OnlyOwnersModeratorsAndAdminsRunTheList) {
    Browser anonymous;
    const auto redirected = get(anonymous, "/lists/discuss/moderation");
    EXPECT_EQ(redirected.status, 303);
    Browser stranger = signed_in("stranger@example.org");
    EXPECT_EQ(get(stranger, "/lists/discuss/moderation").status, 403);
    EXPECT_EQ(get(stranger, "/lists/discuss/admin").status, 403);
    EXPECT_EQ(get(stranger, "/admin/lists").status, 403);
    Browser owner = signed_in("OWNER@example.org");  // Compared canonically.
    EXPECT_EQ(get(owner, "/lists/discuss/moderation").status, 200);
    EXPECT_EQ(get(owner, "/lists/discuss/admin").status, 200);
    Browser moderator = signed_in("mod@example.org");
    EXPECT_EQ(get(moderator, "/lists/discuss/moderation").status, 200);
    const auto view = get(moderator, "/lists/discuss/admin");
    EXPECT_EQ(view.status, 200);
    EXPECT_EQ(view.body.find("name=\"subject_prefix\""), std::string::npos);  // Read only.
    const auto forbidden = post_raw(moderator, "/lists/discuss/admin",
                                    "_csrf=" + csrf_in(view.body) + "&subject_prefix=x");
    EXPECT_EQ(forbidden.status, 403);
    Browser admin = signed_in("root@example.org", accounts::Role::Admin);
    EXPECT_EQ(get(admin, "/lists/discuss/admin").status, 200);
    EXPECT_EQ(get(admin, "/admin/lists").status, 200);
}

TEST_P(ListPagesTest, SettingsFormShowsEveryErrorThenSaves) {
    subscribed_member("ana@example.org");
    bounces_->record_failure(*list_, email("ana@example.org"), "550 5.1.1 no such user");
    Browser owner = signed_in("owner@example.org");
    const auto page = get(owner, "/lists/discuss/admin");
    ASSERT_EQ(page.status, 200);
    for (const char* field : {"display_name", "description", "posting_policy", "nonmember_policy",
                              "subject_prefix", "footer", "max_message_bytes", "archive_visibility",
                              "digest_enabled", "digest_period", "digest_size_threshold_bytes",
                              "reply_to_policy", "reply_to_address", "emergency_moderation",
                              "dmarc_mitigation", "preferred_language", "owners", "moderators"}) {
        EXPECT_NE(page.body.find("name=\"" + std::string(field) + "\""), std::string::npos)
            << field;
    }
    EXPECT_NE(page.body.find("ana@example.org"), std::string::npos);  // The roster.
    const std::string base =
        "display_name=Discussion&description=x&posting_policy=members&nonmember_policy=hold"
        "&footer=&archive_visibility=members&digest_period=daily"
        "&digest_size_threshold_bytes=30720&dmarc_mitigation=munge-when-needed"
        "&preferred_language=en";
    const auto bad =
        submit(owner, "/lists/discuss/admin", "/lists/discuss/admin",
               base + "&subject_prefix=" + std::string(80, 'p') +
                   "&max_message_bytes=lots&reply_to_policy=explicit" + "&reply_to_address=");
    EXPECT_EQ(bad.status, 422);
    for (const char* field : {"subject_prefix", "max_message_bytes", "reply_to_address"}) {
        EXPECT_NE(bad.body.find("href=\"#field-" + std::string(field) + "\""), std::string::npos)
            << field;
    }
    EXPECT_EQ(lists_->find(list_->id)->settings.subject_prefix, "[discuss]");

    const auto good = submit(owner, "/lists/discuss/admin", "/lists/discuss/admin",
                             base + "&subject_prefix=%5BGDC%5D&max_message_bytes=2048" +
                                 "&reply_to_policy=list&emergency_moderation=1");
    EXPECT_EQ(good.status, 303) << good.body;
    const auto saved = lists_->find(list_->id)->settings;
    EXPECT_EQ(saved.subject_prefix, "[GDC]");
    EXPECT_EQ(saved.max_message_bytes, 2048);
    EXPECT_TRUE(saved.emergency_moderation);
    EXPECT_FALSE(saved.digest_enabled);
    EXPECT_EQ(saved.reply_to_policy, lists::ReplyToPolicy::List);

    const auto roles = submit(owner, "/lists/discuss/admin", "/lists/discuss/admin/roles",
                              "owners=owner%40example.org%0Aco%40example.org&moderators=");
    EXPECT_EQ(roles.status, 303);
    EXPECT_EQ(lists_->find(list_->id)->owners.size(), 2u);
    const auto no_owner =
        submit(owner, "/lists/discuss/admin", "/lists/discuss/admin/roles", "owners=&moderators=");
    EXPECT_EQ(no_owner.status, 422);
}

TEST_P(ListPagesTest, SiteAdminsCreateLists) {
    Browser admin = signed_in("root@example.org", accounts::Role::Admin);
    const auto created = submit(admin, "/admin/lists", "/admin/lists",
                                "address=gdc%40b%C3%BCcher.example&owners=owner%40example.org"
                                "&display_name=GDC&description=");
    EXPECT_EQ(created.status, 303) << created.body;
    EXPECT_TRUE(lists_->find_by_name("gdc").has_value());
    const auto again = submit(admin, "/admin/lists", "/admin/lists",
                              "address=gdc%40other.example&owners=owner%40example.org");
    EXPECT_EQ(again.status, 409);
    const auto bad = submit(admin, "/admin/lists", "/admin/lists", "address=&owners=nobody");
    EXPECT_EQ(bad.status, 422);
}

TEST_P(ListPagesTest, PostFormIsForMembersAndChecksItsFields) {
    Browser stranger = signed_in("stranger@example.org");
    EXPECT_EQ(get(stranger, "/lists/discuss/post").status, 403);
    subscribed_member("ana@example.org");
    Browser ana = signed_in("ana@example.org");
    const auto page = get(ana, "/lists/discuss/post?in_reply_to=%3Cabc%40example.org%3E");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("&lt;abc@example.org&gt;"), std::string::npos);
    const auto empty = submit(ana, "/lists/discuss/post", "/lists/discuss/post",
                              "subject=&body=&in_reply_to=not+an+id");
    EXPECT_EQ(empty.status, 422);
    EXPECT_NE(empty.body.find("href=\"#field-subject\""), std::string::npos);
    EXPECT_NE(empty.body.find("href=\"#field-body\""), std::string::npos);
    EXPECT_NE(empty.body.find("href=\"#field-in_reply_to\""), std::string::npos);
}

// Needs Intake: a member's web post goes through the pipeline and the page says what happened.
TEST_P(ListPagesTest, MemberPostsFromTheWeb) {
    subscribed_member("ana@example.org");
    Browser ana = signed_in("ana@example.org");
    const auto posted = submit(ana, "/lists/discuss/post", "/lists/discuss/post",
                               "subject=Hello+%3Cb%3Eall%3C%2Fb%3E&body=First+post.&in_reply_to=");
    ASSERT_TRUE(posted.status == 200 || posted.status == 202) << posted.body;
    EXPECT_TRUE(posted.body.find("Your message was posted") != std::string::npos ||
                posted.body.find("waits for a moderator") != std::string::npos)
        << posted.body;
}

// Needs Intake: a nonmember's post is held, shown escaped in the queue, and decided on.
TEST_P(ListPagesTest, ModeratorsSeeHeldPostsEscapedAndDecide) {
    const std::string message =
        "From: Eve <eve@example.net>\r\nTo: discuss@lists.example.org\r\n"
        "Subject: <script>subject</script>\r\nMessage-ID: <held-1@example.net>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hello <img src=x onerror=alert(1)> list.\r\n";
    auto held = intake_->receive("discuss@lists.example.org", "eve@example.net", message,
                                 lists::PostSource::Lmtp);
    ASSERT_TRUE(held.has_value()) << held.error().message;
    ASSERT_EQ(held->kind, lists::Disposition::Kind::Held);
    ASSERT_TRUE(held->post.has_value());
    Browser moderator = signed_in("mod@example.org");
    const auto queue = get(moderator, "/lists/discuss/moderation");
    ASSERT_EQ(queue.status, 200);
    EXPECT_NE(queue.body.find("eve@example.net"), std::string::npos);
    EXPECT_EQ(queue.body.find("<script>subject"), std::string::npos);
    EXPECT_EQ(queue.body.find("<img src=x"), std::string::npos);
    EXPECT_NE(queue.body.find("&lt;img src=x"), std::string::npos);
    const std::string action = "/lists/discuss/moderation/" + std::to_string(held->post->value());
    const auto no_reason =
        submit(moderator, "/lists/discuss/moderation", action, "action=reject&reason=");
    EXPECT_EQ(no_reason.status, 422);
    const auto approved = submit(moderator, "/lists/discuss/moderation", action, "action=accept");
    EXPECT_EQ(approved.status, 303);
    EXPECT_EQ(intake_->find(*held->post)->state, lists::PostState::Accepted);
    const auto twice = submit(moderator, "/lists/discuss/moderation", action, "action=discard");
    EXPECT_EQ(twice.status, 409);
}

// Needs Intake: the queue shows a held post decoded (quoted-printable Latin-1 as UTF-8; an
// HTML-only message as text, never as markup) with its attachments listed, never the raw MIME.
TEST_P(ListPagesTest, HeldPostPreviewIsDecodedAndListsAttachments) {
    const std::string mixed =
        "From: Eve <eve@example.net>\r\nTo: discuss@lists.example.org\r\n"
        "Subject: Report\r\nMessage-ID: <held-mime@example.net>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        "--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "Caf=E9 r=E9union <b>\r\n"
        "--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"<x>report.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IKMSAwIG9iago=\r\n--b1--\r\n";
    const std::string html =
        "From: Eve <eve@example.net>\r\nTo: discuss@lists.example.org\r\n"
        "Subject: Html\r\nMessage-ID: <held-html@example.net>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        core::encode_base64("<p>Only <script>alert(1)</script>html</p>") + "\r\n";
    for (const auto& message : {mixed, html}) {
        auto held = intake_->receive("discuss@lists.example.org", "eve@example.net", message,
                                     lists::PostSource::Lmtp);
        ASSERT_TRUE(held.has_value()) << held.error().message;
        ASSERT_EQ(held->kind, lists::Disposition::Kind::Held);
    }
    Browser moderator = signed_in("mod@example.org");
    const auto queue = get(moderator, "/lists/discuss/moderation");
    ASSERT_EQ(queue.status, 200);
    EXPECT_NE(queue.body.find("Café réunion &lt;b&gt;"), std::string::npos) << queue.body;
    EXPECT_EQ(queue.body.find("Caf=E9"), std::string::npos);
    EXPECT_EQ(queue.body.find("JVBERi0x"), std::string::npos) << "no raw base64";
    EXPECT_NE(queue.body.find("report.pdf"), std::string::npos);
    EXPECT_NE(queue.body.find("application/pdf"), std::string::npos);
    EXPECT_EQ(queue.body.find("<x>report"), std::string::npos);
    EXPECT_EQ(queue.body.find("<script>alert"), std::string::npos);
    EXPECT_NE(queue.body.find("html"), std::string::npos);
}

TEST_P(ListPagesTest, WithoutListServicesPagesAnswer503) {
    Site bare = *site_;
    bare.lists = nullptr;
    bare.subscriptions = nullptr;
    bare.intake = nullptr;
    bare.bounces = nullptr;
    Router router(RouterOptions{.site_secret = std::string(kSiteSecret)});
    register_routes(router, bare);
    for (const char* path : {"/lists", "/lists/discuss"}) {
        Request request = make_request(Method::Get, path);
        EXPECT_EQ(router.handle(request).status, 503) << path;
    }
    // Lists without intake: the list pages work; moderation and posting answer 503.
    Site partial = *site_;
    partial.intake = nullptr;
    Router partial_router(RouterOptions{.site_secret = std::string(kSiteSecret)});
    register_routes(partial_router, partial);
    Browser owner = signed_in("owner@example.org");
    Request moderation = make_request(Method::Get, "/lists/discuss/moderation");
    owner.add_cookies(moderation);
    EXPECT_EQ(partial_router.handle(moderation).status, 503);
    Request info = make_request(Method::Get, "/lists/discuss");
    EXPECT_EQ(partial_router.handle(info).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ListPagesTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const ::testing::TestParamInfo<store::Dialect>& info) {
                             return store::testing::dialect_name(info.param);
                         });

}  // namespace
}  // namespace coalition::web
