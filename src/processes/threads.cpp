// The milestone form's thread references (see processes.hpp, ThreadReference).

#include "core/text.hpp"
#include "processes/processes.hpp"

#include <algorithm>
#include <charconv>

namespace coalition::processes {
namespace {

core::Error thread_error(const char* message) {
    return core::Error::invalid(message, "threads");
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// RFC 3986 §2.1 percent-decoding; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        if (text[idx] != '%') {
            out.push_back(text[idx]);
            continue;
        }
        if (idx + 2 >= text.size()) {
            return std::nullopt;
        }
        const int high = hex_value(text[idx + 1]);
        const int low = hex_value(text[idx + 2]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(high * 16 + low));
        idx += 2;
    }
    return out;
}

// A Message-ID as RFC 5322 §3.6.4 has it, without the angle brackets: "left@right", no spaces,
// angle brackets or control characters.
bool is_message_id(std::string_view text) {
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) {
        return false;
    }
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7F || c == '<' || c == '>';
    });
}

std::string_view strip_angle_brackets(std::string_view text) {
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>') {
        text.remove_prefix(1);
        text.remove_suffix(1);
    }
    return text;
}

// The path of a URL ("https://host/lists/x/m/3?q#f" → "/lists/x/m/3"), or the text itself when it
// is a path; query and fragment dropped. nullopt for anything else.
std::optional<std::string_view> path_of(std::string_view line) {
    if (line.starts_with("http://") || line.starts_with("https://")) {
        const auto host = line.find("://") + 3;
        const auto slash = line.find('/', host);
        if (slash == std::string_view::npos) {
            return std::nullopt;
        }
        line.remove_prefix(slash);
    }
    if (!line.starts_with("/")) {
        return std::nullopt;
    }
    return line.substr(0, line.find_first_of("?#"));
}

std::optional<ThreadReference> parse_line(std::string_view line) {
    ThreadReference reference;
    reference.line = std::string(line);
    const auto path = path_of(line);
    if (!path) {
        // Not a path or URL: a bare Message-ID.
        const auto bare = strip_angle_brackets(line);
        if (!is_message_id(bare)) {
            return std::nullopt;
        }
        reference.message_id = std::string(bare);
        return reference;
    }
    std::string_view rest = *path;
    if (rest.starts_with("/r/")) {
        const auto decoded = percent_decode(rest.substr(3));
        if (!decoded) {
            return std::nullopt;
        }
        const auto bare = strip_angle_brackets(*decoded);
        if (!is_message_id(bare)) {
            return std::nullopt;
        }
        reference.message_id = std::string(bare);
        return reference;
    }
    // "/lists/NAME/m/ID", with an optional final slash.
    if (!rest.starts_with("/lists/")) {
        return std::nullopt;
    }
    rest.remove_prefix(7);
    if (rest.ends_with("/")) {
        rest.remove_suffix(1);
    }
    const auto slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos || rest.substr(slash, 3) != "/m/") {
        return std::nullopt;
    }
    const std::string_view digits = rest.substr(slash + 3);
    std::int64_t id = 0;
    const auto* end = digits.data() + digits.size();
    if (digits.empty() || std::from_chars(digits.data(), end, id).ptr != end || id <= 0) {
        return std::nullopt;
    }
    const auto name = percent_decode(rest.substr(0, slash));
    if (!name || name->empty() || name->find('/') != std::string::npos) {
        return std::nullopt;
    }
    reference.list_name = *name;
    reference.archive_message_id = id;
    return reference;
}

}  // namespace

core::Result<std::vector<ThreadReference>> parse_thread_references(std::string_view text) {
    if (!core::is_valid_utf8(text)) {
        return thread_error("Threads must be valid UTF-8 text.");
    }
    std::vector<ThreadReference> references;
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        const std::string trimmed = core::trim(line);
        if (trimmed.empty()) {
            continue;
        }
        if (core::has_control_characters(trimmed)) {
            return thread_error("Threads must not contain control characters.");
        }
        if (core::character_count(trimmed) > kMaxThreadReferenceCharacters) {
            return thread_error("A thread address or Message-ID is too long.");
        }
        auto reference = parse_line(trimmed);
        if (!reference) {
            return thread_error(
                "Give each thread as an archive address (/lists/NAME/m/ID), an /r/ address or a "
                "Message-ID, one a line.");
        }
        const bool is_repeat =
            std::any_of(references.begin(), references.end(), [&](const ThreadReference& seen) {
                return seen.list_name == reference->list_name &&
                       seen.archive_message_id == reference->archive_message_id &&
                       seen.message_id == reference->message_id;
            });
        if (is_repeat) {
            continue;
        }
        if (references.size() == kMaxThreadLinks) {
            return thread_error("At most 20 threads can be linked to a milestone.");
        }
        references.push_back(std::move(*reference));
    }
    return references;
}

std::string describe(const std::vector<ThreadLink>& threads) {
    std::string out;
    for (const auto& thread : threads) {
        out += out.empty() ? "<" : ", <";
        out += thread.message_id;
        out += ">";
    }
    return out;
}

}  // namespace coalition::processes
