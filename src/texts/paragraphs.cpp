// Paragraphs of a draft and their alignment between two revisions (texts.hpp).

#include "core/text.hpp"
#include "texts/texts.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace coalition::texts {
namespace {

// ---- Paragraph numbers ---------------------------------------------------------------------

enum class Level { Top, Sub };

struct Number {
    std::string text;  // "12 bis", "(a)", "OP3".
    Level level = Level::Top;
    std::size_t length = 0;  // Bytes of the line taken by the number and its punctuation.
};

constexpr std::array<std::string_view, 9> kLatinSuffixes = {
    "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

std::size_t count_while(std::string_view text, std::size_t from, bool (*predicate)(char)) {
    std::size_t at = from;
    while (at < text.size() && predicate(text[at])) {
        ++at;
    }
    return at - from;
}

// " bis" / "-bis" / "bis" after a number at `at`; the suffix and the bytes it took.
std::pair<std::string_view, std::size_t> latin_suffix(std::string_view line, std::size_t at) {
    std::size_t start = at;
    if (start < line.size() && (line[start] == ' ' || line[start] == '-')) {
        ++start;
    }
    for (const auto suffix : kLatinSuffixes) {
        if (line.substr(start, suffix.size()) == suffix) {
            const std::size_t end = start + suffix.size();
            if (end == line.size() || !std::isalpha(static_cast<unsigned char>(line[end]))) {
                return {suffix, end - at};
            }
        }
    }
    return {{}, 0};
}

// After the number's own punctuation a paragraph number needs white space (or the line's end).
bool ends_number(std::string_view line, std::size_t at) {
    return at == line.size() || is_blank(line[at]);
}

std::optional<Number> digits_number(std::string_view line, std::size_t prefix_length,
                                    bool punctuation_optional) {
    const std::size_t digits = count_while(line, prefix_length, is_digit);
    if (digits == 0 || digits > 4) {
        return std::nullopt;
    }
    std::size_t at = prefix_length + digits;
    std::string text(line.substr(0, at));
    const auto [suffix, suffix_length] = latin_suffix(line, at);
    if (!suffix.empty()) {
        text += ' ';
        text += suffix;
        at += suffix_length;
    }
    if (at < line.size() && (line[at] == '.' || line[at] == ')' || line[at] == ':')) {
        ++at;
    } else if (!punctuation_optional) {
        return std::nullopt;
    }
    if (!ends_number(line, at)) {
        return std::nullopt;
    }
    return Number{.text = std::move(text), .level = Level::Top, .length = at};
}

bool is_roman(char c) {
    return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C';
}
bool is_lower_item(char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c);
}

// The paragraph number a line starts with: "12.", "12 bis.", "OP3", "PP 2.", "(a)", "(iv)",
// "II." (a section), or nullopt.
std::optional<Number> parse_number(std::string_view line) {
    if (line.starts_with("OP") || line.starts_with("PP")) {
        const std::size_t prefix = line.size() > 2 && line[2] == ' ' ? 3 : 2;
        if (auto number = digits_number(line, prefix, true)) {
            number->text = std::string(line.substr(0, 2)) + number->text.substr(prefix);
            return number;
        }
        return std::nullopt;
    }
    if (!line.empty() && is_digit(line[0])) {
        return digits_number(line, 0, false);
    }
    if (line.starts_with("(")) {
        const std::size_t inner = count_while(line, 1, is_lower_item);
        const std::size_t close = 1 + inner;
        if (inner >= 1 && inner <= 4 && close < line.size() && line[close] == ')' &&
            ends_number(line, close + 1)) {
            return Number{.text = std::string(line.substr(0, close + 1)),
                          .level = Level::Sub,
                          .length = close + 1};
        }
        return std::nullopt;
    }
    const std::size_t roman = count_while(line, 0, is_roman);
    if (roman >= 1 && roman <= 6 && roman < line.size() && line[roman] == '.' &&
        ends_number(line, roman + 1)) {
        return Number{
            .text = std::string(line.substr(0, roman)), .level = Level::Top, .length = roman + 1};
    }
    return std::nullopt;
}

// "12 bis" → "12-bis", "5(a)" → "5-a", "OP3" → "op3".
std::string anchor_of(std::string_view key) {
    std::string out;
    for (const char c : key) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 && byte < 0x80) {
            out += static_cast<char>(std::tolower(byte));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return "p-" + out;
}

std::string trim_line(std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = line.find_last_not_of(" \t");
    return std::string(line.substr(first, last - first + 1));
}

// ---- Alignment -----------------------------------------------------------------------------

// What alignment needs of a paragraph: its distinct words (lower case, numbered), its body with
// the white space collapsed (for "the same words"), and its size in words.
struct Profile {
    std::vector<int> words;  // Sorted, distinct.
    std::string normal;
};

class Vocabulary {
public:
    Profile profile(const Paragraph& paragraph) {
        Profile out;
        const std::string lower = core::to_lower(paragraph.body);
        for (const auto& token : split_words(lower)) {
            if (token.find_first_not_of(" \t\r\n") == std::string::npos) {
                if (!out.normal.empty() && out.normal.back() != ' ') {
                    out.normal += ' ';
                }
                continue;
            }
            out.normal += token;
            if (is_word_token(token)) {
                const auto [found, inserted] =
                    numbers_.try_emplace(token, static_cast<int>(numbers_.size()));
                out.words.push_back(found->second);
            }
        }
        while (!out.normal.empty() && out.normal.back() == ' ') {
            out.normal.pop_back();
        }
        std::sort(out.words.begin(), out.words.end());
        out.words.erase(std::unique(out.words.begin(), out.words.end()), out.words.end());
        return out;
    }

private:
    static bool is_word_token(std::string_view token) {
        std::int32_t offset = 0;
        UChar32 code_point = 0;
        U8_NEXT(reinterpret_cast<const std::uint8_t*>(token.data()), offset,
                static_cast<std::int32_t>(token.size()), code_point);
        return code_point >= 0 && u_isalnum(code_point);
    }

    std::unordered_map<std::string, int> numbers_;
};

std::size_t common_words(const std::vector<int>& a, const std::vector<int>& b) {
    std::size_t common = 0;
    auto left = a.begin();
    auto right = b.begin();
    while (left != a.end() && right != b.end()) {
        if (*left < *right) {
            ++left;
        } else if (*right < *left) {
            ++right;
        } else {
            ++common;
            ++left;
            ++right;
        }
    }
    return common;
}

double jaccard(const std::vector<int>& a, const std::vector<int>& b) {
    if (a.empty() && b.empty()) {
        return 1.0;
    }
    const std::size_t common = common_words(a, b);
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// Share of `part`'s words found in `whole`.
double containment(const std::vector<int>& part, const std::vector<int>& whole) {
    if (part.empty()) {
        return 0.0;
    }
    return static_cast<double>(common_words(part, whole)) / static_cast<double>(part.size());
}

std::vector<int> union_of(const std::vector<const Profile*>& profiles) {
    std::vector<int> out;
    for (const auto* profile : profiles) {
        out.insert(out.end(), profile->words.begin(), profile->words.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

constexpr int kNone = -1;

// Matched paragraphs: group g holds old paragraphs before[g] and new paragraphs after[g].
class Matching {
public:
    Matching(std::size_t before_count, std::size_t after_count)
        : old_group_(before_count, kNone), new_group_(after_count, kNone) {}

    void pair(std::size_t old_idx, std::size_t new_idx) {
        const int group = static_cast<int>(groups_.size());
        groups_.push_back({{old_idx}, {new_idx}});
        old_group_[old_idx] = group;
        new_group_[new_idx] = group;
    }
    void add_old(int group, std::size_t old_idx) {
        auto& olds = groups_[static_cast<std::size_t>(group)].first;
        olds.insert(std::upper_bound(olds.begin(), olds.end(), old_idx), old_idx);
        old_group_[old_idx] = group;
    }
    void add_new(int group, std::size_t new_idx) {
        auto& news = groups_[static_cast<std::size_t>(group)].second;
        news.insert(std::upper_bound(news.begin(), news.end(), new_idx), new_idx);
        new_group_[new_idx] = group;
    }
    bool old_free(std::size_t old_idx) const { return old_group_[old_idx] == kNone; }
    bool new_free(std::size_t new_idx) const { return new_group_[new_idx] == kNone; }
    int old_group(std::size_t old_idx) const { return old_group_[old_idx]; }
    int new_group(std::size_t new_idx) const { return new_group_[new_idx]; }
    const std::vector<std::size_t>& olds(int group) const {
        return groups_[static_cast<std::size_t>(group)].first;
    }
    const std::vector<std::size_t>& news(int group) const {
        return groups_[static_cast<std::size_t>(group)].second;
    }
    std::size_t group_count() const { return groups_.size(); }

private:
    std::vector<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> groups_;
    std::vector<int> old_group_;
    std::vector<int> new_group_;
};

// Old paragraphs whose text reappears unchanged: same number first, then anywhere.
void match_identical(const std::vector<Paragraph>& before, const std::vector<Paragraph>& after,
                     const std::vector<Profile>& old_profiles,
                     const std::vector<Profile>& new_profiles, Matching& matching) {
    std::map<std::string, std::size_t> new_by_key;
    for (std::size_t new_idx = 0; new_idx < after.size(); ++new_idx) {
        if (!after[new_idx].key.empty()) {
            new_by_key.emplace(after[new_idx].key, new_idx);
        }
    }
    for (std::size_t old_idx = 0; old_idx < before.size(); ++old_idx) {
        const auto found = new_by_key.find(before[old_idx].key);
        if (!before[old_idx].key.empty() && found != new_by_key.end() &&
            matching.new_free(found->second) &&
            old_profiles[old_idx].normal == new_profiles[found->second].normal) {
            matching.pair(old_idx, found->second);
        }
    }
    std::map<std::string_view, std::vector<std::size_t>> new_by_text;
    for (std::size_t new_idx = after.size(); new_idx-- > 0;) {
        if (matching.new_free(new_idx) && !new_profiles[new_idx].normal.empty()) {
            new_by_text[new_profiles[new_idx].normal].push_back(new_idx);
        }
    }
    for (std::size_t old_idx = 0; old_idx < before.size(); ++old_idx) {
        if (!matching.old_free(old_idx)) {
            continue;
        }
        auto found = new_by_text.find(old_profiles[old_idx].normal);
        if (found != new_by_text.end() && !found->second.empty()) {
            matching.pair(old_idx, found->second.back());
            found->second.pop_back();
        }
    }
}

void match_similar(const std::vector<Paragraph>& before, const std::vector<Paragraph>& after,
                   const std::vector<Profile>& old_profiles,
                   const std::vector<Profile>& new_profiles, Matching& matching) {
    // Same number, and similar enough not to be a different paragraph that took the number.
    std::map<std::string, std::size_t> new_by_key;
    for (std::size_t new_idx = 0; new_idx < after.size(); ++new_idx) {
        if (!after[new_idx].key.empty() && matching.new_free(new_idx)) {
            new_by_key.emplace(after[new_idx].key, new_idx);
        }
    }
    for (std::size_t old_idx = 0; old_idx < before.size(); ++old_idx) {
        const auto found = new_by_key.find(before[old_idx].key);
        if (matching.old_free(old_idx) && !before[old_idx].key.empty() &&
            found != new_by_key.end() && matching.new_free(found->second) &&
            jaccard(old_profiles[old_idx].words, new_profiles[found->second].words) >=
                kSameNumberThreshold) {
            matching.pair(old_idx, found->second);
        }
    }
    // Then the most similar remaining pairs, nearest first among equals.
    struct Candidate {
        double similarity;
        std::size_t distance;
        std::size_t old_idx;
        std::size_t new_idx;
    };
    std::vector<Candidate> candidates;
    for (std::size_t old_idx = 0; old_idx < before.size(); ++old_idx) {
        if (!matching.old_free(old_idx)) {
            continue;
        }
        for (std::size_t new_idx = 0; new_idx < after.size(); ++new_idx) {
            if (!matching.new_free(new_idx)) {
                continue;
            }
            const double similarity =
                jaccard(old_profiles[old_idx].words, new_profiles[new_idx].words);
            if (similarity >= kSimilarityThreshold) {
                candidates.push_back({similarity,
                                      old_idx > new_idx ? old_idx - new_idx : new_idx - old_idx,
                                      old_idx, new_idx});
            }
        }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.similarity != b.similarity ? a.similarity > b.similarity : a.distance < b.distance;
    });
    for (const auto& candidate : candidates) {
        if (matching.old_free(candidate.old_idx) && matching.new_free(candidate.new_idx)) {
            matching.pair(candidate.old_idx, candidate.new_idx);
        }
    }
}

bool has_words(const Profile& profile) {
    return profile.words.size() >= 2;
}

// A free new paragraph next to a part of a split (or a free old one next to a part of a merge)
// joins it when its words come from the other side; two free neighbours both made of one free
// paragraph's words are a split (or merge) of their own.
void match_splits_and_merges(const std::vector<Profile>& old_profiles,
                             const std::vector<Profile>& new_profiles, Matching& matching) {
    const auto group_words = [&](int group, bool old_side) {
        std::vector<const Profile*> parts;
        for (const auto idx : old_side ? matching.olds(group) : matching.news(group)) {
            parts.push_back(old_side ? &old_profiles[idx] : &new_profiles[idx]);
        }
        return union_of(parts);
    };
    // Splits: a free new paragraph joins the group of a neighbour when made of the old words.
    for (std::size_t new_idx = 0; new_idx < new_profiles.size(); ++new_idx) {
        if (!matching.new_free(new_idx) || !has_words(new_profiles[new_idx])) {
            continue;
        }
        for (const std::size_t neighbour : {new_idx - 1, new_idx + 1}) {
            if (neighbour >= new_profiles.size() || matching.new_free(neighbour)) {
                continue;
            }
            const int group = matching.new_group(neighbour);
            if (matching.olds(group).size() == 1 &&
                containment(new_profiles[new_idx].words, group_words(group, true)) >=
                    kContainmentThreshold) {
                matching.add_new(group, new_idx);
                break;
            }
        }
    }
    // Merges: a free old paragraph joins the group of a neighbour when its words are in the new.
    for (std::size_t old_idx = 0; old_idx < old_profiles.size(); ++old_idx) {
        if (!matching.old_free(old_idx) || !has_words(old_profiles[old_idx])) {
            continue;
        }
        for (const std::size_t neighbour : {old_idx - 1, old_idx + 1}) {
            if (neighbour >= old_profiles.size() || matching.old_free(neighbour)) {
                continue;
            }
            const int group = matching.old_group(neighbour);
            if (matching.news(group).size() == 1 &&
                containment(old_profiles[old_idx].words, group_words(group, false)) >=
                    kContainmentThreshold) {
                matching.add_old(group, old_idx);
                break;
            }
        }
    }
    // Two free consecutive new paragraphs made of one free old one (and the reverse).
    for (std::size_t old_idx = 0; old_idx < old_profiles.size(); ++old_idx) {
        if (!matching.old_free(old_idx) || !has_words(old_profiles[old_idx])) {
            continue;
        }
        for (std::size_t new_idx = 0; new_idx + 1 < new_profiles.size(); ++new_idx) {
            if (!matching.new_free(new_idx) || !matching.new_free(new_idx + 1)) {
                continue;
            }
            const auto& first = new_profiles[new_idx];
            const auto& second = new_profiles[new_idx + 1];
            if (has_words(first) && has_words(second) &&
                containment(first.words, old_profiles[old_idx].words) >= kContainmentThreshold &&
                containment(second.words, old_profiles[old_idx].words) >= kContainmentThreshold &&
                containment(old_profiles[old_idx].words, union_of({&first, &second})) >=
                    kContainmentThreshold) {
                matching.pair(old_idx, new_idx);
                matching.add_new(matching.old_group(old_idx), new_idx + 1);
                break;
            }
        }
    }
    for (std::size_t new_idx = 0; new_idx < new_profiles.size(); ++new_idx) {
        if (!matching.new_free(new_idx) || !has_words(new_profiles[new_idx])) {
            continue;
        }
        for (std::size_t old_idx = 0; old_idx + 1 < old_profiles.size(); ++old_idx) {
            if (!matching.old_free(old_idx) || !matching.old_free(old_idx + 1)) {
                continue;
            }
            const auto& first = old_profiles[old_idx];
            const auto& second = old_profiles[old_idx + 1];
            if (has_words(first) && has_words(second) &&
                containment(first.words, new_profiles[new_idx].words) >= kContainmentThreshold &&
                containment(second.words, new_profiles[new_idx].words) >= kContainmentThreshold &&
                containment(new_profiles[new_idx].words, union_of({&first, &second})) >=
                    kContainmentThreshold) {
                matching.pair(old_idx, new_idx);
                matching.add_old(matching.new_group(new_idx), old_idx + 1);
                break;
            }
        }
    }
}

// Groups outside the longest run whose new order follows the old order.
std::vector<bool> moved_groups(const Matching& matching) {
    std::vector<int> by_old(matching.group_count());
    for (std::size_t group = 0; group < by_old.size(); ++group) {
        by_old[group] = static_cast<int>(group);
    }
    std::sort(by_old.begin(), by_old.end(),
              [&](int a, int b) { return matching.olds(a).front() < matching.olds(b).front(); });
    // Longest increasing subsequence of the new positions (patience sorting with back links).
    std::vector<std::size_t> tails;  // Indices into by_old.
    std::vector<int> previous(by_old.size(), kNone);
    for (std::size_t idx = 0; idx < by_old.size(); ++idx) {
        const std::size_t position = matching.news(by_old[idx]).front();
        const auto slot = std::lower_bound(tails.begin(), tails.end(), position,
                                           [&](std::size_t tail, std::size_t value) {
                                               return matching.news(by_old[tail]).front() < value;
                                           });
        if (slot != tails.begin()) {
            previous[idx] = static_cast<int>(*(slot - 1));
        }
        if (slot == tails.end()) {
            tails.push_back(idx);
        } else {
            *slot = idx;
        }
    }
    std::vector<bool> moved(by_old.size(), true);
    for (int idx = tails.empty() ? kNone : static_cast<int>(tails.back()); idx != kNone;
         idx = previous[static_cast<std::size_t>(idx)]) {
        moved[static_cast<std::size_t>(by_old[static_cast<std::size_t>(idx)])] = false;
    }
    return moved;
}

std::string joined_bodies(const std::vector<Paragraph>& paragraphs,
                          const std::vector<std::size_t>& indices) {
    std::string out;
    for (const auto idx : indices) {
        if (!out.empty()) {
            out += '\n';
        }
        out += paragraphs[idx].body;
    }
    return out;
}

AlignedParagraph group_row(const Comparison& comparison, const Matching& matching, int group,
                           bool moved, const std::vector<Profile>& old_profiles,
                           const std::vector<Profile>& new_profiles) {
    AlignedParagraph row;
    row.before = matching.olds(group);
    row.after = matching.news(group);
    row.moved = moved;
    std::vector<const Profile*> old_parts;
    std::vector<const Profile*> new_parts;
    for (const auto idx : row.before) {
        old_parts.push_back(&old_profiles[idx]);
    }
    for (const auto idx : row.after) {
        new_parts.push_back(&new_profiles[idx]);
    }
    row.similarity = jaccard(union_of(old_parts), union_of(new_parts));
    const std::string before = joined_bodies(comparison.before, row.before);
    const std::string after = joined_bodies(comparison.after, row.after);
    const bool same_words = row.before.size() == 1 && row.after.size() == 1 &&
                            old_profiles[row.before[0]].normal == new_profiles[row.after[0]].normal;
    if (row.before.size() > 1) {
        row.change = ParagraphChange::Merged;
    } else if (row.after.size() > 1) {
        row.change = ParagraphChange::Split;
    } else if (same_words) {
        row.change = moved ? ParagraphChange::Moved : ParagraphChange::Unchanged;
    } else {
        row.change = ParagraphChange::Changed;
    }
    row.renumbered =
        comparison.before[row.before.front()].number != comparison.after[row.after.front()].number;
    if (same_words && before == after) {
        row.diff.push_back(Piece{.change = Change::Same, .text = after});
    } else {
        row.diff = diff_words(before, after);
    }
    return row;
}

void count(ComparisonCounts& counts, ParagraphChange change) {
    switch (change) {
        case ParagraphChange::Unchanged:
            ++counts.unchanged;
            break;
        case ParagraphChange::Changed:
            ++counts.changed;
            break;
        case ParagraphChange::Added:
            ++counts.added;
            break;
        case ParagraphChange::Removed:
            ++counts.removed;
            break;
        case ParagraphChange::Moved:
            ++counts.moved;
            break;
        case ParagraphChange::Split:
            ++counts.split;
            break;
        case ParagraphChange::Merged:
            ++counts.merged;
            break;
    }
}

std::string numbers_of(const std::vector<Paragraph>& paragraphs,
                       const std::vector<std::size_t>& indices) {
    std::string out;
    for (const auto idx : indices) {
        if (paragraphs[idx].number.empty()) {
            continue;
        }
        if (!out.empty()) {
            out += ", ";
        }
        out += paragraphs[idx].number;
    }
    return out;
}

}  // namespace

std::vector<Paragraph> split_paragraphs(std::string_view text) {
    std::vector<Paragraph> paragraphs;
    std::string parent;  // The last top-level number, for "(a)" under it.
    std::map<std::string, int> seen_keys;
    std::size_t unnumbered = 0;
    bool open = false;  // The last paragraph may take more lines.
    const auto start = [&](const std::string& line) {
        Paragraph paragraph;
        if (const auto number = parse_number(line)) {
            paragraph.number = number->text;
            if (number->level == Level::Top) {
                parent = number->text;
                paragraph.key = number->text;
            } else {
                paragraph.key = parent + number->text;
            }
            paragraph.body = trim_line(std::string_view(line).substr(number->length));
        } else {
            paragraph.body = line;
        }
        paragraph.text = line;
        paragraphs.push_back(std::move(paragraph));
        open = true;
    };
    std::size_t position = 0;
    while (position <= text.size()) {
        std::size_t end = text.find_first_of("\r\n", position);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string line = trim_line(text.substr(position, end - position));
        if (line.empty()) {
            open = false;
        } else if (!open || parse_number(line)) {
            start(line);
        } else {
            paragraphs.back().text += '\n' + line;
            paragraphs.back().body += (paragraphs.back().body.empty() ? "" : "\n") + line;
        }
        if (end == text.size()) {
            break;
        }
        position = end + (text.substr(end, 2) == "\r\n" ? 2 : 1);
    }
    // Keys and anchors unique: a repeated number gets "#2", "-2"…; an anchor that still meets
    // another ("1" twice gives "p-1-2", as does "(2)" under 1) takes the next free "-N".
    std::set<std::string> anchors;
    for (auto& paragraph : paragraphs) {
        std::string base =
            paragraph.key.empty() ? "u" + std::to_string(++unnumbered) : paragraph.key;
        int seen = ++seen_keys[base];
        if (seen > 1 && !paragraph.key.empty()) {
            paragraph.key += "#" + std::to_string(seen);
        }
        const std::string anchor = anchor_of(base);
        paragraph.anchor = seen > 1 ? anchor + "-" + std::to_string(seen) : anchor;
        while (!anchors.insert(paragraph.anchor).second) {
            paragraph.anchor = anchor + "-" + std::to_string(++seen);
        }
    }
    return paragraphs;
}

std::string_view id(ParagraphChange change) {
    switch (change) {
        case ParagraphChange::Unchanged:
            return "unchanged";
        case ParagraphChange::Changed:
            return "changed";
        case ParagraphChange::Added:
            return "added";
        case ParagraphChange::Removed:
            return "removed";
        case ParagraphChange::Moved:
            return "moved";
        case ParagraphChange::Split:
            return "split";
        case ParagraphChange::Merged:
            return "merged";
    }
    return "unchanged";
}

Comparison compare(std::string_view before, std::string_view after) {
    Comparison comparison;
    comparison.before = split_paragraphs(before);
    comparison.after = split_paragraphs(after);
    Vocabulary vocabulary;
    std::vector<Profile> old_profiles;
    std::vector<Profile> new_profiles;
    for (const auto& paragraph : comparison.before) {
        old_profiles.push_back(vocabulary.profile(paragraph));
    }
    for (const auto& paragraph : comparison.after) {
        new_profiles.push_back(vocabulary.profile(paragraph));
    }
    Matching matching(comparison.before.size(), comparison.after.size());
    match_identical(comparison.before, comparison.after, old_profiles, new_profiles, matching);
    match_similar(comparison.before, comparison.after, old_profiles, new_profiles, matching);
    match_splits_and_merges(old_profiles, new_profiles, matching);
    const auto moved = moved_groups(matching);

    // Rows in the new order; each removed paragraph follows the row of the old one before it.
    std::vector<AlignedParagraph> rows;
    std::vector<int> row_of_group(matching.group_count(), kNone);
    for (std::size_t new_idx = 0; new_idx < comparison.after.size(); ++new_idx) {
        const int group = matching.new_group(new_idx);
        if (group == kNone) {
            AlignedParagraph row;
            row.change = ParagraphChange::Added;
            row.after = {new_idx};
            row.similarity = 0.0;
            row.diff.push_back(
                Piece{.change = Change::Inserted, .text = comparison.after[new_idx].body});
            rows.push_back(std::move(row));
        } else if (row_of_group[static_cast<std::size_t>(group)] == kNone) {
            row_of_group[static_cast<std::size_t>(group)] = static_cast<int>(rows.size());
            rows.push_back(group_row(comparison, matching, group,
                                     moved[static_cast<std::size_t>(group)], old_profiles,
                                     new_profiles));
        }
    }
    std::vector<AlignedParagraph> leading;
    std::vector<std::vector<AlignedParagraph>> trailing(rows.size());
    for (std::size_t old_idx = 0; old_idx < comparison.before.size(); ++old_idx) {
        if (!matching.old_free(old_idx)) {
            continue;
        }
        AlignedParagraph row;
        row.change = ParagraphChange::Removed;
        row.before = {old_idx};
        row.similarity = 0.0;
        row.diff.push_back(
            Piece{.change = Change::Deleted, .text = comparison.before[old_idx].body});
        std::size_t previous = old_idx;
        while (previous > 0 && matching.old_free(previous - 1)) {
            --previous;
        }
        if (previous == 0) {
            leading.push_back(std::move(row));
        } else {
            const int group = matching.old_group(previous - 1);
            trailing[static_cast<std::size_t>(row_of_group[static_cast<std::size_t>(group)])]
                .push_back(std::move(row));
        }
    }
    comparison.rows = std::move(leading);
    for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
        comparison.rows.push_back(std::move(rows[row_idx]));
        for (auto& removed : trailing[row_idx]) {
            comparison.rows.push_back(std::move(removed));
        }
    }
    for (const auto& row : comparison.rows) {
        count(comparison.counts, row.change);
    }
    return comparison;
}

std::string row_label(const AlignedParagraph& row, const ComparisonLabels& labels) {
    switch (row.change) {
        case ParagraphChange::Unchanged:
            return labels.unchanged;
        case ParagraphChange::Changed:
            return row.moved ? labels.changed + ", " + labels.moved_too : labels.changed;
        case ParagraphChange::Added:
            return labels.added;
        case ParagraphChange::Removed:
            return labels.removed;
        case ParagraphChange::Moved:
            return labels.moved;
        case ParagraphChange::Split:
            return labels.split;
        case ParagraphChange::Merged:
            return labels.merged;
    }
    return labels.unchanged;
}

std::string row_numbers(const Comparison& comparison, const AlignedParagraph& row,
                        const ComparisonLabels& labels) {
    std::string before = numbers_of(comparison.before, row.before);
    std::string after = numbers_of(comparison.after, row.after);
    if (row.after.empty()) {
        return before;
    }
    if (before.empty() || before == after) {
        return after;
    }
    return (after.empty() ? "–" : after) + " (" + labels.was + " " + before + ")";
}

std::string comparison_to_markdown(const Comparison& comparison, const ComparisonLabels& labels,
                                   bool with_unchanged) {
    std::string out;
    for (const auto& row : comparison.rows) {
        if (row.change == ParagraphChange::Unchanged && !with_unchanged) {
            continue;
        }
        const std::string numbers = row_numbers(comparison, row, labels);
        out += "**\\[" + escape_markdown(row_label(row, labels)) + "\\]";
        if (!numbers.empty()) {
            out += " " + escape_markdown(numbers);
        }
        out += "**\n\n";
        out += diff_to_markdown(row.diff);
        out += "\n\n";
    }
    return out;
}

}  // namespace coalition::texts
