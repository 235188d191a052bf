#pragma once
// lists::ListAddress: the addresses of a list as Mailman's users know them, parsed from and built
// into recipient addresses. Pure: it knows names and domains, not which lists exist (Lists::resolve
// adds that). Parsing is case-insensitive; the domain may be an IDN (U-label or A-label) and is
// compared by its A-label.
//
//   NAME@DOMAIN                          post to the list
//   NAME-request@DOMAIN                  commands (subscribe, unsubscribe, help)
//   NAME-join@ / NAME-subscribe@         subscribe        NAME-leave@ / NAME-unsubscribe@  leave
//   NAME-owner@DOMAIN                    the owners and moderators
//   NAME-confirm+TOKEN@DOMAIN            confirmation by reply (bare NAME-confirm@: token in
//   Subject) NAME-bounces+LOCAL=SUBDOMAIN@DOMAIN  VERP bounce for subscriber LOCAL@SUBDOMAIN (bare:
//   unknown)

#include "core/domain.hpp"
#include "core/email.hpp"
#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::lists {

enum class AddressRole { Post, Request, Join, Leave, Owner, Confirm, Bounces };

// "post", "request", "join", "leave", "owner", "confirm", "bounces".
const char* to_string(AddressRole role);

// A list name is the posting address's local part: 1 to kMaxListNameLength characters of
// [a-z0-9._-], starting and ending with a letter or digit, no "..", and not ending with a role
// suffix ("-request", "-owner", …), so that every address parses one way only. Upper-case input
// is lowered. Fails with Invalid (field "name").
inline constexpr std::size_t kMaxListNameLength = 40;
core::Result<std::string> parse_list_name(std::string_view input);

class ListAddress {
public:
    // Parses one recipient address (no angle brackets, no display name, no white space), up to
    // 1024 octets of valid UTF-8. Fails with Invalid (field "address") for anything else: an
    // unknown "+extension", a malformed confirmation token, an undecodable VERP part, a bad name
    // or domain. Never throws.
    static core::Result<ListAddress> parse(std::string_view recipient);

    // Builders. `name` must be a valid list name (asserted).
    static ListAddress of(std::string_view name, const core::Domain& domain, AddressRole role);
    // `token` must be 1–64 characters of [a-z0-9] (asserted): Subscriptions' tokens are.
    static ListAddress confirm(std::string_view name, const core::Domain& domain,
                               std::string_view token);
    // The VERP return path that names `subscriber`: NAME-bounces+local=a-label.domain@DOMAIN.
    static ListAddress bounces_for(std::string_view name, const core::Domain& domain,
                                   const core::Email& subscriber);

    const std::string& list_name() const { return list_name_; }
    const core::Domain& domain() const { return domain_; }
    AddressRole role() const { return role_; }
    // Confirm only: the token in lower case; empty for a bare NAME-confirm address.
    const std::string& token() const { return token_; }
    // Bounces only: the subscriber a VERP address names; nullopt for a bare NAME-bounces address.
    const std::optional<core::Email>& subscriber() const { return subscriber_; }

    // The local part: "name-confirm+token", "name-bounces+анна=xn--e1afmkfd.xn--p1ai".
    std::string local_part() const;
    // For SMTP envelopes and headers: the domain as an A-label. Non-ASCII only when a VERP
    // subscriber's local part is (then SMTPUTF8 is needed anyway).
    std::string envelope() const;
    // For people: the domain as a U-label.
    std::string unicode() const;
    // The address as a core::Email, when it is one: a VERP or confirmation local part can exceed
    // RFC 5321's 64 octets, and then this fails (use envelope() in the SMTP envelope).
    core::Result<core::Email> email() const;

    bool operator==(const ListAddress& other) const;

private:
    ListAddress(std::string list_name, core::Domain domain, AddressRole role)
        : list_name_(std::move(list_name)), domain_(std::move(domain)), role_(role) {}

    std::string list_name_;
    core::Domain domain_;
    AddressRole role_;
    std::string token_;
    std::optional<core::Email> subscriber_;
};

}  // namespace coalition::lists
