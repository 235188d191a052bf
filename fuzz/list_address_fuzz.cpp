// Fuzzes lists::ListAddress::parse (recipient addresses from LMTP's RCPT TO) and
// lists::parse_list_name with arbitrary bytes.
// Invariants: never crashes; an accepted address has a valid list name and valid UTF-8 forms, an
// ASCII domain in its envelope, a token only when it is a confirmation and a subscriber only when
// it is a bounce; it parses again from envelope() and unicode() to an equal address; and the
// builders give back an equal address from its parts.

#include "core/domain.hpp"
#include "core/email.hpp"
#include "fuzz_support.hpp"
#include "lists/list_address.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::fuzz::is_ascii;
using coalition::fuzz::is_well_formed_utf8;
using coalition::lists::AddressRole;
using coalition::lists::ListAddress;

void check_name(std::string_view input) {
    auto name = coalition::lists::parse_list_name(input);
    if (!name) {
        return;
    }
    COALITION_FUZZ_CHECK(is_ascii(*name) && !name->empty() && name->size() <= 40,
                         "an accepted list name is 1-40 ASCII characters", input);
    auto again = coalition::lists::parse_list_name(*name);
    COALITION_FUZZ_CHECK(again.has_value() && *again == *name, "a list name is not stable", input);
}

void check_address(std::string_view input) {
    auto address = ListAddress::parse(input);
    if (!address) {
        COALITION_FUZZ_CHECK(!address.error().message.empty(), "a failure without a message",
                             input);
        return;
    }
    auto name = coalition::lists::parse_list_name(address->list_name());
    COALITION_FUZZ_CHECK(name.has_value() && *name == address->list_name(),
                         "an accepted address has an invalid list name", input);
    const std::string envelope = address->envelope();
    const std::string unicode = address->unicode();
    COALITION_FUZZ_CHECK(is_well_formed_utf8(envelope), "envelope() is not UTF-8", input);
    COALITION_FUZZ_CHECK(is_well_formed_utf8(unicode), "unicode() is not UTF-8", input);
    COALITION_FUZZ_CHECK(is_ascii(address->domain().ascii()), "the domain is not ASCII", input);
    COALITION_FUZZ_CHECK(address->token().empty() || address->role() == AddressRole::Confirm,
                         "a token on an address that is not a confirmation", input);
    COALITION_FUZZ_CHECK(!address->subscriber() || address->role() == AddressRole::Bounces,
                         "a subscriber on an address that is not a bounce", input);
    COALITION_FUZZ_CHECK(
        !address->subscriber() || is_ascii(address->subscriber()->domain().ascii()),
        "a VERP subscriber's domain is not ASCII", input);

    auto from_envelope = ListAddress::parse(envelope);
    COALITION_FUZZ_CHECK(from_envelope.has_value(), "envelope() does not parse again", input);
    COALITION_FUZZ_CHECK(*from_envelope == *address, "envelope() parses to another address", input);
    COALITION_FUZZ_CHECK(from_envelope->envelope() == envelope, "envelope() is not stable", input);
    auto from_unicode = ListAddress::parse(unicode);
    COALITION_FUZZ_CHECK(from_unicode.has_value(), "unicode() does not parse again", input);
    COALITION_FUZZ_CHECK(*from_unicode == *address, "unicode() parses to another address", input);

    if (address->role() == AddressRole::Confirm && !address->token().empty()) {
        COALITION_FUZZ_CHECK(ListAddress::confirm(address->list_name(), address->domain(),
                                                  address->token()) == *address,
                             "confirm() does not rebuild the address", input);
    } else if (address->role() == AddressRole::Bounces && address->subscriber()) {
        COALITION_FUZZ_CHECK(ListAddress::bounces_for(address->list_name(), address->domain(),
                                                      *address->subscriber()) == *address,
                             "bounces_for() does not rebuild the address", input);
    } else {
        COALITION_FUZZ_CHECK(
            ListAddress::of(address->list_name(), address->domain(), address->role()) == *address,
            "of() does not rebuild the address", input);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_address(input);
    check_name(input);
    return 0;
}
