#pragma once
// The HTTP edge's own request and response types. Nothing outside web/server.cpp sees RESTinio or
// Asio: handlers take a web::Request and return a web::Response, so the server library can change
// in one file. Start reading at router.hpp (the route table) and server.hpp (the listener).

#include "core/result.hpp"
#include "web/cookies.hpp"
#include "web/forms.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::web {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

// "GET", "HEAD", …; "OTHER" for Method::Other.
std::string_view method_name(Method method);
// The method for an upper-case token ("GET"); Method::Other for anything else.
Method method_from_name(std::string_view name);
// True for POST, PUT, PATCH and DELETE: the methods that change state and need CSRF protection.
bool is_write_method(Method method);

// The reason phrase for `status` ("Not Found"); "Unknown" for codes we never send.
std::string_view reason_phrase(int status);

// Header fields in arrival order. Lookups ignore ASCII case (RFC 9110 §5.1). Not thread-safe.
class Headers {
public:
    // The first value of `name`, or nullopt. The view lives as long as this object is unchanged.
    std::optional<std::string_view> find(std::string_view name) const;
    // The first value of `name`, or "" when absent.
    std::string_view value(std::string_view name) const;
    bool has(std::string_view name) const { return find(name).has_value(); }
    // Appends a field; a name may repeat (Set-Cookie).
    void add(std::string name, std::string value);
    // Replaces every field called `name` with one field.
    void set(std::string name, std::string value);
    void remove(std::string_view name);
    const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
    void reserve(std::size_t count) { entries_.reserve(count); }
    // Moves every field out, leaving this empty (for the server, once the response is final).
    std::vector<std::pair<std::string, std::string>> take_entries() {
        return std::exchange(entries_, {});
    }

private:
    std::vector<std::pair<std::string, std::string>> entries_;
};

// Who is asking, filled by the visitor resolver the application injects into the Router (web never
// includes accounts/). Empty for an anonymous visitor without an `anon` cookie yet.
struct Visitor {
    std::optional<std::int64_t> user_id;  // Set when signed in.
    std::string display_name;
    std::string role;  // "admin", "moderator", "member", or empty when anonymous.
    // Identifies the session (hash of its token) or the anonymous visitor (the `anon` cookie).
    std::string session_token_hash_or_anon_id;
    // The secret CSRF tokens are bound to: the session's CSRF secret, or for an anonymous visitor
    // the `anon` cookie's value. Empty means no form can be accepted from this visitor.
    std::string csrf_secret;
    std::string language;  // A BCP 47 tag such as "ar"; empty means the default.

    bool is_signed_in() const { return user_id.has_value(); }
};

struct Request {
    Method method = Method::Get;
    std::string path;        // Percent-decoded, without the query; always starts with "/".
    std::string raw_target;  // As sent: "/members/a%20b?page=2".
    std::vector<std::pair<std::string, std::string>> query;  // Decoded, in order; repeats kept.
    Headers headers;
    std::string body;
    std::string remote_address;  // "127.0.0.1" or "::1"; the peer, not X-Forwarded-For.
    std::map<std::string, std::string, std::less<>> route_params;  // Decoded ":name" segments.
    std::string route;  // The matched pattern ("/members/:slug"), or "" before/without a match.
    Visitor visitor;

    // The decoded value of route parameter `name`, or "" when the route has none.
    std::string_view param(std::string_view name) const;
    // The first query value called `name`, or nullopt.
    std::optional<std::string_view> query_value(std::string_view name) const;
    // The value of cookie `name` from the Cookie header, or nullopt.
    std::optional<std::string_view> cookie(std::string_view name) const;
    // The body parsed as application/x-www-form-urlencoded, parsed once and cached. An error when
    // the Content-Type is another one or the body is malformed (forms.hpp).
    const core::Result<Form>& form() const;
    // True for paths under /api/: answered with JSON and problem+json, never HTML.
    bool is_api() const;

private:
    mutable std::optional<core::Result<Form>> form_;
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;

    // Adds a Set-Cookie field. `name` must be a cookie token and `value` cookie-octets (our own
    // tokens are base64url); anything else is a bug and asserts.
    void set_cookie(std::string_view name, std::string_view value,
                    const CookieOptions& options = {});
    // Adds a Set-Cookie field that deletes cookie `name` (Max-Age=0).
    void clear_cookie(std::string_view name, const CookieOptions& options = {});

    static Response html(std::string body, int status = 200);
    static Response json(std::string body, int status = 200);
    static Response text(std::string body, int status = 200);
    // 303 See Other to `location` (a path such as "/signin?next=%2F" or an absolute URL).
    static Response redirect_see_other(std::string location);
};

}  // namespace coalition::web
