#pragma once
// archive (private to search): the snippet shown with a search hit, made in C++ from the message
// text so that both backends show the same.

#include "archive/search_query.hpp"

#include <string>
#include <string_view>

namespace coalition::archive::search {

inline constexpr std::size_t kSnippetWords = 32;

// Escaped HTML: about kSnippetWords words of `text` around the densest group of words that
// match the query's positive clauses (surface form, or stem in the text's language), each such
// word in <mark>…</mark>, white space collapsed, "…" where text was cut. The start of the text
// when nothing matches (the hit was in the subject); "" for an empty text.
std::string snippet_html(std::string_view text, const ParsedQuery& query);

}  // namespace coalition::archive::search
