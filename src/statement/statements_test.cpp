#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "statement/statement.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace coalition::statement {
namespace {

using accounts::Actor;

constexpr const char* kText =
    "# Statement of Purpose\n\nWe defend the **multistakeholder** model.\n\n## Objectives\n\n"
    "- Keep the IGF strong\n";

class StatementsTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        statements_ = std::make_unique<Statements>(*database_, clock_);
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }
    std::int64_t audit_rows(const std::string& action) {
        return count("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action});
    }

    Version publish(std::string_view markdown, std::string_view language = "en",
                    std::string_view title = "") {
        auto published = statements_->publish(Actor::cli(), title, markdown, language);
        EXPECT_TRUE(published.has_value()) << published.error().message;
        return published ? *published : Version{};
    }

    core::FakeClock clock_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<Statements> statements_;
};

TEST_P(StatementsTest, NothingBeforeTheFirstPublication) {
    EXPECT_FALSE(statements_->current().has_value());
    EXPECT_FALSE(statements_->read("en").has_value());
    EXPECT_TRUE(statements_->versions().empty());
    EXPECT_FALSE(statements_->draft().has_value());
}

TEST_P(StatementsTest, PublishesAVersionNamedByTheHashOfItsCanonicalText) {
    const Version version = publish("# Statement of Purpose  \r\n\r\nWe defend it.\r\n\r\n");
    const std::string canonical = "# Statement of Purpose\n\nWe defend it.\n";
    EXPECT_EQ(version.number, 1);
    EXPECT_EQ(version.hash, version_hash(canonical));
    EXPECT_EQ(version.markdown, canonical);
    EXPECT_EQ(version.title, "Statement of Purpose");  // The first heading.
    EXPECT_EQ(version.language, "en");
    EXPECT_EQ(version.published_at, clock_.unix_now());
    ASSERT_EQ(version.translations.size(), 1u);
    EXPECT_TRUE(version.translations[0].authoritative);

    auto current = statements_->current();
    ASSERT_TRUE(current.has_value());
    EXPECT_EQ(current->hash, version.hash);
    EXPECT_EQ(current->markdown, canonical);
    EXPECT_EQ(current->title, "Statement of Purpose");
    ASSERT_TRUE(statements_->find(version.hash).has_value());
    // Upper-case hex names the same version; anything else names none.
    std::string upper = version.hash;
    for (char& character : upper) {
        character = static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
    }
    EXPECT_TRUE(statements_->find(upper).has_value());
    EXPECT_FALSE(statements_->find("'; DROP TABLE statement_versions;--").has_value());
    EXPECT_FALSE(statements_->find(std::string(64, '0')).has_value());
    EXPECT_EQ(audit_rows("statement.publish"), 1);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM audit_log WHERE subject = 'statement:1' AND actor = 'cli'"), 1);
}

TEST_P(StatementsTest, RepublishingTheSameTextIsAConflict) {
    const Version first = publish(kText, "en", "Our statement");
    EXPECT_EQ(first.title, "Our statement");
    // The same canonical text, written differently.
    const std::string same = std::string("# Statement of Purpose   \r\n\r\nWe defend the ") +
                             "**multistakeholder** model.\r\n\r\n## Objectives\r\n\r\n" +
                             "- Keep the IGF strong\r\n\r\n\r\n";
    for (const std::string& text : {std::string(kText), same}) {
        auto again = statements_->publish(Actor::cli(), "Another title", text, "fr");
        ASSERT_FALSE(again.has_value());
        EXPECT_EQ(again.error().code, core::ErrorCode::Conflict);
        EXPECT_EQ(again.error().field, "markdown");
    }
    EXPECT_EQ(statements_->versions().size(), 1u);
    EXPECT_EQ(audit_rows("statement.publish"), 1);

    clock_.advance(std::chrono::hours(1));
    const Version second = publish("# Statement of Purpose\n\nRevised.\n");
    EXPECT_EQ(second.number, 2);
    // An earlier version's text names that version: publishing it again is a conflict too.
    auto earlier = statements_->publish(Actor::cli(), "", kText, "en");
    ASSERT_FALSE(earlier.has_value());
    EXPECT_EQ(earlier.error().code, core::ErrorCode::Conflict);

    const auto versions = statements_->versions();
    ASSERT_EQ(versions.size(), 2u);
    EXPECT_EQ(versions[0].number, 2);  // Newest first.
    EXPECT_EQ(versions[1].number, 1);
    EXPECT_EQ(versions[1].markdown, kText);  // Immutable.
    EXPECT_EQ(statements_->current()->hash, second.hash);
}

TEST_P(StatementsTest, RefusesBadTextTitleAndLanguage) {
    struct Case {
        std::string title;
        std::string markdown;
        std::string language;
        std::string field;
    };
    const Case cases[] = {
        {"T", "", "en", "markdown"},
        {"T", " \n \r\n", "en", "markdown"},
        {"T", "bad \xC3\x28 byte", "en", "markdown"},
        {"T", std::string("nul \0 byte", 10), "en", "markdown"},
        {"T", "escape \x1b[2J", "en", "markdown"},
        {"T", std::string(kMaxTextCharacters + 1, 'x'), "en", "markdown"},
        {"T", "text", "xx", "language"},
        {"T", "text", "", "language"},
        {"T", "text", "<script>", "language"},
        {"T", "text", "en\xC3", "language"},
        {"", "no heading here", "en", "title"},
        {"two\nlines", "text", "en", "title"},
        {"bad \xFF", "text", "en", "title"},
        {std::string(kMaxTitleCharacters + 1, 't'), "text", "en", "title"},
    };
    for (const auto& bad : cases) {
        auto result = statements_->publish(Actor::cli(), bad.title, bad.markdown, bad.language);
        ASSERT_FALSE(result.has_value()) << bad.field;
        EXPECT_EQ(result.error().code, core::ErrorCode::Invalid) << bad.field;
        EXPECT_EQ(result.error().field, bad.field) << result.error().message;
    }
    EXPECT_TRUE(statements_->versions().empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 0);
    // Language tags are matched by their primary subtag.
    EXPECT_EQ(publish("# Déclaration\n", "FR-ca").language, "fr");
}

TEST_P(StatementsTest, HostileMarkdownIsStoredAsWrittenAndRenderedHarmless) {
    const std::string hostile =
        "# Title\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n"
        "<img src=x onerror=alert(1)>\n\nRobert'); DROP TABLE statement_versions;-- $1 {{x}}\n";
    const Version version = publish(hostile);
    EXPECT_EQ(statements_->find(version.hash)->markdown, hostile);
    const std::string html = render_markdown(statements_->read("en")->text.markdown);
    EXPECT_EQ(html.find("<script"), std::string::npos) << html;
    EXPECT_EQ(html.find("<img"), std::string::npos) << html;
    EXPECT_EQ(html.find("href"), std::string::npos) << html;
    EXPECT_NE(html.find("DROP TABLE statement_versions;-- $1 {{x}}"), std::string::npos) << html;
}

TEST_P(StatementsTest, TranslationsAreAddedReplacedAndRead) {
    const Version version = publish(kText);
    clock_.advance(std::chrono::minutes(5));
    auto french =
        statements_->translate(Actor::cli(), version.hash, "fr", "",
                               "# Déclaration d'intention\n\nNous défendons le modèle.\n");
    ASSERT_TRUE(french.has_value()) << french.error().message;
    EXPECT_EQ(french->hash, version.hash);  // A translation never changes the version's name.
    ASSERT_EQ(french->translations.size(), 2u);
    EXPECT_EQ(french->translations[0].language, "en");  // Authoritative first.
    EXPECT_EQ(french->translations[1].language, "fr");
    EXPECT_EQ(french->translations[1].title, "Déclaration d'intention");
    EXPECT_FALSE(french->translations[1].authoritative);
    EXPECT_EQ(french->translations[1].added_at, clock_.unix_now());

    ASSERT_TRUE(statements_->translate(Actor::cli(), version.hash, "ar", "بيان الغرض",
                                       "# بيان الغرض\n\nندافع عن النموذج.\n"));
    auto replaced = statements_->translate(Actor::cli(), version.hash, "fr", "Déclaration",
                                           "# Déclaration\n\nTexte révisé.\n");
    ASSERT_TRUE(replaced.has_value());
    ASSERT_EQ(replaced->translations.size(), 3u);
    EXPECT_EQ(replaced->translations[1].language, "ar");  // UN order after the authoritative one.
    EXPECT_EQ(replaced->translations[2].markdown, "# Déclaration\n\nTexte révisé.\n");
    EXPECT_EQ(audit_rows("statement.translate"), 3);

    auto reading = statements_->read("fr-CA");
    ASSERT_TRUE(reading.has_value());
    EXPECT_FALSE(reading->fell_back);
    EXPECT_EQ(reading->text.language, "fr");
    EXPECT_EQ(reading->text.title, "Déclaration");
    EXPECT_EQ(reading->version.hash, version.hash);
    auto russian = statements_->read("ru");
    ASSERT_TRUE(russian.has_value());
    EXPECT_TRUE(russian->fell_back);
    EXPECT_EQ(russian->text.language, "en");
    EXPECT_TRUE(russian->text.authoritative);
    EXPECT_TRUE(statements_->read("<bogus>")->fell_back);
    EXPECT_FALSE(statements_->read("en")->fell_back);
}

TEST_P(StatementsTest, TranslationErrors) {
    const Version version = publish(kText);
    auto unknown =
        statements_->translate(Actor::cli(), std::string(64, 'a'), "fr", "T", "# Texte\n");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::NotFound);
    for (const char* junk : {"", "abc", "<script>", "' OR 1=1 --"}) {
        auto result = statements_->translate(Actor::cli(), junk, "fr", "T", "# Texte\n");
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, core::ErrorCode::NotFound) << junk;
    }
    auto authoritative = statements_->translate(Actor::cli(), version.hash, "en", "T", "# Other\n");
    ASSERT_FALSE(authoritative.has_value());
    EXPECT_EQ(authoritative.error().field, "language");
    auto bad_language = statements_->translate(Actor::cli(), version.hash, "de", "T", "# Text\n");
    ASSERT_FALSE(bad_language.has_value());
    EXPECT_EQ(bad_language.error().field, "language");
    auto bad_text = statements_->translate(Actor::cli(), version.hash, "fr", "T", "\xC3\x28");
    ASSERT_FALSE(bad_text.has_value());
    EXPECT_EQ(bad_text.error().field, "markdown");
    EXPECT_EQ(audit_rows("statement.translate"), 0);
    EXPECT_EQ(statements_->current()->translations.size(), 1u);
}

TEST_P(StatementsTest, DraftIsSavedAndDiscardedWhenItsTextIsPublished) {
    auto saved = statements_->save_draft(
        Actor::cli(),
        Draft{.title = "  Draft title ", .markdown = "# Draft\r\n", .language = "es"});
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    EXPECT_EQ(saved->title, "Draft title");
    EXPECT_EQ(saved->markdown, "# Draft\n");
    EXPECT_EQ(saved->saved_at, clock_.unix_now());
    auto draft = statements_->draft();
    ASSERT_TRUE(draft.has_value());
    EXPECT_EQ(draft->language, "es");
    EXPECT_EQ(draft->markdown, "# Draft\n");
    EXPECT_EQ(audit_rows("statement.save_draft"), 1);

    // A blank draft is allowed; a bad one is not.
    ASSERT_TRUE(statements_->save_draft(Actor::cli(),
                                        Draft{.title = "", .markdown = "  ", .language = "en"}));
    EXPECT_EQ(statements_->draft()->markdown, "");
    auto bad = statements_->save_draft(Actor::cli(),
                                       Draft{.title = "", .markdown = "\x01", .language = "en"});
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().field, "markdown");
    EXPECT_FALSE(statements_->save_draft(Actor::cli(),
                                         Draft{.title = "", .markdown = "x", .language = "zz"}));

    ASSERT_TRUE(statements_->save_draft(Actor::cli(),
                                        Draft{.title = "", .markdown = kText, .language = "en"}));
    publish("# Something else\n");
    EXPECT_TRUE(statements_->draft().has_value());  // Another text: the draft stays.
    publish(kText);
    EXPECT_FALSE(statements_->draft().has_value());
}

TEST_P(StatementsTest, AnotherProcessSeesEachChangeAtOnce) {
    Statements other(*database_, clock_);
    EXPECT_FALSE(other.current().has_value());  // Cached empty.
    const Version version = publish(kText);
    ASSERT_TRUE(other.current().has_value());
    EXPECT_EQ(other.current()->hash, version.hash);
    EXPECT_TRUE(other.read("zh")->fell_back);
    ASSERT_TRUE(statements_->translate(Actor::cli(), version.hash, "zh", "", "# 宗旨声明\n"));
    EXPECT_FALSE(other.read("zh")->fell_back);
    EXPECT_EQ(other.read("zh")->text.title, "宗旨声明");
}

INSTANTIATE_TEST_SUITE_P(Dialects, StatementsTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const ::testing::TestParamInfo<store::Dialect>& info) {
                             return store::testing::dialect_name(info.param);
                         });

}  // namespace
}  // namespace coalition::statement
