#pragma once
// Joint responses being drafted (issue #5), for signed-in visitors only; who may read or change a
// draft is decided by responses::Responses (a refusal is a 403 page, audited there):
// /responses (the drafts the visitor may read), /responses/SLUG (the current version: sections
// and paragraphs with their anchors, each with its counts of comments and open amendments and a
// bounded preview — the latest kPreviewComments comments, the latest kPreviewAmendments open
// amendments — and a link to the paragraph's page), /responses/SLUG/paragraphs/ANCHOR (one
// paragraph's whole discussion: every comment and amendment, the comment form with its reply-to
// choice, the amendment form and the editors' accept, reject and merge forms; no JavaScript),
// /responses/SLUG/versions, /responses/SLUG/diff?from=N&to=M (texts::diff_to_html) and the
// admins' form to start a response and choose its editors. Forms posted from a paragraph's page
// carry return_to=ANCHOR and come back to it; any other return_to is refused (400).
// Handlers parse input, make one call to site.responses and render. The draft page is the hot
// one (issue #5: p99 < 50 ms for 300 paragraphs, 2,000 comments, 500 amendments): what never
// changes is rendered once and kept (Markdown by block, word diffs by amendment and block, dates
// by instant and language), and the template data is built once and moved, never copied.

#include "processes/moment.hpp"
#include "texts/texts.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coalition::web {

// A response's page, /responses/SLUG.
std::string response_path(std::string_view slug);

// A deadline with a time as the visitor reads it: the instant in the deadline's own zone, in the
// visitor's language, then the zone's name ("28 Nov 2026, 23:59 (UTC+13:00) Pacific/Auckland").
std::string deadline_text(const Request& request, const processes::Moment& deadline);

class ResponsePages {
public:
    explicit ResponsePages(Site& site);
    Response list(Request& request) const;      // GET /responses
    Response draft(Request& request) const;     // GET /responses/:slug
    Response versions(Request& request) const;  // GET /responses/:slug/versions
    Response diff(Request& request) const;      // GET /responses/:slug/diff?from=&to=
    // GET /responses/:slug/paragraphs/:anchor — 404 for an anchor that is neither in the current
    // text nor has comments or amendments (a removed paragraph keeps its page, without forms).
    Response paragraph(Request& request) const;
    Response comment(Request& request) const;  // POST /responses/:slug/comments
    Response propose(Request& request) const;  // POST /responses/:slug/amendments
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

    // How much of a paragraph's discussion the draft page shows; the rest is on its own page.
    static constexpr std::size_t kPreviewComments = 3;
    static constexpr std::size_t kPreviewAmendments = 2;
    static constexpr std::size_t kPreviewCharacters = 280;

private:
    // What a visitor typed into a paragraph page's form, shown again beside the error.
    struct Typed {
        std::string body = {};
        std::string wording = {};
        std::string reason = {};
        std::optional<std::string> reply_to = {};
    };
    // The block's Markdown as HTML, and a time as the page shows it, from the caches below.
    std::string markdown_html(const responses::Paragraph& paragraph) const;
    std::string when(const Request& request, std::int64_t at) const;
    std::string amendment_diff_html(const responses::Amendment& amendment,
                                    const responses::Paragraph* paragraph,
                                    const std::string& current, const texts::MarkLabels& labels,
                                    std::string_view language) const;
    Response draft_page(Request& request, const std::string& error, int status) const;
    // The draft's text with its discussions' previews as HTML for this visitor: the kept one when
    // it was rendered at `stamp`, else rendered from Responses::summary and kept. Errors as
    // Responses::summary's.
    core::Result<std::shared_ptr<const std::string>> sections_html(
        Request& request, const std::string& slug, const responses::DiscussionStamp& stamp,
        bool can_comment, bool can_decide) const;
    mstch::map sections_data(const Request& request, const std::string& slug,
                             const responses::DraftSummary& summary, bool can_comment,
                             bool can_decide) const;
    Response paragraph_page(Request& request, const std::string& anchor, const std::string& error,
                            int status, const Typed& typed) const;
    // After a POST: on success a 303 to the paragraph page (`return_to`, with `fragment`) or to the
    // draft at `anchor`; on a refusal or unknown response its error page; otherwise the page the
    // form came from with the error.
    Response after_change(Request& request, const core::Error* error, const std::string& anchor,
                          const std::optional<std::string>& return_to, const std::string& fragment,
                          const Typed& typed) const;
    Response form_page(Request& request, const responses::ResponseDraft& draft,
                       const std::string& markdown, const std::vector<std::string>& editors,
                       const std::vector<core::Error>& errors, int status) const;

    Site& site_;
    TemplateRef list_;
    TemplateRef draft_;
    TemplateRef versions_;
    TemplateRef diff_;
    TemplateRef form_;
    TemplateRef paragraph_;
    TemplateRef sections_;
    // An open amendment's word diff against the paragraph's current wording, as HTML, by
    // "amendment id/current block id/language": both inputs are immutable rows, so an entry
    // never goes stale (a new wording is a new block). Bounded: cleared past kDiffsKept.
    static constexpr std::size_t kDiffsKept = 20'000;
    mutable std::mutex diffs_mutex_;
    mutable std::unordered_map<std::string, std::string> diffs_;  // Guarded by diffs_mutex_.
    // The draft page's text and previews (sections_html), by "slug/language/kind of reader[/CSRF
    // token]" (the token for editors, whose accept buttons carry it), with the stamp they were
    // rendered at: a change to the discussion or a new version changes the stamp, and the next
    // request renders again. Authors' names are as they were at that render. Cleared when full.
    struct RenderedSections {
        responses::DiscussionStamp stamp;
        std::shared_ptr<const std::string> html;
    };
    static constexpr std::size_t kSectionsKept = 64;
    mutable std::mutex kept_sections_mutex_;
    // Guarded by kept_sections_mutex_.
    mutable std::unordered_map<std::string, RenderedSections> kept_sections_;
    // A block's Markdown as HTML (statement::render_markdown), by block id: a stored block never
    // changes, so an entry never goes stale. Cleared when full.
    static constexpr std::size_t kRenderedKept = 50'000;
    mutable std::mutex rendered_mutex_;
    mutable std::unordered_map<std::int64_t, std::string> rendered_;  // Guarded by rendered_mutex_.
    // A comment's or amendment's time as shown, by "language/unix seconds". Cleared when full.
    static constexpr std::size_t kTimesKept = 50'000;
    mutable std::mutex times_mutex_;
    mutable std::unordered_map<std::string, std::string> times_;  // Guarded by times_mutex_.
};

}  // namespace coalition::web
