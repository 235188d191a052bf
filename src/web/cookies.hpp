#pragma once
// Cookies (RFC 6265): a tolerant parser for the Cookie request header and a strict serialiser for
// Set-Cookie. Our cookies are HttpOnly, SameSite=Lax, Path=/ unless told otherwise; the caller sets
// `secure` when the site's base URL is https.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::web {

enum class SameSite { Lax, Strict, None };

struct CookieOptions {
    bool http_only = true;
    SameSite same_site = SameSite::Lax;
    bool secure = false;  // Set when the base URL is https (SameSite=None requires it).
    std::optional<std::chrono::seconds> max_age;  // Unset: a session cookie.
    std::string path = "/";
};

// The name=value pairs of a Cookie header, in order. Pairs without `=`, with an empty or invalid
// name, or with a value outside cookie-octets are skipped; one pair of surrounding double quotes
// is removed. The views point into `header`.
std::vector<std::pair<std::string_view, std::string_view>> parse_cookie_header(
    std::string_view header);

// The value of the first cookie called `name` in `header`, or nullopt.
std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name);

// RFC 6265 §4.1.1: a token (RFC 9110 tchar), and cookie-octets.
bool is_valid_cookie_name(std::string_view name);
bool is_valid_cookie_value(std::string_view value);

// The value of a Set-Cookie field: "name=value; Path=/; Max-Age=60; HttpOnly; SameSite=Lax".
// `name` and `value` must be valid (above) and `options.path` printable ASCII without `;`:
// a violation is a bug and asserts.
std::string set_cookie_value(std::string_view name, std::string_view value,
                             const CookieOptions& options);

}  // namespace coalition::web
