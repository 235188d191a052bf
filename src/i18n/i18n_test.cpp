#include "i18n/i18n.hpp"

#include "i18n/messages.hpp"

#include <gtest/gtest.h>

#include <set>

namespace coalition::i18n {
namespace {

const Catalog& catalog() {
    return Catalog::embedded();
}

TEST(Languages, SixUnLanguagesInUnOrder) {
    const auto& languages = supported_languages();
    ASSERT_EQ(languages.size(), 6u);
    std::vector<std::string> tags;
    for (const auto& language : languages) {
        tags.push_back(language.tag);
        EXPECT_FALSE(language.native_name.empty());
    }
    EXPECT_EQ(tags, (std::vector<std::string>{"ar", "zh", "en", "fr", "ru", "es"}));
    EXPECT_EQ(find_language("ar")->direction, Direction::Rtl);
    EXPECT_EQ(find_language("en")->direction, Direction::Ltr);
    EXPECT_EQ(direction_name(Direction::Rtl), "rtl");
}

TEST(Languages, FindLanguageUsesThePrimarySubtag) {
    EXPECT_EQ(find_language("fr-CA")->tag, "fr");
    EXPECT_EQ(find_language("FR")->tag, "fr");
    EXPECT_EQ(find_language("es_419")->tag, "es");
    EXPECT_EQ(find_language("zh-Hant-TW")->tag, "zh");
    EXPECT_EQ(find_language("ar-EG")->tag, "ar");
    EXPECT_EQ(find_language("de"), nullptr);
    EXPECT_EQ(find_language(""), nullptr);
    EXPECT_EQ(find_language("f"), nullptr);
    EXPECT_EQ(find_language("fra"), nullptr);
    EXPECT_EQ(find_language(std::string_view("fr\0x", 4)), nullptr);
}

TEST(Languages, LanguageIndexIsExactWithEnglishAsFallback) {
    const auto& languages = supported_languages();
    for (std::size_t index = 0; index < languages.size(); ++index) {
        EXPECT_EQ(language_index(languages[index].tag), index);
    }
    const std::size_t english = language_index("en");
    EXPECT_EQ(languages[english].tag, "en");
    EXPECT_EQ(language_index("de"), english);
    EXPECT_EQ(language_index("FR"), english);  // Tags are canonical by now: exact match only.
    EXPECT_EQ(language_index(""), english);
}

TEST(Negotiate, HonoursQualityValues) {
    EXPECT_EQ(negotiate("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), "fr");
    EXPECT_EQ(negotiate("de, ru;q=0.5, en;q=0.4"), "ru");
    EXPECT_EQ(negotiate("en;q=0.5, ar;q=0.9"), "ar");
    EXPECT_EQ(negotiate("es;q=1.0, zh;q=1"), "es");  // A tie keeps the header's order.
    EXPECT_EQ(negotiate("zh-CN,zh;q=0.9"), "zh");
    EXPECT_EQ(negotiate("  ru  ;  q=0.7 "), "ru");
}

TEST(Negotiate, FallsBackToEnglish) {
    EXPECT_EQ(negotiate(""), "en");
    EXPECT_EQ(negotiate("de, ja"), "en");
    EXPECT_EQ(negotiate("*"), "en");
    EXPECT_EQ(negotiate("fr;q=0"), "en");  // q=0: "not acceptable".
}

TEST(Negotiate, MalformedValuesDoNotWin) {
    EXPECT_EQ(negotiate("fr;q=abc, es;q=0.1"), "es");
    EXPECT_EQ(negotiate("fr;q=2, es;q=0.1"), "es");
    EXPECT_EQ(negotiate("fr;q=-1"), "en");
    EXPECT_EQ(negotiate("fr;level=1"), "en");
    EXPECT_EQ(negotiate(",,,;;;==="), "en");
    EXPECT_EQ(negotiate(std::string("fr\0;q=1", 7)), "en");
    EXPECT_EQ(negotiate("\xff\xfe, ru"), "ru");
}

TEST(Negotiate, ReadsOnlyTheFirstEntriesOfAHugeHeader) {
    std::string header;
    for (int index = 0; index < 100000; ++index) {
        header += "de;q=0.9, ";
    }
    header += "fr";
    EXPECT_EQ(negotiate(header), "en");
}

TEST(Catalog, TranslatesIntoEachLanguage) {
    EXPECT_EQ(catalog().translate("fr", "Members"), "Membres");
    EXPECT_EQ(catalog().translate("es", "Members"), "Miembros");
    EXPECT_EQ(catalog().translate("ru", "Members"), "Участники");
    EXPECT_EQ(catalog().translate("zh", "Members"), "成员");
    EXPECT_EQ(catalog().translate("ar", "Members"), "الأعضاء");
    EXPECT_EQ(catalog().translate("en", "Members"), "Members");
    EXPECT_EQ(catalog().translate("fr", messages::kSignInTitle), "Se connecter");
}

TEST(Catalog, EveryLanguageTranslatesTheShell) {
    for (const auto& language : supported_languages()) {
        if (language.tag == "en") {
            continue;
        }
        for (std::string_view msgid : {"Sign in", "Sign out", "Statement", "Processes",
                                       "Skip to main content", "Page not found"}) {
            EXPECT_NE(catalog().translate(language.tag, msgid), msgid)
                << language.tag << ": " << msgid;
        }
    }
}

TEST(Catalog, UnknownMessagesAndLanguagesFallBackToEnglish) {
    EXPECT_EQ(catalog().translate("fr", "No such message <b>"), "No such message <b>");
    EXPECT_EQ(catalog().translate("de", "Members"), "Members");
    EXPECT_EQ(catalog().translate("", "Members"), "Members");
    EXPECT_EQ(catalog().translate("fr", ""), "");
    EXPECT_EQ(catalog().translate("fr", std::string_view("Members\0x", 9)),
              std::string("Members\0x", 9));
}

TEST(Catalog, ArabicHasSixPluralForms) {
    const auto& plural = messages::kOrganisationCount;
    auto arabic = [&](long count) {
        return catalog().translate_plural("ar", plural.singular, plural.plural, count);
    };
    EXPECT_EQ(arabic(0), "لا توجد منظمات");
    EXPECT_EQ(arabic(1), "منظمة واحدة");
    EXPECT_EQ(arabic(2), "منظمتان");
    EXPECT_EQ(arabic(3), "{count} منظمات");
    EXPECT_EQ(arabic(10), "{count} منظمات");
    EXPECT_EQ(arabic(11), arabic(99));
    EXPECT_EQ(arabic(100), arabic(102));
    std::set<std::string> forms;
    for (long count : {0L, 1L, 2L, 5L, 11L, 100L}) {
        forms.insert(arabic(count));
    }
    EXPECT_GE(forms.size(), 5u);  // Forms 4 and 5 may be spelt alike.
}

TEST(Catalog, RussianHasThreePluralForms) {
    const auto& plural = messages::kSignatureCount;
    auto russian = [&](long count) {
        return format(catalog().translate_plural("ru", plural.singular, plural.plural, count),
                      {{"count", std::to_string(count)}});
    };
    EXPECT_EQ(russian(1), "1 подпись");
    EXPECT_EQ(russian(21), "21 подпись");
    EXPECT_EQ(russian(2), "2 подписи");
    EXPECT_EQ(russian(24), "24 подписи");
    EXPECT_EQ(russian(5), "5 подписей");
    EXPECT_EQ(russian(11), "11 подписей");
    EXPECT_EQ(russian(112), "112 подписей");
    EXPECT_EQ(russian(3'000'000'001L), "3000000001 подпись");
}

TEST(Catalog, PluralFallsBackToEnglishRule) {
    EXPECT_EQ(catalog().translate_plural("en", "{count} file", "{count} files", 1), "{count} file");
    EXPECT_EQ(catalog().translate_plural("en", "{count} file", "{count} files", 0),
              "{count} files");
    EXPECT_EQ(catalog().translate_plural("fr", "{count} file", "{count} files", 2),
              "{count} files");
    // Chinese has one form.
    EXPECT_EQ(catalog().translate_plural("zh", "{count} signature", "{count} signatures", 1),
              catalog().translate_plural("zh", "{count} signature", "{count} signatures", 7));
}

TEST(Catalog, BrokenMoBytesAreAStartupError) {
    std::string garbage = "not a mo file at all";
    EXPECT_THROW(Catalog({{"fr", garbage}}), std::exception);
}

TEST(Format, ReplacesNamedPlaceholders) {
    EXPECT_EQ(format("We sent a link to {email}.", {{"email", "ana@example.org"}}),
              "We sent a link to ana@example.org.");
    EXPECT_EQ(format("{a}{b}{a}", {{"a", "1"}, {"b", "2"}}), "121");
    EXPECT_EQ(format("{unknown} stays", {}), "{unknown} stays");
    EXPECT_EQ(format("unmatched { brace", {{"x", "y"}}), "unmatched { brace");
    EXPECT_EQ(format("{{x}}", {{"x", "y"}}), "{y}");
    // Values are inserted once, never re-expanded.
    EXPECT_EQ(format("{a}", {{"a", "{b}"}, {"b", "no"}}), "{b}");
    EXPECT_EQ(format("", {{"a", "b"}}), "");
}

}  // namespace
}  // namespace coalition::i18n
