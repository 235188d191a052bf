#pragma once
// Joint responses being drafted (issue #5), for signed-in visitors only; who may read or change a
// draft is decided by responses::Responses (a refusal is a 403 page, audited there):
// /responses (the drafts the visitor may read), /responses/SLUG (the current version: sections
// and paragraphs with their anchors, each with its comments and amendments, and per paragraph a
// <details> holding the comment and amendment forms — no JavaScript), /responses/SLUG/versions,
// /responses/SLUG/diff?from=N&to=M (texts::diff_to_html), the editors' forms (accept, reject,
// merge an amendment) and the admins' form to start a response and choose its editors.
// Handlers parse input, make one call to site.responses and render.

#include "texts/texts.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coalition::web {

class ResponsePages {
public:
    explicit ResponsePages(Site& site);
    Response list(Request& request) const;      // GET /responses
    Response draft(Request& request) const;     // GET /responses/:slug
    Response versions(Request& request) const;  // GET /responses/:slug/versions
    Response diff(Request& request) const;      // GET /responses/:slug/diff?from=&to=
    Response comment(Request& request) const;   // POST /responses/:slug/comments
    Response propose(Request& request) const;   // POST /responses/:slug/amendments
    // POST /responses/:slug/amendments/:id/{accept,reject,merge} (editors).
    Response accept(Request& request) const;
    Response reject(Request& request) const;
    Response merge(Request& request) const;
    Response new_response(Request& request) const;     // GET /admin/responses/new
    Response create_response(Request& request) const;  // POST /admin/responses
    // The draft page with `error` (translated) above the text, answered with `status` (the
    // endorsement pages show their refusals there).
    Response draft_with_error(Request& request, const std::string& error, int status) const {
        return draft_page(request, error, status);
    }

private:
    std::string amendment_diff_html(const responses::Amendment& amendment,
                                    const responses::Paragraph* paragraph,
                                    const std::string& current, const texts::MarkLabels& labels,
                                    std::string_view language) const;
    Response draft_page(Request& request, const std::string& error, int status) const;
    Response after_change(Request& request, const core::Error* error,
                          const std::string& anchor) const;
    Response form_page(Request& request, const responses::ResponseDraft& draft,
                       const std::string& markdown, const std::vector<std::string>& editors,
                       const std::vector<core::Error>& errors, int status) const;

    Site& site_;
    TemplateRef list_;
    TemplateRef draft_;
    TemplateRef versions_;
    TemplateRef diff_;
    TemplateRef form_;
    // An open amendment's word diff against the paragraph's current wording, as HTML, by
    // "amendment id/current block id/language": both inputs are immutable rows, so an entry
    // never goes stale (a new wording is a new block). Bounded: cleared past kDiffsKept.
    static constexpr std::size_t kDiffsKept = 20'000;
    mutable std::mutex diffs_mutex_;
    mutable std::unordered_map<std::string, std::string> diffs_;  // Guarded by diffs_mutex_.
};

}  // namespace coalition::web
