// Fuzzes texts/ (pasted and uploaded revisions of negotiated drafts): the input, cut in two at
// its first 0x1E byte (record separator), is an old and a new revision.
// Invariants: never crashes; split_words and diff_words give both sides back byte for byte;
// paragraph anchors are unique, "p-" followed by [a-z0-9-]; compare() places every old and every
// new paragraph in exactly one row, its counts add up to the rows, and the HTML and Markdown
// renderings are well-formed UTF-8 with no markup from the input.

#include "fuzz_support.hpp"
#include "texts/texts.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace texts = coalition::texts;
using coalition::fuzz::is_well_formed_utf8;

void check_words(std::string_view before, std::string_view after, std::string_view input) {
    std::string joined;
    for (const auto& word : texts::split_words(before)) {
        COALITION_FUZZ_CHECK(!word.empty(), "split_words gave an empty token", input);
        joined += word;
    }
    COALITION_FUZZ_CHECK(joined == before, "split_words does not give the text back", input);

    const auto diff = texts::diff_words(before, after);
    std::string old_side;
    std::string new_side;
    for (std::size_t idx = 0; idx < diff.size(); ++idx) {
        const auto& piece = diff[idx];
        COALITION_FUZZ_CHECK(!piece.text.empty(), "diff_words gave an empty piece", input);
        if (idx > 0) {
            COALITION_FUZZ_CHECK(diff[idx - 1].change != piece.change,
                                 "diff_words left two adjacent pieces of one kind", input);
        }
        if (piece.change != texts::Change::Inserted) {
            old_side += piece.text;
        }
        if (piece.change != texts::Change::Deleted) {
            new_side += piece.text;
        }
    }
    COALITION_FUZZ_CHECK(old_side == before, "diff_words does not give the old side back", input);
    COALITION_FUZZ_CHECK(new_side == after, "diff_words does not give the new side back", input);

    // Only the markup diff_to_html writes itself may remain once the text is taken out.
    std::string html = texts::diff_to_html(diff);
    COALITION_FUZZ_CHECK(is_well_formed_utf8(html), "diff_to_html is not UTF-8", input);
    for (const std::string_view tag :
         {"<del class=\"text-deleted\">", "</del>", "<ins class=\"text-inserted\">", "</ins>",
          "<span class=\"visually-hidden\">", "</span>"}) {
        for (auto at = html.find(tag); at != std::string::npos; at = html.find(tag, at)) {
            html.erase(at, tag.size());
        }
    }
    COALITION_FUZZ_CHECK(html.find_first_of("<>\"") == std::string::npos,
                         "diff_to_html lets markup or a quote through", input);
    COALITION_FUZZ_CHECK(is_well_formed_utf8(texts::diff_to_markdown(diff)),
                         "diff_to_markdown is not UTF-8", input);
}

void check_paragraphs(const std::vector<texts::Paragraph>& paragraphs, std::string_view input) {
    std::set<std::string> anchors;
    std::set<std::string> keys;
    for (const auto& paragraph : paragraphs) {
        COALITION_FUZZ_CHECK(paragraph.anchor.rfind("p-", 0) == 0 && paragraph.anchor.size() > 2,
                             "an anchor does not start with p-", input);
        for (const char c : paragraph.anchor) {
            COALITION_FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-',
                                 "an anchor has a character outside [a-z0-9-]", input);
        }
        COALITION_FUZZ_CHECK(anchors.insert(paragraph.anchor).second,
                             "two paragraphs share an anchor", input);
        COALITION_FUZZ_CHECK(paragraph.key.empty() || keys.insert(paragraph.key).second,
                             "two paragraphs share a key", input);
        COALITION_FUZZ_CHECK(
            is_well_formed_utf8(paragraph.text) && is_well_formed_utf8(paragraph.body),
            "a paragraph is not UTF-8", input);
        COALITION_FUZZ_CHECK(!paragraph.text.empty(), "an empty paragraph", input);
    }
}

void check_comparison(std::string_view before, std::string_view after, std::string_view input) {
    const auto comparison = texts::compare(before, after);
    check_paragraphs(comparison.before, input);
    check_paragraphs(comparison.after, input);
    std::vector<int> old_seen(comparison.before.size(), 0);
    std::vector<int> new_seen(comparison.after.size(), 0);
    for (const auto& row : comparison.rows) {
        COALITION_FUZZ_CHECK(!row.before.empty() || !row.after.empty(), "an empty row", input);
        COALITION_FUZZ_CHECK(row.change != texts::ParagraphChange::Added || row.before.empty(),
                             "an added row has an old paragraph", input);
        COALITION_FUZZ_CHECK(row.change != texts::ParagraphChange::Removed || row.after.empty(),
                             "a removed row has a new paragraph", input);
        for (const auto idx : row.before) {
            COALITION_FUZZ_CHECK(idx < old_seen.size(), "a row points past the old paragraphs",
                                 input);
            ++old_seen[idx];
        }
        for (const auto idx : row.after) {
            COALITION_FUZZ_CHECK(idx < new_seen.size(), "a row points past the new paragraphs",
                                 input);
            ++new_seen[idx];
        }
        COALITION_FUZZ_CHECK(is_well_formed_utf8(texts::diff_to_html(row.diff)),
                             "a row's HTML is not UTF-8", input);
    }
    for (const int seen : old_seen) {
        COALITION_FUZZ_CHECK(seen == 1, "an old paragraph is not in exactly one row", input);
    }
    for (const int seen : new_seen) {
        COALITION_FUZZ_CHECK(seen == 1, "a new paragraph is not in exactly one row", input);
    }
    const auto& counts = comparison.counts;
    COALITION_FUZZ_CHECK(counts.unchanged + counts.changed + counts.added + counts.removed +
                                 counts.moved + counts.split + counts.merged ==
                             comparison.rows.size(),
                         "the counts do not add up to the rows", input);
    COALITION_FUZZ_CHECK(
        is_well_formed_utf8(texts::comparison_to_markdown(comparison, texts::ComparisonLabels{})),
        "comparison_to_markdown is not UTF-8", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // The contract takes valid UTF-8 only: callers refuse anything else first.
    if (!is_well_formed_utf8(input)) {
        return 0;
    }
    const std::size_t cut = input.find('\x1e');
    const std::string_view before = input.substr(0, cut);
    const std::string_view after = cut == std::string_view::npos ? "" : input.substr(cut + 1);
    check_words(before, after, input);
    check_comparison(before, after, input);
    return 0;
}
