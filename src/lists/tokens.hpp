#pragma once
// Tokens of the lists module. Private to lists/.
// Every token is lower-case base32 (RFC 4648 alphabet, lowered, no padding): [a-z2-7], safe in
// URLs and in a mail address's local part that an MTA may lower-case.

#include "core/random.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace coalition::lists::tokens {

inline constexpr std::size_t kTokenBytes = 20;
inline constexpr std::size_t kTokenLength = 32;  // 160 bits in base32.

std::string base32(const std::uint8_t* data, std::size_t length);

// kTokenBytes fresh random bytes as a token.
std::string random_token(core::Random& random);

// A fresh salt for a member's personal tokens (hex of 16 random bytes).
std::string random_salt(core::Random& random);

enum class Purpose { Unsubscribe, Preferences };

// The member's personal token for `purpose`: keyed BLAKE2b of the purpose and `salt` under
// `secret` (16 to 64 bytes, asserted), kTokenBytes long, as base32.
std::string member_token(std::string_view secret, Purpose purpose, std::string_view salt);

// True when `token` has the shape of our tokens (checked before hashing outside input).
bool is_well_formed(std::string_view token);

}  // namespace coalition::lists::tokens
