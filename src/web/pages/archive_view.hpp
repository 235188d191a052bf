#pragma once
// How the list archive's pages show a message, as pure functions over text (no services, no
// I/O), so that each rule is tested on its own: addresses obscured for visitors, a message's text
// cut into plain, quoted and signature blocks, the headers that make an attachment a download and
// never a page, the reply link, and the few formats the archive URLs use (YYYY-MM, YYYY-MM-DD).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web::archive_view {

// "alice@example.org" → "a…@example.org": the first character of the local part kept, the rest
// replaced by an ellipsis, the domain kept (visitors see which organisation wrote, harvesters get
// no address). Text that is not an address comes back unchanged.
std::string obscure_address(std::string_view address, std::string_view ellipsis = "\u2026");

// Every address-looking run (local@domain.tld) in free text obscured as obscure_address does.
// The rest of the text is unchanged, byte for byte.
std::string obscure_addresses(std::string_view text, std::string_view ellipsis = "\u2026");

// A message's raw bytes (or a whole mbox, `is_mbox`) with addresses obscured for visitors of a
// public archive: in the body and in every header field except Message-ID, In-Reply-To and
// References (identifiers look like addresses but must stay intact to link messages), and in
// mbox "From " lines. The ellipsis is "..." here: header fields and From lines stay ASCII.
// Lines and line endings are otherwise unchanged.
enum class RawKind { Message, Mbox };
std::string obscure_raw(std::string_view raw, RawKind kind);

// One block of a message's text, in order.
struct TextBlock {
    enum class Kind { Text, Quote, Signature };
    Kind kind = Kind::Text;
    std::string text;       // The lines, joined by "\n", without a trailing line break.
    std::size_t lines = 0;  // How many lines the block holds.
};

// Cuts plain text into blocks: runs of lines starting with ">" are quotes; everything after the
// last signature separator ("-- " or "--" alone on a line, RFC 3676 §4.3) is the signature. CRLF
// and LF are both line ends. Blank lines between quotes stay with the plain text.
std::vector<TextBlock> text_blocks(std::string_view text);

// The Content-Type an attachment is served with: a short list of types that browsers never
// run as a document (PDF, raster images, office files, archives, plain text and CSV); anything
// else — text/html, image/svg+xml, XML, JavaScript, unknown types — is
// application/octet-stream. `declared` is the type from the message, in any case, with or
// without parameters.
std::string safe_content_type(std::string_view declared);

// The file name to offer: the last path component of `filename` (both / and \ separate), with
// control characters dropped, leading dots and spaces removed, at most 150 characters; when
// nothing is left, "attachment-<index + 1>".
std::string safe_filename(std::string_view filename, std::size_t index);

// RFC 6266 Content-Disposition for a download: `attachment; filename="<ASCII fallback>";
// filename*=UTF-8''<percent-encoded name>` (RFC 8187). The fallback replaces non-ASCII bytes,
// quotes and backslashes by '_'. `filename` should come from safe_filename.
std::string attachment_disposition(std::string_view filename);

// A mailto: link (RFC 6068) to `list_address` replying to `message_id` (without <>) with the
// subject "Re: <subject>" (not doubled when it already starts with "Re:").
std::string reply_mailto(std::string_view list_address, std::string_view message_id,
                         std::string_view subject);

// "YYYY-MM" with a month 01–12 and a year 1970–9999; nullopt otherwise.
std::optional<std::string> parse_month(std::string_view text);

// "YYYY-MM-DD" → unix seconds at 00:00 UTC that day (end_of_day: 23:59:59); nullopt for
// anything that is not a valid date.
std::optional<std::int64_t> parse_day(std::string_view text, bool end_of_day = false);

// A Message-ID as it arrives in /r/…: surrounding whitespace and one pair of <> removed.
std::string bare_message_id(std::string_view text);

}  // namespace coalition::web::archive_view
