#include "lists/list_address.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::lists {
namespace {

ListAddress parsed(std::string_view text) {
    auto address = ListAddress::parse(text);
    EXPECT_TRUE(address.has_value()) << text;
    return std::move(address).value();
}

core::Domain domain(std::string_view text) {
    return core::Domain::parse(text).value();
}

void expect_invalid(std::string_view text) {
    auto address = ListAddress::parse(text);
    EXPECT_FALSE(address.has_value()) << "accepted: " << text;
    if (!address) {
        EXPECT_EQ(address.error().code, core::ErrorCode::Invalid);
        EXPECT_EQ(address.error().field, "address");
    }
}

TEST(ListAddress, ParsesEveryRole) {
    const struct {
        const char* text;
        AddressRole role;
    } cases[] = {
        {"discuss@lists.example.org", AddressRole::Post},
        {"discuss-request@lists.example.org", AddressRole::Request},
        {"discuss-join@lists.example.org", AddressRole::Join},
        {"discuss-subscribe@lists.example.org", AddressRole::Join},
        {"discuss-leave@lists.example.org", AddressRole::Leave},
        {"discuss-unsubscribe@lists.example.org", AddressRole::Leave},
        {"discuss-owner@lists.example.org", AddressRole::Owner},
        {"discuss-confirm@lists.example.org", AddressRole::Confirm},
        {"discuss-bounces@lists.example.org", AddressRole::Bounces},
    };
    for (const auto& entry : cases) {
        const auto address = parsed(entry.text);
        EXPECT_EQ(address.list_name(), "discuss") << entry.text;
        EXPECT_EQ(address.role(), entry.role) << entry.text;
        EXPECT_EQ(address.domain().ascii(), "lists.example.org");
        EXPECT_TRUE(address.token().empty());
        EXPECT_FALSE(address.subscriber().has_value());
    }
}

TEST(ListAddress, IsCaseInsensitive) {
    const auto address = parsed("Coalition.Discuss-REQUEST@Lists.Example.ORG");
    EXPECT_EQ(address.list_name(), "coalition.discuss");
    EXPECT_EQ(address.role(), AddressRole::Request);
    EXPECT_EQ(address.envelope(), "coalition.discuss-request@lists.example.org");
    EXPECT_EQ(address, parsed("coalition.discuss-request@lists.example.org"));
}

TEST(ListAddress, NameWithHyphensIsNotARole) {
    const auto address = parsed("un-processes@example.org");
    EXPECT_EQ(address.list_name(), "un-processes");
    EXPECT_EQ(address.role(), AddressRole::Post);
    const auto owner = parsed("un-processes-owner@example.org");
    EXPECT_EQ(owner.list_name(), "un-processes");
    EXPECT_EQ(owner.role(), AddressRole::Owner);
}

TEST(ListAddress, IdnDomainMatchesByALabel) {
    const auto unicode = parsed("liste@bücher.example");
    const auto ascii = parsed("liste@xn--bcher-kva.example");
    EXPECT_EQ(unicode, ascii);
    EXPECT_EQ(unicode.domain().unicode(), "bücher.example");
    EXPECT_EQ(unicode.envelope(), "liste@xn--bcher-kva.example");
    EXPECT_EQ(unicode.unicode(), "liste@bücher.example");
    const auto chinese = parsed("gdc-join@例子.中国");
    EXPECT_EQ(chinese.role(), AddressRole::Join);
    EXPECT_EQ(chinese.domain().ascii(), domain("例子.中国").ascii());
}

TEST(ListAddress, ConfirmCarriesALowerCasedToken) {
    const auto address = parsed("discuss-confirm+ABCdef234567@example.org");
    EXPECT_EQ(address.role(), AddressRole::Confirm);
    EXPECT_EQ(address.token(), "abcdef234567");
    EXPECT_EQ(address.envelope(), "discuss-confirm+abcdef234567@example.org");
    EXPECT_EQ(ListAddress::confirm("discuss", domain("example.org"), "abcdef234567"), address);
    expect_invalid("discuss-confirm+@example.org");
    expect_invalid("discuss-confirm+abc.def@example.org");
    expect_invalid("discuss-confirm+abc-def@example.org");
    expect_invalid("discuss-confirm+" + std::string(65, 'a') + "@example.org");
    expect_invalid("discuss-confirm+tökén@example.org");
}

TEST(ListAddress, VerpRoundTripsAsciiUtf8AndIdnSubscribers) {
    const char* subscribers[] = {"anne@example.com",         "anne+lists@example.com",
                                 "a=b@example.com",          "अनुराग@डाटामेल.भारत",
                                 "用户@例子.广告",           "анна@пример.рф",
                                 "Mixed.Case@Bücher.Example"};
    for (const char* text : subscribers) {
        const auto subscriber = core::Email::parse(text).value();
        const auto built =
            ListAddress::bounces_for("discuss", domain("lists.example.org"), subscriber);
        const std::string envelope = built.envelope();
        // The subscriber's domain travels as an A-label, the list's too.
        EXPECT_NE(envelope.find("=" + subscriber.domain().ascii() + "@lists.example.org"),
                  std::string::npos)
            << envelope;
        const auto back = parsed(envelope);
        EXPECT_EQ(back.role(), AddressRole::Bounces);
        EXPECT_EQ(back.list_name(), "discuss");
        ASSERT_TRUE(back.subscriber().has_value()) << envelope;
        EXPECT_EQ(back.subscriber()->canonical(), subscriber.canonical()) << envelope;
        EXPECT_EQ(back, built);
        EXPECT_EQ(parsed(built.unicode()), built);
    }
    const auto anne = parsed("discuss-bounces+anne=example.com@lists.example.org");
    EXPECT_EQ(anne.subscriber()->unicode(), "anne@example.com");
    // Case does not matter to the roles; the subscriber compares canonically.
    const auto upper = parsed("DISCUSS-BOUNCES+Anne=Example.COM@lists.example.org");
    EXPECT_EQ(upper, anne);
}

TEST(ListAddress, BuildsEveryRole) {
    const auto idn = domain("xn--bcher-kva.example");
    EXPECT_EQ(ListAddress::of("discuss", idn, AddressRole::Post).unicode(),
              "discuss@bücher.example");
    EXPECT_EQ(ListAddress::of("discuss", idn, AddressRole::Join).envelope(),
              "discuss-join@xn--bcher-kva.example");
    EXPECT_EQ(ListAddress::of("discuss", idn, AddressRole::Leave).envelope(),
              "discuss-leave@xn--bcher-kva.example");
    EXPECT_EQ(ListAddress::of("discuss", idn, AddressRole::Owner).envelope(),
              "discuss-owner@xn--bcher-kva.example");
    EXPECT_EQ(ListAddress::of("discuss", idn, AddressRole::Request).email()->unicode(),
              "discuss-request@bücher.example");
    EXPECT_EQ(ListAddress::of("discuss", idn, AddressRole::Bounces).envelope(),
              "discuss-bounces@xn--bcher-kva.example");
}

TEST(ListAddress, RejectsHostileInput) {
    const std::string cases[] = {
        "",
        "@example.org",
        "discuss@",
        "discuss",
        "discuss@example",
        "discuss@@example.org",
        "<discuss@example.org>",
        "\"discuss\"@example.org",
        "discuss @example.org",
        " discuss@example.org",
        "discuss@example.org\r\nRCPT TO:<x@y.z>",
        std::string("discuss\0@example.org", 20),
        std::string("disc\xff") + "uss@example.org",
        "\xc0\xaf@example.org",
        "discuss+extra@example.org",
        "discuss-request+extra@example.org",
        "discuss-owner+x@example.org",
        "-request@example.org",
        "-bounces+a=b.com@example.org",
        "discuss..x@example.org",
        ".discuss@example.org",
        "discuss.@example.org",
        "dïscuss@example.org",
        "讨论@example.org",
        "discuss-owner-request@example.org",
        "discuss-bounces+anne@example.com",
        "discuss-bounces+anne=@example.org",
        "discuss-bounces+=example.com@example.org",
        "discuss-bounces+anne=example@example.org",
        "discuss-bounces+a@b=example.com@example.org",
        "discuss-bounces+an ne=example.com@example.org",
        std::string("discuss-bounces+\xe3\x80\x80") + "anne=example.com@example.org",
        "discuss-bounces+anne=exa_mple..com@example.org",
        "discuss@exa mple.org",
        "discuss@[127.0.0.1]",
        "x'; DROP TABLE lists; --@example.org",
        "<script>@example.org",
        std::string(41, 'a') + "@example.org",
        "discuss@" + std::string(300, 'a') + ".org",
        std::string(2000, 'a'),
    };
    for (const auto& text : cases) {
        expect_invalid(text);
    }
}

TEST(ListName, AcceptsAndRejects) {
    EXPECT_EQ(parse_list_name("UN-Processes").value(), "un-processes");
    EXPECT_EQ(parse_list_name("a").value(), "a");
    EXPECT_EQ(parse_list_name("igf_2026.wsis").value(), "igf_2026.wsis");
    EXPECT_EQ(parse_list_name(std::string(40, 'x')).value(), std::string(40, 'x'));
    for (const std::string& bad :
         {std::string(""), std::string(41, 'x'), std::string("-x"), std::string("x-"),
          std::string("a..b"), std::string("a b"), std::string("a+b"), std::string("a@b"),
          std::string("news-request"), std::string("news-owner"), std::string("news-bounces"),
          std::string("news-confirm"), std::string("news-join"), std::string("news-leave"),
          std::string("news-subscribe"), std::string("news-unsubscribe"), std::string("ñews")}) {
        auto name = parse_list_name(bad);
        EXPECT_FALSE(name.has_value()) << bad;
        if (!name) {
            EXPECT_EQ(name.error().field, "name");
        }
    }
    // "-unsubscribe" is refused, "unsubscribe" alone is just a name.
    EXPECT_TRUE(parse_list_name("unsubscribe").has_value());
}

TEST(ListAddress, LongVerpIsAnEnvelopeNotAnEmail) {
    const auto subscriber =
        core::Email::parse(std::string(60, 'x') + "@" + std::string(40, 'y') + ".example").value();
    const auto built =
        ListAddress::bounces_for(std::string(40, 'n'), domain("example.org"), subscriber);
    EXPECT_FALSE(built.email().has_value());  // Its local part is over 64 octets.
    EXPECT_EQ(parsed(built.envelope()), built);
}

}  // namespace
}  // namespace coalition::lists
