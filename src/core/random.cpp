#include "core/random.hpp"

#include "core/unavailable.hpp"

#include <sodium.h>

#include <vector>

namespace coalition::core {

std::string Random::token(std::size_t byte_count) {
    std::vector<std::uint8_t> bytes(byte_count);
    fill(bytes.data(), bytes.size());
    return base64url(bytes.data(), bytes.size());
}

SecureRandom::SecureRandom() {
    if (sodium_init() < 0) {
        throw StartupError("libsodium could not be initialised");
    }
}

void SecureRandom::fill(std::uint8_t* out, std::size_t length) {
    randombytes_buf(out, length);
}

std::string hash_token(const std::string& secret) {
    std::uint8_t digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size(), nullptr, 0);
    return to_hex(digest, sizeof digest);
}

bool equal_constant_time(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) {
        return false;
    }
    return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64url(const std::uint8_t* data, std::size_t length) {
    std::string out(sodium_base64_encoded_len(length, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                    '\0');
    sodium_bin2base64(out.data(), out.size(), data, length,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::string to_hex(const std::uint8_t* data, std::size_t length) {
    std::string out(length * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, length);
    out.resize(length * 2);
    return out;
}

}  // namespace coalition::core
