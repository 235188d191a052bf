#include "lists/list_address.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace coalition::lists {
namespace {

constexpr std::size_t kMaxRecipientOctets = 1024;
constexpr std::size_t kMaxTokenLength = 64;

struct Suffix {
    std::string_view text;
    AddressRole role;
};

// Longest first is not needed: no suffix is a suffix of another.
constexpr std::array<Suffix, 8> kSuffixes = {{
    {"-request", AddressRole::Request},
    {"-join", AddressRole::Join},
    {"-subscribe", AddressRole::Join},
    {"-leave", AddressRole::Leave},
    {"-unsubscribe", AddressRole::Leave},
    {"-owner", AddressRole::Owner},
    {"-confirm", AddressRole::Confirm},
    {"-bounces", AddressRole::Bounces},
}};

core::Error invalid_address() {
    return core::Error::invalid("This is not an address of a mailing list.", "address");
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower_ascii(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return lower;
}

bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_token(std::string_view token) {
    return !token.empty() && token.size() <= kMaxTokenLength &&
           std::all_of(token.begin(), token.end(), is_alnum);
}

// Splits a lower-cased local part without '+' into (name, role).
std::pair<std::string_view, AddressRole> split_role(std::string_view local) {
    for (const auto& suffix : kSuffixes) {
        if (ends_with(local, suffix.text)) {
            return {local.substr(0, local.size() - suffix.text.size()), suffix.role};
        }
    }
    return {local, AddressRole::Post};
}

// The subscriber a VERP extension "local=domain" names. The split is at the last '=' because a
// local part may contain '=' (RFC 5322 atext) and a domain never does.
std::optional<core::Email> decode_verp(std::string_view extension) {
    const auto equals = extension.rfind('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 == extension.size()) {
        return std::nullopt;
    }
    const std::string_view local = extension.substr(0, equals);
    // Email::parse trims white space; a VERP local part has none to trim.
    if (core::trim(local) != local) {
        return std::nullopt;
    }
    std::string address(local);
    address += '@';
    address += extension.substr(equals + 1);
    auto subscriber = core::Email::parse(address);
    if (!subscriber) {
        return std::nullopt;
    }
    return std::move(*subscriber);
}

}  // namespace

const char* to_string(AddressRole role) {
    switch (role) {
        case AddressRole::Post:
            return "post";
        case AddressRole::Request:
            return "request";
        case AddressRole::Join:
            return "join";
        case AddressRole::Leave:
            return "leave";
        case AddressRole::Owner:
            return "owner";
        case AddressRole::Confirm:
            return "confirm";
        case AddressRole::Bounces:
            return "bounces";
    }
    return "post";
}

core::Result<std::string> parse_list_name(std::string_view input) {
    const auto invalid = [] {
        return core::Error::invalid(
            "A list name has 1 to 40 characters: lower-case letters, digits, dots, hyphens and "
            "underscores, starting and ending with a letter or digit.",
            "name");
    };
    if (input.empty() || input.size() > kMaxListNameLength || !core::is_ascii(input)) {
        return invalid();
    }
    std::string name = lower_ascii(input);
    if (!std::all_of(name.begin(), name.end(), is_name_character) || !is_alnum(name.front()) ||
        !is_alnum(name.back()) || name.find("..") != std::string::npos) {
        return invalid();
    }
    for (const auto& suffix : kSuffixes) {
        if (ends_with(name, suffix.text)) {
            return core::Error::invalid("A list name may not end with \"" +
                                            std::string(suffix.text) +
                                            "\": that address belongs to the list itself.",
                                        "name");
        }
    }
    return name;
}

core::Result<ListAddress> ListAddress::parse(std::string_view recipient) {
    if (recipient.empty() || recipient.size() > kMaxRecipientOctets ||
        !core::is_valid_utf8(recipient) || core::has_control_characters(recipient) ||
        recipient.find_first_of(" \t\r\n<>\"") != std::string_view::npos) {
        return invalid_address();
    }
    const auto at = recipient.rfind('@');
    if (at == std::string_view::npos || at == 0) {
        return invalid_address();
    }
    auto domain = core::Domain::parse(recipient.substr(at + 1));
    if (!domain) {
        return invalid_address();
    }
    const std::string_view local = recipient.substr(0, at);
    const auto plus = local.find('+');
    const std::string_view base = local.substr(0, plus);
    if (!core::is_ascii(base)) {
        return invalid_address();
    }
    const std::string lowered = lower_ascii(base);
    const auto [name_part, role] = split_role(lowered);
    auto name = parse_list_name(name_part);
    if (!name || *name != name_part) {
        return invalid_address();
    }
    ListAddress address(std::move(*name), std::move(*domain), role);
    if (plus == std::string_view::npos) {
        return address;
    }
    const std::string_view extension = local.substr(plus + 1);
    if (role == AddressRole::Confirm) {
        if (!core::is_ascii(extension)) {
            return invalid_address();
        }
        std::string token = lower_ascii(extension);
        if (!is_token(token)) {
            return invalid_address();
        }
        address.token_ = std::move(token);
        return address;
    }
    if (role == AddressRole::Bounces) {
        auto subscriber = decode_verp(extension);
        if (!subscriber) {
            return invalid_address();
        }
        address.subscriber_ = std::move(*subscriber);
        return address;
    }
    return invalid_address();
}

ListAddress ListAddress::of(std::string_view name, const core::Domain& domain, AddressRole role) {
    auto parsed = parse_list_name(name);
    COALITION_ASSERT(parsed.has_value() && *parsed == name, "ListAddress::of needs a list name");
    return ListAddress(std::move(*parsed), domain, role);
}

ListAddress ListAddress::confirm(std::string_view name, const core::Domain& domain,
                                 std::string_view token) {
    COALITION_ASSERT(is_token(token), "a confirmation token is [a-z0-9]{1,64}");
    ListAddress address = of(name, domain, AddressRole::Confirm);
    address.token_ = std::string(token);
    return address;
}

ListAddress ListAddress::bounces_for(std::string_view name, const core::Domain& domain,
                                     const core::Email& subscriber) {
    ListAddress address = of(name, domain, AddressRole::Bounces);
    address.subscriber_ = subscriber;
    return address;
}

std::string ListAddress::local_part() const {
    std::string local = list_name_;
    for (const auto& suffix : kSuffixes) {
        // The first suffix of each role is its canonical spelling.
        if (suffix.role == role_) {
            local += suffix.text;
            break;
        }
    }
    if (role_ == AddressRole::Confirm && !token_.empty()) {
        local += "+" + token_;
    } else if (role_ == AddressRole::Bounces && subscriber_) {
        // RFC 5321 has no room for '@' in a local part, so the subscriber's becomes '='.
        local += "+" + subscriber_->local_part() + "=" + subscriber_->domain().ascii();
    }
    return local;
}

std::string ListAddress::envelope() const {
    return local_part() + "@" + domain_.ascii();
}

std::string ListAddress::unicode() const {
    return local_part() + "@" + domain_.unicode();
}

core::Result<core::Email> ListAddress::email() const {
    return core::Email::parse(unicode());
}

bool ListAddress::operator==(const ListAddress& other) const {
    return list_name_ == other.list_name_ && domain_ == other.domain_ && role_ == other.role_ &&
           token_ == other.token_ && subscriber_ == other.subscriber_;
}

}  // namespace coalition::lists
