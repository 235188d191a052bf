// Word differences and their rendering (texts.hpp).

#include "core/unavailable.hpp"
#include "texts/texts.hpp"

#include <dtl/dtl.hpp>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <memory>
#include <unordered_map>

namespace coalition::texts {
namespace {

// One word-break iterator per thread: creating one costs far more than using it.
icu::BreakIterator& word_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> created(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status) || !created) {
            throw core::Unavailable("ICU word break iterator unavailable");
        }
        return created;
    }();
    return *iterator;
}

bool is_space(std::string_view text) {
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            return false;
        }
    }
    return true;
}

// True when the token starts with a letter, a digit or an ideograph (a word, not punctuation).
bool is_word(std::string_view token) {
    if (token.empty()) {
        return false;
    }
    std::int32_t offset = 0;
    UChar32 code_point = 0;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(token.data()), offset,
            static_cast<std::int32_t>(token.size()), code_point);
    return code_point >= 0 && u_isalnum(code_point);
}

// A run of tokens between two Same runs (or the Same run itself).
struct Group {
    bool same = true;
    std::string text;  // Same.
    std::string deleted;
    std::string inserted;
};

void append(std::vector<Group>& groups, Change change, std::string_view token) {
    const bool same = change == Change::Same;
    if (groups.empty() || groups.back().same != same) {
        groups.push_back(Group{.same = same, .text = {}, .deleted = {}, .inserted = {}});
    }
    Group& group = groups.back();
    if (same) {
        group.text += token;
    } else if (change == Change::Deleted) {
        group.deleted += token;
    } else {
        group.inserted += token;
    }
}

void push(std::vector<Group>& out, Group group) {
    if (group.same && !out.empty() && out.back().same) {
        out.back().text += group.text;
    } else {
        out.push_back(std::move(group));
    }
}

// A lone run of spaces between two changes joins them so that phrases read whole: when together
// they replace words, "<del>the old</del><ins>a new</ins>"; when both only insert (or only
// delete) and the second ends with the same spaces, those spaces move after the joined change
// ("open<ins>, fair and transparent</ins> to all").
std::vector<Group> join_phrases(std::vector<Group> groups) {
    std::vector<Group> out;
    for (std::size_t group_idx = 0; group_idx < groups.size(); ++group_idx) {
        Group& group = groups[group_idx];
        if (group.same && is_space(group.text) && !out.empty() && !out.back().same &&
            group_idx + 1 < groups.size()) {
            Group& previous = out.back();
            Group& next = groups[group_idx + 1];
            const bool deletes = !previous.deleted.empty() || !next.deleted.empty();
            const bool inserts = !previous.inserted.empty() || !next.inserted.empty();
            if (deletes && inserts) {
                previous.deleted += group.text + next.deleted;
                previous.inserted += group.text + next.inserted;
                ++group_idx;
                continue;
            }
            std::string& joined = deletes ? previous.deleted : previous.inserted;
            const std::string& following = deletes ? next.deleted : next.inserted;
            if (following.ends_with(group.text) && following.size() > group.text.size()) {
                joined += group.text + following.substr(0, following.size() - group.text.size());
                std::string spaces = std::move(group.text);
                ++group_idx;
                push(out,
                     Group{.same = true, .text = std::move(spaces), .deleted = {}, .inserted = {}});
                continue;
            }
        }
        push(out, std::move(group));
    }
    return out;
}

// ~~text~~ or **text**, the markers tight around each line's words.
void append_marked_markdown(std::string& out, std::string_view text, std::string_view marker) {
    std::size_t position = 0;
    while (position <= text.size()) {
        std::size_t end = text.find('\n', position);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(position, end - position);
        std::size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) {
            out += line;
        } else {
            std::size_t last = line.find_last_not_of(" \t\r");
            out += line.substr(0, first);
            out += marker;
            out += escape_markdown(line.substr(first, last - first + 1));
            out += marker;
            out += line.substr(last + 1);
        }
        if (end == text.size()) {
            break;
        }
        out += '\n';
        position = end + 1;
    }
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> tokens;
    if (text.empty()) {
        return tokens;
    }
    UErrorCode status = U_ZERO_ERROR;
    UText* utext =
        utext_openUTF8(nullptr, text.data(), static_cast<std::int64_t>(text.size()), &status);
    if (U_FAILURE(status)) {
        throw core::Unavailable("ICU could not open the text");
    }
    icu::BreakIterator& iterator = word_iterator();
    iterator.setText(utext, status);
    std::int32_t start = iterator.first();
    for (std::int32_t end = iterator.next(); end != icu::BreakIterator::DONE;
         start = end, end = iterator.next()) {
        tokens.emplace_back(
            text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
    }
    utext_close(utext);
    return tokens;
}

WordDiff diff_words(std::string_view before, std::string_view after) {
    const auto before_tokens = split_words(before);
    const auto after_tokens = split_words(after);
    // dtl compares ints far faster than strings: each distinct token gets a number.
    std::unordered_map<std::string_view, int> numbers;
    std::vector<std::string_view> by_number;
    const auto number = [&](const std::string& token) {
        const auto [found, inserted] =
            numbers.try_emplace(token, static_cast<int>(by_number.size()));
        if (inserted) {
            by_number.push_back(token);
        }
        return found->second;
    };
    std::vector<int> a;
    std::vector<int> b;
    a.reserve(before_tokens.size());
    b.reserve(after_tokens.size());
    for (const auto& token : before_tokens) {
        a.push_back(number(token));
    }
    for (const auto& token : after_tokens) {
        b.push_back(number(token));
    }
    dtl::Diff<int, std::vector<int>> diff(a, b);
    diff.compose();
    std::vector<Group> groups;
    for (const auto& [element, info] : diff.getSes().getSequence()) {
        const Change change = info.type == dtl::SES_ADD      ? Change::Inserted
                              : info.type == dtl::SES_DELETE ? Change::Deleted
                                                             : Change::Same;
        append(groups, change, by_number[static_cast<std::size_t>(element)]);
    }
    WordDiff out;
    for (auto& group : join_phrases(std::move(groups))) {
        if (group.same) {
            out.push_back(Piece{.change = Change::Same, .text = std::move(group.text)});
            continue;
        }
        if (!group.deleted.empty()) {
            out.push_back(Piece{.change = Change::Deleted, .text = std::move(group.deleted)});
        }
        if (!group.inserted.empty()) {
            out.push_back(Piece{.change = Change::Inserted, .text = std::move(group.inserted)});
        }
    }
    return out;
}

DiffCounts count_words(const WordDiff& diff) {
    DiffCounts counts;
    for (const auto& piece : diff) {
        if (piece.change == Change::Same) {
            continue;
        }
        std::size_t words = 0;
        for (const auto& token : split_words(piece.text)) {
            words += is_word(token) ? 1 : 0;
        }
        (piece.change == Change::Inserted ? counts.inserted : counts.deleted) += words;
    }
    return counts;
}

std::string diff_to_html(const WordDiff& diff, const MarkLabels& labels) {
    std::string out;
    for (const auto& piece : diff) {
        if (piece.change == Change::Same) {
            core::append_escaped_html(out, piece.text);
            continue;
        }
        const bool inserted = piece.change == Change::Inserted;
        out += inserted ? "<ins class=\"text-inserted\">" : "<del class=\"text-deleted\">";
        out += "<span class=\"visually-hidden\">[";
        core::append_escaped_html(out, inserted ? labels.inserted : labels.deleted);
        out += ": </span>";
        core::append_escaped_html(out, piece.text);
        out += "<span class=\"visually-hidden\">]</span>";
        out += inserted ? "</ins>" : "</del>";
    }
    return out;
}

std::string escape_markdown(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    bool line_start = true;
    for (const char c : text) {
        const bool special = c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' ||
                             c == ']' || c == '<' || c == '>' || c == '#' || c == '|' || c == '~' ||
                             c == '&' || c == '!' ||
                             (line_start && (c == '-' || c == '+' || c == '='));
        if (special) {
            out += '\\';
        }
        out += c;
        if (c == '\n') {
            line_start = true;
        } else if (c != ' ' && c != '\t') {
            line_start = false;
        }
    }
    return out;
}

std::string diff_to_markdown(const WordDiff& diff) {
    std::string out;
    for (const auto& piece : diff) {
        switch (piece.change) {
            case Change::Same:
                out += escape_markdown(piece.text);
                break;
            case Change::Deleted:
                append_marked_markdown(out, piece.text, "~~");
                break;
            case Change::Inserted:
                append_marked_markdown(out, piece.text, "**");
                break;
        }
    }
    return out;
}

}  // namespace coalition::texts
