#include "web/api/signatures_api.hpp"

#include "web/api/signature_json.hpp"
#include "web/page.hpp"
#include "web/pages/statement_pages.hpp"
#include "web/problem.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace coalition::web {

namespace {

// Every invalid field: the JSON type errors first, then signon::validate's for the other fields.
std::vector<core::Error> invalid_fields(SignatureRequest& parsed) {
    std::vector<core::Error> errors = std::move(parsed.errors);
    for (auto& error : signon::validate(parsed.input)) {
        // A field already reported as the wrong JSON type is not reported twice.
        const bool reported = std::any_of(errors.begin(), errors.end(), [&](const auto& known) {
            return !known.field.empty() && known.field == error.field;
        });
        if (!reported) {
            errors.push_back(std::move(error));
        }
    }
    return errors;
}

}  // namespace

// Invalid fields are reported before anything else. sign() checks them too, so a request that
// reaches it is validated there only: the full list is made when sign() finds one.
Response SignaturesApi::create(Request& request) const {
    SignatureRequest parsed = parse_signature_request(request.body, language_of(request));
    if (parsed.is_malformed) {
        return problem_response(400, parsed.errors.front().message);
    }
    if (!parsed.errors.empty()) {
        return problem_response(invalid_fields(parsed));
    }

    const auto current = site_.statements.current();
    const bool is_other_version =
        current && !parsed.version.empty() && parsed.version != current->hash;
    if (!current || is_other_version) {
        if (auto errors = invalid_fields(parsed); !errors.empty()) {
            return problem_response(errors);
        }
    }
    if (!current) {
        return problem_response(409, "The statement has not been published yet.");
    }
    if (is_other_version) {
        return problem_response(core::Error::conflict(
            "This is not the current version of the statement: read the current one and sign "
            "it.",
            "version"));
    }

    const signon::Submission submission{.client_address = request.remote_address,
                                        .base_url = site_.settings.base_url};
    auto signed_up =
        site_.signatures.sign(statement_campaign(), current->hash, parsed.input, submission);
    if (!signed_up) {
        if (signed_up.error().code == core::ErrorCode::Invalid &&
            !signed_up.error().field.empty()) {
            auto errors = invalid_fields(parsed);
            return problem_response(errors.empty() ? std::vector{signed_up.error()} : errors);
        }
        auto response = problem_response(signed_up.error());
        if (signed_up.error().code == core::ErrorCode::RateLimited) {
            response.headers.set("Retry-After",
                                 std::to_string(std::max<std::int64_t>(
                                     1, site_.signatures.retry_after_seconds(submission))));
        }
        return response;
    }
    const nlohmann::json body = {
        {"status", "pending"},
        {"message",
         site_.pages.translate(parsed.input.language,
                               "Check your e-mail: we sent a link to confirm the signature. It "
                               "counts once it is confirmed.")},
        {"version", current->hash},
    };
    auto response = Response::json(body.dump(), 202);
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    return response;
}

}  // namespace coalition::web
