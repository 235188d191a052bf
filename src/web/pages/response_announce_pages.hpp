#pragma once
// Announcing a joint response on a mailing list (issue #5): /responses/SLUG/announce, for the
// response's editors and admins (members get 403, visitors are sent to sign in by the router).
// The form chooses the list, the event (the draft open for comments, the current version, the
// call for endorsement while a frozen version is open) and an optional note; the history lists
// every announcement ("announced on LIST by NAME at TIME"). responses::Announcements decides and
// posts through the list's pipeline; this file only turns the form into its input and renders.
// No JavaScript.

#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <vector>

namespace coalition::web {

class ResponseAnnouncePages {
public:
    explicit ResponseAnnouncePages(Site& site);
    Response form(Request& request) const;      // GET /responses/:slug/announce
    Response announce(Request& request) const;  // POST /responses/:slug/announce

private:
    Response page(Request& request, const responses::AnnouncementInput& input,
                  const std::vector<core::Error>& errors, int status) const;

    Site& site_;
    TemplateRef template_;
};

}  // namespace coalition::web
