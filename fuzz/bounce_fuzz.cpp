// Fuzzes lists::parse_bounce (whatever reaches NAME-bounces@DOMAIN) with arbitrary bytes.
// Invariants: never throws or crashes; at most 100 recipients, each a valid address
// (core::Email::parse accepts it); a status is empty or "d.d.d"; a diagnostic is valid UTF-8
// without control characters and at most 500 characters; parsing is deterministic.

#include "core/email.hpp"
#include "fuzz_support.hpp"
#include "lists/bounces.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::fuzz::is_well_formed_utf8;

bool is_status(const std::string& status) {
    if (status.empty()) {
        return true;
    }
    int dots = 0;
    for (char c : status) {
        if (c == '.') {
            ++dots;
        } else if (!std::isdigit(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return dots == 2 && (status[0] == '2' || status[0] == '4' || status[0] == '5');
}

std::size_t characters(const std::string& text) {
    std::size_t count = 0;
    for (char c : text) {
        count += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
    }
    return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto recipients = coalition::lists::parse_bounce(input);
    COALITION_FUZZ_CHECK(recipients.size() <= 100, "more than 100 recipients", input);
    for (const auto& recipient : recipients) {
        COALITION_FUZZ_CHECK(coalition::core::Email::parse(recipient.address).has_value(),
                             "a reported address does not parse", input);
        COALITION_FUZZ_CHECK(is_status(recipient.status), "a malformed status", input);
        COALITION_FUZZ_CHECK(is_well_formed_utf8(recipient.diagnostic), "a diagnostic is not UTF-8",
                             input);
        COALITION_FUZZ_CHECK(characters(recipient.diagnostic) <= 500, "a diagnostic is too long",
                             input);
        for (char c : recipient.diagnostic) {
            const auto byte = static_cast<unsigned char>(c);
            COALITION_FUZZ_CHECK(byte >= 0x20 && byte != 0x7f,
                                 "a control character in a diagnostic", input);
        }
    }
    const auto again = coalition::lists::parse_bounce(input);
    COALITION_FUZZ_CHECK(again.size() == recipients.size(), "parsing is not deterministic", input);
    return 0;
}
