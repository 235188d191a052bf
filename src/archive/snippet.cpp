#include "archive/snippet.hpp"

#include "archive/tokenizer.hpp"
#include "core/html.hpp"

#include <algorithm>
#include <unordered_set>

namespace coalition::archive::search {

namespace {

// The words of the text, one per ICU word (the pieces of a split word merged), with whether
// each one matches.
struct SpanHit {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool hit = false;
};

std::vector<SpanHit> spans(std::string_view text, const ParsedQuery& query) {
    std::unordered_set<std::string> surfaces;
    std::unordered_set<std::string> stems;
    for (const Clause& clause : query.clauses) {
        if (clause.excluded) {
            continue;
        }
        surfaces.insert(clause.surfaces.begin(), clause.surfaces.end());
        stems.insert(clause.stems.begin(), clause.stems.end());
    }
    const std::vector<Word> all = words(text);
    const Language language = detect_language(all);
    std::vector<SpanHit> out;
    for (const Word& word : all) {
        bool hit = surfaces.contains(word.surface);
        if (!hit && !stems.empty()) {
            const std::string word_stem = stem(word.surface, language);
            hit = !word_stem.empty() && stems.contains(word_stem);
        }
        if (!out.empty() && out.back().begin == word.begin) {
            out.back().hit = out.back().hit || hit;
        } else {
            out.push_back(SpanHit{word.begin, word.end, hit});
        }
    }
    return out;
}

// `text` escaped, each run of white space (and any NUL) made one space.
void append_escaped(std::string& out, std::string_view text) {
    const auto is_space = [](char character) {
        return character == ' ' || character == '\n' || character == '\r' || character == '\t' ||
               character == '\f' || character == '\v' || character == '\0';
    };
    std::size_t index = 0;
    while (index < text.size()) {
        if (is_space(text[index])) {
            out += ' ';
            while (index < text.size() && is_space(text[index])) {
                ++index;
            }
            continue;
        }
        const std::size_t start = index;
        while (index < text.size() && !is_space(text[index])) {
            ++index;
        }
        core::append_escaped_html(out, text.substr(start, index - start));
    }
}

// The first word of the window: the one that starts the run of kSnippetWords words holding
// the most hits, moved back a few words so the first hit has some context.
std::size_t window_start(const std::vector<SpanHit>& all) {
    constexpr std::size_t kContextWords = 6;
    std::size_t best_start = 0;
    std::size_t best_hits = 0;
    std::size_t hits_in_window = 0;
    for (std::size_t word_idx = 0; word_idx < all.size(); ++word_idx) {
        hits_in_window += all[word_idx].hit ? 1 : 0;
        if (word_idx >= kSnippetWords && all[word_idx - kSnippetWords].hit) {
            --hits_in_window;
        }
        if (hits_in_window > best_hits) {
            best_hits = hits_in_window;
            best_start = word_idx + 1 >= kSnippetWords ? word_idx + 1 - kSnippetWords : 0;
        }
    }
    if (best_hits == 0) {
        return 0;
    }
    while (!all[best_start].hit) {
        ++best_start;
    }
    return best_start >= kContextWords ? best_start - kContextWords : 0;
}

}  // namespace

std::string snippet_html(std::string_view text, const ParsedQuery& query) {
    constexpr std::size_t kMaxSnippetBytes = 600;
    const std::vector<SpanHit> all = spans(text, query);
    if (all.empty()) {
        std::size_t cut = std::min(text.size(), kMaxSnippetBytes);
        while (cut > 0 && cut < text.size() &&
               (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        std::string out;
        append_escaped(out, text.substr(0, cut));
        return out;
    }
    const std::size_t first = window_start(all);
    std::size_t last = std::min(all.size(), first + kSnippetWords);  // One past the window.
    while (last > first + 1 && all[last - 1].end - all[first].begin > kMaxSnippetBytes) {
        --last;
    }
    std::string out = first > 0 ? "… " : "";
    std::size_t at = all[first].begin;
    for (std::size_t word_idx = first; word_idx < last; ++word_idx) {
        const SpanHit& word = all[word_idx];
        append_escaped(out, text.substr(at, word.begin - at));
        if (word.hit) {
            out += "<mark>";
            append_escaped(out, text.substr(word.begin, word.end - word.begin));
            out += "</mark>";
        } else {
            append_escaped(out, text.substr(word.begin, word.end - word.begin));
        }
        at = word.end;
    }
    // Punctuation right after the last word (a full stop) belongs to it.
    std::size_t tail = at;
    while (tail < text.size() && tail - at < 4 && text[tail] != ' ' && text[tail] != '\n' &&
           (last == all.size() || tail < all[last].begin)) {
        ++tail;
    }
    // Stop at a UTF-8 character boundary.
    while (tail > at && tail < text.size() &&
           (static_cast<unsigned char>(text[tail]) & 0xC0) == 0x80) {
        --tail;
    }
    append_escaped(out, text.substr(at, tail - at));
    if (last < all.size()) {
        out += " …";
    }
    return out;
}

}  // namespace coalition::archive::search
