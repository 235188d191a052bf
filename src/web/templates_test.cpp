#include "web/templates.hpp"

#include "core/unavailable.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace coalition::web {
namespace {

const i18n::Catalog& catalog() {
    return i18n::Catalog::embedded();
}

Templates compile_or_die(const std::vector<std::pair<std::string, std::string>>& sources) {
    auto compiled = Templates::compile(sources, catalog());
    EXPECT_TRUE(compiled.has_value()) << compiled.error().message;
    return std::move(*compiled);
}

std::string render(const std::string& source, const mstch::node& data,
                   std::string_view language = "en") {
    Templates templates = compile_or_die({{"page", source}});
    return templates.render(templates.require("page"), data, language);
}

std::string compile_error(const std::vector<std::pair<std::string, std::string>>& sources) {
    auto compiled = Templates::compile(sources, catalog());
    return compiled.has_value() ? std::string("(compiled)") : compiled.error().message;
}

TEST(EscapeHtml, EscapesTheFiveSpecialCharacters) {
    EXPECT_EQ(escape_html(R"(<a href="x" title='y'>&</a>)"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    EXPECT_EQ(escape_html("plain / text ü 中文"), "plain / text ü 中文");
    EXPECT_EQ(escape_html(std::string("nul\0byte", 8)), std::string("nul\0byte", 8));
    EXPECT_EQ(escape_html(""), "");
}

TEST(Templates, EscapesEveryValueByDefault) {
    mstch::map data{{"name", std::string("<script>alert('x')</script>")},
                    {"quote", std::string(R"(" onmouseover="alert(1))")},
                    {"single", std::string("' onfocus='alert(1)")}};
    std::string out =
        render(R"(<p>{{name}}</p><a title="{{quote}}" data-x='{{single}}'>x</a>)", data);
    EXPECT_EQ(out.find("<script>"), std::string::npos);
    EXPECT_NE(out.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(out.find(R"x(title="&quot; onmouseover=&quot;alert(1)")x"), std::string::npos);
    EXPECT_NE(out.find("data-x='&#39; onfocus=&#39;alert(1)'"), std::string::npos);
}

TEST(Templates, DataIsNeverParsedAsATemplate) {
    mstch::map data{{"value", std::string("{{secret}} {{> layout}} {{#_}}Members{{/_}}")},
                    {"secret", std::string("LEAK")}};
    EXPECT_EQ(render("{{value}}", data, "fr"), "{{secret}} {{&gt; layout}} {{#_}}Members{{/_}}");
}

TEST(Templates, SectionsListsInvertedAndDottedNames) {
    mstch::map data{
        {"rows", mstch::array{mstch::map{{"n", std::string("a")}}, mstch::map{{"n", 2}}}},
        {"empty", mstch::array{}},
        {"flag", true},
        {"off", false},
        {"zero", 0},
        {"user", mstch::map{{"name", std::string("Ana")},
                            {"org", mstch::map{{"slug", std::string("auda")}}}}},
        {"words", mstch::array{std::string("x<"), std::string("y")}},
        {"ratio", 0.5},
    };
    EXPECT_EQ(render("{{#rows}}[{{n}}]{{/rows}}", data), "[a][2]");
    EXPECT_EQ(render("{{#empty}}no{{/empty}}{{^empty}}none{{/empty}}", data), "none");
    EXPECT_EQ(render("{{#flag}}on{{/flag}}{{#off}}no{{/off}}{{^off}}off{{/off}}", data), "onoff");
    EXPECT_EQ(render("{{#zero}}no{{/zero}}{{^missing}}absent{{/missing}}", data), "absent");
    EXPECT_EQ(render("{{user.name}}/{{user.org.slug}}/{{user.nope}}/{{nope.name}}", data),
              "Ana/auda//");
    EXPECT_EQ(render("{{#user}}{{name}} {{#flag}}{{org.slug}}{{/flag}}{{/user}}", data),
              "Ana auda");
    EXPECT_EQ(render("{{#words}}{{.}},{{/words}}", data), "x&lt;,y,");
    EXPECT_EQ(render("{{ratio}} {{zero}} {{flag}}", data), "0.5 0 true");
    EXPECT_EQ(render("a{{! a comment }}b", data), "ab");
}

TEST(Templates, PartialsSeeTheCallersContext) {
    Templates templates = compile_or_die(
        {{"page", "<ul>{{#items}}{{> item}}{{/items}}</ul>"}, {"item", "<li>{{label}}</li>"}});
    mstch::map data{{"items", mstch::array{mstch::map{{"label", std::string("One")}},
                                           mstch::map{{"label", std::string("<Two>")}}}}};
    EXPECT_EQ(templates.render(templates.require("page"), data, "en"),
              "<ul><li>One</li><li>&lt;Two&gt;</li></ul>");
}

TEST(Templates, ContextStackLooksUpFromTheTop) {
    Templates templates = compile_or_die({{"page", "{{a}}{{b}}{{c}}"}});
    mstch::node bottom = mstch::map{{"a", std::string("1")}, {"b", std::string("x")}};
    mstch::node top = mstch::map{{"b", std::string("2")}, {"c", std::string("3")}};
    std::string out;
    templates.render(templates.require("page"), {&bottom, &top}, "en", out);
    EXPECT_EQ(out, "123");
}

TEST(Templates, TranslationSectionTranslatesPerLanguage) {
    Templates templates = compile_or_die({{"page", "<a>{{#_}}Members{{/_}}</a>"}});
    mstch::map data;
    auto page = templates.require("page");
    EXPECT_EQ(templates.render(page, data, "en"), "<a>Members</a>");
    EXPECT_EQ(templates.render(page, data, "fr"), "<a>Membres</a>");
    EXPECT_EQ(templates.render(page, data, "es"), "<a>Miembros</a>");
    EXPECT_EQ(templates.render(page, data, "ru"), "<a>Участники</a>");
    EXPECT_EQ(templates.render(page, data, "zh"), "<a>成员</a>");
    EXPECT_EQ(templates.render(page, data, "ar"), "<a>الأعضاء</a>");
    EXPECT_EQ(templates.render(page, data, "xx"), "<a>Members</a>");
}

TEST(Templates, TranslationSectionFillsEscapedVariables) {
    Templates templates =
        compile_or_die({{"page", "{{#_}}Signed in\n   as {{display_name}}{{/_}}"}});
    mstch::map data{{"display_name", std::string("<Zoë & co>")}};
    EXPECT_EQ(templates.render(templates.require("page"), data, "fr"),
              "Connecté en tant que &lt;Zoë &amp; co&gt;");
    EXPECT_EQ(templates.render(templates.require("page"), data, "en"),
              "Signed in as &lt;Zoë &amp; co&gt;");
    EXPECT_EQ(translation_msgid("  Signed in\n   as {{display_name}} "),
              "Signed in as {{display_name}}");
}

TEST(Templates, UntranslatedTextShowsInEnglish) {
    EXPECT_EQ(render("{{#_}}Not in the catalog{{/_}}", mstch::map{}, "ar"), "Not in the catalog");
}

TEST(Templates, LambdaSectionsWork) {
    mstch::map data{
        {"name", std::string("Ana")},
        {"bold", mstch::lambda{[](const std::string& text) -> mstch::node {
             return "<b>" + text + "</b>";
         }}},
    };
    EXPECT_EQ(render("{{#bold}}Hi {{name}}{{/bold}}", data), "<b>Hi Ana</b>");
}

TEST(Templates, UnescapedOutputOnlyForHtmlNames) {
    mstch::map data{{"body_html", std::string("<p>ok</p>")}};
    EXPECT_EQ(render("{{{body_html}}}{{& body_html}}", data), "<p>ok</p><p>ok</p>");
    EXPECT_NE(compile_error({{"bad", "line 1\n{{{name}}}"}}).find("template 'bad', line 2"),
              std::string::npos);
    EXPECT_NE(compile_error({{"bad", "{{&name}}"}}).find("_html"), std::string::npos);
    EXPECT_NE(compile_error({{"bad", "{{{html}}}"}}).find("_html"), std::string::npos);
}

TEST(Templates, CompileErrorsNameTemplateAndLine) {
    EXPECT_NE(
        compile_error({{"t", "a\nb {{#open}}x"}}).find("line 2: section 'open' is never closed"),
        std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{#a}}{{/b}}"}}).find("closes no open section"),
              std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{/a}}"}}).find("closes no open section"), std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{name"}}).find("never closed"), std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{=<% %>=}}"}}).find("set-delimiter"), std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{bad name}}"}}).find("bad variable name"), std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{}}"}}).find("bad variable name"), std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{> missing}}"}}).find("unknown partial 'missing'"),
              std::string::npos);
    EXPECT_NE(compile_error({{"t", "{{^_}}x{{/_}}"}}).find("not a translation"), std::string::npos);
    EXPECT_NE(compile_error({{"t", "x"}, {"t", "y"}}).find("defined twice"), std::string::npos);
}

TEST(Templates, MissingTemplateIsAStartupError) {
    Templates templates = compile_or_die({{"page", "x"}});
    EXPECT_TRUE(templates.has("page"));
    EXPECT_FALSE(templates.has("nope"));
    try {
        (void)templates.require("nope");
        FAIL() << "require did not throw";
    } catch (const core::StartupError& error) {
        EXPECT_NE(std::string(error.what()).find("nope"), std::string::npos);
    }
}

TEST(Templates, HostileTemplateTextDoesNotCrash) {
    for (std::string source :
         {std::string("{{"), std::string("}}"), std::string("{{{"), std::string("{{#}}"),
          std::string("{{/}}"), std::string("{{>}}"), std::string("\xff\xfe{{x}}"),
          std::string("a\0b", 3), std::string(100000, '{')}) {
        auto compiled = Templates::compile({{"t", source}}, catalog());
        if (compiled) {
            (void)compiled->render(compiled->require("t"), mstch::map{}, "en");
        }
    }
    // Large values pass through intact and escaped.
    std::string big(1 << 20, '<');
    std::string out = render("{{v}}", mstch::map{{"v", big}});
    EXPECT_EQ(out.size(), big.size() * 4);
}

TEST(EmbeddedTemplates, AllCompileWithEveryTranslation) {
    Templates templates = Templates::embedded(catalog());
    for (const char* name :
         {"layout", "field", "error_summary", "csrf", "home", "signin", "signin_sent", "error_403",
          "error_404", "error_413", "error_500", "error_503"}) {
        EXPECT_TRUE(templates.has(name)) << name;
    }
}

// Belt and braces beside the compiler's own refusal: no template in the source tree uses
// unescaped output except for a name ending in _html.
TEST(EmbeddedTemplates, NoTripleMustacheExceptHtmlNames) {
    const char* source_dir = std::getenv("COALITION_SOURCE_DIR");
    if (source_dir == nullptr) {
        GTEST_SKIP() << "COALITION_SOURCE_DIR is not set";
    }
    std::regex unescaped(R"(\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{\s*&\s*([^}]*?)\s*\}\})");
    int files = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(source_dir) / "templates")) {
        std::ifstream file(entry.path());
        std::stringstream text;
        text << file.rdbuf();
        std::string content = text.str();
        ++files;
        for (auto match = std::sregex_iterator(content.begin(), content.end(), unescaped);
             match != std::sregex_iterator(); ++match) {
            std::string name = (*match)[1].matched ? (*match)[1].str() : (*match)[2].str();
            EXPECT_TRUE(name.size() > 5 && name.substr(name.size() - 5) == "_html")
                << entry.path() << ": unescaped " << name;
        }
    }
    EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace coalition::web
