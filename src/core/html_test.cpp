#include "core/html.hpp"

#include <gtest/gtest.h>

namespace coalition::core {
namespace {

TEST(EscapeHtml, EscapesTheFiveSpecialCharactersAndNothingElse) {
    EXPECT_EQ(escape_html(R"(<a href="x" title='y'>&amp;</a>)"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    EXPECT_EQ(escape_html("مرحبا 你好 plain"), "مرحبا 你好 plain");
    EXPECT_EQ(escape_html(""), "");
}

TEST(EscapeHtml, AppendsToWhatIsThere) {
    std::string out = "<b>";
    append_escaped_html(out, "<script>");
    EXPECT_EQ(out, "<b>&lt;script&gt;");
}

TEST(EscapeHtml, KeepsNulAndInvalidBytesForTheCallerToRefuse) {
    const std::string text("a\0<\xff", 4);
    EXPECT_EQ(escape_html(text), std::string("a\0&lt;\xff", 7));
}

}  // namespace
}  // namespace coalition::core
