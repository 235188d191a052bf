#pragma once
// The list archives as JSON (/api/v1): the lists the requester may read, a list's threads (each
// with the Message-IDs of its messages, so a grouping can be compared with another tool's), one
// thread, one message, and search. Visibility as on the pages (web/pages/archive_pages.hpp):
// whatever the requester may not read answers 404 problem+json, as if it did not exist. GET
// requests carry the browser's session cookie (routes.cpp resolves it for these paths), so a
// signed-in member reads a members-only archive here as on the pages.

#include "web/http.hpp"
#include "web/site.hpp"

namespace coalition::web {

class ArchiveApi {
public:
    explicit ArchiveApi(Site& site) : site_(site) {}
    Response lists(Request& request) const;    // GET /api/v1/lists
    Response threads(Request& request) const;  // GET /api/v1/lists/:name/threads[?month=YYYY-MM]
    Response thread(Request& request) const;   // GET /api/v1/lists/:name/threads/:id
    Response message(Request& request) const;  // GET /api/v1/messages/:id (number or Message-ID)
    Response search(Request& request) const;   // GET /api/v1/lists/:name/search?q=…

private:
    Site& site_;
};

}  // namespace coalition::web
