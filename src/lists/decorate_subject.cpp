#include "lists/decorate_subject.hpp"

#include <array>
#include <cstddef>

namespace coalition::lists {
namespace {

constexpr std::string_view kNoSubject = "(no subject)";

// Reply markers mail clients put in front of a subject (Mailman's RE_PATTERN and a few more of
// the six UN languages' clients). ASCII ones match case-insensitively.
constexpr std::array<std::string_view, 13> kReplyMarkers = {
    "re", "aw", "sv", "vs", "antw", "odp", "ref", "réf", "res", "отв", "رد", "回复", "答复"};
constexpr std::string_view kFullwidthColon = "\xef\xbc\x9a";  // U+FF1A, as Chinese clients write.

char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_ascii_nocase(std::string_view text, std::string_view word) {
    if (text.size() < word.size()) {
        return false;
    }
    for (std::size_t idx = 0; idx < word.size(); ++idx) {
        if (lower_ascii(text[idx]) != lower_ascii(word[idx])) {
            return false;
        }
    }
    return true;
}

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::size_t skip_spaces(std::string_view text, std::size_t position) {
    while (position < text.size() && is_space(text[position])) {
        ++position;
    }
    return position;
}

// The length of one reply marker with its colon at the start of `text` ("Re[2] :"), or 0.
std::size_t reply_marker_length(std::string_view text) {
    for (const std::string_view marker : kReplyMarkers) {
        if (!starts_with_ascii_nocase(text, marker)) {
            continue;
        }
        std::size_t position = marker.size();
        if (position < text.size() && text[position] == '[') {
            std::size_t digits_end = position + 1;
            while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') {
                ++digits_end;
            }
            if (digits_end > position + 1 && digits_end < text.size() && text[digits_end] == ']') {
                position = digits_end + 1;
            }
        }
        position = skip_spaces(text, position);
        if (position < text.size() && text[position] == ':') {
            return position + 1;
        }
        if (text.substr(position).starts_with(kFullwidthColon)) {
            return position + kFullwidthColon.size();
        }
    }
    return 0;
}

// Removes every occurrence of `prefix` (ASCII case-insensitive) and the space left doubled.
std::string without_prefix(std::string text, std::string_view prefix) {
    std::size_t position = 0;
    while (position + prefix.size() <= text.size()) {
        if (!starts_with_ascii_nocase(std::string_view(text).substr(position), prefix)) {
            ++position;
            continue;
        }
        text.erase(position, prefix.size());
        if (position < text.size() && is_space(text[position]) &&
            (position == 0 || is_space(text[position - 1]))) {
            text.erase(position, 1);
        }
        // The removal may join the text around it into a new occurrence ("[[x]x]").
        position = position >= prefix.size() ? position - prefix.size() : 0;
    }
    return text;
}

std::string trimmed(std::string_view text) {
    const std::size_t begin = skip_spaces(text, 0);
    std::size_t end = text.size();
    while (end > begin && is_space(text[end - 1])) {
        --end;
    }
    return std::string(text.substr(begin, end - begin));
}

}  // namespace

std::string prefixed_subject(std::string_view subject, std::string_view prefix) {
    if (prefix.empty()) {
        return std::string(subject);
    }
    std::string text(subject);
    for (char& c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            c = ' ';
        }
    }
    text = trimmed(without_prefix(std::move(text), prefix));
    bool is_reply = false;
    std::size_t position = 0;
    while (const std::size_t length =
               reply_marker_length(std::string_view(text).substr(position))) {
        is_reply = true;
        position = skip_spaces(text, position + length);
    }
    std::string rest = trimmed(std::string_view(text).substr(position));
    if (rest.empty()) {
        rest = kNoSubject;
    }
    return (is_reply ? "Re: " : "") + std::string(prefix) + " " + rest;
}

}  // namespace coalition::lists
