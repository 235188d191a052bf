#pragma once
// The one route table: method + pattern → handler + required access. The Router also runs what
// every request needs before its handler: the injected visitor resolver, access checks (sign in →
// 303 to /signin?next=…, wrong role → 403), CSRF for forms, JSON-only writes under /api/, and the
// 404/405 answers. Pages get HTML error pages from an injected renderer; /api/ gets problem+json.
//
// Patterns: "/", "/members", "/members/:slug" (one non-empty segment, decoded into
// request.route_params["slug"]), "/static/*path" (the rest of the path, at least one segment, as
// the last element). A request path with a trailing slash ("/members/") is redirected (308) to the
// path without it when that matches a route.

#include "web/http.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

enum class Access {
    Public,     // Anyone.
    Member,     // Signed in (any role).
    Moderator,  // Role "moderator" or "admin".
    Admin,      // Role "admin".
};

// Who checks a form write's CSRF token. Only a route that must accept a cookie-less POST from
// outside (RFC 8058 one-click unsubscribe) leaves it to its handler, which then checks the token
// itself for every other request (csrf::verify).
enum class CsrfCheck { ByRouter, ByHandler };

// Handles one request; runs on a server worker thread and may block (database). Throwing
// core::Unavailable answers 503; any other exception answers 500 (both done by HttpServer).
using Handler = std::function<Response(Request&)>;

// Fills request.visitor (session cookie → user, or the anonymous visitor) before routing. It may
// add headers to `response` (Set-Cookie for a new `anon` cookie); they are copied onto whatever
// answer the request gets. To answer at once instead (rate limit), set response.status to non-zero.
using VisitorResolver = std::function<void(Request& request, Response& response)>;

// Renders an HTML error page for a request outside /api/: `status` is 400, 403, 404, 405, 413,
// 415, 500 or 503 and `message` an English sentence (a renderer translates by status).
using ErrorPageRenderer =
    std::function<Response(const Request& request, int status, std::string_view message)>;

struct RouterOptions {
    // Keys the CSRF tokens (csrf.hpp). Required when check_csrf is on.
    std::string site_secret;
    // Every POST/PUT/PATCH/DELETE outside /api/ must carry a valid `_csrf` form field.
    bool check_csrf = true;
    // Where visitors who must sign in are sent, with ?next=<the page they asked for>.
    std::string sign_in_path = "/signin";
};

inline constexpr std::string_view kCsrfFailedMessage =
    "This form has expired. Go back, reload the page and try again.";

// Set up (add, set_*) before the server starts; after that handle() and error_response() are
// const and safe to call from many threads at once.
class Router {
public:
    explicit Router(RouterOptions options);

    // Registers `handler` for `method` on `pattern`. A GET route also answers HEAD (the server
    // drops the body). Registering the same method and pattern twice is a bug and asserts.
    void add(Method method, std::string_view pattern, Handler handler,
             Access access = Access::Public, CsrfCheck csrf = CsrfCheck::ByRouter);

    void set_visitor_resolver(VisitorResolver resolver) { resolver_ = std::move(resolver); }
    void set_error_page_renderer(ErrorPageRenderer renderer) { renderer_ = std::move(renderer); }

    // Routes `request` (path, raw_target, query, headers and body already filled by the server)
    // and returns the answer. Sets request.route and request.route_params. Exceptions from the
    // resolver and handlers propagate to the caller.
    Response handle(Request& request) const;

    // The answer for an error `status` that is not a handler's: problem+json under /api/, else the
    // error page renderer's page, or a plain built-in page when there is none or it throws.
    Response error_response(const Request& request, int status, std::string_view message) const;

    // The default English sentence for `status` ("There is no page at this address.").
    static std::string_view default_message(int status);

    const RouterOptions& options() const { return options_; }

private:
    struct Segment {
        enum class Kind { Literal, Param, Rest };
        Kind kind;
        std::string text;  // The literal, or the parameter's name.
    };
    struct Route {
        Method method;
        std::string pattern;
        std::vector<Segment> segments;
        Handler handler;
        Access access;
        CsrfCheck csrf = CsrfCheck::ByRouter;
    };

    const Route* match(Method method, std::string_view raw_path, Request& request,
                       std::vector<Method>& allowed) const;
    std::optional<Response> check_access(const Route& route, const Request& request) const;
    std::optional<Response> check_forgery(const Request& request) const;
    Response dispatch(Request& request) const;

    RouterOptions options_;
    std::vector<Route> routes_;
    VisitorResolver resolver_;
    ErrorPageRenderer renderer_;
};

}  // namespace coalition::web
