#pragma once
// The JSON body of POST /api/v1/signatures, read into signon's SignatureInput. Only the shape and
// the JSON types are checked here (a string where a string belongs, "public" a boolean, an
// "organisation" object); what the values mean is signon::validate()'s job.
//
//   {"kind": "individual", "name", "email", "country", "public": true|false, "affiliation"?}
//   {"kind": "organisation", "name", "title", "email",
//    "organisation": {"name", "country", "stakeholder_group", "domain"}}
//   plus "lang"? (the signer's language for mails) and "version"? (the hash the signer read).

#include "core/result.hpp"
#include "signon/signon.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

struct SignatureRequest {
    signon::SignatureInput input;
    std::string version;              // The version hash the signer read; "" = the current one.
    std::vector<core::Error> errors;  // One per bad field ("public", "organisation.name", …).
    bool is_malformed = false;        // Not JSON, or not an object: errors holds one, no field.
};

// Reads `body`. `default_language` is used when "lang" is absent or not one of the six UN
// languages. Never throws; invalid UTF-8 or a NUL byte in a JSON string is reported as an error.
SignatureRequest parse_signature_request(std::string_view body, std::string_view default_language);

}  // namespace coalition::web
