#include "lists/tokens.hpp"

#include "core/assert.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace coalition::lists::tokens {

std::string base32(const std::uint8_t* data, std::size_t length) {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out;
    out.reserve((length * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t idx = 0; idx < length; ++idx) {
        buffer = (buffer << 8) | data[idx];
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 0x1F];
            bits -= 5;
        }
    }
    if (bits > 0) {
        out += kAlphabet[(buffer << (5 - bits)) & 0x1F];
    }
    return out;
}

std::string random_token(core::Random& random) {
    std::array<std::uint8_t, kTokenBytes> bytes{};
    random.fill(bytes.data(), bytes.size());
    return base32(bytes.data(), bytes.size());
}

std::string random_salt(core::Random& random) {
    std::array<std::uint8_t, 16> bytes{};
    random.fill(bytes.data(), bytes.size());
    return core::to_hex(bytes.data(), bytes.size());
}

std::string member_token(std::string_view secret, Purpose purpose, std::string_view salt) {
    COALITION_ASSERT(secret.size() >= crypto_generichash_KEYBYTES_MIN &&
                         secret.size() <= crypto_generichash_KEYBYTES_MAX,
                     "the lists token secret has 16 to 64 bytes");
    std::string message = purpose == Purpose::Unsubscribe ? "unsubscribe:" : "preferences:";
    message += salt;
    std::array<std::uint8_t, kTokenBytes> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    return base32(digest.data(), digest.size());
}

bool is_well_formed(std::string_view token) {
    return token.size() == kTokenLength && std::all_of(token.begin(), token.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
           });
}

}  // namespace coalition::lists::tokens
