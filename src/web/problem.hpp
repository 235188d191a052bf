#pragma once
// RFC 9457 problem details (application/problem+json) for /api/, and THE one table from
// core::ErrorCode to an HTTP status: pages and the API both use http_status().

#include "core/result.hpp"
#include "web/http.hpp"

#include <span>
#include <string_view>

namespace coalition::web {

// Invalid 422, NotFound 404, Forbidden 403, Unauthorised 401, Conflict 409, Expired 410,
// RateLimited 429, TooLarge 413.
int http_status(core::ErrorCode code);

// {"type":"about:blank","title":"Unprocessable Content","status":422,"detail":"…",
//  "errors":[{"field":"email","message":"…"}]}. `errors` lists each error that names a field.
Response problem_response(const core::Error& error);
// The status comes from the first error; `detail` is the first error's message. `errors` must not
// be empty.
Response problem_response(std::span<const core::Error> errors);
// A problem that is not about the request's content (404 route, 405, 503, 500): `detail` is a
// sentence for the user; `type` a URI or "about:blank".
Response problem_response(int status, std::string_view detail,
                          std::string_view type = "about:blank");

}  // namespace coalition::web
