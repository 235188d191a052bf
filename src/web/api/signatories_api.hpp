#pragma once
// GET /api/v1/signatures: the public signatory list as JSON, with the filters of
// /statement/signatories (kind, group, region, country, level, version, q, sort) and paging by
// offset and limit (default 50, at most 1000; larger limits are cut to 1000, so a client pages
// through a large list). Answer: {total, offset, limit, signatures: [{id, kind, name,
// representative, affiliation, country, region, stakeholder_group, organisation_domain,
// verification, version, published_at}]}. Only public data: hidden individuals are absent (they
// are in the totals of the page), and no e-mail address is ever included. Bad parameters give
// RFC 9457 problem details listing each one.

#include "web/http.hpp"
#include "web/site.hpp"

namespace coalition::web {

class SignatoriesApi {
public:
    explicit SignatoriesApi(Site& site) : site_(site) {}
    Response list(Request& request) const;  // GET /api/v1/signatures

private:
    Site& site_;
};

}  // namespace coalition::web
