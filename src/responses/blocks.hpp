#pragma once
// A response's text as blocks: the Markdown cut into headings and paragraphs, each of which gets a
// stable anchor when stored. Pure functions (no database).
//
// texts::split_paragraphs is not used for the cutting: it trims lines and cuts at UN paragraph
// numbers, which would break Markdown (indented lists, code fences, "1." list items); here a
// block is what Markdown itself separates with blank lines, a fenced code block stays whole, and a
// heading is a block of its own.

#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::responses {

inline constexpr std::size_t kMaxBlockBytes = 20'000;    // One paragraph.
inline constexpr std::size_t kMaxTextBytes = 1'000'000;  // The whole text.

enum class BlockKind { Heading, Paragraph };

std::string_view id(BlockKind kind);  // "heading", "paragraph"
std::optional<BlockKind> parse_block_kind(std::string_view text);

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    int level = 0;     // 1–6 for a heading ("#" … "######", Setext "=" is 1 and "-" is 2).
    std::string text;  // As written, lines joined with "\n", no trailing spaces, no blank edges.
    bool operator==(const Block& other) const = default;
};

// The blocks of `markdown`: line ends unified (CRLF and CR become LF), NFC, trailing spaces and
// tabs removed from each line; blank lines separate blocks, except inside a fenced code block
// (``` or ~~~, closed by the same fence or the end); an ATX heading line is a block of its own; a
// paragraph followed by a Setext underline is a heading. Invalid (field `field`) for more than
// kMaxTextBytes, invalid UTF-8, control characters other than tab and line ends (C0, DEL, C1), a
// block over kMaxBlockBytes, or no block at all. Raw HTML and any other markup are kept as text:
// rendering (web, with raw HTML disabled) decides what it means.
core::Result<std::vector<Block>> split_blocks(std::string_view markdown,
                                              const std::string& field = "markdown");

// The canonical text of blocks: their texts joined by one blank line, with one final newline.
// split_blocks(join_blocks(b)) == b for blocks split_blocks made.
std::string join_blocks(const std::vector<std::string>& texts);

// Hex SHA-256 (lower case, 64 digits) of `bytes`.
std::string sha256_hex(std::string_view bytes);

// For each block of `after`, the index of the block of `before` whose anchor it keeps, or nullopt
// for a new block: identical wordings first (in order), then, among the rest, the most similar
// pairs of one kind whose word sets overlap by at least kSameBlockSimilarity (Jaccard). Each
// block of `before` is used once. Both in valid UTF-8.
inline constexpr double kSameBlockSimilarity = 0.5;
std::vector<std::optional<std::size_t>> match_blocks(const std::vector<Block>& before,
                                                     const std::vector<Block>& after);

}  // namespace coalition::responses
