#pragma once
// Following processes (issue #6): the Follow form's answer (a confirmation mail for a visitor, at
// once for a signed-in user), the confirmation page (a button that POSTs), the follower's manage
// page (reminder days, language, time zone, unfollow one or all) and their personal iCalendar
// feed. The manage and calendar URLs carry the follower's secret tokens. Handlers parse input,
// call site.followers once and render; the rules live in processes/followers.hpp.

#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

namespace coalition::web {

class ProcessFollowPages {
public:
    explicit ProcessFollowPages(Site& site);
    Response follow(Request& request) const;        // POST /processes/follow
    Response confirm_form(Request& request) const;  // GET /processes/follow/confirm/:token
    Response confirm(Request& request) const;       // POST /processes/follow/confirm/:token
    Response manage(Request& request) const;        // GET /processes/manage/:token
    Response save(Request& request) const;          // POST /processes/manage/:token
    Response unfollow(Request& request) const;      // POST /processes/manage/:token/unfollow
    Response calendar(Request& request) const;      // GET /processes/followed/:token (.ics)

private:
    Response manage_page(Request& request, const processes::Follower& follower,
                         const processes::FollowerPreferences& shown,
                         const std::vector<core::Error>& errors, bool saved) const;

    Site& site_;
    TemplateRef follow_;
    TemplateRef confirm_;
    TemplateRef manage_;
};

}  // namespace coalition::web
