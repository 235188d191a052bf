#include "app/demo_statement.hpp"

#include "core/clock.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace coalition::app {
namespace {

class DemoStatementTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
    }
    core::FakeClock clock_;
    std::unique_ptr<store::Database> database_;
};

TEST_P(DemoStatementTest, PublishesOneVersionInSixLanguagesOnce) {
    statement::Statements statements(*database_, clock_);
    load_demo_statement(statements, accounts::Actor::cli());
    load_demo_statement(statements, accounts::Actor::cli());
    const auto versions = statements.versions();
    ASSERT_EQ(versions.size(), 1u);
    const auto& version = versions.front();
    EXPECT_EQ(version.language, "en");
    EXPECT_EQ(version.title, "Statement of Purpose");
    ASSERT_EQ(version.translations.size(), 6u);
    for (const auto& text : version.translations) {
        EXPECT_FALSE(text.title.empty()) << text.language;
        const std::string html = statement::render_markdown(text.markdown);
        EXPECT_EQ(html.find("raw HTML omitted"), std::string::npos) << text.language;
        EXPECT_NE(html.find("<strong>Nominet</strong>"), std::string::npos) << text.language;
        EXPECT_NE(html.find("<ol>"), std::string::npos) << text.language;
        EXPECT_NE(html.find("A/RES/80/173"), std::string::npos) << text.language;
    }
    EXPECT_EQ(statements.read("ar")->text.title, "بيان الغرض");
    EXPECT_EQ(statements.read("zh")->text.title, "宗旨声明");
    EXPECT_FALSE(statements.read("ru")->fell_back);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DemoStatementTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const ::testing::TestParamInfo<store::Dialect>& info) {
                             return store::testing::dialect_name(info.param);
                         });

}  // namespace
}  // namespace coalition::app
