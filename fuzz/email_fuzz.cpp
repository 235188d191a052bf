// Fuzzes core::Email::parse and core::Domain::parse with arbitrary bytes.
// Invariants: never crashes; an accepted address or domain has valid UTF-8 forms, an ASCII
// protocol form, and parses again from each of its forms to an equal value.

#include "core/domain.hpp"
#include "core/email.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::core::Domain;
using coalition::core::Email;
using coalition::fuzz::is_ascii;
using coalition::fuzz::is_well_formed_utf8;

void check_domain(std::string_view input) {
    auto domain = Domain::parse(input);
    if (!domain) {
        return;
    }
    COALITION_FUZZ_CHECK(is_well_formed_utf8(domain->unicode()), "Domain::unicode() is not UTF-8",
                         input);
    COALITION_FUZZ_CHECK(is_ascii(domain->ascii()), "Domain::ascii() is not ASCII", input);
    COALITION_FUZZ_CHECK(domain->ascii().size() <= 254,
                         "Domain::ascii() is over 253 octets (+ dot)", input);
    auto again = Domain::parse(domain->unicode());
    COALITION_FUZZ_CHECK(again.has_value(), "Domain::unicode() does not parse again", input);
    COALITION_FUZZ_CHECK(*again == *domain, "Domain::unicode() parses to a different domain",
                         input);
    COALITION_FUZZ_CHECK(again->unicode() == domain->unicode(), "Domain::unicode() is not stable",
                         input);
    auto from_ascii = Domain::parse(domain->ascii());
    COALITION_FUZZ_CHECK(from_ascii.has_value(), "Domain::ascii() does not parse again", input);
    COALITION_FUZZ_CHECK(*from_ascii == *domain, "Domain::ascii() parses to a different domain",
                         input);
    COALITION_FUZZ_CHECK(domain->is_within(*domain), "a domain is not within itself", input);
}

void check_email(std::string_view input) {
    auto email = Email::parse(input);
    if (!email) {
        COALITION_FUZZ_CHECK(!email.error().message.empty(),
                             "Email::parse failed without a message", input);
        return;
    }
    const std::string unicode = email->unicode();
    const std::string envelope = email->envelope();
    COALITION_FUZZ_CHECK(is_well_formed_utf8(unicode), "Email::unicode() is not UTF-8", input);
    COALITION_FUZZ_CHECK(is_well_formed_utf8(envelope), "Email::envelope() is not UTF-8", input);
    COALITION_FUZZ_CHECK(is_well_formed_utf8(email->canonical()), "Email::canonical() is not UTF-8",
                         input);
    COALITION_FUZZ_CHECK(is_ascii(email->domain().ascii()), "the envelope domain is not ASCII",
                         input);
    COALITION_FUZZ_CHECK(email->needs_smtputf8() || is_ascii(envelope),
                         "a non-ASCII envelope does not need SMTPUTF8", input);
    auto again = Email::parse(unicode);
    COALITION_FUZZ_CHECK(again.has_value(), "Email::unicode() does not parse again", input);
    COALITION_FUZZ_CHECK(*again == *email, "Email::unicode() parses to a different address", input);
    COALITION_FUZZ_CHECK(again->unicode() == unicode, "Email::unicode() is not stable", input);
    auto from_envelope = Email::parse(envelope);
    COALITION_FUZZ_CHECK(from_envelope.has_value(), "Email::envelope() does not parse again",
                         input);
    COALITION_FUZZ_CHECK(*from_envelope == *email,
                         "Email::envelope() parses to a different address", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_email(input);
    check_domain(input);
    return 0;
}
