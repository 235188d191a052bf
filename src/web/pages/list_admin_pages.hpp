#pragma once
// The pages that run a mailing list: the moderation queue (/lists/NAME/moderation: each held
// post with its author, subject, reason, time, size and an escaped text preview; approve,
// approve and always accept the sender, reject with a reason, discard), the list's
// administration (/lists/NAME/admin: every setting with per-field errors, the owners and
// moderators, the roster with delivery modes and bounce states, the counts), and the site
// admins' /admin/lists with the form that creates a list.
//
// Who may: the signed-in users whose account address is an owner or moderator of the list, and
// site admins (the routes require a sign-in; the handlers answer 403 to anyone else). Moderators
// see the administration page; only owners and site admins change settings and roles. The
// moderation queue needs site.intake: without it the page answers 503.

#include "lists/lists.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coalition::web {

class ListAdminPages {
public:
    explicit ListAdminPages(Site& site);
    Response moderation(Request& request) const;     // GET /lists/:name/moderation
    Response moderate(Request& request) const;       // POST /lists/:name/moderation/:post
    Response settings(Request& request) const;       // GET /lists/:name/admin
    Response save_settings(Request& request) const;  // POST /lists/:name/admin
    Response save_roles(Request& request) const;     // POST /lists/:name/admin/roles
    Response site_lists(Request& request) const;     // GET /admin/lists (site admins)
    Response create_list(Request& request) const;    // POST /admin/lists (site admins)

private:
    struct RowError {
        std::int64_t post = 0;
        std::string message;  // English; translated when shown.
        std::string typed;    // The reason typed, shown again.
    };
    std::optional<lists::List> list_of(const Request& request) const;
    Response moderation_page(Request& request, const lists::List& list,
                             const std::vector<RowError>& errors, std::string_view notice_msgid,
                             int status) const;
    Response settings_page(Request& request, const lists::List& list, const Form* typed,
                           const std::vector<core::Error>& errors, const Form* typed_roles,
                           const std::vector<core::Error>& role_errors, bool saved,
                           int status) const;
    Response site_lists_page(Request& request, const Form* typed,
                             const std::vector<core::Error>& errors, int status) const;

    Site& site_;
    TemplateRef moderation_;
    TemplateRef admin_;
    TemplateRef site_lists_;
};

}  // namespace coalition::web
