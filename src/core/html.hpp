#pragma once
// HTML escaping: the one implementation behind templates, error pages, diffs, snippets and charts.

#include <string>
#include <string_view>

namespace coalition::core {

// Appends `text` to `out` with & < > " ' escaped, safe for HTML text and quoted attribute values
// (and for XML text). Bytes are copied as they are otherwise: callers validate UTF-8 first.
void append_escaped_html(std::string& out, std::string_view text);
std::string escape_html(std::string_view text);

}  // namespace coalition::core
