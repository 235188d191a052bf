#include "accounts/password.hpp"

#include "core/text.hpp"
#include "core/unavailable.hpp"
#include "i18n/i18n.hpp"

#include <sodium.h>

namespace coalition::accounts::password {
namespace {

void ensure_sodium() {
    // Idempotent and thread-safe; crypto_pwhash needs it for its CPU feature detection.
    if (sodium_init() < 0) {
        throw core::Unavailable("libsodium could not be initialised");
    }
}

// NFC so that "é" typed as one code point or two is the same password; invalid UTF-8 is kept
// as bytes (only verify sees it, and it then simply fails to match).
std::string normalise(std::string_view password) {
    if (password.size() > kMaxLength || !core::is_valid_utf8(password)) {
        return std::string(password);
    }
    return core::to_nfc(password);
}

std::string hash_unchecked(const std::string& password) {
    ensure_sodium();
    char encoded[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            encoded, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw core::Unavailable("argon2id ran out of memory");
    }
    return encoded;
}

}  // namespace

core::Result<std::string> hash(std::string_view password) {
    if (!core::is_valid_utf8(password)) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("This password is not valid UTF-8.")), "password");
    }
    if (password.size() > kMaxLength) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Use a password of at most 1024 bytes.")), "password");
    }
    const std::string normalised = normalise(password);
    if (core::character_count(normalised) < kMinLength) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Use a password of at least 10 characters.")),
            "password");
    }
    return hash_unchecked(normalised);
}

bool verify(const std::string& encoded_hash, std::string_view password) {
    ensure_sodium();
    if (password.size() > kMaxLength) {
        return verify_dummy(std::string_view());
    }
    const std::string normalised = normalise(password);
    return crypto_pwhash_str_verify(encoded_hash.c_str(), normalised.data(), normalised.size()) ==
           0;
}

bool verify_dummy(std::string_view password) {
    static const std::string dummy = hash_unchecked("coalition-dummy-password");
    verify(dummy, password.size() > kMaxLength ? std::string_view() : password);
    return false;
}

}  // namespace coalition::accounts::password
