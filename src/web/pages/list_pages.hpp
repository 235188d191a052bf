#pragma once
// The mailing lists' public pages: /lists (every list, its description, member count and a
// subscribe link), /lists/NAME (the list, a subscribe form and an unsubscribe-by-address form),
// and the pages behind the links in list mail — confirm, one-click unsubscribe (RFC 8058) and the
// member's preferences — plus the form a signed-in member writes a post with. Every link opens a
// page with a button; only the button's POST changes anything, because mail scanners fetch links.
// The one exception is RFC 8058's POST "List-Unsubscribe=One-Click", which mail clients send
// without cookies: that route checks CSRF itself (CsrfCheck::ByHandler) and lets exactly that
// body through. Handlers parse input, call site.lists / site.subscriptions / site.intake once and
// render; the rules live in lists/. When the services are not wired (null in Site) the pages
// answer 503.

#include "lists/lists.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <mstch/mstch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

// Helpers shared by the list pages and the list admin pages.
namespace list_pages {

// What the visitor may do with one list.
struct ListRole {
    std::optional<core::Email> email;  // The signed-in user's account address.
    bool is_site_admin = false;
    bool is_owner = false;      // An owner of the list (or a site admin).
    bool is_moderator = false;  // An owner or moderator of the list (or a site admin).
};
ListRole role_of(const Site& site, const Request& request, const lists::List& list);

// The HTML error page for `status` (403, 404, 503, …).
Response error(const Site& site, const Request& request, int status);

// The msgid of a member state ("Waiting for confirmation", …), for translation.
std::string_view state_msgid(lists::MemberState state);

// A date and time for people: "2025-03-01 14:05 UTC".
std::string format_time(std::int64_t unix_seconds);

// The list's page, /lists/NAME (the name percent-encoded).
std::string list_url(const lists::List& list);

}  // namespace list_pages

class ListPages {
public:
    explicit ListPages(Site& site);
    Response index(Request& request) const;                // GET /lists
    Response info(Request& request) const;                 // GET /lists/:name
    Response subscribe(Request& request) const;            // POST /lists/:name/subscribe
    Response request_unsubscribe(Request& request) const;  // POST /lists/:name/unsubscribe
    Response confirm_form(Request& request) const;         // GET /lists/:name/confirm/:token
    Response confirm(Request& request) const;              // POST /lists/:name/confirm/:token
    Response unsubscribe_form(Request& request) const;     // GET /lists/:name/unsubscribe/:token
    // POST /lists/:name/unsubscribe/:token: the page's button (CSRF checked here) or RFC 8058
    // one-click (no cookies, no token; 200 at once).
    Response unsubscribe(Request& request) const;
    Response preferences_form(Request& request) const;  // GET /lists/:name/preferences/:token
    Response save_preferences(Request& request) const;  // POST /lists/:name/preferences/:token
    Response post_form(Request& request) const;         // GET /lists/:name/post (signed in)
    Response post(Request& request) const;              // POST /lists/:name/post (signed in)

private:
    struct PostInput {
        std::string subject;
        std::string body;
        std::string in_reply_to;
    };
    // The list named in the path, or nullopt (after which the caller answers 404).
    std::optional<lists::List> list_of(const Request& request) const;
    bool wired() const;
    Response info_page(Request& request, const lists::List& list, const Form& typed,
                       const std::vector<core::Error>& errors, std::string_view form,
                       int status) const;
    Response message(Request& request, std::string_view title_msgid, std::string_view lead_msgid,
                     std::string_view text_msgid, const lists::List* list, int status,
                     const std::vector<std::pair<std::string, std::string>>& values = {}) const;
    Response link_expired(Request& request, const lists::List& list) const;
    Response preferences_page(Request& request, const lists::List& list,
                              const lists::Member& member, std::string_view token,
                              const std::vector<core::Error>& errors, bool saved, int status) const;
    Response post_page(Request& request, const lists::List& list, const PostInput& typed,
                       const std::vector<core::Error>& errors, int status) const;
    // The signed-in visitor's account address when they may post to `list`; nullopt otherwise.
    std::optional<core::Email> poster(const Request& request, const lists::List& list) const;

    Site& site_;
    TemplateRef index_;
    TemplateRef info_;
    TemplateRef message_;
    TemplateRef confirm_;
    TemplateRef unsubscribe_;
    TemplateRef preferences_;
    TemplateRef post_;
};

}  // namespace coalition::web
