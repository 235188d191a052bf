#pragma once
// The endorsement half of joint responses (issue #5): the representatives' answer form on the
// draft page (endorsement_panel, rendered by ResponsePages::draft), the editors' overview with
// the freeze form and the publish button (/responses/SLUG/endorsement), and the public page of a
// published response with its exports: /responses/SLUG (public once published; a draft stays
// for signed-in members, handed to ResponsePages::draft), /responses/SLUG.md, /responses/SLUG.txt
// and /responses/SLUG/plain.txt (plain paragraphs for UN consultation forms). Who may do what is
// decided by responses::Endorsements (refusals audited there). Once published, the overview also
// holds the form with which editors choose the order of the endorsers. No JavaScript.

#include "web/http.hpp"
#include "web/pages/response_pages.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::web {

// The endorsement section of draft `slug`'s page for the visitor: the round, the visitor's
// organisation's answer and the answer form; nullopt when the response was never frozen and the
// visitor is no editor (or the endorsement service is not wired).
std::optional<mstch::map> endorsement_panel(const Site& site, const Request& request,
                                            std::string_view slug);

class ResponseEndorsementPages {
public:
    ResponseEndorsementPages(Site& site, std::shared_ptr<const ResponsePages> drafts);
    // GET /responses/:slug — the published page for anyone, else the draft for members; also
    // /responses/SLUG.md and /responses/SLUG.txt.
    Response page(Request& request) const;
    Response plain(Request& request) const;     // GET /responses/:slug/plain.txt
    Response overview(Request& request) const;  // GET /responses/:slug/endorsement (editors)
    Response freeze(Request& request) const;    // POST /responses/:slug/freeze (editors)
    Response answer(Request& request) const;    // POST /responses/:slug/answer
    Response withdraw(Request& request) const;  // POST /responses/:slug/withdraw
    Response publish(Request& request) const;   // POST /responses/:slug/publish (editors)
    // POST /responses/:slug/endorser-order (editors, once published): the places typed into the
    // overview's order form ("position-ID" = 1, 2, …; ties keep the current order), or
    // "alphabetical" to go back to the default.
    Response order_endorsers(Request& request) const;

private:
    Response published_page(Request& request, const responses::Publication& publication) const;
    Response pdf(Request& request, const std::string& slug, const std::string& language) const;
    Response overview_page(Request& request, const responses::FreezeInput& input,
                           const std::vector<core::Error>& errors, int status) const;
    // A refusal of an editor's action on the overview: the 403/404 page, or the overview with
    // `error` shown at `field`.
    Response overview_with_error(Request& request, const core::Error& error,
                                 std::string_view field) const;
    Response after_change(Request& request, const core::Error* error,
                          std::string_view fragment) const;

    Site& site_;
    std::shared_ptr<const ResponsePages> drafts_;
    TemplateRef published_;
    TemplateRef overview_;
    TemplateRef print_;
};

}  // namespace coalition::web
