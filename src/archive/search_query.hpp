#pragma once
// archive (private to search): a user's search text parsed into clauses of our own tokens, and
// the same clauses written for each engine (an FTS5 MATCH expression, a PostgreSQL tsquery
// literal). Nothing of the user's text reaches either engine except tokens made only of letters,
// numbers and marks, so quotes, NEAR, *, ^, :, parentheses and AND/OR are never syntax.

#include "core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::archive::search {

inline constexpr std::size_t kMaxQueryBytes = 512;
inline constexpr std::size_t kMaxClauses = 16;

struct Clause {
    bool excluded = false;
    // One surface form: matches that form or any of `stems` (unquoted single words). Several:
    // a phrase of consecutive surface forms ("quoted", or one written word ICU splits, such as
    // 数字契约 or e-mail). A quoted single word matches its surface form only.
    std::vector<std::string> surfaces;
    std::vector<std::string> stems;  // Without kStemMarker; English/French/Spanish/Russian.
};

struct ParsedQuery {
    std::vector<Clause> clauses;  // At least one not excluded.
};

// Words, "quoted phrases" and -excluded terms. Invalid: more than kMaxQueryBytes, invalid
// UTF-8, or nothing to look for (only punctuation, stopwords or exclusions). Clauses past
// kMaxClauses are ignored.
core::Result<ParsedQuery> parse_query(std::string_view text);

// FTS5 MATCH expression: every token a "string", positive clauses joined by AND, then NOT each
// excluded one.
std::string to_fts5(const ParsedQuery& query);

// PostgreSQL tsquery literal (for CAST($n AS tsquery)): & between clauses, | between a surface
// form and its stems, <-> inside phrases, ! before exclusions.
std::string to_tsquery(const ParsedQuery& query);

}  // namespace coalition::archive::search
