#pragma once
// Helpers shared by the fuzz targets: an invariant check that aborts (so libFuzzer records the
// input as a crash), and a strict UTF-8 validator written independently of core::is_valid_utf8,
// so that a bug there cannot hide a bug in what it checks.

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace coalition::fuzz {

// Prints `what` and the offending text (escaped), then aborts.
[[noreturn]] inline void invariant_broken(const char* what, std::string_view text) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n  text (%zu bytes): \"", what, text.size());
    for (unsigned char c : text) {
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            std::fputc(c, stderr);
        } else {
            std::fprintf(stderr, "\\x%02x", c);
        }
    }
    std::fputs("\"\n", stderr);
    std::abort();
}

#define COALITION_FUZZ_CHECK(condition, what, text)              \
    do {                                                         \
        if (!(condition)) {                                      \
            ::coalition::fuzz::invariant_broken((what), (text)); \
        }                                                        \
    } while (false)

// RFC 3629 well-formed UTF-8: shortest form, no surrogates (U+D800..U+DFFF), nothing past U+10FFFF.
inline bool is_well_formed_utf8(std::string_view text) {
    std::size_t index = 0;
    while (index < text.size()) {
        const auto lead = static_cast<unsigned char>(text[index]);
        if (lead < 0x80) {
            ++index;
            continue;
        }
        std::size_t length = 0;
        char32_t code_point = 0;
        char32_t minimum = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2, code_point = lead & 0x1F, minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, code_point = lead & 0x0F, minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, code_point = lead & 0x07, minimum = 0x10000;
        } else {
            return false;
        }
        if (index + length > text.size()) {
            return false;
        }
        for (std::size_t continuation_idx = 1; continuation_idx < length; ++continuation_idx) {
            const auto byte = static_cast<unsigned char>(text[index + continuation_idx]);
            if ((byte & 0xC0) != 0x80) {
                return false;
            }
            code_point = (code_point << 6) | (byte & 0x3F);
        }
        if (code_point < minimum || code_point > 0x10FFFF ||
            (code_point >= 0xD800 && code_point <= 0xDFFF)) {
            return false;
        }
        index += length;
    }
    return true;
}

inline bool is_ascii(std::string_view text) {
    for (unsigned char c : text) {
        if (c >= 0x80) {
            return false;
        }
    }
    return true;
}

}  // namespace coalition::fuzz
