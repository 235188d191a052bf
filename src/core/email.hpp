#pragma once
// core::Email: a mailbox address, valid by construction and Universal-Acceptance ready: the local
// part may be UTF-8 (RFC 6531) and the domain an IDN. Addresses compare equal when their
// canonical forms do (local part lower-cased and NFC, domain by UTS #46).

#include "core/domain.hpp"
#include "core/result.hpp"

#include <string>
#include <string_view>

namespace coalition::core {

class Email {
public:
    // Accepts `local@domain` as people type it (surrounding white space is trimmed). Fails with
    // Invalid (field "email") for anything that is not one address: no display names, no quoted
    // local parts, no comments, no IP literals. Limits: local part 64 octets, whole 254 octets.
    static Result<Email> parse(std::string_view input);

    const std::string& local_part() const { return local_part_; }
    const Domain& domain() const { return domain_; }

    // "анна@пример.рф": for display and storage.
    std::string unicode() const { return local_part_ + "@" + domain_.unicode(); }
    // "анна@xn--e1afmkfd.xn--p1ai": for SMTP envelopes; needs SMTPUTF8 when needs_smtputf8().
    std::string envelope() const { return local_part_ + "@" + domain_.ascii(); }
    // Lower-cased, NFC, U-label domain: the key for uniqueness and look-ups.
    std::string canonical() const;
    bool needs_smtputf8() const;

    bool operator==(const Email& other) const { return canonical() == other.canonical(); }

private:
    Email(std::string local_part, Domain domain)
        : local_part_(std::move(local_part)), domain_(std::move(domain)) {}
    std::string local_part_;
    Domain domain_;
};

}  // namespace coalition::core
