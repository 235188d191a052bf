#pragma once
// archive: plain text from an HTML-only message, for display and search. Private to archive/.
// Never produces markup: tags are dropped, the content of script, style, title, template and
// comments is dropped, character references are decoded, block elements become line breaks and
// white space collapses as a browser would (kept inside <pre>). Tolerant of any bytes; the result
// is not cleaned (the caller makes it valid UTF-8).

#include <string>
#include <string_view>

namespace coalition::archive {

std::string html_to_text(std::string_view html);

}  // namespace coalition::archive
