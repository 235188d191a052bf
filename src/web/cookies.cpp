#include "web/cookies.hpp"

#include "core/assert.hpp"

namespace coalition::web {

namespace {

bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
            return true;
        default:
            return false;
    }
}

// RFC 6265 §4.1.1 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
bool is_cookie_octet(char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte == 0x21 || (byte >= 0x23 && byte <= 0x2B) || (byte >= 0x2D && byte <= 0x3A) ||
           (byte >= 0x3C && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E);
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

}  // namespace

bool is_valid_cookie_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (char c : name) {
        if (!is_tchar(c)) {
            return false;
        }
    }
    return true;
}

bool is_valid_cookie_value(std::string_view value) {
    for (char c : value) {
        if (!is_cookie_octet(c)) {
            return false;
        }
    }
    return true;
}

std::vector<std::pair<std::string_view, std::string_view>> parse_cookie_header(
    std::string_view header) {
    std::vector<std::pair<std::string_view, std::string_view>> cookies;
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(';', start);
        if (end == std::string_view::npos) {
            end = header.size();
        }
        std::string_view pair = header.substr(start, end - start);
        start = end + 1;
        std::size_t equals = pair.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        std::string_view name = trim_spaces(pair.substr(0, equals));
        std::string_view value = trim_spaces(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        if (!is_valid_cookie_name(name) || !is_valid_cookie_value(value)) {
            continue;
        }
        cookies.emplace_back(name, value);
    }
    return cookies;
}

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
    for (const auto& [cookie_name, cookie_value] : parse_cookie_header(header)) {
        if (cookie_name == name) {
            return cookie_value;
        }
    }
    return std::nullopt;
}

std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options) {
    COALITION_ASSERT(is_valid_cookie_name(name), "cookie name must be a token");
    COALITION_ASSERT(is_valid_cookie_value(value), "cookie value must be cookie-octets");
    for (char c : options.path) {
        COALITION_ASSERT(c > 0x20 && c < 0x7F && c != ';', "cookie path must be plain ASCII");
    }
    std::string out;
    out.reserve(name.size() + value.size() + 64);
    out.append(name).append("=").append(value);
    if (!options.path.empty()) {
        out.append("; Path=").append(options.path);
    }
    if (options.max_age) {
        out.append("; Max-Age=")
            .append(std::to_string(options.max_age->count() < 0 ? 0 : options.max_age->count()));
    }
    if (options.secure || options.same_site == SameSite::None) {
        out.append("; Secure");
    }
    if (options.http_only) {
        out.append("; HttpOnly");
    }
    switch (options.same_site) {
        case SameSite::Lax:
            out.append("; SameSite=Lax");
            break;
        case SameSite::Strict:
            out.append("; SameSite=Strict");
            break;
        case SameSite::None:
            out.append("; SameSite=None");
            break;
    }
    return out;
}

}  // namespace coalition::web
