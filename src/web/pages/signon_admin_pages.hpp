#pragma once
// The moderators' and administrators' side of signing (routes in web/routes.cpp):
//   /admin/signatures          the moderation queue: confirmed organisations waiting, each with
//                              approve / reject with a reason / ask for information (Moderator);
//   /admin/signatures/bursts   many signatures from one client address, e-mail domain or country
//                              in the last hour, day or week, each with a "cancel these" form
//                              (a reason is required; published ones only when asked) (Moderator);
//   /admin/signatures/erase    an erasure request by e-mail address, with a confirmation step
//                              (Admin).
// Every form carries the CSRF token (the router checks it); every change is one signon service
// call with Actor::user(the signed-in user), which writes the audit row and any log event.
// Successful changes redirect (303) to a page that says what was done.

#include "core/clock.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

namespace coalition::web {

class SignOnAdminPages {
public:
    explicit SignOnAdminPages(Site& site);
    Response queue(Request& request) const;    // GET /admin/signatures
    Response approve(Request& request) const;  // POST /admin/signatures/:id/approve
    Response reject(Request& request) const;   // POST /admin/signatures/:id/reject (reason)
    Response ask(Request& request) const;      // POST /admin/signatures/:id/ask (question)
    Response bursts(Request& request) const;   // GET /admin/signatures/bursts?window=hour|day|week
    Response cancel(Request& request) const;   // POST /admin/signatures/cancel
    Response erase_form(Request& request) const;  // GET /admin/signatures/erase
    Response erase(Request& request) const;  // POST /admin/signatures/erase (then with confirm=yes)

private:
    struct RowError;  // A form error on one row of the queue or the bursts.
    Response render_queue(Request& request, const RowError* error, int status) const;
    Response render_bursts(Request& request, const RowError* error, int status) const;
    Response render_erase(Request& request, std::string_view email, std::string_view error,
                          bool confirming, int status) const;

    Site& site_;
    TemplateRef queue_;
    TemplateRef bursts_;
    TemplateRef erase_;
    core::SystemClock clock_;
};

}  // namespace coalition::web
