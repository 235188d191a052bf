#include "web/svg_chart.hpp"

#include <expat.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coalition::web::svg {
namespace {

// What an XML parser saw in a document: whether it is well-formed, and its character data.
struct Parsed {
    bool well_formed = false;
    std::string error;
    std::string root;
    std::string text;  // All character data, concatenated.
    std::vector<std::string> elements;
    std::vector<std::string> attributes;  // "element.name=value".
};

Parsed parse_xml(const std::string& document) {
    Parsed parsed;
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, &parsed);
    XML_SetElementHandler(
        parser,
        [](void* data, const XML_Char* name, const XML_Char** attributes) {
            auto& out = *static_cast<Parsed*>(data);
            if (out.root.empty()) {
                out.root = name;
            }
            out.elements.emplace_back(name);
            for (int index = 0; attributes[index] != nullptr; index += 2) {
                out.attributes.push_back(std::string(name) + "." + attributes[index] + "=" +
                                         attributes[index + 1]);
            }
        },
        [](void*, const XML_Char*) {});
    XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int length) {
        static_cast<Parsed*>(data)->text.append(text, static_cast<std::size_t>(length));
    });
    parsed.well_formed = XML_Parse(parser, document.data(), static_cast<int>(document.size()), 1) !=
                         XML_STATUS_ERROR;
    if (!parsed.well_formed) {
        parsed.error = XML_ErrorString(XML_GetErrorCode(parser));
    }
    XML_ParserFree(parser);
    return parsed;
}

bool has_attribute(const Parsed& parsed, const std::string& expected) {
    for (const auto& attribute : parsed.attributes) {
        if (attribute == expected) {
            return true;
        }
    }
    return false;
}

int count_of(const Parsed& parsed, const std::string& element) {
    int count = 0;
    for (const auto& name : parsed.elements) {
        count += name == element ? 1 : 0;
    }
    return count;
}

constexpr const char* kHostile = "<script>alert('x')</script> & \"quoted\" ]]> <!-- -->";

TEST(EscapeXml, EscapesMarkupCharacters) {
    EXPECT_EQ(escape_xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    EXPECT_EQ(escape_xml("plain"), "plain");
    EXPECT_EQ(escape_xml(""), "");
}

TEST(EscapeXml, KeepsNonLatinText) {
    EXPECT_EQ(escape_xml("جمعية الإنترنت"), "جمعية الإنترنت");
    EXPECT_EQ(escape_xml("互联网协会 🌏"), "互联网协会 🌏");
}

TEST(EscapeXml, ReplacesWhatXmlForbids) {
    EXPECT_EQ(escape_xml(std::string("a\0b", 3)), "a\uFFFDb");
    EXPECT_EQ(escape_xml("a\x01"
                         "b\x1f"),
              "a\uFFFDb\uFFFD");
    EXPECT_EQ(escape_xml("\xff\xfe"), "\uFFFD\uFFFD");
    EXPECT_EQ(escape_xml("\xc3"), "\uFFFD");                      // Truncated.
    EXPECT_EQ(escape_xml("\xc0\xaf"), "\uFFFD\uFFFD");            // Overlong "/".
    EXPECT_EQ(escape_xml("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // A surrogate.
    EXPECT_EQ(escape_xml("\xef\xbf\xbe"), "\uFFFD");              // U+FFFE is not an XML Char.
    EXPECT_EQ(escape_xml("tab\tline\n"), "tab\tline\n");
}

TEST(FormatDay, GivesIsoDates) {
    EXPECT_EQ(format_day(0), "1970-01-01");
    EXPECT_EQ(format_day(20454), "2026-01-01");
    EXPECT_EQ(format_day(11016), "2000-02-29");
    EXPECT_EQ(format_day(-1), "1969-12-31");
}

TEST(BarChart, IsAnAccessibleImageWithEveryValueAsText) {
    const auto svg = bar_chart({"by-region", "Signatories by region", "Published signatures."},
                               {{"Europe", 12}, {"Africa", 3}, {"North America", 0}},
                               Direction::LeftToRight, "None yet.");
    const auto parsed = parse_xml(svg);
    ASSERT_TRUE(parsed.well_formed) << parsed.error << "\n" << svg;
    EXPECT_EQ(parsed.root, "svg");
    EXPECT_TRUE(has_attribute(parsed, "svg.role=img"));
    EXPECT_TRUE(has_attribute(parsed, "svg.aria-labelledby=by-region-title by-region-desc"));
    EXPECT_TRUE(has_attribute(parsed, "title.id=by-region-title"));
    EXPECT_TRUE(has_attribute(parsed, "desc.id=by-region-desc"));
    EXPECT_EQ(count_of(parsed, "rect"), 3);
    // Labels and values are text, and the description lists them for screen readers.
    EXPECT_NE(parsed.text.find("Europe"), std::string::npos);
    EXPECT_NE(parsed.text.find("12"), std::string::npos);
    EXPECT_NE(parsed.text.find("Europe: 12; Africa: 3; North America: 0."), std::string::npos);
    // No inline style (a strict CSP would drop it) and no script.
    EXPECT_EQ(svg.find("style="), std::string::npos);
    EXPECT_EQ(count_of(parsed, "script"), 0);
}

TEST(BarChart, EscapesHostileAndInvalidLabels) {
    const auto svg = bar_chart({"x\" onload=\"alert(1)", kHostile, kHostile},
                               {{kHostile, 1}, {std::string("nul\0byte\xff", 9), 2}},
                               Direction::LeftToRight, "");
    const auto parsed = parse_xml(svg);
    ASSERT_TRUE(parsed.well_formed) << parsed.error << "\n" << svg;
    EXPECT_EQ(count_of(parsed, "script"), 0);
    EXPECT_EQ(svg.find("onload=\""), std::string::npos);
    EXPECT_NE(parsed.text.find("<script>alert('x')</script>"), std::string::npos);  // As text.
    EXPECT_NE(parsed.text.find("nul\uFFFDbyte\uFFFD"), std::string::npos);
}

TEST(BarChart, RightToLeftMirrorsAndKeepsArabicAndChineseLabels) {
    const auto svg =
        bar_chart({"groups", "الموقعون حسب الفئة", "الوصف"},
                  {{"المجتمع التقني", 7}, {"互联网协会", 4}}, Direction::RightToLeft, "");
    const auto parsed = parse_xml(svg);
    ASSERT_TRUE(parsed.well_formed) << parsed.error;
    EXPECT_TRUE(has_attribute(parsed, "svg.direction=rtl"));
    EXPECT_NE(parsed.text.find("المجتمع التقني"), std::string::npos);
    EXPECT_NE(parsed.text.find("互联网协会"), std::string::npos);
    // Labels are anchored at the right margin.
    EXPECT_TRUE(has_attribute(parsed, "text.x=632")) << svg;
}

TEST(BarChart, LongLabelsAreShortenedButKeptWholeInTheDescription) {
    const std::string long_label(300, 'a');
    const auto parsed =
        parse_xml(bar_chart({"c", "t", "d"}, {{long_label, 1}}, Direction::LeftToRight, ""));
    ASSERT_TRUE(parsed.well_formed);
    EXPECT_NE(parsed.text.find(std::string(69, 'a') + "\u2026"), std::string::npos);
    EXPECT_NE(parsed.text.find(long_label + ": 1"), std::string::npos);
}

TEST(BarChart, EmptySaysSoInText) {
    const auto parsed =
        parse_xml(bar_chart({"e", "Title", ""}, {}, Direction::LeftToRight, "No signatures yet."));
    ASSERT_TRUE(parsed.well_formed);
    EXPECT_EQ(count_of(parsed, "rect"), 0);
    EXPECT_NE(parsed.text.find("No signatures yet."), std::string::npos);
}

TEST(BarChart, UnsafeIdsAreReplaced) {
    const auto svg = bar_chart({"a\"b c", "t", "d"}, {{"x", 1}}, Direction::LeftToRight, "");
    const auto parsed = parse_xml(svg);
    ASSERT_TRUE(parsed.well_formed);
    EXPECT_TRUE(has_attribute(parsed, "title.id=a-b-c-title"));
}

TEST(CumulativeLineChart, AccumulatesAndLabelsTheEnds) {
    const auto svg = cumulative_line_chart({"over-time", "Signatures over time", "Cumulative."},
                                           {{20454, 3}, {20460, 2}, {20456, 5}, {20454, 1}},
                                           Direction::LeftToRight, "");
    const auto parsed = parse_xml(svg);
    ASSERT_TRUE(parsed.well_formed) << parsed.error << "\n" << svg;
    EXPECT_TRUE(has_attribute(parsed, "svg.role=img"));
    EXPECT_EQ(count_of(parsed, "path"), 1);
    EXPECT_EQ(count_of(parsed, "circle"), 3);  // One marker per day: the shape, not a colour.
    EXPECT_NE(parsed.text.find("2026-01-01: 4; 2026-01-07: 11."), std::string::npos);
    EXPECT_NE(parsed.text.find("2026-01-01"), std::string::npos);
    EXPECT_NE(parsed.text.find("2026-01-07"), std::string::npos);
    EXPECT_NE(parsed.text.find("11"), std::string::npos);
    // The scale tops out at a round number above the total.
    EXPECT_NE(parsed.text.find("20"), std::string::npos);
}

TEST(CumulativeLineChart, OneDayAndRightToLeftAndEmpty) {
    auto parsed = parse_xml(
        cumulative_line_chart({"one", "t", "d"}, {{20454, 2}}, Direction::RightToLeft, ""));
    ASSERT_TRUE(parsed.well_formed);
    EXPECT_TRUE(has_attribute(parsed, "svg.direction=rtl"));
    EXPECT_EQ(count_of(parsed, "circle"), 1);
    parsed = parse_xml(
        cumulative_line_chart({"none", "t", "d"}, {}, Direction::LeftToRight, "Nothing yet."));
    ASSERT_TRUE(parsed.well_formed);
    EXPECT_NE(parsed.text.find("Nothing yet."), std::string::npos);
    EXPECT_EQ(count_of(parsed, "path"), 0);
}

TEST(CumulativeLineChart, ManyDaysDropTheMarkersButStayWellFormed) {
    std::vector<DayCount> days;
    days.reserve(1000);
    for (int day_idx = 0; day_idx < 1000; ++day_idx) {
        days.push_back({20000 + day_idx, 100});
    }
    const auto parsed =
        parse_xml(cumulative_line_chart({"many", "t", "d"}, days, Direction::LeftToRight, ""));
    ASSERT_TRUE(parsed.well_formed);
    EXPECT_EQ(count_of(parsed, "circle"), 0);
    EXPECT_NE(parsed.text.find("100000"), std::string::npos);
}

TEST(Badge, IsAStandaloneDocumentWithTheCountAsText) {
    const auto svg = badge("signatories", "12345");
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    const auto parsed = parse_xml(svg);
    ASSERT_TRUE(parsed.well_formed) << parsed.error;
    EXPECT_TRUE(has_attribute(parsed, "svg.xmlns=http://www.w3.org/2000/svg"));
    EXPECT_TRUE(has_attribute(parsed, "svg.role=img"));
    EXPECT_NE(parsed.text.find("signatories: 12345"), std::string::npos);
    EXPECT_EQ(svg.find("href"), std::string::npos);
    EXPECT_EQ(svg.find("script"), std::string::npos);
}

TEST(Badge, WideTextGetsAWiderBadgeAndHostileTextIsEscaped) {
    const auto latin = parse_xml(badge("ab", "1"));
    const auto chinese = parse_xml(badge("签署", "1"));
    ASSERT_TRUE(latin.well_formed && chinese.well_formed);
    EXPECT_TRUE(has_attribute(latin, "svg.width=45.0"));
    EXPECT_TRUE(has_attribute(chinese, "svg.width=59.0"));
    const auto hostile = parse_xml(badge(kHostile, std::string("\0", 1)));
    ASSERT_TRUE(hostile.well_formed) << hostile.error;
    EXPECT_EQ(count_of(hostile, "script"), 0);
}

}  // namespace
}  // namespace coalition::web::svg
