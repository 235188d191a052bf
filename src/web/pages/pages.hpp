#pragma once
// The site's page handlers, one class per area. Each looks its templates up in its constructor
// (so a missing template stops start-up) and has one member function per route; web/routes.cpp
// binds them to paths and access levels in the one route table.

#include "core/result.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace coalition::web {

class ProcessPages;

class HomePages {
public:
    HomePages(Site& site, std::shared_ptr<const ProcessPages> processes);
    Response home(Request& request) const;
    // The areas that later capabilities fill (lists, processes).
    Response lists(Request& request) const;
    Response processes(Request& request) const;

private:
    Response upcoming(Request& request, std::string_view title, std::string_view summary) const;
    Site& site_;
    std::shared_ptr<const ProcessPages> processes_;
    TemplateRef home_;
    TemplateRef upcoming_;
};

class MembersPages {
public:
    explicit MembersPages(Site& site);
    ~MembersPages();
    Response directory(Request& request) const;     // GET /members[?region=&group=&status=]
    Response organisation(Request& request) const;  // GET /members/:slug

private:
    struct DirectoryCache;  // Rendered directory bodies; see members_pages.cpp.
    Site& site_;
    TemplateRef directory_;
    TemplateRef organisation_;
    TemplateRef prerendered_;
    std::unique_ptr<DirectoryCache> cache_;
};

class SignInPages {
public:
    explicit SignInPages(Site& site);
    Response form(Request& request) const;          // GET /signin
    Response submit(Request& request) const;        // POST /signin: link by mail, or password
    Response confirm_form(Request& request) const;  // GET /signin/:token: a button, never a sign-in
    Response confirm(Request& request) const;       // POST /signin/:token
    Response sign_out(Request& request) const;      // POST /signout

private:
    Response submit_form(Request& request, std::string_view email,
                         const std::vector<core::Error>& errors, int status) const;
    Response start_session(Request& request, std::int64_t user_id, std::string_view next) const;
    Site& site_;
    TemplateRef form_;
    TemplateRef sent_;
    TemplateRef confirm_;
};

class AdminPages {
public:
    explicit AdminPages(Site& site);
    Response index(Request& request) const;                // GET /admin
    Response organisations(Request& request) const;        // GET /admin/organisations
    Response new_organisation(Request& request) const;     // GET /admin/organisations/new
    Response create_organisation(Request& request) const;  // POST /admin/organisations
    Response edit_organisation(Request& request) const;    // GET /admin/organisations/:slug/edit
    Response update_organisation(Request& request) const;  // POST /admin/organisations/:slug
    Response users(Request& request) const;                // GET /admin/users
    Response add_user(Request& request) const;             // POST /admin/users
    Response outbox(Request& request) const;               // GET /admin/outbox
    Response outbox_message(Request& request) const;       // GET /admin/outbox/:id
    Response audit(Request& request) const;                // GET /admin/audit

private:
    Site& site_;
    TemplateRef index_;
    TemplateRef organisations_;
    TemplateRef organisation_form_;
    TemplateRef users_;
    TemplateRef outbox_;
    TemplateRef outbox_message_;
    TemplateRef audit_;
};

class OrganisationsApi {
public:
    explicit OrganisationsApi(Site& site) : site_(site) {}
    Response list(Request& request) const;  // GET /api/v1/organisations[?region=&group=&status=]
    Response find(Request& request) const;  // GET /api/v1/organisations/:slug

private:
    Site& site_;
};

class SystemPages {
public:
    explicit SystemPages(Site& site) : site_(site) {}
    Response health(Request& request) const;       // GET /healthz
    Response metrics(Request& request) const;      // GET /metrics
    Response static_file(Request& request) const;  // GET /static/*path

private:
    Site& site_;
};

}  // namespace coalition::web
