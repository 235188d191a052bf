#include "accounts/website_url.hpp"

#include <gtest/gtest.h>

namespace coalition::accounts {
namespace {

TEST(WebsiteUrl, AcceptsHttpAndHttpsWithDomainHosts) {
    struct Case {
        const char* input;
        const char* value;
    };
    for (const auto& c : {
             Case{"https://internetnz.nz", "https://internetnz.nz"},
             Case{"  HTTPS://www.auda.org.au/about?x=1#top ",
                  "https://www.auda.org.au/about?x=1#top"},
             Case{"http://example.org:8080/", "http://example.org:8080/"},
             Case{"https://xn--bcher-kva.example/b%C3%BCcher",
                  "https://bücher.example/b%C3%BCcher"},
             Case{"https://Bücher.example/straße", "https://bücher.example/straße"},
         }) {
        auto url = WebsiteUrl::parse(c.input);
        ASSERT_TRUE(url.has_value()) << c.input;
        EXPECT_EQ(url->value(), c.value);
    }
}

TEST(WebsiteUrl, RefusesOtherSchemesAndDisguises) {
    for (const char* input : {"",
                              "example.org",
                              "javascript:alert(1)",
                              "JaVaScRiPt://x.org",
                              "ftp://example.org",
                              "data:text/html,<b>",
                              "https://",
                              "https:///path",
                              "https://localhost",
                              "https://user@example.org",
                              "https://example.org@evil.example",
                              "https://192.168.1.1/",
                              "https://example.org:0",
                              "https://example.org:99999",
                              "https://example.org:x",
                              "https://exa mple.org",
                              "https://example.org/<script>",
                              "https://example.org/\"onclick=x",
                              "https://example.org/a\nb",
                              "\xff\xfe"}) {
        auto url = WebsiteUrl::parse(input);
        ASSERT_FALSE(url.has_value()) << input;
        EXPECT_EQ(url.error().field, "website");
    }
    EXPECT_FALSE(WebsiteUrl::parse(std::string("https://example.org/\0", 21)).has_value());
    EXPECT_FALSE(
        WebsiteUrl::parse("https://example.org/" + std::string(1'000'000, 'a')).has_value());
}

}  // namespace
}  // namespace coalition::accounts
