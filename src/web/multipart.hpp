#pragma once
// multipart/form-data request bodies (RFC 7578), for forms that upload a file. Fields come back
// as a Form (text fields, valid UTF-8 without NUL, as forms.hpp promises) plus the uploaded
// files' raw bytes, which the caller checks itself.

#include "core/result.hpp"
#include "web/forms.hpp"
#include "web/http.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

struct UploadedFile {
    std::string field;         // The form field's name.
    std::string filename;      // As sent (a hint only; never used as a path).
    std::string content_type;  // As sent, or "".
    std::string bytes;
};

// Files one form may upload.
inline constexpr std::size_t kMaxFiles = 20;

struct MultipartForm {
    Form fields;
    std::vector<UploadedFile> files;
};

// True when the request's Content-Type is multipart/form-data.
bool is_multipart(const Request& request);

// Parses the body of a multipart/form-data request. Invalid when the boundary is missing, a part
// is malformed or a text field is not valid UTF-8 or holds NUL; TooLarge past Form::kMaxFields
// text fields or kMaxFiles files. Text before the first delimiter and after the close delimiter
// (preamble, epilogue) is ignored, as RFC 2046 says.
core::Result<MultipartForm> parse_multipart(const Request& request);

// The fields of an urlencoded or multipart form alike (files in `files` for the latter).
core::Result<MultipartForm> parse_any_form(const Request& request);

// True when `request` is an RFC 8058 one-click unsubscription: a POST whose
// application/x-www-form-urlencoded or multipart/form-data body has the field
// List-Unsubscribe=One-Click (exactly). Such a POST comes from a mail provider, without cookies
// or CSRF token: the secret token in its URL is the authority.
bool is_one_click_unsubscribe(const Request& request);

}  // namespace coalition::web
