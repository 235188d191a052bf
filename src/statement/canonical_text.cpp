// canonical_text() and version_hash(): the bytes whose SHA-256 names a published version.

#include "core/random.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "statement/statement.hpp"

#include <sodium.h>

#include <cstdint>
#include <string>

namespace coalition::statement {
namespace {

// An input this large cannot become a text of kMaxTextCharacters characters (4 bytes each at
// most, plus trailing white space that is removed); refused before NFC normalisation runs on it.
constexpr std::size_t kMaxInputBytes = 8 * kMaxTextCharacters;

// C1 controls (U+0080–U+009F) are "\xC2\x80" … "\xC2\x9F" in UTF-8; core's check covers C0 and DEL.
bool has_c1_controls(std::string_view text) {
    for (std::size_t index = 0; index + 1 < text.size(); ++index) {
        const auto lead = static_cast<unsigned char>(text[index]);
        const auto next = static_cast<unsigned char>(text[index + 1]);
        if (lead == 0xC2 && next >= 0x80 && next <= 0x9F) {
            return true;
        }
    }
    return false;
}

// Line ends become "\n": CRLF and a lone CR alike.
std::string unify_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (text[index] == '\r') {
            out += '\n';
            if (index + 1 < text.size() && text[index + 1] == '\n') {
                ++index;
            }
        } else {
            out += text[index];
        }
    }
    return out;
}

core::Error invalid(std::string_view message) {
    return core::Error::invalid(std::string(message), "markdown");
}

}  // namespace

core::Result<std::string> canonical_text(std::string_view markdown) {
    if (markdown.size() > kMaxInputBytes) {
        return invalid(i18n::gettext_noop("The text is too long."));
    }
    if (!core::is_valid_utf8(markdown)) {
        return invalid(i18n::gettext_noop("The text is not valid UTF-8."));
    }
    if (core::has_control_characters(markdown) || has_c1_controls(markdown)) {
        return invalid(i18n::gettext_noop("The text contains control characters."));
    }
    // NFC after the line ends are unified: normalisation never creates or removes a "\n", a
    // space or a tab, so the trimming below sees the same lines either way.
    const std::string normalised = core::to_nfc(unify_line_ends(markdown));
    std::string out;
    out.reserve(normalised.size() + 1);
    std::size_t start = 0;
    while (start <= normalised.size()) {
        std::size_t end = normalised.find('\n', start);
        if (end == std::string::npos) {
            end = normalised.size();
        }
        std::size_t last = end;
        while (last > start && (normalised[last - 1] == ' ' || normalised[last - 1] == '\t')) {
            --last;
        }
        out.append(normalised, start, last - start);
        out += '\n';
        start = end + 1;
    }
    while (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    if (out.find_first_not_of('\n') == std::string::npos) {
        return invalid(i18n::gettext_noop("Write the text."));
    }
    out += '\n';
    if (core::character_count(out) > kMaxTextCharacters) {
        return invalid(i18n::gettext_noop("The text is too long."));
    }
    return out;
}

std::string version_hash(std::string_view canonical) {
    std::uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                       canonical.size());
    return core::to_hex(digest, sizeof digest);
}

}  // namespace coalition::statement
