#include "accounts/website_url.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"

namespace coalition::accounts {
namespace {

core::Error invalid() {
    return core::Error::invalid(
        std::string(
            i18n::gettext_noop("Enter the web site's address, starting with https:// or http://.")),
        "website");
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t idx = 0; idx < prefix.size(); ++idx) {
        char c = text[idx];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != prefix[idx]) {
            return false;
        }
    }
    return true;
}

bool is_numeric_label(std::string_view label) {
    return !label.empty() && label.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

core::Result<WebsiteUrl> WebsiteUrl::parse(std::string_view input) {
    if (input.size() > kMaxLength * 2 || !core::is_valid_utf8(input)) {
        return invalid();
    }
    const std::string url = core::trim(input);
    if (url.size() > kMaxLength) {
        return invalid();
    }
    std::string scheme;
    if (starts_with_ignoring_case(url, "https://")) {
        scheme = "https";
    } else if (starts_with_ignoring_case(url, "http://")) {
        scheme = "http";
    } else {
        return invalid();
    }
    const std::string_view rest = std::string_view(url).substr(scheme.size() + 3);
    for (unsigned char c : rest) {
        if (c <= 0x20 || c == 0x7f ||
            std::string_view("<>\"\\`{}|^").find(static_cast<char>(c)) != std::string_view::npos) {
            return invalid();
        }
    }
    const auto authority_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, authority_end);
    const std::string_view tail =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
    if (authority.find('@') != std::string_view::npos) {
        return invalid();  // A user name in a link is a classic way to disguise the real host.
    }
    std::string_view host = authority;
    std::string_view port;
    if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5) {
            return invalid();
        }
        long number = 0;
        for (char c : port) {
            if (c < '0' || c > '9') {
                return invalid();
            }
            number = number * 10 + (c - '0');
        }
        if (number == 0 || number > 65535) {
            return invalid();
        }
    }
    auto domain = core::Domain::parse(host);
    if (!domain || is_numeric_label(domain->ascii().substr(domain->ascii().rfind('.') + 1))) {
        return invalid();  // An all-digit top-level label means an IPv4 address, not a domain.
    }
    std::string value = scheme + "://" + domain->unicode();
    if (!port.empty()) {
        value += ":";
        value += port;
    }
    value += tail;
    return WebsiteUrl(std::move(value), std::move(*domain));
}

}  // namespace coalition::accounts
