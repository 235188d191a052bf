#pragma once
// The footer step of decorate(), on a parsed GMime message. Private to lists/decorate.cpp.

#include "mail/gmime_support.hpp"

#include <string_view>

namespace coalition::lists {

// Adds `footer` (UTF-8, lines separated by LF; "" adds nothing) to `message`, as Mailman does:
// - one text/plain body that is not an attachment, not inline-PGP, in a charset that can hold
//   the footer (us-ascii, utf-8, or an ASCII-compatible legacy charset the footer converts to
//   losslessly): the footer is appended to the text, which keeps its charset and transfer
//   encoding (7bit becomes quoted-printable when the text is no longer ASCII);
// - a multipart/mixed body: a text/plain; charset=utf-8 part is appended as its last part;
// - anything else (multipart/alternative, multipart/signed, multipart/encrypted, HTML, a text
//   part we cannot append to): the body is wrapped in a new multipart/mixed whose first part is
//   the original, untouched, and whose second part is the footer.
void add_footer(GMimeMessage* message, std::string_view footer);

}  // namespace coalition::lists
