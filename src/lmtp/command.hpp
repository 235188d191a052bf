#pragma once
// Parsing one LMTP command line (RFC 5321 §4.1 as RFC 2033 uses it): the verb, and for MAIL and
// RCPT the path and its ESMTP parameters. Pure functions on outside input; fuzzed through
// Session (fuzz/lmtp_fuzz.cpp).

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::lmtp {

enum class Verb { Lhlo, Helo, Ehlo, Mail, Rcpt, Data, Rset, Noop, Quit, Vrfy, Expn, Help, Unknown };

struct Command {
    Verb verb = Verb::Unknown;
    std::string_view argument;  // After the verb and its white space; a view into the line.
};

// Splits `line` (without its line ending) into verb (case-insensitive) and argument.
Command parse_command(std::string_view line);

struct Parameter {
    std::string keyword;  // Upper-cased: "SIZE".
    std::string value;    // Empty when the parameter has none ("SMTPUTF8").
    bool operator==(const Parameter&) const = default;
};

struct PathArgument {
    std::string address;  // Between the brackets, source route removed; empty for "<>".
    std::vector<Parameter> parameters;
};

// Parses the argument of MAIL ("FROM:<a@b> SIZE=10") or RCPT ("TO:<a@b>"); `keyword` is "FROM"
// or "TO". A space after the colon is tolerated. The address must be well-formed UTF-8 without
// control characters or unquoted spaces, at most 256 octets with its brackets (RFC 5321
// §4.5.3.1.3), and hold a local part, '@' and a domain, except for "<>" and the bare
// "<postmaster>" (RFC 5321 §4.1.1.3). Fails with Invalid: field "address" when only the address is
// wrong, field "" when the syntax around it is.
core::Result<PathArgument> parse_path_argument(std::string_view argument, std::string_view keyword);

// True when `text` has a byte ≥ 0x80 (an address that needs SMTPUTF8).
bool has_non_ascii(std::string_view text);

}  // namespace coalition::lmtp
