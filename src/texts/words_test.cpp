#include "texts/texts.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::texts {
namespace {

std::string join(const WordDiff& diff, Change skipped) {
    std::string out;
    for (const auto& piece : diff) {
        if (piece.change != skipped) {
            out += piece.text;
        }
    }
    return out;
}

void expect_rebuilds(std::string_view before, std::string_view after) {
    const auto diff = diff_words(before, after);
    EXPECT_EQ(join(diff, Change::Inserted), before);
    EXPECT_EQ(join(diff, Change::Deleted), after);
}

TEST(SplitWords, KeepsEveryByteAndCutsAtWords) {
    const auto tokens = split_words("We call on States, and others.");
    std::string joined;
    for (const auto& token : tokens) {
        joined += token;
    }
    EXPECT_EQ(joined, "We call on States, and others.");
    EXPECT_EQ(tokens[0], "We");
    EXPECT_EQ(tokens[1], " ");
    EXPECT_EQ(tokens[7], ",");
    EXPECT_TRUE(split_words("").empty());
}

TEST(SplitWords, SegmentsChineseIntoWords) {
    const auto tokens = split_words("我们支持多利益相关方模式");
    EXPECT_GT(tokens.size(), 3U);  // Not one token for the whole sentence.
}

TEST(DiffWords, ReplacesOneWord) {
    const auto diff = diff_words("The quick brown fox", "The slow brown fox");
    ASSERT_EQ(diff.size(), 4U);
    EXPECT_EQ(diff[0], (Piece{Change::Same, "The "}));
    EXPECT_EQ(diff[1], (Piece{Change::Deleted, "quick"}));
    EXPECT_EQ(diff[2], (Piece{Change::Inserted, "slow"}));
    EXPECT_EQ(diff[3], (Piece{Change::Same, " brown fox"}));
}

TEST(DiffWords, JoinsAReplacedPhrase) {
    const auto diff = diff_words("We note the old text here", "We welcome a new draft here");
    ASSERT_EQ(diff.size(), 4U);
    EXPECT_EQ(diff[1], (Piece{Change::Deleted, "note the old text"}));
    EXPECT_EQ(diff[2], (Piece{Change::Inserted, "welcome a new draft"}));
    expect_rebuilds("We note the old text here", "We welcome a new draft here");
}

TEST(DiffWords, JoinsAnInsertedPhraseAcrossSpaces) {
    const auto diff = diff_words("open to all", "open, transparent and accountable to all");
    ASSERT_EQ(diff.size(), 3U);
    EXPECT_EQ(diff[0], (Piece{Change::Same, "open"}));
    EXPECT_EQ(diff[1], (Piece{Change::Inserted, ", transparent and accountable"}));
    EXPECT_EQ(diff[2], (Piece{Change::Same, " to all"}));
    expect_rebuilds("a b c d", "a x b y z c d");
    expect_rebuilds("a x b y z c d", "a b c d");
}

TEST(DiffWords, FindsAnInsertedChineseWord) {
    const auto diff = diff_words("我们支持多利益相关方模式", "我们坚决支持多利益相关方模式");
    expect_rebuilds("我们支持多利益相关方模式", "我们坚决支持多利益相关方模式");
    int inserted = 0;
    for (const auto& piece : diff) {
        EXPECT_NE(piece.change, Change::Deleted);
        if (piece.change == Change::Inserted) {
            ++inserted;
            EXPECT_EQ(piece.text, "坚决");
        }
    }
    EXPECT_EQ(inserted, 1);
}

TEST(DiffWords, FindsAnInsertedArabicWord) {
    const std::string before = "ندعم نموذج أصحاب المصلحة المتعددين";
    const std::string after = "ندعم بقوة نموذج أصحاب المصلحة المتعددين";
    const auto diff = diff_words(before, after);
    expect_rebuilds(before, after);
    ASSERT_EQ(diff.size(), 3U);
    EXPECT_EQ(diff[1].change, Change::Inserted);
    EXPECT_NE(diff[1].text.find("بقوة"), std::string::npos);
    EXPECT_EQ(count_words(diff).inserted, 1U);
    EXPECT_EQ(count_words(diff).deleted, 0U);
}

TEST(DiffWords, HandlesEmptySides) {
    EXPECT_TRUE(diff_words("", "").empty());
    EXPECT_EQ(diff_words("", "new text"), (WordDiff{{Change::Inserted, "new text"}}));
    EXPECT_EQ(diff_words("old text", ""), (WordDiff{{Change::Deleted, "old text"}}));
    EXPECT_EQ(diff_words("same", "same"), (WordDiff{{Change::Same, "same"}}));
}

TEST(DiffWords, RebuildsBothSidesOfMixedEdits) {
    expect_rebuilds("1. Decides to convene, in 2025, a high-level meeting;",
                    "Decides to convene in 2026 a high-level meeting and a review;");
    expect_rebuilds("a b c d e f g", "g f e d c b a");
    expect_rebuilds("Line one\nline two\n\nline three", "Line one\nline 2\nline three");
}

TEST(DiffToHtml, MarksChangesInTextNotOnlyColour) {
    const auto html = diff_to_html(diff_words("The quick fox", "The slow fox"));
    EXPECT_EQ(html,
              "The <del class=\"text-deleted\"><span class=\"visually-hidden\">[deleted: "
              "</span>quick<span class=\"visually-hidden\">]</span></del><ins "
              "class=\"text-inserted\"><span class=\"visually-hidden\">[inserted: "
              "</span>slow<span class=\"visually-hidden\">]</span></ins> fox");
}

TEST(DiffToHtml, EscapesHostileMarkupEverywhere) {
    const auto diff =
        diff_words("<script>alert('x')</script> & \"q\"", "<img src=x onerror=alert(1)> & \"q\"");
    const std::string html =
        diff_to_html(diff, MarkLabels{.inserted = "<b>ins</b>", .deleted = "del\"'"});
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>"), std::string::npos);
    EXPECT_NE(html.find("&lt;"), std::string::npos);
    EXPECT_NE(html.find("&#39;x&#39;"), std::string::npos);
    EXPECT_NE(html.find("onerror"), std::string::npos);
    EXPECT_NE(html.find("&amp; &quot;q&quot;"), std::string::npos);
    EXPECT_NE(html.find("[&lt;b&gt;ins&lt;/b&gt;: "), std::string::npos);
    EXPECT_NE(html.find("[del&quot;&#39;: "), std::string::npos);
}

TEST(DiffToMarkdown, StrikesDeletionsAndBoldsInsertions) {
    EXPECT_EQ(diff_to_markdown(diff_words("The quick fox", "The slow fox")),
              "The ~~quick~~**slow** fox");
    EXPECT_EQ(diff_to_markdown(diff_words("a", "a *b* [c](javascript:x) <i>")),
              "a **\\*b\\* \\[c\\](javascript:x) \\<i\\>**");
}

TEST(DiffToMarkdown, KeepsMarkersTightAndPerLine) {
    const auto markdown = diff_to_markdown(
        WordDiff{{Change::Same, "x"}, {Change::Inserted, " one\ntwo "}, {Change::Same, "y"}});
    EXPECT_EQ(markdown, "x **one**\n**two** y");
}

TEST(EscapeMarkdown, EscapesLineStartsOnlyForListMarkers) {
    EXPECT_EQ(escape_markdown("- item\na-b + c"), "\\- item\na-b + c");
    EXPECT_EQ(escape_markdown("#1 _x_ `y` ~z~ | & !"), "\\#1 \\_x\\_ \\`y\\` \\~z\\~ \\| \\& \\!");
}

}  // namespace
}  // namespace coalition::texts
