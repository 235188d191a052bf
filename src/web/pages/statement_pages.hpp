#pragma once
// The public pages of the Statement of Purpose: the text with its counts and sign forms, the
// sign-up (202 "check your e-mail", 422 with the form again, 429 with Retry-After), and the pages
// behind the links in the signer's mails — confirm, withdraw and the organisation's DNS proof.
// Every link opens a page with a button; only the button's POST changes anything, because mail
// scanners fetch links. Handlers parse input, make one call to site.signatures or
// site.statements, and render; the rules live in signon/ and statement/.

#include "signon/signon.hpp"
#include "statement/statement.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace coalition::web {

// The Statement of Purpose as a signon campaign; the same as app::statement_campaign() (web may
// not include app/).
const signon::Campaign& statement_campaign();

class StatementPages {
public:
    explicit StatementPages(Site& site);
    Response statement(Request& request) const;      // GET /statement
    Response sign(Request& request) const;           // POST /statement/sign
    Response versions(Request& request) const;       // GET /statement/versions
    Response version(Request& request) const;        // GET /statement/versions/:hash
    Response confirm_form(Request& request) const;   // GET /statement/confirm/:token (a button)
    Response confirm(Request& request) const;        // POST /statement/confirm/:token
    Response withdraw_form(Request& request) const;  // GET /statement/withdraw/:token (a button)
    Response withdraw(Request& request) const;       // POST /statement/withdraw/:token
    Response verify_form(Request& request) const;    // GET /statement/verify/:token
    Response verify(Request& request) const;         // POST /statement/verify/:token

private:
    Response statement_page(Request& request, const signon::SignatureInput& typed,
                            const std::vector<core::Error>& errors, int status) const;
    Response link_expired(Request& request) const;
    Response confirmation_result(Request& request, const signon::Signature& signature,
                                 bool already_confirmed) const;
    Response dns_page(Request& request, const signon::DnsChallenge& challenge,
                      const core::Result<signon::Signature>* checked) const;
    mstch::map signer_data(Request& request, const signon::Signature& signature) const;
    // The HTML of version `hash`'s `text`, rendered once and cached.
    std::string render_markdown(const std::string& hash, const statement::Translation& text) const;

    Site& site_;
    TemplateRef statement_;
    TemplateRef unpublished_;
    TemplateRef sent_;
    TemplateRef limited_;
    TemplateRef versions_;
    TemplateRef version_;
    TemplateRef confirm_;
    TemplateRef confirmed_;
    TemplateRef withdraw_;
    TemplateRef verify_;
    TemplateRef expired_;
    mutable std::mutex cache_mutex_;
    mutable std::map<std::string, std::string> rendered_;  // Guarded by cache_mutex_.
};

}  // namespace coalition::web
