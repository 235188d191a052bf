#pragma once
// texts: comparing two versions of a text. Word-level differences (ICU word boundaries, so
// Chinese and Arabic split into words too; the diff itself by dtl), their rendering as accessible
// HTML (<ins>/<del> with a spoken "[inserted: …]" marker, never colour alone) and as Markdown,
// and the paragraph-aligned comparison of two revisions of a negotiated draft (paragraphs numbered
// "12 bis.", "(a)", "OP3"…, matched by number, then by similarity; split, merged and moved ones
// found). Pure functions over valid UTF-8: callers (processes/, responses/) refuse invalid input
// first. Uses core only. Start reading at compare() below.

#include "core/html.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::texts {

// ---- Word differences ----------------------------------------------------------------------

enum class Change { Same, Inserted, Deleted };

// A run of text that is the same in both versions, only in the new one, or only in the old one.
struct Piece {
    Change change = Change::Same;
    std::string text;
    bool operator==(const Piece& other) const = default;
};
using WordDiff = std::vector<Piece>;

// `text` cut at ICU word boundaries (root locale): words, runs of spaces and punctuation marks,
// each a token; joining the tokens gives `text` back. `text` must be valid UTF-8.
std::vector<std::string> split_words(std::string_view text);

// The shortest word-level edit from `before` to `after` (both valid UTF-8), as alternating runs:
// adjacent tokens of one kind are joined, a deletion comes before the insertion that replaces
// it, and a lone space between two changes joins both so that phrases read whole. Joining the
// Same and Deleted pieces gives `before`; the Same and Inserted pieces give `after`.
WordDiff diff_words(std::string_view before, std::string_view after);

// Words (not spaces, not punctuation) that the diff inserts and deletes.
struct DiffCounts {
    std::size_t inserted = 0;
    std::size_t deleted = 0;
};
DiffCounts count_words(const WordDiff& diff);

// ---- Rendering -----------------------------------------------------------------------------

// The words a screen reader hears around a change; the caller passes translated ones.
struct MarkLabels {
    std::string inserted = "inserted";
    std::string deleted = "deleted";
};

// `text` with & < > " ' escaped for HTML text and attribute values.
using core::escape_html;

// The diff as an HTML fragment: each change is
//   <del class="text-deleted"><span class="visually-hidden">[deleted: </span>…<span
//   class="visually-hidden">]</span></del>
// (and <ins class="text-inserted"> alike), every piece of text escaped. Line breaks are kept as
// they are (style the container with white-space: pre-line).
std::string diff_to_html(const WordDiff& diff, const MarkLabels& labels = {});

// The diff as Markdown: ~~deleted~~ and **inserted**, Markdown punctuation in the text escaped
// with a backslash, the markers kept tight around the words (spaces and line breaks outside).
std::string diff_to_markdown(const WordDiff& diff);

// `text` with the ASCII punctuation Markdown gives meaning to escaped with a backslash.
std::string escape_markdown(std::string_view text);

// ---- Paragraphs ----------------------------------------------------------------------------

// One paragraph of a draft. A paragraph is a block between blank lines, or a line that starts
// with a paragraph number (several numbered lines in one block are several paragraphs).
struct Paragraph {
    std::string
        number;       // As written, without its punctuation: "12 bis", "(a)", "OP3", "II"; or "".
    std::string key;  // For matching: "12 bis", "5(a)" (a sub-paragraph under 5), "OP3"; or "".
    std::string anchor;  // Unique in its text, stable for the same text: "p-12-bis", "p-5-a",
                         // "p-op3"; unnumbered paragraphs count as "p-u1", "p-u2"…
    std::string text;    // The whole paragraph as written (number included), lines trimmed.
    std::string body;    // `text` without the number.
};

// The paragraphs of `text` (valid UTF-8; CRLF and CR taken as line breaks), in order. Empty for
// a text of blank lines only.
std::vector<Paragraph> split_paragraphs(std::string_view text);

// ---- Aligned comparison --------------------------------------------------------------------

enum class ParagraphChange {
    Unchanged,  // Same words (perhaps renumbered), same place in the order.
    Changed,    // Matched by number or similarity, words differ (see `moved` too).
    Added,      // Only in the new revision.
    Removed,    // Only in the old revision.
    Moved,      // Same words, another place in the order.
    Split,      // One old paragraph became several consecutive new ones.
    Merged,     // Several consecutive old paragraphs became one new one.
};

// Stable ids ("unchanged", "changed", …) for CSS classes, exports and tests.
std::string_view id(ParagraphChange change);

// One row of the comparison: indices into Comparison::before/after.
struct AlignedParagraph {
    ParagraphChange change = ParagraphChange::Unchanged;
    std::vector<std::size_t> before;  // Empty for Added.
    std::vector<std::size_t> after;   // Empty for Removed.
    bool moved = false;               // Out of the old order (also set for Moved).
    bool renumbered = false;          // Matched, but the numbers differ.
    double similarity = 1.0;          // Word Jaccard of the bodies matched; 0 for Added/Removed.
    WordDiff diff;  // Bodies, old joined → new joined (one piece when all the same).
};

struct ComparisonCounts {
    std::size_t unchanged = 0, changed = 0, added = 0, removed = 0, moved = 0, split = 0,
                merged = 0;
};

struct Comparison {
    std::vector<Paragraph> before;
    std::vector<Paragraph> after;
    // In the new revision's order; a removed paragraph comes right after the row holding the old
    // paragraph before it (first when there is none).
    std::vector<AlignedParagraph> rows;
    ComparisonCounts counts;
};

// Paragraphs of a pair of bodies whose word Jaccard reaches this are "the same paragraph"
// when the numbers do not say so.
inline constexpr double kSimilarityThreshold = 0.5;
// A paragraph keeping its number is matched down to this similarity.
inline constexpr double kSameNumberThreshold = 0.25;
// Share of a part's words found in the whole for a split or merge.
inline constexpr double kContainmentThreshold = 0.8;

// Aligns the paragraphs of two revisions (valid UTF-8): identical bodies first (so renumbered
// and moved paragraphs are found), then equal numbers, then the most similar pairs; then split
// and merged paragraphs (one old ↔ consecutive new parts mostly made of its words); moved rows are
// those outside the longest run kept in order. Comparing two 150-paragraph drafts takes a few
// milliseconds.
Comparison compare(std::string_view before, std::string_view after);

// Labels for rendering a comparison (the caller translates them).
struct ComparisonLabels {
    MarkLabels marks;
    std::string unchanged = "Unchanged";
    std::string changed = "Changed";
    std::string added = "Added";
    std::string removed = "Removed";
    std::string moved = "Moved";
    std::string split = "Split";
    std::string merged = "Merged";
    std::string moved_too = "moved";  // "Changed, moved".
    std::string was = "was";          // "12 (was 11)".
    std::string paragraph = "Paragraph";
};

// The label of `row` ("Changed, moved").
std::string row_label(const AlignedParagraph& row, const ComparisonLabels& labels);
// The numbers shown for `row`: "12 (was 11)", "5, 6 (was 5)", "" when unnumbered.
std::string row_numbers(const Comparison& comparison, const AlignedParagraph& row,
                        const ComparisonLabels& labels);

// The comparison as Markdown for a list post: one block a row, "**[Changed] 12 (was 11)**"
// followed by the marked text; unchanged rows are shown only when `with_unchanged`.
std::string comparison_to_markdown(const Comparison& comparison, const ComparisonLabels& labels,
                                   bool with_unchanged = true);

}  // namespace coalition::texts
