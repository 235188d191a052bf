#pragma once
// The administrators' side of the Statement of Purpose (Access::Admin in web/routes.cpp):
//   /admin/statement                          the current version, the draft editor (title,
//                                             language, Markdown) with "Save draft", "Preview"
//                                             (rendered on the same page, nothing stored) and
//                                             "Publish", and every version with its hash;
//   /admin/statement/versions/:hash           one version's texts in every language and a form
//                                             to add or replace a translation;
//   …/versions/:hash/reaffirm (POST)          mails earlier signatories a link to re-affirm it.
// Every form carries the CSRF token (the router checks it); every change is one service call with
// Actor::user(the signed-in admin), which writes the audit row. Successful changes redirect (303)
// to a page that says what was done.

#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <string>
#include <vector>

namespace coalition::web {

class StatementAdminPages {
public:
    explicit StatementAdminPages(Site& site);
    Response index(Request& request) const;  // GET /admin/statement
    Response edit(Request& request) const;   // POST /admin/statement (action=save|preview|publish)
    Response version(Request& request) const;  // GET /admin/statement/versions/:hash[?lang=fr]
    Response save_translation(
        Request& request) const;                // POST /admin/statement/versions/:hash/translations
    Response reaffirm(Request& request) const;  // POST /admin/statement/versions/:hash/reaffirm

    // What the editor and the translation form hold.
    struct Input {
        std::string title;
        std::string language;
        std::string markdown;
    };

private:
    Response render_index(Request& request, const Input& input,
                          const std::vector<core::Error>& errors, bool preview, int status,
                          std::string flash) const;
    Response render_version(Request& request, const statement::Version& version, const Input& input,
                            const std::vector<core::Error>& errors, int status,
                            std::string flash) const;

    Site& site_;
    TemplateRef index_;
    TemplateRef version_;
};

}  // namespace coalition::web
