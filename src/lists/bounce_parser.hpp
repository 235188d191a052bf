#pragma once
// The parsing half of bounces: parse_bounce (declared in bounces.hpp) and the small MIME reader
// under it. Pure, no GMime and no database, so the fuzz target builds it alone (fuzz/bounce_fuzz).
// Private to lists/.
//
// A bounce is read in this order: RFC 3464 delivery-status parts (message/delivery-status or
// RFC 6533's message/global-delivery-status, anywhere in the MIME tree, the returned message
// itself never looked into); failing those, the text of the common non-standard reports
// (Postfix without DSN, qmail, Exim, Microsoft Exchange, and any "… failed:" section).

#include "lists/bounces.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::lists::bounce_parser {

using Headers = std::vector<std::pair<std::string, std::string>>;  // Names lower-case, unfolded.

struct Part {
    Headers headers;
    std::string content_type;  // "text/plain" (lower-case), "text/plain" when absent.
    std::string body;          // Decoded from base64 or quoted-printable.
};

// The leaf parts of `message` in order, at most kMaxParts, nested at most kMaxDepth deep; an
// attached message (message/rfc822, text/rfc822-headers) is a leaf and never parsed further.
inline constexpr std::size_t kMaxParts = 64;
inline constexpr int kMaxDepth = 8;
std::vector<Part> leaf_parts(std::string_view message);

// The first value of header `name` (lower-case) in `headers`, or "".
std::string header(const Headers& headers, std::string_view name);

// The top-level header of `message`.
Headers top_headers(std::string_view message);

// True for an RFC 3834 auto-reply or a vacation message (not a bounce).
bool is_auto_reply(std::string_view message);

}  // namespace coalition::lists::bounce_parser
