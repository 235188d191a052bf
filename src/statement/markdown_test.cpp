#include "statement/statement.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::statement {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

TEST(RenderMarkdown, RendersGithubFlavouredMarkdown) {
    const std::string html = render_markdown(
        "# Our purpose\n\nWe *defend* the ~~old~~ model.\n\n"
        "| Process | Year |\n|---|---|\n| WSIS+20 | 2025 |\n\n"
        "See https://www.intgovforum.org and www.un.org.\n\n- one\n- two\n");
    EXPECT_TRUE(contains(html, "<h2 id=\"h-our-purpose\">Our purpose</h2>")) << html;
    EXPECT_TRUE(contains(html, "<em>defend</em>"));
    EXPECT_TRUE(contains(html, "<del>old</del>"));
    EXPECT_TRUE(contains(html, "<table>"));
    EXPECT_TRUE(contains(html, "<td>WSIS+20</td>"));
    EXPECT_TRUE(contains(html, "<a href=\"https://www.intgovforum.org\">")) << html;
    EXPECT_TRUE(contains(html, "<a href=\"http://www.un.org\">")) << html;
    EXPECT_TRUE(contains(html, "<li>two</li>"));
}

TEST(RenderMarkdown, RawHtmlIsNeverPassedThrough) {
    const std::string html = render_markdown(
        "<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> and "
        "<a href=\"javascript:alert(3)\">x</a>\n\n<iframe "
        "src=\"https://evil.example\"></iframe>\n\n"
        "<style>body{display:none}</style>\n\n`<script>` in code\n");
    EXPECT_FALSE(contains(html, "<script")) << html;
    EXPECT_FALSE(contains(html, "<img")) << html;
    EXPECT_FALSE(contains(html, "<iframe")) << html;
    EXPECT_FALSE(contains(html, "<style")) << html;
    EXPECT_FALSE(contains(html, "onerror=alert")) << html;
    EXPECT_FALSE(contains(html, "javascript:")) << html;
    EXPECT_TRUE(contains(html, "<code>&lt;script&gt;</code>")) << html;
}

TEST(RenderMarkdown, DropsUnsafeLinksButKeepsTheirText) {
    for (const char* markdown : {
             "[click](javascript:alert(1))",
             "[click](JaVaScRiPt:alert(1))",
             "[click](java&#x09;script:alert(1))",
             "[click](&#106;avascript:alert(1))",
             "[click](vbscript:msgbox)",
             "[click](data:text/html;base64,PHNjcmlwdD4=)",
             "[click](file:///etc/passwd)",
             "[click][ref]\n\n[ref]: javascript:alert(1)",
             "<javascript:alert(1)>",
             "![click](javascript:alert(1))",
             "![click](data:image/svg+xml;base64,PHN2Zz4=)",
             "[click](%20javascript:alert(1))",
         }) {
        const std::string html = render_markdown(markdown);
        EXPECT_FALSE(contains(html, "<a ")) << markdown << " → " << html;
        EXPECT_FALSE(contains(html, "<img")) << markdown << " → " << html;
        EXPECT_FALSE(contains(html, "href=")) << markdown << " → " << html;
        EXPECT_FALSE(contains(html, "src=")) << markdown << " → " << html;
    }
    EXPECT_TRUE(contains(render_markdown("[click](javascript:alert(1))"), "click"));
}

TEST(RenderMarkdown, KeepsSafeLinks) {
    EXPECT_TRUE(contains(render_markdown("[IGF](https://www.intgovforum.org/)"),
                         "<a href=\"https://www.intgovforum.org/\">IGF</a>"));
    EXPECT_TRUE(contains(render_markdown("[us](mailto:secretariat@coalition.example)"),
                         "<a href=\"mailto:secretariat@coalition.example\">us</a>"));
    EXPECT_TRUE(contains(render_markdown("[sign](/statement#sign)"),
                         "<a href=\"/statement#sign\">sign</a>"));
    EXPECT_TRUE(contains(render_markdown("[objectives](#h-objectives)"),
                         "<a href=\"#h-objectives\">objectives</a>"));
    // A title attribute is escaped.
    const std::string html =
        render_markdown("[x](https://a.example \"\\\" onmouseover=alert(1)\")");
    EXPECT_FALSE(contains(html, "\" onmouseover")) << html;
}

TEST(RenderMarkdown, HeadingIdsAreUniqueSlugsInAnyScript) {
    const std::string html = render_markdown(
        "# Objectives\n\n## Objectives\n\n### Objectives!\n\n## الأهداف والمبادئ\n\n"
        "## 多利益攸关方 模式\n\n## Цели — 2025\n\n## ***\n\n#### A `<h2>` in code\n");
    EXPECT_TRUE(contains(html, "<h2 id=\"h-objectives\">")) << html;
    EXPECT_TRUE(contains(html, "<h3 id=\"h-objectives-2\">")) << html;
    EXPECT_TRUE(contains(html, "<h4 id=\"h-objectives-3\">")) << html;
    EXPECT_TRUE(contains(html, "<h3 id=\"h-الأهداف-والمبادئ\">")) << html;
    EXPECT_TRUE(contains(html, "<h3 id=\"h-多利益攸关方-模式\">")) << html;
    EXPECT_TRUE(contains(html, "<h3 id=\"h-цели-2025\">")) << html;
    EXPECT_TRUE(contains(html, "<h3 id=\"h-section\">")) << html;
    EXPECT_TRUE(contains(html, "<h5 id=\"h-a-h2-in-code\">A <code>&lt;h2&gt;</code> in code</h5>"))
        << html;
}

TEST(RenderMarkdown, SurvivesInvalidUtf8AndNul) {
    const std::string html = render_markdown(std::string_view("ok \xC3\x28 \0 end", 11));
    EXPECT_TRUE(contains(html, "ok")) << html;
    EXPECT_TRUE(contains(html, "end")) << html;
    EXPECT_EQ(render_markdown(""), "");
}

}  // namespace
}  // namespace coalition::statement
