#pragma once
// Password hashing with argon2id (libsodium crypto_pwhash_str, INTERACTIVE limits: 2 passes,
// 64 MiB, about 170 ms here). Private to accounts/: users.hpp is the interface.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace coalition::accounts::password {

inline constexpr std::size_t kMinLength = 10;    // Unicode characters.
inline constexpr std::size_t kMaxLength = 1024;  // Bytes; argon2 would take more, nobody needs it.

// The encoded argon2id hash ("$argon2id$v=19$m=65536,t=2,p=1$…") of `password` after NFC, or
// Invalid (field "password") when it is shorter than kMinLength characters, longer than
// kMaxLength bytes, or not valid UTF-8. Throws core::Unavailable if memory for argon2 runs out.
core::Result<std::string> hash(std::string_view password);

// True when `password` matches `encoded_hash`; constant time in the password.
bool verify(const std::string& encoded_hash, std::string_view password);

// Spends the time verify() would, against a fixed hash, and returns false: used when there is no
// user or no password, so response time does not tell whether an address has an account.
bool verify_dummy(std::string_view password);

}  // namespace coalition::accounts::password
