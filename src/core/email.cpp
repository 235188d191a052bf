#include "core/email.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace coalition::core {
namespace {

// RFC 5322 atext plus any non-ASCII UTF-8 (RFC 6531 §3.3 extends atext with UTF8-non-ascii).
bool is_atext(unsigned char c) {
    if (c >= 0x80) {
        return true;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
    return kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

// dot-atom: atoms separated by single dots, none empty.
bool is_dot_atom(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.') {
        return false;
    }
    char previous = '\0';
    for (char c : text) {
        if (c == '.') {
            if (previous == '.') {
                return false;
            }
        } else if (!is_atext(static_cast<unsigned char>(c))) {
            return false;
        }
        previous = c;
    }
    return true;
}

}  // namespace

Result<Email> Email::parse(std::string_view input) {
    const auto invalid = [] {
        return Error::invalid("Enter an e-mail address like name@example.org.", "email");
    };
    if (input.size() > 1024 || !is_valid_utf8(input)) {
        return invalid();
    }
    const std::string trimmed = trim(input);
    const auto at = trimmed.rfind('@');
    if (at == std::string::npos || at == 0) {
        return invalid();
    }
    std::string local_part = to_nfc(std::string_view(trimmed).substr(0, at));
    if (local_part.size() > 64 || !is_dot_atom(local_part)) {
        return invalid();
    }
    auto domain = Domain::parse(std::string_view(trimmed).substr(at + 1));
    if (!domain) {
        return invalid();
    }
    // RFC 5321 §4.5.3.1.3 limits the path to 256 octets, so 254 for the address. Check both the
    // forms we hand out, so that whatever form is stored or sent parses back to this address.
    constexpr std::size_t kMaxAddressOctets = 254;
    if (local_part.size() + 1 + std::max(domain->ascii().size(), domain->unicode().size()) >
        kMaxAddressOctets) {
        return invalid();
    }
    return Email(std::move(local_part), std::move(*domain));
}

std::string Email::canonical() const {
    return to_lower(local_part_) + "@" + domain_.unicode();
}

bool Email::needs_smtputf8() const {
    for (unsigned char c : local_part_) {
        if (c >= 0x80) {
            return true;
        }
    }
    return false;
}

}  // namespace coalition::core
