#include "lists/bounce_parser.hpp"

#include "core/email.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace coalition::lists {
namespace bounce_parser {
namespace {

constexpr std::size_t kMaxHeaders = 500;
constexpr std::size_t kMaxRecipients = 100;
constexpr std::size_t kMaxDiagnosticCharacters = 500;
constexpr std::size_t kMaxScannedLines = 5000;

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view trim_view(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

// The lines of `text` without their CR LF / LF ends.
std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size() && lines.size() < kMaxScannedLines * 4) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

// Splits header fields from the body at the first empty line; unfolds continuation lines.
std::pair<Headers, std::string_view> split(std::string_view message) {
    Headers headers;
    std::size_t position = 0;
    while (position < message.size()) {
        std::size_t end = message.find('\n', position);
        const std::size_t next = end == std::string_view::npos ? message.size() : end + 1;
        std::string_view line = message.substr(position, next - position);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.remove_suffix(1);
        }
        position = next;
        if (line.empty()) {
            break;
        }
        if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
            if (headers.back().second.size() < 4000) {
                headers.back().second += " ";
                headers.back().second += trim_view(line);
            }
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            continue;  // Not a field; a broken header is read as well as it can be.
        }
        if (headers.size() < kMaxHeaders) {
            headers.emplace_back(lower(trim_view(line.substr(0, colon))),
                                 std::string(trim_view(line.substr(colon + 1))));
        }
    }
    return {std::move(headers), message.substr(std::min(position, message.size()))};
}

// "multipart/report; boundary=\"b\"" → type "multipart/report", parameter "boundary" = "b".
std::string content_type_of(const std::string& value) {
    const std::string type = lower(trim_view(value.substr(0, value.find(';'))));
    return type.empty() ? "text/plain" : type;
}

std::string parameter(const std::string& value, std::string_view name) {
    const std::string lowered = lower(value);
    std::size_t search = 0;
    while (true) {
        const std::size_t semicolon = lowered.find(';', search);
        if (semicolon == std::string::npos) {
            return {};
        }
        std::size_t at = semicolon + 1;
        while (at < lowered.size() && std::isspace(static_cast<unsigned char>(lowered[at]))) {
            ++at;
        }
        search = at;
        if (lowered.compare(at, name.size(), name) != 0) {
            continue;
        }
        at += name.size();
        while (at < lowered.size() && std::isspace(static_cast<unsigned char>(lowered[at]))) {
            ++at;
        }
        if (at >= lowered.size() || lowered[at] != '=') {
            continue;
        }
        ++at;
        while (at < value.size() && std::isspace(static_cast<unsigned char>(value[at]))) {
            ++at;
        }
        if (at < value.size() && value[at] == '"') {
            const std::size_t close = value.find('"', at + 1);
            return value.substr(at + 1,
                                close == std::string::npos ? std::string::npos : close - at - 1);
        }
        std::size_t end = at;
        while (end < value.size() && value[end] != ';' &&
               !std::isspace(static_cast<unsigned char>(value[end]))) {
            ++end;
        }
        return value.substr(at, end - at);
    }
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

std::string decode_base64(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int value = base64_value(c);
        if (value < 0) {
            continue;  // Line breaks, padding and garbage are skipped.
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

std::string decode_quoted_printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        if (text[idx] != '=') {
            out += text[idx];
            continue;
        }
        if (idx + 2 < text.size() && hex_value(text[idx + 1]) >= 0 &&
            hex_value(text[idx + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[idx + 1]) * 16 + hex_value(text[idx + 2]));
            idx += 2;
        } else if (idx + 1 < text.size() && (text[idx + 1] == '\n' || text[idx + 1] == '\r')) {
            // A soft line break.
            idx += text[idx + 1] == '\r' && idx + 2 < text.size() && text[idx + 2] == '\n' ? 2 : 1;
        } else {
            out += '=';
        }
    }
    return out;
}

void walk(std::string_view message, int depth, std::vector<Part>& parts) {
    if (parts.size() >= kMaxParts) {
        return;
    }
    auto [headers, body] = split(message);
    const std::string content_type_header = header(headers, "content-type");
    const std::string type = content_type_of(content_type_header);
    if (type.starts_with("multipart/") && depth < kMaxDepth) {
        const std::string boundary = parameter(content_type_header, "boundary");
        if (!boundary.empty() && boundary.size() <= 200) {
            const std::string delimiter = "--" + boundary;
            std::optional<std::size_t> part_start;
            std::size_t position = 0;
            while (position <= body.size()) {
                std::size_t end = body.find('\n', position);
                const std::size_t next = end == std::string_view::npos ? body.size() : end + 1;
                std::string_view line = body.substr(position, next - position);
                line = trim_view(line);
                if (line.starts_with(delimiter)) {
                    if (part_start) {
                        walk(body.substr(*part_start, position - *part_start), depth + 1, parts);
                    }
                    if (line.substr(delimiter.size()).starts_with("--")) {
                        part_start.reset();
                        break;
                    }
                    part_start = next;
                }
                if (next >= body.size()) {
                    break;
                }
                position = next;
            }
            if (part_start && *part_start < body.size()) {
                walk(body.substr(*part_start), depth + 1, parts);  // No closing delimiter.
            }
            return;
        }
    }
    Part part;
    part.content_type = type;
    const std::string encoding = lower(trim_view(header(headers, "content-transfer-encoding")));
    if (encoding == "base64") {
        part.body = decode_base64(body);
    } else if (encoding == "quoted-printable") {
        part.body = decode_quoted_printable(body);
    } else {
        part.body = std::string(body);
    }
    part.headers = std::move(headers);
    parts.push_back(std::move(part));
}

// Valid UTF-8 of at most kMaxDiagnosticCharacters characters, one line.
std::string clean_diagnostic(std::string_view text) {
    std::string out;
    for (char c : trim_view(text)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
    }
    if (!core::is_valid_utf8(out)) {
        for (char& c : out) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                c = '?';
            }
        }
    }
    std::size_t characters = 0;
    for (std::size_t idx = 0; idx < out.size(); ++idx) {
        if ((static_cast<unsigned char>(out[idx]) & 0xc0) != 0x80) {
            if (characters == kMaxDiagnosticCharacters) {
                out.resize(idx);
                break;
            }
            ++characters;
        }
    }
    return out;
}

// The first RFC 3463 status code ("5.1.1") in `text`, or "".
std::string find_status(std::string_view text) {
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        const char c = text[idx];
        if ((c != '2' && c != '4' && c != '5') || idx + 1 >= text.size() || text[idx + 1] != '.') {
            continue;
        }
        if (idx > 0 &&
            (std::isalnum(static_cast<unsigned char>(text[idx - 1])) || text[idx - 1] == '.')) {
            continue;
        }
        std::size_t at = idx + 2;
        std::size_t digits = 0;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) &&
               digits < 3) {
            ++at;
            ++digits;
        }
        if (digits == 0 || at >= text.size() || text[at] != '.') {
            continue;
        }
        ++at;
        std::size_t last = 0;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) && last < 3) {
            ++at;
            ++last;
        }
        if (last == 0 || (at < text.size() && std::isalnum(static_cast<unsigned char>(text[at])))) {
            continue;
        }
        return std::string(text.substr(idx, at - idx));
    }
    return {};
}

// A three-digit SMTP reply code starting with 4 or 5 at a word's start: 4 or 5, else 0.
int find_reply_class(std::string_view text) {
    for (std::size_t idx = 0; idx + 3 <= text.size(); ++idx) {
        const char c = text[idx];
        if ((c != '4' && c != '5') ||
            (idx > 0 && std::isalnum(static_cast<unsigned char>(text[idx - 1])))) {
            continue;
        }
        if (std::isdigit(static_cast<unsigned char>(text[idx + 1])) &&
            std::isdigit(static_cast<unsigned char>(text[idx + 2])) &&
            (idx + 3 == text.size() || text[idx + 3] == ' ' || text[idx + 3] == '-')) {
            return c - '0';
        }
    }
    return 0;
}

// An address as a report writes it ("<a@b>", "a@b:", "mailto:a@b", "rfc822; a@b"), if valid.
std::optional<std::string> address_in(std::string_view token) {
    token = trim_view(token);
    if (const auto semicolon = token.find(';'); semicolon != std::string_view::npos) {
        token = trim_view(token.substr(semicolon + 1));
    }
    if (lower(token.substr(0, 7)) == "mailto:") {
        token.remove_prefix(7);
    }
    while (!token.empty() &&
           (token.front() == '<' || token.front() == '(' || token.front() == '"' ||
            token.front() == '\'' || token.front() == '[')) {
        token.remove_prefix(1);
    }
    while (!token.empty() && (token.back() == '>' || token.back() == ':' || token.back() == ',' ||
                              token.back() == '.' || token.back() == ')' || token.back() == '"' ||
                              token.back() == '\'' || token.back() == ']' || token.back() == ';')) {
        token.remove_suffix(1);
    }
    if (token.empty() || token.size() > 320 || token.find('@') == std::string_view::npos ||
        !core::is_valid_utf8(token)) {
        return std::nullopt;
    }
    if (!core::Email::parse(token)) {
        return std::nullopt;
    }
    return std::string(token);
}

// The first address among the white-space separated words of `line`.
std::optional<std::string> first_address(std::string_view line) {
    std::size_t at = 0;
    while (at < line.size()) {
        while (at < line.size() && std::isspace(static_cast<unsigned char>(line[at]))) {
            ++at;
        }
        std::size_t end = at;
        while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) {
            ++end;
        }
        if (end > at) {
            if (auto address = address_in(line.substr(at, end - at))) {
                return address;
            }
        }
        at = end;
    }
    return std::nullopt;
}

BounceKind kind_of(std::string_view status, std::string_view action) {
    if (status.starts_with("4")) {
        return BounceKind::Soft;
    }
    if (status.starts_with("5")) {
        return BounceKind::Hard;
    }
    return action == "delayed" ? BounceKind::Soft : BounceKind::Hard;
}

// RFC 3464 §2.3: the per-recipient groups of a delivery-status body. `found` tells whether the
// part had any recipient group (a report saying "delivered" is no bounce, but still a report).
void read_delivery_status(std::string_view body, std::vector<BouncedRecipient>& out, bool& found) {
    const auto lines = lines_of(body);
    std::size_t idx = 0;
    bool first_group = true;
    while (idx < lines.size()) {
        std::string group;
        while (idx < lines.size() && trim_view(lines[idx]).empty()) {
            ++idx;
        }
        while (idx < lines.size() && !trim_view(lines[idx]).empty()) {
            group += lines[idx];
            group += '\n';
            ++idx;
        }
        if (group.empty()) {
            break;
        }
        auto [fields, rest] = split(group);
        (void)rest;
        const std::string final_recipient = header(fields, "final-recipient");
        const std::string original_recipient = header(fields, "original-recipient");
        if (first_group && final_recipient.empty()) {
            first_group = false;
            continue;  // The per-message fields (Reporting-MTA, Arrival-Date, …).
        }
        first_group = false;
        if (final_recipient.empty() && original_recipient.empty()) {
            continue;
        }
        found = true;
        const std::string action = lower(trim_view(header(fields, "action")));
        const std::string status = find_status(header(fields, "status"));
        if (action == "delivered" || action == "relayed" || action == "expanded" ||
            status.starts_with("2")) {
            continue;
        }
        auto address = address_in(final_recipient);
        if (!address) {
            address = address_in(original_recipient);
        }
        if (!address || out.size() >= kMaxRecipients) {
            continue;
        }
        std::string diagnostic = header(fields, "diagnostic-code");
        if (const auto semicolon = diagnostic.find(';');
            semicolon != std::string::npos && semicolon < 12) {
            diagnostic = diagnostic.substr(semicolon + 1);  // "smtp; 550 …"
        }
        out.push_back(BouncedRecipient{.address = *address,
                                       .kind = kind_of(status, action),
                                       .status = status,
                                       .diagnostic = clean_diagnostic(diagnostic)});
    }
}

// Where a non-standard report starts listing failed recipients, and whether its failures are
// temporary.
struct Trigger {
    std::string_view phrase;
    BounceKind kind;
};
constexpr Trigger kTriggers[] = {
    {"delivered to one or more recipients", BounceKind::Hard},  // Postfix
    {"wasn't able to deliver your message to the following addresses", BounceKind::Hard},  // qmail
    {"following address(es) failed", BounceKind::Hard},                                    // Exim
    {"delivery has failed to these recipients or groups", BounceKind::Hard},      // Exchange
    {"your message couldn't be delivered", BounceKind::Hard},                     // Office 365
    {"has not yet been delivered", BounceKind::Soft},                             // Exim delay
    {"delivery to the following recipients has been delayed", BounceKind::Soft},  // Exchange
    {"delivery to the following recipients failed", BounceKind::Hard},
    {"could not deliver to the following", BounceKind::Hard},
    {"the following recipients failed", BounceKind::Hard},
};

// Where the returned message starts: addresses after it are the original's, not the report's.
bool ends_report(std::string_view lowered_line) {
    return lowered_line.starts_with("--- below this line") ||
           lowered_line.starts_with("--- enclosed are") ||
           lowered_line.starts_with("------ this is a copy") ||
           lowered_line.find("original message") != std::string_view::npos ||
           lowered_line.starts_with("received:") || lowered_line.starts_with("return-path:") ||
           lowered_line.starts_with("reporting-mta:") ||
           lowered_line.starts_with("original message headers");
}

bool is_trigger_line(const std::string& lowered, BounceKind& kind) {
    for (const Trigger& trigger : kTriggers) {
        if (lowered.find(trigger.phrase) != std::string::npos) {
            kind = trigger.kind;
            return true;
        }
    }
    // "… failed:" sections of any other MTA that speak of recipients or delivery.
    const std::string_view trimmed = trim_view(lowered);
    if ((trimmed.ends_with("failed:") || trimmed.ends_with("failed.")) &&
        (trimmed.find("recipient") != std::string_view::npos ||
         trimmed.find("deliver") != std::string_view::npos ||
         trimmed.find("address") != std::string_view::npos)) {
        kind = BounceKind::Hard;
        return true;
    }
    return false;
}

void read_plain_report(std::string_view text, std::vector<BouncedRecipient>& out) {
    const auto lines = lines_of(text);
    std::set<std::string> seen;
    for (const auto& recipient : out) {
        seen.insert(lower(recipient.address));
    }
    std::size_t idx = 0;
    while (idx < lines.size() && idx < kMaxScannedLines) {
        const std::string lowered = lower(lines[idx]);
        BounceKind section_kind = BounceKind::Hard;
        ++idx;
        if (!is_trigger_line(lowered, section_kind)) {
            continue;
        }
        // qmail says which kind in the lines after its trigger.
        BouncedRecipient* current = nullptr;
        std::size_t blank_run = 0;
        for (; idx < lines.size() && idx < kMaxScannedLines; ++idx) {
            const std::string line_lower = lower(lines[idx]);
            if (ends_report(trim_view(line_lower))) {
                break;
            }
            if (trim_view(line_lower).empty()) {
                if (++blank_run >= 3 && current != nullptr) {
                    break;
                }
                continue;
            }
            blank_run = 0;
            if (line_lower.find("temporary error") != std::string::npos ||
                line_lower.find("will continue trying") != std::string::npos ||
                line_lower.find("still trying") != std::string::npos) {
                section_kind = BounceKind::Soft;
            }
            // An address opens a recipient: at the line's start ("<a@b>:", "  a@b") or alone.
            std::optional<std::string> address;
            const std::string_view trimmed = trim_view(lines[idx]);
            const std::size_t space = trimmed.find_first_of(" \t");
            address = address_in(trimmed.substr(0, space));
            if (!address && lines[idx].size() < 120) {
                // "Name (a@b)" or "mailto:a@b" style lines of Exchange.
                const auto words = first_address(trimmed);
                if (words && trimmed.find("said") == std::string_view::npos &&
                    trimmed.find("error") == std::string_view::npos &&
                    trimmed.find("RCPT") == std::string_view::npos) {
                    address = words;
                }
            }
            if (address && !seen.contains(lower(*address))) {
                if (out.size() >= kMaxRecipients) {
                    return;
                }
                seen.insert(lower(*address));
                out.push_back(BouncedRecipient{
                    .address = *address, .kind = section_kind, .status = "", .diagnostic = ""});
                current = &out.back();
                const std::string_view after =
                    space == std::string_view::npos ? std::string_view() : trimmed.substr(space);
                if (!trim_view(after).empty()) {
                    current->diagnostic = clean_diagnostic(after);
                }
            } else if (address) {
                current = nullptr;
                for (auto& recipient : out) {
                    if (lower(recipient.address) == lower(*address)) {
                        current = &recipient;
                    }
                }
            } else if (current != nullptr &&
                       current->diagnostic.size() < kMaxDiagnosticCharacters) {
                current->diagnostic = clean_diagnostic(
                    current->diagnostic.empty() ? std::string(trimmed)
                                                : current->diagnostic + " " + std::string(trimmed));
            }
        }
        // Kinds: the remote reply's status when there is one, else the section's.
        for (auto& recipient : out) {
            if (recipient.status.empty()) {
                recipient.status = find_status(recipient.diagnostic);
                const int reply_class = find_reply_class(recipient.diagnostic);
                if (!recipient.status.empty()) {
                    recipient.kind = kind_of(recipient.status, "");
                } else if (reply_class != 0) {
                    recipient.kind = reply_class == 4 ? BounceKind::Soft : BounceKind::Hard;
                } else {
                    recipient.kind = section_kind;
                }
            }
        }
    }
}

}  // namespace

std::string header(const Headers& headers, std::string_view name) {
    for (const auto& [field, value] : headers) {
        if (field == name) {
            return value;
        }
    }
    return {};
}

Headers top_headers(std::string_view message) {
    return split(message).first;
}

std::vector<Part> leaf_parts(std::string_view message) {
    std::vector<Part> parts;
    walk(message, 0, parts);
    return parts;
}

bool is_auto_reply(std::string_view message) {
    const Headers headers = top_headers(message);
    const std::string auto_submitted = lower(header(headers, "auto-submitted"));
    const std::string subject = lower(header(headers, "subject"));
    return auto_submitted.starts_with("auto-replied") || !header(headers, "x-autoreply").empty() ||
           lower(header(headers, "precedence")) == "auto_reply" ||
           subject.starts_with("out of office") || subject.starts_with("automatic reply") ||
           subject.starts_with("auto:") || subject.starts_with("autoreply") ||
           subject.find("vacation") != std::string::npos;
}

}  // namespace bounce_parser

std::vector<BouncedRecipient> parse_bounce(std::string_view message) {
    using bounce_parser::Part;
    std::vector<BouncedRecipient> recipients;
    const std::vector<Part> parts = bounce_parser::leaf_parts(message);
    bool found_report = false;
    for (const Part& part : parts) {
        if (part.content_type == "message/delivery-status" ||
            part.content_type == "message/global-delivery-status") {
            bounce_parser::read_delivery_status(part.body, recipients, found_report);
        }
    }
    if (found_report) {
        return recipients;
    }
    if (bounce_parser::is_auto_reply(message)) {
        return {};
    }
    for (const Part& part : parts) {
        if (part.content_type == "text/plain" || part.content_type == "text/html") {
            bounce_parser::read_plain_report(part.body, recipients);
        }
        if (!recipients.empty()) {
            break;
        }
    }
    return recipients;
}

}  // namespace coalition::lists
