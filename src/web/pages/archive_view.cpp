// How the archive pages show a message (see the header).

#include "web/pages/archive_view.hpp"

#include "core/text.hpp"
#include "web/forms.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace coalition::web::archive_view {
namespace {

bool is_local_byte(unsigned char c) {
    if (c >= 0x80) {
        return true;  // UTF-8 of an internationalised local part (RFC 6531).
    }
    if (std::isalnum(c) != 0) {
        return true;
    }
    static constexpr std::string_view kSpecials = ".!#$%&'*+-/=?^_`{|}~";
    return kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_domain_byte(unsigned char c) {
    return c >= 0x80 || std::isalnum(c) != 0 || c == '-' || c == '.';
}

// The length of the UTF-8 sequence that starts with `lead` (1 for anything malformed).
std::size_t sequence_length(unsigned char lead) {
    if (lead >= 0xF0 && lead < 0xF8) {
        return 4;
    }
    if (lead >= 0xE0) {
        return lead < 0xF0 ? 3 : 1;
    }
    if (lead >= 0xC0) {
        return 2;
    }
    return 1;
}

std::string lower_ascii(std::string_view text) {
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lowered;
}

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

bool is_blank(std::string_view line) {
    return trim_spaces(line).empty();
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

}  // namespace

std::string obscure_address(std::string_view address, std::string_view ellipsis) {
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= address.size()) {
        return std::string(address);
    }
    const std::size_t first = std::min(sequence_length(static_cast<unsigned char>(address[0])), at);
    return std::string(address.substr(0, first)) + std::string(ellipsis) +
           std::string(address.substr(at));
}

std::string obscure_addresses(std::string_view text, std::string_view ellipsis) {
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;  // Bytes of `text` already in `out`.
    std::size_t search_from = 0;
    while (true) {
        const std::size_t at = text.find('@', search_from);
        if (at == std::string_view::npos) {
            break;
        }
        search_from = at + 1;
        std::size_t begin = at;
        while (begin > copied && is_local_byte(static_cast<unsigned char>(text[begin - 1]))) {
            --begin;
        }
        // A UTF-8 sequence cut at its start is not a local part's first character.
        while (begin < at && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) {
            ++begin;
        }
        std::size_t end = at + 1;
        while (end < text.size() && is_domain_byte(static_cast<unsigned char>(text[end]))) {
            ++end;
        }
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) {
            --end;  // "write to a@b.org." ends the sentence, not the domain.
        }
        const std::string_view domain = text.substr(at + 1, end - at - 1);
        if (begin == at || domain.empty() || domain.front() == '.' ||
            domain.find('.') == std::string_view::npos) {
            continue;
        }
        out.append(text.substr(copied, begin - copied));
        out += obscure_address(text.substr(begin, end - begin), ellipsis);
        copied = end;
        search_from = end;
    }
    out.append(text.substr(copied));
    return out;
}

std::string obscure_raw(std::string_view raw, RawKind kind) {
    static constexpr std::string_view kAsciiEllipsis = "...";
    std::string out;
    out.reserve(raw.size());
    bool in_headers = kind == RawKind::Message;
    bool keep_field = false;  // The current header field is an identifier field.
    std::size_t start = 0;
    while (start < raw.size()) {
        std::size_t end = raw.find('\n', start);
        end = end == std::string_view::npos ? raw.size() : end + 1;
        const std::string_view line = raw.substr(start, end - start);
        start = end;
        if (kind == RawKind::Mbox && line.starts_with("From ")) {
            in_headers = true;
            keep_field = false;
            out += obscure_addresses(line, kAsciiEllipsis);
            continue;
        }
        if (in_headers) {
            if (line == "\n" || line == "\r\n") {
                in_headers = false;
                out += line;
                continue;
            }
            if (!line.empty() && line.front() != ' ' && line.front() != '\t') {
                const std::string name = lower_ascii(trim_spaces(line.substr(0, line.find(':'))));
                keep_field = name == "message-id" || name == "in-reply-to" ||
                             name == "references" || name == "resent-message-id";
            }
            out += keep_field ? std::string(line) : obscure_addresses(line, kAsciiEllipsis);
            continue;
        }
        out += obscure_addresses(line, kAsciiEllipsis);
    }
    return out;
}

std::vector<TextBlock> text_blocks(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view line = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    std::size_t signature = lines.size();
    for (std::size_t line_idx = lines.size(); line_idx-- > 0;) {
        if (lines[line_idx] == "-- " || lines[line_idx] == "--") {
            signature = line_idx;
            break;
        }
    }
    std::vector<TextBlock> blocks;
    std::vector<std::string_view> pending;
    TextBlock::Kind pending_kind = TextBlock::Kind::Text;
    const auto flush = [&] {
        // Blank lines at either end of a block are spacing, not content.
        std::size_t first = 0;
        std::size_t last = pending.size();
        while (first < last && is_blank(pending[first])) {
            ++first;
        }
        while (last > first && is_blank(pending[last - 1])) {
            --last;
        }
        if (first < last) {
            TextBlock block{.kind = pending_kind, .text = {}, .lines = last - first};
            for (std::size_t line_idx = first; line_idx < last; ++line_idx) {
                block.text.append(pending[line_idx]);
                if (line_idx + 1 < last) {
                    block.text += '\n';
                }
            }
            blocks.push_back(std::move(block));
        }
        pending.clear();
    };
    for (std::size_t line_idx = 0; line_idx < signature; ++line_idx) {
        const std::string_view line = lines[line_idx];
        const bool quoted = !line.empty() && line.front() == '>';
        const TextBlock::Kind kind = quoted ? TextBlock::Kind::Quote : TextBlock::Kind::Text;
        // A blank line inside a quote (between two quoted lines) stays in the quote.
        if (!quoted && is_blank(line) && pending_kind == TextBlock::Kind::Quote &&
            line_idx + 1 < signature && !lines[line_idx + 1].empty() &&
            lines[line_idx + 1].front() == '>') {
            pending.push_back(line);
            continue;
        }
        if (kind != pending_kind) {
            flush();
            pending_kind = kind;
        }
        pending.push_back(line);
    }
    flush();
    if (signature < lines.size()) {
        pending_kind = TextBlock::Kind::Signature;
        pending.assign(lines.begin() + static_cast<std::ptrdiff_t>(signature), lines.end());
        flush();
    }
    return blocks;
}

std::string safe_content_type(std::string_view declared) {
    std::string type = lower_ascii(trim_spaces(declared.substr(0, declared.find(';'))));
    static constexpr std::array<std::string_view, 19> kSafe = {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "text/calendar",
        "application/zip",
        "application/gzip",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/rtf",
        "audio/mpeg",
        "audio/ogg",
        "video/mp4",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    };
    for (const auto safe : kSafe) {
        if (type == safe) {
            return type;
        }
    }
    if (type.starts_with("application/vnd.openxmlformats-officedocument.") &&
        type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-/") == std::string::npos) {
        return type;
    }
    return "application/octet-stream";
}

std::string safe_filename(std::string_view filename, std::size_t index) {
    const std::size_t slash = filename.find_last_of("/\\");
    if (slash != std::string_view::npos) {
        filename.remove_prefix(slash + 1);
    }
    const bool valid_utf8 = core::is_valid_utf8(filename);
    std::string cleaned;
    for (const char c : filename) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            continue;
        }
        cleaned += (!valid_utf8 && byte >= 0x80) ? '_' : c;
    }
    std::size_t first = cleaned.find_first_not_of(". ");
    cleaned = first == std::string::npos ? std::string() : cleaned.substr(first);
    while (!cleaned.empty() && (cleaned.back() == ' ' || cleaned.back() == '.')) {
        cleaned.pop_back();
    }
    // At most 150 characters, cut on a character boundary.
    std::size_t characters = 0;
    for (std::size_t byte_idx = 0; byte_idx < cleaned.size(); ++byte_idx) {
        if ((static_cast<unsigned char>(cleaned[byte_idx]) & 0xC0) != 0x80 && ++characters > 150) {
            cleaned.resize(byte_idx);
            break;
        }
    }
    if (cleaned.empty()) {
        return "attachment-" + std::to_string(index + 1);
    }
    return cleaned;
}

std::string attachment_disposition(std::string_view filename) {
    std::string fallback;
    for (const char c : filename) {
        const auto byte = static_cast<unsigned char>(c);
        fallback += (byte < 0x20 || byte >= 0x7F || c == '"' || c == '\\') ? '_' : c;
    }
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" +
           percent_encode(filename);
}

std::string reply_mailto(std::string_view list_address, std::string_view message_id,
                         std::string_view subject) {
    std::string reply_subject(core::trim(subject));
    if (!lower_ascii(reply_subject.substr(0, 3)).starts_with("re:")) {
        reply_subject = "Re: " + reply_subject;
    }
    const std::size_t at = list_address.rfind('@');
    std::string to = at == std::string_view::npos
                         ? percent_encode(list_address)
                         : percent_encode(list_address.substr(0, at)) + "@" +
                               percent_encode(list_address.substr(at + 1));
    return "mailto:" + to + "?In-Reply-To=" + percent_encode("<" + std::string(message_id) + ">") +
           "&subject=" + percent_encode(reply_subject);
}

std::optional<std::string> parse_month(std::string_view text) {
    if (text.size() != 7 || text[4] != '-' || !all_digits(text.substr(0, 4)) ||
        !all_digits(text.substr(5, 2))) {
        return std::nullopt;
    }
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5, 2)));
    if (year < 1970 || month < 1 || month > 12) {
        return std::nullopt;
    }
    return std::string(text);
}

std::optional<std::int64_t> parse_day(std::string_view text, bool end_of_day) {
    if (text.size() != 10 || text[7] != '-' || !parse_month(text.substr(0, 7)) ||
        !all_digits(text.substr(8, 2))) {
        return std::nullopt;
    }
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5, 2)));
    const int day = std::stoi(std::string(text.substr(8, 2)));
    if (day < 1 || day > days_in_month(year, month)) {
        return std::nullopt;
    }
    const std::int64_t start =
        days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400;
    return end_of_day ? start + 86399 : start;
}

std::string bare_message_id(std::string_view text) {
    std::string_view id = trim_spaces(text);
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') {
        id = id.substr(1, id.size() - 2);
    }
    return std::string(trim_spaces(id));
}

}  // namespace coalition::web::archive_view
