#include "web/problem.hpp"

#include "core/assert.hpp"

#include <nlohmann/json.hpp>

namespace coalition::web {

namespace {

Response render(int status, std::string_view type, std::string_view detail,
                std::span<const core::Error> errors) {
    nlohmann::json problem = {
        {"type", type},
        {"title", reason_phrase(status)},
        {"status", status},
        {"detail", detail},
    };
    nlohmann::json fields = nlohmann::json::array();
    for (const core::Error& error : errors) {
        if (!error.field.empty()) {
            fields.push_back({{"field", error.field}, {"message", error.message}});
        }
    }
    if (!fields.empty()) {
        problem["errors"] = std::move(fields);
    }
    Response response;
    response.status = status;
    response.headers.add("Content-Type", "application/problem+json");
    // Our messages are valid UTF-8; `replace` keeps a stray byte from turning a 4xx into a 500.
    response.body = problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

}  // namespace

int http_status(core::ErrorCode code) {
    switch (code) {
        case core::ErrorCode::Invalid:
            return 422;
        case core::ErrorCode::NotFound:
            return 404;
        case core::ErrorCode::Forbidden:
            return 403;
        case core::ErrorCode::Unauthorised:
            return 401;
        case core::ErrorCode::Conflict:
            return 409;
        case core::ErrorCode::Expired:
            return 410;
        case core::ErrorCode::RateLimited:
            return 429;
        case core::ErrorCode::TooLarge:
            return 413;
    }
    COALITION_ASSERT(false, "every ErrorCode needs an HTTP status");
}

Response problem_response(const core::Error& error) {
    return render(http_status(error.code), "about:blank", error.message,
                  std::span<const core::Error>(&error, 1));
}

Response problem_response(std::span<const core::Error> errors) {
    COALITION_ASSERT(!errors.empty(), "a problem needs at least one error");
    return render(http_status(errors.front().code), "about:blank", errors.front().message, errors);
}

Response problem_response(int status, std::string_view detail, std::string_view type) {
    return render(status, type, detail, {});
}

}  // namespace coalition::web
