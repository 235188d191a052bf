#include "web/cookies.hpp"

#include "web/http.hpp"

#include <gtest/gtest.h>

namespace coalition::web {
namespace {

TEST(Cookies, ParsesPairsAndSkipsJunk) {
    auto cookies = parse_cookie_header(
        "session=abc123; anon=\"q-w_e\";lang=ar ;  junk; =novalue; bad name=1; sp=a b; last=1");
    ASSERT_EQ(cookies.size(), 4u);
    EXPECT_EQ(cookies[0].first, "session");
    EXPECT_EQ(cookies[0].second, "abc123");
    EXPECT_EQ(cookies[1].second, "q-w_e");
    EXPECT_EQ(cookies[2].first, "lang");
    EXPECT_EQ(cookies[2].second, "ar");
    EXPECT_EQ(cookies[3].first, "last");
}

TEST(Cookies, FindReturnsTheFirstOccurrence) {
    EXPECT_EQ(find_cookie("a=1; b=2; a=3", "a"), "1");
    EXPECT_EQ(find_cookie("a=1; b=2", "c"), std::nullopt);
    EXPECT_EQ(find_cookie("", "a"), std::nullopt);
    EXPECT_EQ(find_cookie(";;;", "a"), std::nullopt);
    EXPECT_EQ(find_cookie("a=", "a"), "");
}

TEST(Cookies, RejectsControlAndNonAsciiValues) {
    EXPECT_EQ(find_cookie(std::string_view("a=x\0y", 5), "a"), std::nullopt);
    EXPECT_EQ(find_cookie("a=caf\xc3\xa9", "a"), std::nullopt);
    EXPECT_EQ(find_cookie("a=x,y", "a"), std::nullopt);
}

TEST(Cookies, SerialisesDefaults) {
    EXPECT_EQ(set_cookie_value("session", "tok", {}),
              "session=tok; Path=/; HttpOnly; SameSite=Lax");
}

TEST(Cookies, SerialisesEveryOption) {
    CookieOptions options;
    options.secure = true;
    options.max_age = std::chrono::hours(24);
    options.same_site = SameSite::Strict;
    EXPECT_EQ(set_cookie_value("s", "v", options),
              "s=v; Path=/; Max-Age=86400; Secure; HttpOnly; SameSite=Strict");
    options.http_only = false;
    options.same_site = SameSite::None;
    options.secure = false;  // SameSite=None is only honoured with Secure, so it is forced.
    options.max_age.reset();
    EXPECT_EQ(set_cookie_value("s", "v", options), "s=v; Path=/; Secure; SameSite=None");
}

TEST(Cookies, ResponseHelpersAddSetCookieFields) {
    Response response;
    response.set_cookie("a", "1");
    response.clear_cookie("b");
    ASSERT_EQ(response.headers.entries().size(), 2u);
    EXPECT_EQ(response.headers.entries()[1].second,
              "b=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

TEST(Cookies, ValidatesNamesAndValues) {
    EXPECT_TRUE(is_valid_cookie_name("__Host-session"));
    EXPECT_FALSE(is_valid_cookie_name(""));
    EXPECT_FALSE(is_valid_cookie_name("a=b"));
    EXPECT_FALSE(is_valid_cookie_name("a;b"));
    EXPECT_TRUE(is_valid_cookie_value("abc-_DEF012"));
    EXPECT_FALSE(is_valid_cookie_value("a;b"));
    EXPECT_FALSE(is_valid_cookie_value("a\"b"));
    EXPECT_FALSE(is_valid_cookie_value("a b"));
}

TEST(CookiesDeathTest, InvalidValueIsABug) {
    EXPECT_DEATH((void)set_cookie_value("a", "x;Domain=evil", {}), "cookie-octets");
}

TEST(Request, ReadsCookiesFromTheHeaderCaseInsensitively) {
    Request request;
    request.headers.add("cookie", "session=s1; anon=a1");
    EXPECT_EQ(request.cookie("anon"), "a1");
    EXPECT_EQ(request.cookie("none"), std::nullopt);
}

}  // namespace
}  // namespace coalition::web
