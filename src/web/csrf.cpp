#include "web/csrf.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace coalition::web::csrf {

namespace {

// Domain separation: the same secrets may key other MACs later.
constexpr std::string_view kContext = "coalition-csrf-v1";

std::string mac(std::string_view csrf_secret, std::string_view site_secret) {
    COALITION_ASSERT(!site_secret.empty(), "the site secret must be configured");
    // crypto_generichash keys are at most 64 bytes, so a longer site secret is hashed first.
    std::array<std::uint8_t, crypto_generichash_KEYBYTES> key{};
    crypto_generichash(key.data(), key.size(),
                       reinterpret_cast<const unsigned char*>(site_secret.data()),
                       site_secret.size(), nullptr, 0);
    crypto_generichash_state state;
    crypto_generichash_init(&state, key.data(), key.size(), crypto_generichash_BYTES);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kContext.data()),
                              kContext.size());
    const unsigned char separator = 0;
    crypto_generichash_update(&state, &separator, 1);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(csrf_secret.data()),
                              csrf_secret.size());
    std::array<std::uint8_t, crypto_generichash_BYTES> out{};
    crypto_generichash_final(&state, out.data(), out.size());
    sodium_memzero(key.data(), key.size());
    return core::base64url(out.data(), out.size());
}

}  // namespace

std::string token_for(const Visitor& visitor, std::string_view site_secret) {
    if (visitor.csrf_secret.empty()) {
        return {};
    }
    return mac(visitor.csrf_secret, site_secret);
}

bool verify(const Visitor& visitor, std::string_view site_secret, std::string_view submitted) {
    if (visitor.csrf_secret.empty() || submitted.empty()) {
        return false;
    }
    return core::equal_constant_time(mac(visitor.csrf_secret, site_secret), std::string(submitted));
}

}  // namespace coalition::web::csrf
