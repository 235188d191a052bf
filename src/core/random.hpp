#pragma once
// Randomness comes through core::Random so tokens are reproducible in tests when needed.

#include <cstddef>
#include <cstdint>
#include <string>

namespace coalition::core {

class Random {
public:
    virtual ~Random() = default;
    // Fills `out` with `length` unpredictable bytes.
    virtual void fill(std::uint8_t* out, std::size_t length) = 0;

    // `byte_count` random bytes as unpadded base64url: safe in URLs, cookies and mail addresses.
    std::string token(std::size_t byte_count = 32);
};

// libsodium's randombytes_buf: a CSPRNG seeded from the kernel. Thread-safe.
class SecureRandom final : public Random {
public:
    SecureRandom();
    void fill(std::uint8_t* out, std::size_t length) override;
};

// The tokens we hand out (token() of 32 bytes) are 43 characters: a presented token longer than
// this is not ours, and is refused before it is hashed.
constexpr std::size_t kMaxTokenLength = 128;

// Hex of BLAKE2b-256 of `secret`: how tokens are stored (never the token itself).
std::string hash_token(const std::string& secret);

// Constant-time comparison of two strings of equal length.
bool equal_constant_time(const std::string& a, const std::string& b);

std::string base64url(const std::uint8_t* data, std::size_t length);
std::string to_hex(const std::uint8_t* data, std::size_t length);

}  // namespace coalition::core
