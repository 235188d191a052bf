#include "texts/texts.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::texts {
namespace {

// A zero draft and its Rev.1 shaped like a UN outcome document (illustrative text).
constexpr std::string_view kZeroDraft =
    "Draft outcome document\n"
    "\n"
    "PP1 Recalling the earlier summits on the information society and their outcomes,\n"
    "\n"
    "PP2 Recognizing that the internet has become a global resource for all,\n"
    "\n"
    "1. We reaffirm our commitment to a people-centred, inclusive and development-oriented "
    "information society.\n"
    "\n"
    "2. We note with concern the persistent digital divides between and within countries.\n"
    "\n"
    "3. We call for closer cooperation among governments, the private sector, civil society and "
    "the technical community.\n"
    "\n"
    "4. We decide to review progress every five years through an open consultation.\n"
    "\n"
    "5. We encourage capacity building programmes for developing countries, in particular for "
    "small island states, and we request the Secretary-General to report on their funding.\n"
    "\n"
    "6. We welcome the contribution of regional and national forums to the global dialogue.\n";

constexpr std::string_view kRevision1 =
    "Draft outcome document\n"
    "\n"
    "PP1 Recalling the earlier summits on the information society and their outcomes,\n"
    "\n"
    "PP2 Recognizing that the internet has become a global resource for all,\n"
    "\n"
    "1. We reaffirm our commitment to a people-centred, inclusive and development-oriented "
    "information society.\n"
    "\n"
    "2. We call for closer cooperation among governments, the private sector, civil society, "
    "academia and the technical community.\n"
    "\n"
    "3. We welcome the contribution of regional and national forums to the global dialogue.\n"
    "\n"
    "4. We decide to review progress every five years through an open consultation.\n"
    "\n"
    "5. We encourage capacity building programmes for developing countries, in particular for "
    "small island states.\n"
    "\n"
    "6. We request the Secretary-General to report on their funding.\n"
    "\n"
    "7. We commit to protecting human rights online as offline.\n";

const AlignedParagraph* row_with_new(const Comparison& comparison, const std::string& number) {
    for (const auto& row : comparison.rows) {
        for (const auto idx : row.after) {
            if (comparison.after[idx].number == number) {
                return &row;
            }
        }
    }
    return nullptr;
}

TEST(SplitParagraphs, ReadsUnStyleNumbers) {
    const auto paragraphs = split_paragraphs(
        "Title line\n\n"
        "1. First paragraph\nwrapped onto a second line.\n"
        "12 bis. Inserted later.\n"
        "(a) a sub-paragraph;\n"
        "(iv) another one;\n\n"
        "OP3 Operative text.\n\n"
        "PP 2: Preambular text.\n\n"
        "II. Section heading\n\n"
        "2025 was a year.\n\n"
        "Closing block\n");
    ASSERT_EQ(paragraphs.size(), 10U);
    EXPECT_EQ(paragraphs[0].number, "");
    EXPECT_EQ(paragraphs[0].anchor, "p-u1");
    EXPECT_EQ(paragraphs[1].number, "1");
    EXPECT_EQ(paragraphs[1].body, "First paragraph\nwrapped onto a second line.");
    EXPECT_EQ(paragraphs[1].text, "1. First paragraph\nwrapped onto a second line.");
    EXPECT_EQ(paragraphs[1].anchor, "p-1");
    EXPECT_EQ(paragraphs[2].number, "12 bis");
    EXPECT_EQ(paragraphs[2].anchor, "p-12-bis");
    EXPECT_EQ(paragraphs[3].number, "(a)");
    EXPECT_EQ(paragraphs[3].key, "12 bis(a)");
    EXPECT_EQ(paragraphs[3].anchor, "p-12-bis-a");
    EXPECT_EQ(paragraphs[3].body, "a sub-paragraph;");
    EXPECT_EQ(paragraphs[4].number, "(iv)");
    EXPECT_EQ(paragraphs[5].number, "OP3");
    EXPECT_EQ(paragraphs[5].anchor, "p-op3");
    EXPECT_EQ(paragraphs[5].body, "Operative text.");
    EXPECT_EQ(paragraphs[6].number, "PP2");
    EXPECT_EQ(paragraphs[6].body, "Preambular text.");
    EXPECT_EQ(paragraphs[7].number, "II");
    EXPECT_EQ(paragraphs[8].number, "");  // A year, not a paragraph number.
    EXPECT_EQ(paragraphs[9].anchor, "p-u3");
}

TEST(SplitParagraphs, HandlesCrLfBlankTextsAndRepeatedNumbers) {
    EXPECT_TRUE(split_paragraphs("").empty());
    EXPECT_TRUE(split_paragraphs(" \n\r\n\t\n").empty());
    const auto paragraphs = split_paragraphs("1. One\r\n\r\n1. Again\r\n(a) sub\r\n");
    ASSERT_EQ(paragraphs.size(), 3U);
    EXPECT_EQ(paragraphs[0].body, "One");
    EXPECT_EQ(paragraphs[0].anchor, "p-1");
    EXPECT_EQ(paragraphs[1].anchor, "p-1-2");
    EXPECT_EQ(paragraphs[1].key, "1#2");
    EXPECT_EQ(paragraphs[2].anchor, "p-1-a");
}

TEST(SplitParagraphs, KeepsAnchorsUniqueWhenNumbersMeet) {
    // Found by fuzz/texts_fuzz: a repeated "1" and "(2)" under it both wanted "p-1-2".
    const auto paragraphs = split_paragraphs("1. One\n\n1. Again\n(2) sub\n\n(3) more\n");
    ASSERT_EQ(paragraphs.size(), 4U);
    EXPECT_EQ(paragraphs[0].anchor, "p-1");
    EXPECT_EQ(paragraphs[1].anchor, "p-1-2");
    EXPECT_EQ(paragraphs[2].key, "1(2)");
    EXPECT_EQ(paragraphs[2].anchor, "p-1-2-2");
    EXPECT_EQ(paragraphs[3].anchor, "p-1-3");
    EXPECT_EQ(split_paragraphs("1. One\n\n1. Again\n(2) sub\n\n(3) more\n")[2].anchor,
              "p-1-2-2");  // Stable for the same text.
}

TEST(SplitParagraphs, KeepsArabicAndChineseText) {
    const auto paragraphs = split_paragraphs("١. نص عربي\n\n1. 我们支持\n");
    ASSERT_EQ(paragraphs.size(), 2U);
    EXPECT_EQ(paragraphs[0].number, "");  // Arabic-Indic digits are text here.
    EXPECT_EQ(paragraphs[1].body, "我们支持");
}

TEST(Compare, ClassifiesEveryKindOfChange) {
    const auto comparison = compare(kZeroDraft, kRevision1);
    ASSERT_EQ(comparison.before.size(), 9U);
    ASSERT_EQ(comparison.after.size(), 10U);

    // Old 2 was dropped: removed, shown after old 1's row.
    int removed = 0;
    for (std::size_t row_idx = 0; row_idx < comparison.rows.size(); ++row_idx) {
        const auto& row = comparison.rows[row_idx];
        if (row.change == ParagraphChange::Removed) {
            ++removed;
            ASSERT_EQ(row.before.size(), 1U);
            EXPECT_EQ(comparison.before[row.before[0]].number, "2");
            ASSERT_GT(row_idx, 0U);
            EXPECT_EQ(comparison.after[comparison.rows[row_idx - 1].after[0]].number, "1");
        }
    }
    EXPECT_EQ(removed, 1);

    const auto* unchanged = row_with_new(comparison, "1");
    ASSERT_NE(unchanged, nullptr);
    EXPECT_EQ(unchanged->change, ParagraphChange::Unchanged);
    EXPECT_FALSE(unchanged->renumbered);

    // Old 3 is new 2, with "academia" added: changed and renumbered.
    const auto* changed = row_with_new(comparison, "2");
    ASSERT_NE(changed, nullptr);
    EXPECT_EQ(changed->change, ParagraphChange::Changed);
    EXPECT_TRUE(changed->renumbered);
    EXPECT_FALSE(changed->moved);
    EXPECT_EQ(comparison.before[changed->before[0]].number, "3");
    EXPECT_EQ(count_words(changed->diff).inserted, 1U);
    EXPECT_EQ(row_numbers(comparison, *changed, {}), "2 (was 3)");

    // Old 6 moved up to new 3.
    const auto* moved = row_with_new(comparison, "3");
    ASSERT_NE(moved, nullptr);
    EXPECT_EQ(moved->change, ParagraphChange::Moved);
    EXPECT_TRUE(moved->moved);
    EXPECT_EQ(comparison.before[moved->before[0]].number, "6");

    // Old 4 keeps its number and words: unchanged.
    EXPECT_EQ(row_with_new(comparison, "4")->change, ParagraphChange::Unchanged);

    // Old 5 split into new 5 and 6.
    const auto* split = row_with_new(comparison, "5");
    ASSERT_NE(split, nullptr);
    EXPECT_EQ(split->change, ParagraphChange::Split);
    EXPECT_EQ(split->after.size(), 2U);
    EXPECT_EQ(row_with_new(comparison, "6"), split);

    const auto* added = row_with_new(comparison, "7");
    ASSERT_NE(added, nullptr);
    EXPECT_EQ(added->change, ParagraphChange::Added);
    EXPECT_TRUE(added->before.empty());

    EXPECT_EQ(comparison.counts.added, 1U);
    EXPECT_EQ(comparison.counts.removed, 1U);
    EXPECT_EQ(comparison.counts.moved, 1U);
    EXPECT_EQ(comparison.counts.split, 1U);
    EXPECT_EQ(comparison.counts.changed, 1U);
    EXPECT_EQ(comparison.counts.unchanged, 5U);  // Title, PP1, PP2, 1, 4.
}

TEST(Compare, FindsMergedParagraphs) {
    const auto comparison = compare(kRevision1, kZeroDraft);
    const auto* merged = row_with_new(comparison, "5");
    ASSERT_NE(merged, nullptr);
    EXPECT_EQ(merged->change, ParagraphChange::Merged);
    ASSERT_EQ(merged->before.size(), 2U);
    EXPECT_EQ(comparison.before[merged->before[0]].number, "5");
    EXPECT_EQ(comparison.before[merged->before[1]].number, "6");
    EXPECT_EQ(comparison.counts.removed, 1U);  // Rev.1's paragraph 7.
    EXPECT_EQ(comparison.counts.added, 1U);    // The zero draft's paragraph 2.
}

TEST(Compare, MatchesRenumberedParagraphsByText) {
    const auto comparison = compare("1. Alpha beta gamma delta.\n\n2. Epsilon zeta eta theta.\n",
                                    "1. New first paragraph here.\n\n2. Alpha beta gamma delta."
                                    "\n\n3. Epsilon zeta eta theta.\n");
    ASSERT_EQ(comparison.rows.size(), 3U);
    EXPECT_EQ(comparison.rows[0].change, ParagraphChange::Added);
    EXPECT_EQ(comparison.rows[1].change, ParagraphChange::Unchanged);
    EXPECT_TRUE(comparison.rows[1].renumbered);
    EXPECT_EQ(row_numbers(comparison, comparison.rows[1], {}), "2 (was 1)");
    EXPECT_EQ(comparison.rows[2].change, ParagraphChange::Unchanged);
}

TEST(Compare, HandlesEmptyTexts) {
    EXPECT_TRUE(compare("", "").rows.empty());
    const auto added = compare("", "1. One.\n\n2. Two.");
    ASSERT_EQ(added.rows.size(), 2U);
    EXPECT_EQ(added.counts.added, 2U);
    const auto removed = compare("1. One.\n\n2. Two.", "\n\n");
    ASSERT_EQ(removed.rows.size(), 2U);
    EXPECT_EQ(removed.rows[0].change, ParagraphChange::Removed);
    EXPECT_EQ(removed.rows[1].change, ParagraphChange::Removed);
    EXPECT_EQ(removed.rows[1].before[0], 1U);
}

TEST(Compare, ComparesChineseAndArabicDrafts) {
    const auto comparison =
        compare("1. 我们支持多利益相关方模式。\n\n2. ندعم نموذج أصحاب المصلحة المتعددين",
                "1. 我们坚决支持多利益相关方模式。\n\n2. ندعم بقوة نموذج أصحاب المصلحة المتعددين");
    ASSERT_EQ(comparison.rows.size(), 2U);
    EXPECT_EQ(comparison.rows[0].change, ParagraphChange::Changed);
    EXPECT_EQ(comparison.rows[1].change, ParagraphChange::Changed);
    EXPECT_EQ(count_words(comparison.rows[0].diff).deleted, 0U);
    EXPECT_EQ(count_words(comparison.rows[1].diff).inserted, 1U);
}

TEST(ComparisonToMarkdown, LabelsEveryRow) {
    const auto comparison = compare(kZeroDraft, kRevision1);
    const std::string markdown = comparison_to_markdown(comparison, {});
    EXPECT_NE(markdown.find("**\\[Changed\\] 2 (was 3)**"), std::string::npos);
    EXPECT_NE(markdown.find("academia**"), std::string::npos);
    EXPECT_NE(markdown.find("**\\[Removed\\] 2**\n\n~~We note"), std::string::npos);
    EXPECT_NE(markdown.find("**\\[Moved\\] 3 (was 6)**"), std::string::npos);
    EXPECT_NE(markdown.find("**\\[Added\\] 7**"), std::string::npos);
    EXPECT_EQ(comparison_to_markdown(comparison, {}, false).find("\\[Unchanged\\]"),
              std::string::npos);
}

}  // namespace
}  // namespace coalition::texts
