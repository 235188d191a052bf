#pragma once
// POST /api/v1/signatures: signing the Statement of Purpose from a script or another site, with
// the same double opt-in as the form. The body (web/api/signature_json.hpp) is read, every
// invalid field is listed at once (RFC 9457 problem details, "errors": [{field, message}]), and
// one call to signon::Signatures::sign records the pending signature and queues the mail.
// Answers: 202 {"status": "pending", "message"}; 400 malformed JSON; 409 nothing published yet
// or a "version" that is not the current one; 415 not JSON (the router); 422 invalid fields;
// 429 with Retry-After. A duplicate address or a bot gets the same 202 as a new signer.

#include "web/http.hpp"
#include "web/site.hpp"

namespace coalition::web {

class SignaturesApi {
public:
    explicit SignaturesApi(Site& site) : site_(site) {}
    Response create(Request& request) const;  // POST /api/v1/signatures

private:
    Site& site_;
};

}  // namespace coalition::web
