#include "core/text.hpp"

#include "core/unavailable.hpp"

#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace coalition::core {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

bool is_valid_utf8(std::string_view text) {
    std::int32_t offset = 0;
    const auto length = static_cast<std::int32_t>(text.size());
    if (text.size() > static_cast<std::size_t>(INT32_MAX)) {
        return false;
    }
    while (offset < length) {
        UChar32 code_point = 0;
        U8_NEXT(reinterpret_cast<const std::uint8_t*>(text.data()), offset, length, code_point);
        if (code_point < 0) {
            return false;
        }
    }
    return true;
}

bool has_control_characters(std::string_view text) {
    for (unsigned char c : text) {
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
            return true;
        }
    }
    return false;
}

std::string to_nfc(std::string_view text) {
    if (is_ascii(text)) {
        return std::string(text);  // ASCII is its own NFC.
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        throw Unavailable("ICU NFC normaliser unavailable");
    }
    const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
    if (!is_valid_utf8(text)) {
        // Through UTF-16, which replaces each invalid sequence with U+FFFD.
        const icu::UnicodeString normalised =
            nfc->normalize(icu::UnicodeString::fromUTF8(piece), status);
        std::string out;
        normalised.toUTF8String(out);
        return out;
    }
    // Valid UTF-8 is checked and normalised as it is: most text is NFC already, and converting
    // it to UTF-16 and back to find that out was most of the work.
    if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
        return std::string(text);
    }
    status = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    nfc->normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status)) {
        throw Unavailable("ICU NFC normaliser failed");
    }
    return out;
}

std::string to_lower(std::string_view text) {
    if (is_ascii(text)) {
        std::string out(text);
        for (char& c : out) {
            c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        return out;
    }
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    unicode.toLower(icu::Locale::getRoot());
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

namespace {

bool is_ascii_whitespace(char c) {
    // The ASCII characters with White_Space=yes: tab, LF, VT, FF, CR and space.
    return c == ' ' || (c >= '\t' && c <= '\r');
}

}  // namespace

std::string trim(std::string_view text) {
    // ASCII edges of valid UTF-8 need no ICU: only a character beyond ASCII may be other
    // whitespace. (Invalid UTF-8 goes through UTF-16, which replaces it with U+FFFD.)
    while (!text.empty() && is_ascii_whitespace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_ascii_whitespace(text.back())) {
        text.remove_suffix(1);
    }
    if (text.empty() || (static_cast<unsigned char>(text.front()) < 0x80 &&
                         static_cast<unsigned char>(text.back()) < 0x80 && is_valid_utf8(text))) {
        return std::string(text);
    }
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    std::int32_t start = 0;
    std::int32_t end = unicode.length();
    while (start < end && u_isUWhiteSpace(unicode.char32At(start))) {
        start = unicode.moveIndex32(start, 1);
    }
    while (end > start && u_isUWhiteSpace(unicode.char32At(unicode.moveIndex32(end, -1)))) {
        end = unicode.moveIndex32(end, -1);
    }
    std::string out;
    unicode.tempSubStringBetween(start, end).toUTF8String(out);
    return out;
}

std::size_t character_count(std::string_view text) {
    std::size_t count = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

}  // namespace coalition::core
