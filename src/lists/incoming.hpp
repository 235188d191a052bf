#pragma once
// lists::IncomingMessage: what intake needs to know of a message that reached a list address,
// read once with GMime. Private to lists/. Every text field is valid UTF-8, NFC, without NUL or
// other control characters (safe to store and to show), whatever bytes came in: 8-bit headers
// are read as UTF-8 when they are, else as Latin-1 by GMime, and anything still invalid becomes
// U+FFFD.

#include "core/email.hpp"
#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {

struct IncomingMessage {
    std::string message_id;             // Without <>; "" when missing or unusable.
    std::optional<core::Email> author;  // The first From mailbox, when it is an address.
    std::string author_text;            // That address as written (cleaned), even if invalid.
    std::string author_name;
    std::string subject;                  // Decoded (RFC 2047).
    std::vector<std::string> list_ids;    // Each List-Id value, inside its <>, lower case.
    std::vector<std::string> loop_marks;  // Each X-Coalition-Loop value, trimmed, lower case.
    // RFC 3834 Auto-Submitted other than "no", or Precedence bulk/junk/list: never answer it.
    bool is_automatic = false;
    // Up to kMaxTextLines lines of the first text/plain part, decoded to UTF-8, each trimmed.
    std::vector<std::string> text_lines;
    std::size_t text_line_count = 0;  // All the lines of that part (non-empty ones).
};

inline constexpr std::size_t kMaxTextLines = 20;
inline constexpr std::size_t kMaxMessageIdLength = 250;

// Reads `raw`. Invalid ("This is not a mail message.") when GMime cannot build a message or the
// message has no header field at all. Never throws.
core::Result<IncomingMessage> read_incoming(std::string_view raw);

// `text` as storable text: invalid UTF-8 sequences become U+FFFD, NUL and other control
// characters a space (tabs, CR and LF too unless `keep_lines`), then NFC, cut to at most
// `max_bytes` on a character boundary.
std::string clean_text(std::string_view text, std::size_t max_bytes, bool keep_lines = false);

// A Message-ID as stored: without <>, printable ASCII without spaces, at most
// kMaxMessageIdLength; "" when `value` is none of that.
std::string normalise_message_id(std::string_view value);

}  // namespace coalition::lists
