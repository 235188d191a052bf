#pragma once
// Text helpers for outside input: UTF-8 validity, NFC, trimming, length in characters.

#include <cstddef>
#include <string>
#include <string_view>

namespace coalition::core {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// True when every byte of `text` is ASCII (below 0x80).
bool is_ascii(std::string_view text);

// True when `a` and `b` are equal ignoring the case of ASCII letters (protocol keywords, header
// names, language tags); other bytes must match exactly.
bool equals_ignoring_ascii_case(std::string_view a, std::string_view b);

// True when `text` holds a control character other than tab, CR and LF (NUL included).
bool has_control_characters(std::string_view text);

// Unicode NFC normalisation; `text` must be valid UTF-8.
std::string to_nfc(std::string_view text);

// Lower case (Unicode default case mapping, locale-independent); `text` must be valid UTF-8.
std::string to_lower(std::string_view text);

// Removes leading and trailing ASCII and Unicode white space.
std::string trim(std::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
std::size_t character_count(std::string_view text);

}  // namespace coalition::core
