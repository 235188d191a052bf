#pragma once
// CSRF tokens bound to the visitor: keyed BLAKE2b (libsodium crypto_generichash) of the visitor's
// CSRF secret under the site secret. A token from one visitor is useless to another, and one that
// was tampered with fails a constant-time comparison. The Router checks the `_csrf` field of every
// POST/PUT/PATCH/DELETE outside /api/; pages put token_for() in a hidden field. Thread-safe.

#include "web/http.hpp"

#include <string>
#include <string_view>

namespace coalition::web::csrf {

inline constexpr std::string_view kFieldName = "_csrf";

// The token for `visitor` (unpadded base64url, 43 characters), or "" when the visitor has no CSRF
// secret (then no form from them can be accepted). `site_secret` must not be empty.
std::string token_for(const Visitor& visitor, std::string_view site_secret);

// True when `submitted` is the token for `visitor`; false for an empty secret or token.
bool verify(const Visitor& visitor, std::string_view site_secret, std::string_view submitted);

}  // namespace coalition::web::csrf
