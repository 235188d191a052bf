#include "web/router.hpp"

#include "core/assert.hpp"
#include "core/html.hpp"
#include "web/csrf.hpp"
#include "web/forms.hpp"
#include "web/problem.hpp"

#include <array>

namespace coalition::web {

namespace {

// No route is deeper than this; a longer path simply matches nothing.
constexpr std::size_t kMaxSegments = 16;

struct PathSegments {
    std::array<std::string_view, kMaxSegments> items;
    std::size_t count = 0;
    bool too_deep = false;
};

// "/a/b" → {"a", "b"}; "/" → {}. Empty segments ("/a//b") are kept so that they match nothing.
PathSegments split_path(std::string_view raw_path) {
    PathSegments segments;
    if (raw_path.size() <= 1) {
        return segments;
    }
    std::size_t start = 1;
    while (true) {
        std::size_t end = raw_path.find('/', start);
        std::string_view segment =
            raw_path.substr(start, end == std::string_view::npos ? end : end - start);
        if (segments.count == kMaxSegments) {
            segments.too_deep = true;
            return segments;
        }
        segments.items[segments.count++] = segment;
        if (end == std::string_view::npos) {
            return segments;
        }
        start = end + 1;
    }
}

std::string_view raw_path_of(const Request& request) {
    std::string_view target = request.raw_target;
    return target.substr(0, target.find('?'));
}

bool has_role(const Visitor& visitor, Access access) {
    switch (access) {
        case Access::Public:
        case Access::Member:
            return true;
        case Access::Moderator:
            return visitor.role == "moderator" || visitor.role == "admin";
        case Access::Admin:
            return visitor.role == "admin";
    }
    return false;
}

bool is_json_content_type(std::string_view content_type) {
    constexpr std::string_view kJson = "application/json";
    if (content_type.size() < kJson.size()) {
        return false;
    }
    for (std::size_t idx = 0; idx < kJson.size(); ++idx) {
        char c = content_type[idx];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != kJson[idx]) {
            return false;
        }
    }
    std::string_view rest = content_type.substr(kJson.size());
    return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

Response builtin_error_page(int status, std::string_view message) {
    std::string title = std::to_string(status) + " " + std::string(reason_phrase(status));
    return Response::html(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\"><title>" +
            core::escape_html(title) + "</title></head><body><main><h1>" +
            core::escape_html(title) + "</h1><p>" + core::escape_html(message) +
            "</p><p><a href=\"/\">Home</a></p></main></body></html>\n",
        status);
}

}  // namespace

Router::Router(RouterOptions options) : options_(std::move(options)) {
    COALITION_ASSERT(!options_.check_csrf || !options_.site_secret.empty(),
                     "CSRF checks need a site secret");
}

void Router::add(Method method, std::string_view pattern, Handler handler, Access access,
                 CsrfCheck csrf) {
    COALITION_ASSERT(pattern.starts_with("/"), "route patterns start with /");
    COALITION_ASSERT(pattern == "/" || !pattern.ends_with("/"),
                     "route patterns have no trailing /");
    COALITION_ASSERT(handler != nullptr, "a route needs a handler");
    Route route{method, std::string(pattern), {}, std::move(handler), access, csrf};
    PathSegments parts = split_path(pattern);
    COALITION_ASSERT(!parts.too_deep, "route pattern too deep");
    for (std::size_t idx = 0; idx < parts.count; ++idx) {
        std::string_view part = parts.items[idx];
        COALITION_ASSERT(!part.empty(), "route patterns have no empty segments");
        if (part.front() == ':') {
            COALITION_ASSERT(part.size() > 1, "a :parameter needs a name");
            route.segments.push_back({Segment::Kind::Param, std::string(part.substr(1))});
        } else if (part.front() == '*') {
            COALITION_ASSERT(part.size() > 1, "a *rest parameter needs a name");
            COALITION_ASSERT(idx + 1 == parts.count, "a *rest parameter must come last");
            route.segments.push_back({Segment::Kind::Rest, std::string(part.substr(1))});
        } else {
            route.segments.push_back({Segment::Kind::Literal, std::string(part)});
        }
    }
    for (const Route& existing : routes_) {
        COALITION_ASSERT(existing.method != method || existing.pattern != pattern,
                         "a route is registered twice");
    }
    routes_.push_back(std::move(route));
}

std::string_view Router::default_message(int status) {
    switch (status) {
        case 400:
            return "The address or the request could not be read.";
        case 401:
            return "Sign in to continue.";
        case 403:
            return "You do not have permission to do this.";
        case 404:
            return "There is no page at this address.";
        case 405:
            return "This address does not accept that kind of request.";
        case 413:
            return "What you sent is larger than this site accepts.";
        case 415:
            return "Send JSON, with the header Content-Type: application/json.";
        case 503:
            return "The site is unavailable for a moment. Please try again in a few minutes.";
        default:
            return "Something went wrong on our side. Please try again later.";
    }
}

Response Router::error_response(const Request& request, int status,
                                std::string_view message) const {
    if (request.is_api()) {
        return problem_response(status, message);
    }
    if (renderer_) {
        try {
            return renderer_(request, status, message);
        } catch (const std::exception&) {
            // The renderer may need the database that just went away; the built-in page still
            // tells the visitor what happened.
        }
    }
    return builtin_error_page(status, message);
}

const Router::Route* Router::match(Method method, std::string_view raw_path, Request& request,
                                   std::vector<Method>& allowed) const {
    PathSegments segments = split_path(raw_path);
    if (segments.too_deep) {
        return nullptr;
    }
    const Route* chosen = nullptr;
    const Route* get_for_head = nullptr;
    for (const Route& route : routes_) {
        bool matched = true;
        std::size_t segment_idx = 0;
        for (const Segment& pattern : route.segments) {
            if (pattern.kind == Segment::Kind::Rest) {
                // The rest must hold at least one non-empty segment.
                matched = segment_idx < segments.count && !segments.items[segment_idx].empty();
                segment_idx = segments.count;
                break;
            }
            if (segment_idx >= segments.count || segments.items[segment_idx].empty() ||
                (pattern.kind == Segment::Kind::Literal &&
                 segments.items[segment_idx] != pattern.text)) {
                matched = false;
                break;
            }
            ++segment_idx;
        }
        if (!matched || segment_idx != segments.count) {
            continue;
        }
        allowed.push_back(route.method);
        if (route.method == method && chosen == nullptr) {
            chosen = &route;
        } else if (method == Method::Head && route.method == Method::Get && !get_for_head) {
            get_for_head = &route;
        }
    }
    if (chosen == nullptr) {
        chosen = get_for_head;
    }
    if (chosen == nullptr) {
        return nullptr;
    }
    // Bind the parameters of the chosen route only.
    std::size_t segment_idx = 0;
    for (const Segment& pattern : chosen->segments) {
        if (pattern.kind == Segment::Kind::Literal) {
            ++segment_idx;
            continue;
        }
        std::string_view raw_value = segments.items[segment_idx];
        if (pattern.kind == Segment::Kind::Rest) {
            const char* begin = segments.items[segment_idx].data();
            const char* end = raw_path.data() + raw_path.size();
            raw_value = std::string_view(begin, static_cast<std::size_t>(end - begin));
        }
        request.route_params[pattern.text] = std::string(raw_value);
        ++segment_idx;
    }
    return chosen;
}

std::optional<Response> Router::check_access(const Route& route, const Request& request) const {
    if (route.access == Access::Public) {
        return std::nullopt;
    }
    if (!request.visitor.is_signed_in()) {
        if (request.is_api()) {
            return problem_response(401, default_message(401));
        }
        std::string location = options_.sign_in_path;
        if (request.method == Method::Get || request.method == Method::Head) {
            location.append("?next=").append(percent_encode(request.raw_target));
        }
        return Response::redirect_see_other(std::move(location));
    }
    if (!has_role(request.visitor, route.access)) {
        return error_response(request, 403, default_message(403));
    }
    return std::nullopt;
}

std::optional<Response> Router::check_forgery(const Request& request) const {
    if (request.is_api()) {
        // A cross-site HTML form can only send form encodings and text/plain, so insisting on
        // JSON for writes shuts it out without cookies-based tokens.
        bool has_body = request.method != Method::Delete || !request.body.empty();
        if (has_body && !is_json_content_type(request.headers.value("Content-Type"))) {
            return problem_response(415, default_message(415));
        }
        return std::nullopt;
    }
    if (!options_.check_csrf) {
        return std::nullopt;
    }
    const core::Result<Form>& form = request.form();
    if (!form) {
        // Bytes that are not a well-formed UTF-8 form (bad escapes, NUL, invalid UTF-8) are a
        // client error to report as such, not a forgery.
        return error_response(request, 400, form.error().message);
    }
    const std::optional<std::string_view> token = form->get(csrf::kFieldName);
    if (!token || !csrf::verify(request.visitor, options_.site_secret, *token)) {
        return error_response(request, 403, kCsrfFailedMessage);
    }
    return std::nullopt;
}

Response Router::dispatch(Request& request) const {
    std::string_view raw_path = raw_path_of(request);
    std::vector<Method> allowed;
    const Route* route = match(request.method, raw_path, request, allowed);
    if (route == nullptr && allowed.empty() && raw_path.size() > 1 && raw_path.ends_with('/')) {
        // "/members/" → "/members", when that exists. A path starting "//" would make the
        // Location protocol-relative (an open redirect), so it is never redirected.
        std::string_view trimmed = raw_path;
        while (trimmed.size() > 1 && trimmed.ends_with('/')) {
            trimmed.remove_suffix(1);
        }
        std::vector<Method> trimmed_allowed;
        Request probe;
        if (!trimmed.starts_with("//") &&
            match(Method::Get, trimmed, probe, trimmed_allowed) != nullptr &&
            (request.method == Method::Get || request.method == Method::Head)) {
            std::string location(trimmed);
            std::string_view target = request.raw_target;
            if (std::size_t query = target.find('?'); query != std::string_view::npos) {
                location.append(target.substr(query));
            }
            Response response;
            response.status = 308;
            response.headers.add("Location", std::move(location));
            return response;
        }
    }
    if (route == nullptr) {
        if (allowed.empty()) {
            return error_response(request, 404, default_message(404));
        }
        std::string allow;
        auto append = [&allow](Method method) {
            std::string_view name = method_name(method);
            if (allow.find(name) == std::string::npos) {
                allow.append(allow.empty() ? "" : ", ").append(name);
            }
        };
        for (Method method : allowed) {
            append(method);
            if (method == Method::Get) {
                append(Method::Head);
            }
        }
        Response response = error_response(request, 405, default_message(405));
        response.headers.set("Allow", std::move(allow));
        return response;
    }
    request.route = route->pattern;
    for (auto& [name, value] : request.route_params) {
        auto decoded = percent_decode(value);
        if (!decoded) {
            return error_response(request, 400, default_message(400));
        }
        value = std::move(*decoded);
    }
    if (auto denied = check_access(*route, request)) {
        return std::move(*denied);
    }
    if (is_write_method(request.method) && route->csrf == CsrfCheck::ByRouter) {
        if (auto forged = check_forgery(request)) {
            return std::move(*forged);
        }
    }
    return route->handler(request);
}

Response Router::handle(Request& request) const {
    Response prelude;
    prelude.status = 0;
    if (resolver_) {
        resolver_(request, prelude);
        if (prelude.status != 0) {
            return prelude;
        }
    }
    Response response = dispatch(request);
    for (const auto& [name, value] : prelude.headers.entries()) {
        response.headers.add(name, value);
    }
    return response;
}

}  // namespace coalition::web
