#include "responses/blocks.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace coalition::responses {
namespace {

std::vector<Block> split(const std::string& markdown) {
    auto blocks = split_blocks(markdown);
    EXPECT_TRUE(blocks.has_value()) << (blocks ? "" : blocks.error().message);
    return blocks ? *blocks : std::vector<Block>{};
}

std::vector<std::string> texts_of(const std::vector<Block>& blocks) {
    std::vector<std::string> out;
    out.reserve(blocks.size());
    for (const auto& block : blocks) {
        out.push_back(block.text);
    }
    return out;
}

TEST(SplitBlocks, HeadingsAndParagraphs) {
    const auto blocks = split(
        "# Response to the GDC\r\nIntro line one\r\nline two   \r\n\r\n\r\n## Principles\n"
        "We support an open internet.\n\nSetext title\n===\n\n- a\n- b\n");
    ASSERT_EQ(blocks.size(), 6u);
    EXPECT_EQ(blocks[0], (Block{BlockKind::Heading, 1, "# Response to the GDC"}));
    EXPECT_EQ(blocks[1], (Block{BlockKind::Paragraph, 0, "Intro line one\nline two"}));
    EXPECT_EQ(blocks[2], (Block{BlockKind::Heading, 2, "## Principles"}));
    EXPECT_EQ(blocks[3].kind, BlockKind::Paragraph);
    EXPECT_EQ(blocks[4], (Block{BlockKind::Heading, 1, "Setext title\n==="}));
    EXPECT_EQ(blocks[5], (Block{BlockKind::Paragraph, 0, "- a\n- b"}));
}

TEST(SplitBlocks, FencedCodeStaysWholeAndHashesAreNotHeadingsInside) {
    const auto blocks = split("Before\n```\n# not a heading\n\n\ncode\n```\nAfter\n");
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[1].text, "```\n# not a heading\n\n\ncode\n```");
    EXPECT_EQ(blocks[1].kind, BlockKind::Paragraph);
    EXPECT_EQ(blocks[2].text, "After");
}

TEST(SplitBlocks, ListFollowedByDashesIsNotAHeading) {
    const auto blocks = split("- item\n---\n");
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].kind, BlockKind::Paragraph);
    EXPECT_EQ(split("#hashtag\n")[0].kind, BlockKind::Paragraph);
    EXPECT_EQ(split("####### seven\n")[0].kind, BlockKind::Paragraph);
}

TEST(SplitBlocks, JoinIsCanonicalAndIdempotent) {
    const auto blocks = split("A\n\n\n\n  B  \n\n# C\nD\n");
    const std::string canonical = join_blocks(texts_of(blocks));
    EXPECT_EQ(canonical, "A\n\n  B\n\n# C\n\nD\n");
    EXPECT_EQ(split(canonical), blocks);
    EXPECT_EQ(join_blocks(texts_of(split(canonical))), canonical);
}

TEST(SplitBlocks, NormalisesToNfc) {
    // "é" as e + COMBINING ACUTE ACCENT becomes U+00E9.
    EXPECT_EQ(split("caf\x65\xcc\x81\n")[0].text, "caf\xc3\xa9");
}

TEST(SplitBlocks, HostileMarkupIsKeptAsText) {
    const auto blocks =
        split("<script>alert(1)</script>\n\n[x](javascript:alert(1)) '; DROP TABLE x;--\n");
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].text, "<script>alert(1)</script>");
    EXPECT_EQ(blocks[1].text, "[x](javascript:alert(1)) '; DROP TABLE x;--");
}

TEST(SplitBlocks, RefusesBadInput) {
    const std::vector<std::string> bad = {
        "",
        "   \n\n\t\n",
        "bad \xff utf-8",
        std::string("nul \0 byte", 10),
        "bell \x07",
        "c1 \xc2\x85 control",
        std::string(kMaxBlockBytes + 1, 'a'),
        std::string(kMaxTextBytes + 1, 'a'),
    };
    for (const auto& input : bad) {
        auto blocks = split_blocks(input, "text");
        ASSERT_FALSE(blocks.has_value()) << input.substr(0, 40);
        EXPECT_EQ(blocks.error().code, core::ErrorCode::Invalid);
        EXPECT_EQ(blocks.error().field, "text");
    }
    // Many paragraphs under the limits are fine, even close to 1 MB in total.
    std::string big;
    while (big.size() + 20'002 < kMaxTextBytes) {
        big += std::string(19'999, 'b') + "\n\n";
    }
    EXPECT_TRUE(split_blocks(big).has_value());
}

// Accepted ⇒ canonical: for random Markdown-like input, the joined blocks split into the same
// blocks again, and no block is blank or starts or ends with a line break.
TEST(SplitBlocks, RandomInputRoundTrips) {
    const std::vector<std::string> pieces = {"#",   "## ", "```", "~~~", "\n", "\r\n", "\r",    " ",
                                             "  ",  "\t",  "-",   "---", "=",  "a",    "word ", "é",
                                             "1. ", "> ",  "<b>", "|",   "`",  "\n\n"};
    std::uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return (state >> 16) & 0x7fff;
    };
    for (int round = 0; round < 3000; ++round) {
        std::string input;
        const auto length = next() % 40;
        for (std::uint32_t piece_idx = 0; piece_idx < length; ++piece_idx) {
            input += pieces[next() % pieces.size()];
        }
        auto blocks = split_blocks(input);
        if (!blocks) {
            EXPECT_EQ(blocks.error().message, "The text is empty.") << input;
            continue;
        }
        for (const auto& block : *blocks) {
            ASSERT_FALSE(block.text.empty()) << input;
            EXPECT_NE(block.text.front(), '\n') << input;
            EXPECT_NE(block.text.back(), '\n') << input;
        }
        const std::string canonical = join_blocks(texts_of(*blocks));
        auto again = split_blocks(canonical);
        ASSERT_TRUE(again.has_value()) << input;
        EXPECT_EQ(*again, *blocks) << "input: " << input << "\ncanonical: " << canonical;
    }
}

TEST(Sha256Hex, KnownVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(MatchBlocks, KeepsIdenticalThenSimilarBlocks) {
    const auto before = split(
        "# Title\n\nThe coalition supports a multistakeholder internet governance model.\n\n"
        "Paragraph to be deleted entirely now.\n\nSame\n\nSame\n");
    const auto after = split(
        "# Title\n\nBrand new paragraph about something else.\n\n"
        "The coalition strongly supports a multistakeholder internet governance model.\n\n"
        "Same\n\nSame\n\nSame\n");
    const auto matches = match_blocks(before, after);
    ASSERT_EQ(matches.size(), 6u);
    EXPECT_EQ(matches[0], 0u);
    EXPECT_FALSE(matches[1].has_value());
    EXPECT_EQ(matches[2], 1u);  // Similar wording keeps its anchor.
    EXPECT_EQ(matches[3], 3u);  // Repeated paragraphs keep their anchors in turn.
    EXPECT_EQ(matches[4], 4u);
    EXPECT_FALSE(matches[5].has_value());
}

TEST(MatchBlocks, KindsDoNotMix) {
    const auto before = split("# Internet governance principles\n");
    const auto after = split("Internet governance principles matter\n");
    EXPECT_FALSE(match_blocks(before, after)[0].has_value());
}

}  // namespace
}  // namespace coalition::responses
