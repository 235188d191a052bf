#include "archive/search_query.hpp"

#include "archive/tokenizer.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace coalition::archive::search {

namespace {

bool is_space(char character) {
    return character == ' ' || character == '\t' || character == '\n' || character == '\r' ||
           character == '\f' || character == '\v';
}

void add_unique(std::vector<std::string>& list, std::string value) {
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
        list.push_back(std::move(value));
    }
}

// Builds the clause for one written term or phrase; false when nothing of it is searchable.
bool make_clause(std::string_view written, bool quoted, bool excluded, Clause& clause) {
    clause.excluded = excluded;
    for (Word& word : words(written)) {
        clause.surfaces.push_back(std::move(word.surface));
    }
    if (clause.surfaces.empty()) {
        return false;
    }
    if (clause.surfaces.size() == 1) {
        if (is_stopword(clause.surfaces.front())) {
            return false;
        }
        if (!quoted) {
            for (Language language : kStemmedLanguages) {
                add_unique(clause.stems, stem(clause.surfaces.front(), language));
            }
        }
    }
    return true;
}

// Tokens hold only letters, numbers and marks (tokenizer.hpp), but quote defensively anyway.
std::string quoted(std::string_view token, char quote) {
    std::string out(1, quote);
    for (char character : token) {
        out += character;
        if (character == quote) {
            out += quote;
        }
    }
    out += quote;
    return out;
}

std::string fts5_clause(const Clause& clause) {
    if (clause.surfaces.size() > 1) {
        std::string phrase;
        for (const std::string& surface : clause.surfaces) {
            phrase += phrase.empty() ? "" : " ";
            phrase += surface;
        }
        return quoted(phrase, '"');
    }
    std::string out = "(" + quoted(clause.surfaces.front(), '"');
    for (const std::string& stem : clause.stems) {
        out += " OR " + quoted(std::string(kStemMarker) + stem, '"');
    }
    return out + ")";
}

std::string tsquery_clause(const Clause& clause) {
    std::string out = "(";
    if (clause.surfaces.size() > 1) {
        for (std::size_t surface_idx = 0; surface_idx < clause.surfaces.size(); ++surface_idx) {
            out += surface_idx == 0 ? "" : " <-> ";
            out += quoted(clause.surfaces[surface_idx], '\'');
        }
        return out + ")";
    }
    out += quoted(clause.surfaces.front(), '\'');
    for (const std::string& stem : clause.stems) {
        out += " | " + quoted(std::string(kStemMarker) + stem, '\'');
    }
    return out + ")";
}

}  // namespace

core::Result<ParsedQuery> parse_query(std::string_view text) {
    if (text.size() > kMaxQueryBytes) {
        return core::Error::invalid("The search is too long.", "q");
    }
    if (!core::is_valid_utf8(text)) {
        return core::Error::invalid("The search is not valid text.", "q");
    }
    ParsedQuery query;
    std::size_t at = 0;
    while (at < text.size() && query.clauses.size() < kMaxClauses) {
        if (is_space(text[at])) {
            ++at;
            continue;
        }
        bool excluded = false;
        if (text[at] == '-' && at + 1 < text.size() && !is_space(text[at + 1])) {
            excluded = true;
            ++at;
        }
        const bool is_quoted = text[at] == '"';
        std::size_t end = at;
        std::string_view written;
        if (is_quoted) {
            end = text.find('"', at + 1);
            end = end == std::string_view::npos ? text.size() : end;
            written = text.substr(at + 1, end - at - 1);
            at = std::min(text.size(), end + 1);
        } else {
            while (end < text.size() && !is_space(text[end]) && text[end] != '"') {
                ++end;
            }
            written = text.substr(at, end - at);
            at = end;
        }
        Clause clause;
        if (make_clause(written, is_quoted, excluded, clause)) {
            query.clauses.push_back(std::move(clause));
        }
    }
    const bool has_positive = std::any_of(query.clauses.begin(), query.clauses.end(),
                                          [](const Clause& clause) { return !clause.excluded; });
    if (!has_positive) {
        return core::Error::invalid("Give at least one word to look for.", "q");
    }
    return query;
}

std::string to_fts5(const ParsedQuery& query) {
    std::string positive;
    std::string negative;
    for (const Clause& clause : query.clauses) {
        if (clause.excluded) {
            negative += " NOT " + fts5_clause(clause);
        } else {
            positive += positive.empty() ? "" : " AND ";
            positive += fts5_clause(clause);
        }
    }
    return "(" + positive + ")" + negative;
}

std::string to_tsquery(const ParsedQuery& query) {
    std::string out;
    for (const Clause& clause : query.clauses) {
        out += out.empty() ? "" : " & ";
        out += clause.excluded ? "!" : "";
        out += tsquery_clause(clause);
    }
    return out;
}

}  // namespace coalition::archive::search
