// Cutting a response's Markdown into blocks, its canonical text and hash, and matching the blocks
// of two texts so that anchors survive edits.

#include "responses/blocks.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "texts/texts.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

namespace coalition::responses {
namespace {

// Pairs compared for similarity at most: past this, unmatched blocks simply get new anchors
// (a rewrite of a whole long text, where similarity would say little anyway).
constexpr std::size_t kMaxComparedPairs = 400'000;

// C1 controls (U+0080–U+009F) are "\xC2\x80" … "\xC2\x9F" in UTF-8; core's check covers C0 and DEL.
bool has_c1_controls(std::string_view text) {
    for (std::size_t index = 0; index + 1 < text.size(); ++index) {
        const auto lead = static_cast<unsigned char>(text[index]);
        const auto next = static_cast<unsigned char>(text[index + 1]);
        if (lead == 0xC2 && next >= 0x80 && next <= 0x9F) {
            return true;
        }
    }
    return false;
}

// The lines of `text` (line ends unified), trailing spaces and tabs removed.
std::vector<std::string> canonical_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::string line;
    auto finish = [&] {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
            line.pop_back();
        }
        lines.push_back(std::move(line));
        line.clear();
    };
    for (std::size_t index = 0; index < text.size(); ++index) {
        const char c = text[index];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && index + 1 < text.size() && text[index + 1] == '\n') {
                ++index;
            }
            finish();
        } else {
            line += c;
        }
    }
    finish();
    return lines;
}

std::size_t leading_spaces(std::string_view line) {
    std::size_t count = 0;
    while (count < line.size() && line[count] == ' ') {
        ++count;
    }
    return count;
}

// "#" … "######" followed by a space, a tab or the end, after at most three spaces: the level.
int atx_level(std::string_view line) {
    const std::size_t indent = leading_spaces(line);
    if (indent > 3) {
        return 0;
    }
    std::size_t hashes = 0;
    while (indent + hashes < line.size() && line[indent + hashes] == '#') {
        ++hashes;
    }
    if (hashes == 0 || hashes > 6) {
        return 0;
    }
    const std::size_t next = indent + hashes;
    return next == line.size() || line[next] == ' ' || line[next] == '\t' ? static_cast<int>(hashes)
                                                                          : 0;
}

// A Setext underline ("===" is level 1, "---" level 2), or 0.
int setext_level(std::string_view line) {
    const std::size_t indent = leading_spaces(line);
    if (indent > 3 || indent == line.size()) {
        return 0;
    }
    const char mark = line[indent];
    if (mark != '=' && mark != '-') {
        return 0;
    }
    for (std::size_t index = indent; index < line.size(); ++index) {
        if (line[index] != mark) {
            return 0;
        }
    }
    return mark == '=' ? 1 : 2;
}

bool starts_list_item(std::string_view line) {
    const std::size_t indent = leading_spaces(line);
    const std::string_view rest = line.substr(indent);
    if (rest.size() >= 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') &&
        rest[1] == ' ') {
        return true;
    }
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
        ++digits;
    }
    return digits > 0 && digits + 1 < rest.size() && (rest[digits] == '.' || rest[digits] == ')') &&
           rest[digits + 1] == ' ';
}

// The fence a line opens ("```", "~~~~"…), or "".
std::string fence_of(std::string_view line) {
    const std::size_t indent = leading_spaces(line);
    if (indent > 3 || indent >= line.size()) {
        return {};
    }
    const char mark = line[indent];
    if (mark != '`' && mark != '~') {
        return {};
    }
    std::size_t count = 0;
    while (indent + count < line.size() && line[indent + count] == mark) {
        ++count;
    }
    if (count < 3) {
        return {};
    }
    // CommonMark: a backtick fence's info string may not contain a backtick.
    if (mark == '`' && line.find('`', indent + count) != std::string_view::npos) {
        return {};
    }
    return std::string(count, mark);
}

bool closes_fence(std::string_view line, const std::string& fence) {
    const std::size_t indent = leading_spaces(line);
    if (indent > 3) {
        return false;
    }
    const std::string_view rest = line.substr(indent);
    return rest.size() >= fence.size() &&
           rest.find_first_not_of(fence.front()) == std::string_view::npos;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        if (!out.empty() || &line != &lines.front()) {
            out += '\n';
        }
        out += line;
    }
    return out;
}

core::Error invalid(std::string_view message, const std::string& field) {
    return core::Error::invalid(std::string(message), field);
}

std::set<std::string> word_set(std::string_view text) {
    std::set<std::string> words;
    for (auto& token : texts::split_words(text)) {
        const bool is_word = std::any_of(token.begin(), token.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte >= 0x80 || std::isalnum(byte) != 0;
        });
        if (is_word) {
            words.insert(std::move(token));
        }
    }
    return words;
}

double jaccard(const std::set<std::string>& left, const std::set<std::string>& right) {
    if (left.empty() && right.empty()) {
        return 1.0;
    }
    std::size_t shared = 0;
    for (const auto& word : left) {
        shared += right.count(word);
    }
    return static_cast<double>(shared) / static_cast<double>(left.size() + right.size() - shared);
}

}  // namespace

std::string_view id(BlockKind kind) {
    return kind == BlockKind::Heading ? "heading" : "paragraph";
}

std::optional<BlockKind> parse_block_kind(std::string_view text) {
    if (text == "heading") {
        return BlockKind::Heading;
    }
    if (text == "paragraph") {
        return BlockKind::Paragraph;
    }
    return std::nullopt;
}

core::Result<std::vector<Block>> split_blocks(std::string_view markdown, const std::string& field) {
    if (markdown.size() > kMaxTextBytes) {
        return invalid(i18n::gettext_noop("The text is longer than 1 MB."), field);
    }
    if (!core::is_valid_utf8(markdown)) {
        return invalid(i18n::gettext_noop("The text is not valid UTF-8."), field);
    }
    if (core::has_control_characters(markdown) || has_c1_controls(markdown)) {
        return invalid(i18n::gettext_noop("The text contains control characters."), field);
    }
    // NFC never creates or removes a line end, a space or a tab.
    const auto lines = canonical_lines(core::to_nfc(markdown));

    std::vector<Block> blocks;
    std::vector<std::string> current;
    std::string fence;
    auto flush = [&](BlockKind kind, int level) {
        // An unclosed fence runs to the end of the text: its trailing blank lines are not kept.
        while (!current.empty() && current.back().empty()) {
            current.pop_back();
        }
        if (!current.empty()) {
            blocks.push_back(Block{kind, level, join_lines(current)});
            current.clear();
        }
    };
    for (const auto& line : lines) {
        if (!fence.empty()) {
            current.push_back(line);
            if (closes_fence(line, fence)) {
                fence.clear();
                flush(BlockKind::Paragraph, 0);
            }
            continue;
        }
        if (auto opened = fence_of(line); !opened.empty()) {
            flush(BlockKind::Paragraph, 0);
            fence = std::move(opened);
            current.push_back(line);
            continue;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            flush(BlockKind::Paragraph, 0);
            continue;
        }
        if (const int level = atx_level(line); level > 0) {
            flush(BlockKind::Paragraph, 0);
            current.push_back(line);
            flush(BlockKind::Heading, level);
            continue;
        }
        if (const int level = setext_level(line);
            level > 0 && !current.empty() && !starts_list_item(current.front())) {
            current.push_back(line);
            flush(BlockKind::Heading, level);
            continue;
        }
        current.push_back(line);
    }
    flush(BlockKind::Paragraph, 0);

    if (blocks.empty()) {
        return invalid(i18n::gettext_noop("The text is empty."), field);
    }
    for (const auto& block : blocks) {
        if (block.text.size() > kMaxBlockBytes) {
            return invalid(i18n::gettext_noop("A paragraph is longer than 20 kB."), field);
        }
    }
    return blocks;
}

std::string join_blocks(const std::vector<std::string>& texts) {
    std::string out;
    for (const auto& text : texts) {
        if (!out.empty()) {
            out += "\n\n";
        }
        out += text;
    }
    out += '\n';
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (const unsigned char byte : digest) {
        out += kHex[byte >> 4];
        out += kHex[byte & 0x0f];
    }
    return out;
}

std::vector<std::optional<std::size_t>> match_blocks(const std::vector<Block>& before,
                                                     const std::vector<Block>& after) {
    std::vector<std::optional<std::size_t>> matches(after.size());
    std::vector<bool> used(before.size(), false);

    // Identical wordings, in order: a repeated paragraph keeps the anchors in turn.
    std::map<std::string_view, std::vector<std::size_t>> by_text;
    for (std::size_t before_idx = before.size(); before_idx-- > 0;) {
        by_text[before[before_idx].text].push_back(before_idx);
    }
    for (std::size_t after_idx = 0; after_idx < after.size(); ++after_idx) {
        auto found = by_text.find(after[after_idx].text);
        if (found != by_text.end() && !found->second.empty()) {
            matches[after_idx] = found->second.back();
            used[found->second.back()] = true;
            found->second.pop_back();
        }
    }

    std::vector<std::size_t> open_before;
    std::vector<std::size_t> open_after;
    for (std::size_t before_idx = 0; before_idx < before.size(); ++before_idx) {
        if (!used[before_idx]) {
            open_before.push_back(before_idx);
        }
    }
    for (std::size_t after_idx = 0; after_idx < after.size(); ++after_idx) {
        if (!matches[after_idx]) {
            open_after.push_back(after_idx);
        }
    }
    if (open_before.empty() || open_after.empty() ||
        open_before.size() * open_after.size() > kMaxComparedPairs) {
        return matches;
    }

    std::map<std::size_t, std::set<std::string>> before_words;
    for (const auto before_idx : open_before) {
        before_words[before_idx] = word_set(before[before_idx].text);
    }
    // (similarity, after, before), most similar first; ties go to the earlier blocks.
    std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
    for (const auto after_idx : open_after) {
        const auto words = word_set(after[after_idx].text);
        for (const auto before_idx : open_before) {
            if (before[before_idx].kind != after[after_idx].kind) {
                continue;
            }
            const double similarity = jaccard(words, before_words[before_idx]);
            if (similarity >= kSameBlockSimilarity) {
                pairs.emplace_back(similarity, after_idx, before_idx);
            }
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const auto& left, const auto& right) {
        if (std::get<0>(left) != std::get<0>(right)) {
            return std::get<0>(left) > std::get<0>(right);
        }
        return std::tie(std::get<1>(left), std::get<2>(left)) <
               std::tie(std::get<1>(right), std::get<2>(right));
    });
    for (const auto& [similarity, after_idx, before_idx] : pairs) {
        if (!matches[after_idx] && !used[before_idx]) {
            matches[after_idx] = before_idx;
            used[before_idx] = true;
        }
    }
    return matches;
}

}  // namespace coalition::responses
