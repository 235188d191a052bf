#include "web/http.hpp"

#include "core/text.hpp"

#include <chrono>

namespace coalition::web {

namespace {

bool is_form_content_type(std::string_view content_type) {
    constexpr std::string_view kForm = "application/x-www-form-urlencoded";
    if (content_type.size() < kForm.size() ||
        !core::equals_ignoring_ascii_case(content_type.substr(0, kForm.size()), kForm)) {
        return false;
    }
    // Allow parameters ("; charset=UTF-8") but not another type with the same prefix.
    std::string_view rest = content_type.substr(kForm.size());
    return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

Response with_body(std::string body, int status, std::string content_type) {
    Response response;
    response.status = status;
    response.headers.add("Content-Type", std::move(content_type));
    response.body = std::move(body);
    return response;
}

}  // namespace

std::string_view method_name(Method method) {
    switch (method) {
        case Method::Get:
            return "GET";
        case Method::Head:
            return "HEAD";
        case Method::Post:
            return "POST";
        case Method::Put:
            return "PUT";
        case Method::Patch:
            return "PATCH";
        case Method::Delete:
            return "DELETE";
        case Method::Options:
            return "OPTIONS";
        case Method::Other:
            break;
    }
    return "OTHER";
}

Method method_from_name(std::string_view name) {
    for (Method method : {Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch,
                          Method::Delete, Method::Options}) {
        if (method_name(method) == name) {
            return method;
        }
    }
    return Method::Other;
}

bool is_write_method(Method method) {
    return method == Method::Post || method == Method::Put || method == Method::Patch ||
           method == Method::Delete;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 406:
            return "Not Acceptable";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 413:
            return "Content Too Large";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

std::optional<std::string_view> Headers::find(std::string_view name) const {
    for (const auto& [field_name, field_value] : entries_) {
        if (core::equals_ignoring_ascii_case(field_name, name)) {
            return std::string_view(field_value);
        }
    }
    return std::nullopt;
}

std::string_view Headers::value(std::string_view name) const {
    auto found = find(name);
    return found ? *found : std::string_view();
}

void Headers::add(std::string name, std::string value) {
    entries_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
    remove(name);
    add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(entries_, [name](const auto& entry) {
        return core::equals_ignoring_ascii_case(entry.first, name);
    });
}

std::string_view Request::param(std::string_view name) const {
    auto found = route_params.find(name);
    return found == route_params.end() ? std::string_view() : std::string_view(found->second);
}

std::optional<std::string_view> Request::query_value(std::string_view name) const {
    for (const auto& [field_name, field_value] : query) {
        if (field_name == name) {
            return std::string_view(field_value);
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::cookie(std::string_view name) const {
    auto header = headers.find("Cookie");
    if (!header) {
        return std::nullopt;
    }
    return find_cookie(*header, name);
}

const core::Result<Form>& Request::form() const {
    if (!form_) {
        if (!is_form_content_type(headers.value("Content-Type"))) {
            form_.emplace(core::Error::invalid("The request is not a form submission."));
        } else {
            form_.emplace(parse_form(body));
        }
    }
    return *form_;
}

bool Request::is_api() const {
    return path == "/api" || path.starts_with("/api/");
}

void Response::set_cookie(std::string_view name, std::string_view value,
                          const CookieOptions& options) {
    headers.add("Set-Cookie", set_cookie_value(name, value, options));
}

void Response::clear_cookie(std::string_view name, const CookieOptions& options) {
    CookieOptions expired = options;
    expired.max_age = std::chrono::seconds(0);
    headers.add("Set-Cookie", set_cookie_value(name, "", expired));
}

Response Response::html(std::string body, int status) {
    return with_body(std::move(body), status, "text/html; charset=utf-8");
}

Response Response::json(std::string body, int status) {
    return with_body(std::move(body), status, "application/json");
}

Response Response::text(std::string body, int status) {
    return with_body(std::move(body), status, "text/plain; charset=utf-8");
}

Response Response::redirect_see_other(std::string location) {
    Response response;
    response.status = 303;
    response.headers.add("Location", std::move(location));
    return response;
}

}  // namespace coalition::web
