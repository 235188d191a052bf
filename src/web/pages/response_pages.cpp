#include "web/pages/response_pages.hpp"

#include "core/text.hpp"
#include "i18n/messages.hpp"
#include "processes/processes.hpp"
#include "statement/statement.hpp"
#include "texts/texts.hpp"
#include "web/csrf.hpp"
#include "web/page.hpp"
#include "web/pages/response_endorsement_pages.hpp"
#include "web/problem.hpp"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

using responses::AmendmentState;

// A refusal or an unknown response as its error page; nullopt for the other errors, which the
// page shows beside the form.
std::optional<Response> refusal_page(const Site& site, const Request& request,
                                     const core::Error& error) {
    if (error.code == core::ErrorCode::Forbidden || error.code == core::ErrorCode::NotFound) {
        return error_page(site, request, http_status(error.code));
    }
    return std::nullopt;
}

std::string format_when(const Request& request, std::int64_t at) {
    return processes::format_instant(at, "UTC", language_of(request));
}

std::string response_deadline_text(const Site& site, const Request& request,
                                   const responses::Response& response) {
    const auto deadline = site.responses->deadline(response);
    if (!deadline) {
        return {};
    }
    if (deadline->is_date()) {
        return processes::format_day(deadline->date(), processes::DatePrecision::Day,
                                     language_of(request));
    }
    return deadline_text(request, *deadline);
}

std::string_view state_label(AmendmentState state) {
    switch (state) {
        case AmendmentState::Open:
            return "Open";
        case AmendmentState::Accepted:
            return "Accepted";
        case AmendmentState::Rejected:
            return "Rejected";
        case AmendmentState::Merged:
            return "Merged";
    }
    return "";
}

texts::MarkLabels mark_labels(const Site& site, const Request& request) {
    return texts::MarkLabels{.inserted = translate(site, request, "inserted"),
                             .deleted = translate(site, request, "deleted")};
}

constexpr i18n::PluralMessage kCommentCount =
    i18n::ngettext_noop("{count} comment", "{count} comments");
constexpr i18n::PluralMessage kOpenAmendmentCount =
    i18n::ngettext_noop("{count} open amendment", "{count} open amendments");

// An anchor as responses/blocks.hpp names blocks ("p-7", "s-2"). The only return_to a form may
// carry: a redirect built from it cannot leave the site.
bool is_anchor(std::string_view text) {
    constexpr std::size_t kMaxAnchorLength = 20;
    if (text.size() < 3 || text.size() > kMaxAnchorLength || (text[0] != 'p' && text[0] != 's') ||
        text[1] != '-' || text[2] == '0') {
        return false;
    }
    return std::all_of(text.begin() + 2, text.end(),
                       [](char digit) { return digit >= '0' && digit <= '9'; });
}

// The parts one after the other, with one allocation.
std::string concat(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (const auto part : parts) {
        size += part.size();
    }
    std::string out;
    out.reserve(size);
    for (const auto part : parts) {
        out += part;
    }
    return out;
}

std::string paragraph_path(std::string_view slug, std::string_view anchor) {
    return response_path(slug) + "/paragraphs/" + std::string(anchor);
}

// A posted form's return_to: nullopt when absent or empty (back to the draft page), the anchor of
// the paragraph page to come back to, or Invalid for anything else (the handler answers 400).
core::Result<std::optional<std::string>> return_to_of(const Request& request) {
    const auto& form = request.form();
    if (!form || !form->has("return_to") || form->value("return_to").empty()) {
        return std::optional<std::string>();
    }
    std::string value = form->value("return_to");
    if (!is_anchor(value)) {
        return core::Error::invalid("return_to is not a paragraph of this response.", "return_to");
    }
    return std::optional<std::string>(std::move(value));
}

// `text` cut to at most `max_characters` code points (never inside a UTF-8 sequence), with "…"
// when cut.
std::string preview_text(const std::string& text, std::size_t max_characters) {
    std::size_t characters = 0;
    for (std::size_t byte_idx = 0; byte_idx < text.size(); ++byte_idx) {
        const auto byte = static_cast<unsigned char>(text[byte_idx]);
        if ((byte & 0xC0U) == 0x80U) {
            continue;  // A continuation byte.
        }
        if (characters == max_characters) {
            std::string cut = core::trim(std::string_view(text).substr(0, byte_idx));
            cut += "…";
            return cut;
        }
        ++characters;
    }
    return text;
}

}  // namespace

std::string response_path(std::string_view slug) {
    return "/responses/" + std::string(slug);
}

std::string deadline_text(const Request& request, const processes::Moment& deadline) {
    return processes::format_instant(deadline.utc(), deadline.zone(), language_of(request)) + " " +
           deadline.zone();
}

ResponsePages::ResponsePages(Site& site)
    : site_(site),
      list_(site.pages.require("response_list")),
      draft_(site.pages.require("response_page")),
      versions_(site.pages.require("response_versions")),
      diff_(site.pages.require("response_diff")),
      form_(site.pages.require("response_form")),
      paragraph_(site.pages.require("response_paragraph_page")),
      sections_(site.pages.require("response_sections")) {
}

Response ResponsePages::list(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    auto listed = site_.responses->list(member_actor(request));
    if (!listed) {
        return error_page(site_, request, http_status(listed.error().code));
    }
    mstch::array items;
    for (const auto& response : *listed) {
        items.push_back(mstch::map{{"title", response.title},
                                   {"path", response_path(response.slug.value())},
                                   {"deadline", response_deadline_text(site_, request, response)},
                                   {"version", std::to_string(response.current_version)},
                                   {"updated", when(request, response.updated_at)}});
    }
    mstch::map data{{"responses", std::move(items)},
                    {"has_responses", !listed->empty()},
                    {"can_create", request.visitor.role == "admin"}};
    return render(site_, request, list_, "Joint responses", std::move(data));
}

std::string ResponsePages::amendment_diff_html(const responses::Amendment& amendment,
                                               const responses::Paragraph* paragraph,
                                               const std::string& current,
                                               const texts::MarkLabels& labels,
                                               std::string_view language) const {
    const std::string key = std::to_string(amendment.id.value()) + "/" +
                            std::to_string(paragraph != nullptr ? paragraph->block_id : 0) + "/" +
                            std::string(language);
    {
        std::lock_guard lock(diffs_mutex_);
        if (const auto found = diffs_.find(key); found != diffs_.end()) {
            return found->second;
        }
    }
    std::string html = texts::diff_to_html(texts::diff_words(current, amendment.wording), labels);
    std::lock_guard lock(diffs_mutex_);
    if (diffs_.size() >= kDiffsKept) {
        diffs_.clear();
    }
    diffs_.emplace(key, html);
    return html;
}

std::string ResponsePages::markdown_html(const responses::Paragraph& paragraph) const {
    {
        std::lock_guard lock(rendered_mutex_);
        if (const auto found = rendered_.find(paragraph.block_id); found != rendered_.end()) {
            return found->second;
        }
    }
    std::string html = statement::render_markdown(paragraph.text);
    std::lock_guard lock(rendered_mutex_);
    if (rendered_.size() >= kRenderedKept) {
        rendered_.clear();
    }
    rendered_.emplace(paragraph.block_id, html);
    return html;
}

std::string ResponsePages::when(const Request& request, std::int64_t at) const {
    std::string key(language_of(request));
    key += '/';
    key += std::to_string(at);
    {
        std::lock_guard lock(times_mutex_);
        if (const auto found = times_.find(key); found != times_.end()) {
            return found->second;
        }
    }
    std::string text = format_when(request, at);
    std::lock_guard lock(times_mutex_);
    if (times_.size() >= kTimesKept) {
        times_.clear();
    }
    times_.emplace(std::move(key), text);
    return text;
}

Response ResponsePages::draft(Request& request) const {
    return draft_page(request, "", 200);
}

Response ResponsePages::draft_page(Request& request, const std::string& error, int status) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    auto head = site_.responses->head(member_actor(request), slug);
    if (!head) {
        return error_page(site_, request, http_status(head.error().code));
    }
    const auto& response = head->response;
    const auto& version = head->version;
    const bool can_comment = head->access >= responses::Access::Member;
    const bool can_decide = head->access >= responses::Access::Editor;
    auto sections = sections_html(request, slug, head->stamp, can_comment, can_decide);
    if (!sections) {
        return error_page(site_, request, http_status(sections.error().code));
    }
    const std::string path = response_path(slug);
    mstch::map data{
        {"title", response.title},
        {"deadline", response_deadline_text(site_, request, response)},
        {"link", response.link},
        {"status", translate(site_, request, "Draft")},
        {"version", std::to_string(version.number)},
        {"hash", version.hash},
        {"version_when", when(request, version.created_at)},
        {"versions_path", path + "/versions"},
        {"diff_path", version.number > 1
                          ? path + "/diff?from=" + std::to_string(version.number - 1) +
                                "&to=" + std::to_string(version.number)
                          : std::string()},
        {"announce_path", can_decide ? path + "/announce" : std::string()},
        {"sections_html", std::string(**sections)},
        {"error", error},
    };
    // The endorsement half (response_endorsement_pages.cpp): the answer form, the round.
    if (auto panel = endorsement_panel(site_, request, slug)) {
        data.emplace("endorsement", std::move(*panel));
    }
    return render(site_, request, draft_, response.title, std::move(data), status,
                  can_comment ? HasForm::Yes : HasForm::No);
}

core::Result<std::shared_ptr<const std::string>> ResponsePages::sections_html(
    Request& request, const std::string& slug, const responses::DiscussionStamp& stamp,
    bool can_comment, bool can_decide) const {
    const std::string_view language = language_of(request);
    // Editors' accept buttons carry their CSRF token, so each editor has entries of their own.
    const std::string csrf_token =
        can_decide ? csrf::token_for(request.visitor, site_.settings.site_secret) : std::string();
    const std::string key = concat({slug, "/", language, "/",
                                    can_decide    ? "editor/"
                                    : can_comment ? "member/"
                                                  : "partner/",
                                    csrf_token});
    {
        std::lock_guard lock(kept_sections_mutex_);
        if (const auto found = kept_sections_.find(key);
            found != kept_sections_.end() && found->second.stamp == stamp) {
            return found->second.html;
        }
    }
    auto summary =
        site_.responses->summary(member_actor(request), slug, kPreviewComments, kPreviewAmendments);
    if (!summary) {
        return summary.error();
    }
    mstch::map data = sections_data(request, slug, *summary, can_comment, can_decide);
    data.emplace("csrf_token", csrf_token);
    auto html = std::make_shared<const std::string>(
        site_.pages.templates().render(sections_, mstch::node(std::move(data)), language));
    std::lock_guard lock(kept_sections_mutex_);
    if (kept_sections_.size() >= kSectionsKept) {
        kept_sections_.clear();
    }
    kept_sections_.insert_or_assign(key, RenderedSections{.stamp = stamp, .html = html});
    return html;
}

mstch::map ResponsePages::sections_data(const Request& request, const std::string& slug,
                                        const responses::DraftSummary& summary, bool can_comment,
                                        bool can_decide) const {
    const std::string path = response_path(slug);
    std::unordered_map<std::string_view, const responses::AnchorDiscussion*> discussions;
    discussions.reserve(summary.discussions.size());
    for (const auto& discussion : summary.discussions) {
        discussions.emplace(discussion.anchor, &discussion);
    }
    // Counts repeat from paragraph to paragraph: each is translated once.
    std::map<std::size_t, std::string> comment_counts;
    std::map<std::size_t, std::string> amendment_counts;
    auto count_text = [&](std::map<std::size_t, std::string>& memo, i18n::PluralMessage message,
                          std::size_t count) -> const std::string& {
        auto found = memo.find(count);
        if (found == memo.end()) {
            found = memo.emplace(count,
                                 translate_count(site_, request, message, static_cast<long>(count)))
                        .first;
        }
        return found->second;
    };

    auto paragraph_item = [&](const responses::Paragraph& paragraph) {
        const std::string discussion_path = paragraph_path(slug, paragraph.anchor);
        const responses::AnchorDiscussion* discussion = nullptr;
        if (const auto found = discussions.find(paragraph.anchor); found != discussions.end()) {
            discussion = found->second;
        }
        mstch::array comments;
        mstch::array amendments;
        std::size_t comment_count = 0;
        std::size_t open_count = 0;
        if (discussion != nullptr) {
            comment_count = discussion->comments;
            open_count = discussion->open_amendments;
            for (const auto& comment : discussion->latest_comments) {
                const std::string id = std::to_string(comment.id.value());
                comments.push_back(mstch::map{
                    {"author_name", comment.author_name},
                    {"when", when(request, comment.created_at)},
                    {"body", preview_text(comment.body, kPreviewCharacters)},
                    {"is_reply", comment.parent.has_value()},
                    {"link", concat({discussion_path, "#comment-", id})},
                });
            }
            // A summary: the word diff is on the paragraph's page (it would double the page).
            for (const auto& amendment : discussion->latest_open_amendments) {
                const std::string id = std::to_string(amendment.id.value());
                amendments.push_back(mstch::map{
                    {"id", id},
                    {"author_name", amendment.author_name},
                    {"when", when(request, amendment.created_at)},
                    {"stale", amendment.stale},
                    {"is_deletion", amendment.wording.empty()},
                    {"reason", preview_text(amendment.reason, kPreviewCharacters)},
                    {"can_accept", can_decide && !amendment.stale},
                    {"accept_action", concat({path, "/amendments/", id, "/accept"})},
                    {"link", concat({discussion_path, "#amendment-", id})},
                });
            }
        }
        const bool has_comments = !comments.empty();
        const bool has_amendments = !amendments.empty();
        return mstch::map{
            {"anchor", paragraph.anchor},
            {"text_html", markdown_html(paragraph)},
            {"discussion_path", discussion_path},
            {"comment_count", count_text(comment_counts, kCommentCount, comment_count)},
            {"open_amendment_count", count_text(amendment_counts, kOpenAmendmentCount, open_count)},
            {"comments", std::move(comments)},
            {"has_comments", has_comments},
            {"amendments", std::move(amendments)},
            {"has_amendments", has_amendments},
        };
    };

    mstch::array sections;
    for (const auto& section : summary.text.sections()) {
        mstch::map item;
        if (section.heading) {
            item.emplace("heading", paragraph_item(*section.heading));
        }
        mstch::array paragraphs;
        paragraphs.reserve(section.paragraphs.size());
        for (const auto& paragraph : section.paragraphs) {
            paragraphs.push_back(paragraph_item(paragraph));
        }
        item.emplace("paragraphs", std::move(paragraphs));
        sections.push_back(std::move(item));
    }
    return mstch::map{{"sections", std::move(sections)}, {"can_comment", can_comment}};
}

Response ResponsePages::paragraph(Request& request) const {
    return paragraph_page(request, std::string(request.param("anchor")), "", 200, Typed{});
}

Response ResponsePages::paragraph_page(Request& request, const std::string& anchor,
                                       const std::string& error, int status,
                                       const Typed& typed) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto actor = member_actor(request);
    const std::string slug(request.param("slug"));
    auto view = site_.responses->view(actor, slug);
    if (!view) {
        return error_page(site_, request, http_status(view.error().code));
    }
    // Checked after access, as the domain does: a 404 tells an outsider nothing.
    if (!is_anchor(anchor)) {
        return error_page(site_, request, 404);
    }
    const auto& paragraphs = view->text.paragraphs;
    const auto found = std::find_if(paragraphs.begin(), paragraphs.end(),
                                    [&](const auto& block) { return block.anchor == anchor; });
    const responses::Paragraph* paragraph = found != paragraphs.end() ? &*found : nullptr;
    const bool can_comment = view->access >= responses::Access::Member && paragraph != nullptr;
    const bool can_decide = view->access >= responses::Access::Editor;
    const std::string path = response_path(slug);
    const std::string current = paragraph != nullptr ? paragraph->text : std::string();
    const auto labels = mark_labels(site_, request);

    mstch::array comments;
    mstch::array reply_choices;
    const std::string reply_to = typed.reply_to.value_or("");
    reply_choices.push_back(
        select_option("", translate(site_, request, "No one: a new comment"), reply_to));
    for (const auto& comment : view->comments) {
        if (comment.anchor != anchor) {
            continue;
        }
        const std::string id = std::to_string(comment.id.value());
        reply_choices.push_back(select_option(id, "#" + id + " " + comment.author_name, reply_to));
        mstch::array replies;
        for (const auto& reply : comment.replies) {
            replies.push_back(mstch::map{{"id", std::to_string(reply.id.value())},
                                         {"author_name", reply.author_name},
                                         {"body", reply.body},
                                         {"when", when(request, reply.created_at)}});
        }
        comments.push_back(mstch::map{{"id", id},
                                      {"author_name", comment.author_name},
                                      {"body", comment.body},
                                      {"when", when(request, comment.created_at)},
                                      {"version", std::to_string(comment.version_number)},
                                      {"has_replies", !replies.empty()},
                                      {"replies", std::move(replies)}});
    }
    mstch::array amendments;
    for (const auto& amendment : view->amendments) {
        if (amendment.anchor != anchor) {
            continue;
        }
        const std::string base = path + "/amendments/" + std::to_string(amendment.id.value());
        const bool is_open = amendment.state == AmendmentState::Open;
        // Only an open amendment is compared with the current wording: a decided one is folded.
        amendments.push_back(mstch::map{
            {"id", std::to_string(amendment.id.value())},
            {"author_name", amendment.author_name},
            {"reason", amendment.reason},
            {"wording", amendment.wording},
            {"is_deletion", amendment.wording.empty()},
            {"diff_html", is_open ? amendment_diff_html(amendment, paragraph, current, labels,
                                                        language_of(request))
                                  : std::string()},
            {"state", std::string(responses::id(amendment.state))},
            {"state_label", translate(site_, request, state_label(amendment.state))},
            {"editor_note", amendment.editor_note},
            {"is_open", is_open},
            {"stale", amendment.stale},
            {"when", when(request, amendment.created_at)},
            {"can_decide", can_decide && is_open},
            {"can_accept", can_decide && is_open && !amendment.stale},
            {"accept_action", base + "/accept"},
            {"reject_action", base + "/reject"},
            {"merge_action", base + "/merge"},
        });
    }
    if (paragraph == nullptr && comments.empty() && amendments.empty()) {
        return error_page(site_, request, 404);
    }
    mstch::map data{
        {"title", view->response.title},
        {"anchor", anchor},
        {"is_heading", paragraph != nullptr && paragraph->kind == responses::BlockKind::Heading},
        {"is_current", paragraph != nullptr},
        {"text_html", paragraph != nullptr ? markdown_html(*paragraph) : std::string()},
        {"draft_path", path + "#" + anchor},
        {"version", std::to_string(view->text.version.number)},
        {"has_comments", !comments.empty()},
        {"comments", std::move(comments)},
        {"has_amendments", !amendments.empty()},
        {"amendments", std::move(amendments)},
        {"has_reply_choices", reply_choices.size() > 1},
        {"reply_choices", std::move(reply_choices)},
        {"comment_action", path + "/comments"},
        {"amend_action", path + "/amendments"},
        {"body", typed.body},
        {"wording", typed.wording.empty() ? current : typed.wording},
        {"reason", typed.reason},
        {"error", error},
        {"can_comment", can_comment},
    };
    if (paragraph != nullptr) {
        if (found != paragraphs.begin()) {
            data.emplace("previous_path", paragraph_path(slug, std::prev(found)->anchor));
        }
        if (std::next(found) != paragraphs.end()) {
            data.emplace("next_path", paragraph_path(slug, std::next(found)->anchor));
        }
    }
    return render(site_, request, paragraph_, view->response.title, std::move(data), status,
                  can_comment || can_decide ? HasForm::Yes : HasForm::No);
}

Response ResponsePages::after_change(Request& request, const core::Error* error,
                                     const std::string& anchor,
                                     const std::optional<std::string>& return_to,
                                     const std::string& fragment, const Typed& typed) const {
    if (error == nullptr) {
        // The slug named a response the change was made to, and return_to is an anchor
        // (is_anchor): the redirect stays on this site.
        const std::string slug(request.param("slug"));
        if (return_to) {
            return Response::redirect_see_other(paragraph_path(slug, *return_to) +
                                                (fragment.empty() ? "" : "#" + fragment));
        }
        return Response::redirect_see_other(response_path(slug) +
                                            (anchor.empty() ? "" : "#" + anchor));
    }
    if (auto page = refusal_page(site_, request, *error)) {
        return std::move(*page);
    }
    const std::string message = translate(site_, request, error->message);
    if (return_to) {
        return paragraph_page(request, *return_to, message, http_status(error->code), typed);
    }
    return draft_page(request, message, http_status(error->code));
}

Response ResponsePages::comment(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto return_to = return_to_of(request);
    if (!return_to) {
        return error_page(site_, request, 400);
    }
    const auto& form = request.form();
    const std::string anchor = form ? form->value("anchor") : "";
    std::optional<responses::CommentId> reply_to;
    // The paragraph's form offers "a new comment" (empty) or one of its comments to answer.
    if (form && form->has("reply_to") && !form->value("reply_to").empty()) {
        const auto number = positive_integer(form->value("reply_to"));
        if (!number) {
            return error_page(site_, request, 404);
        }
        reply_to = responses::CommentId(*number);
    }
    const std::string body = form ? form->value("body") : "";
    auto made = site_.responses->comment(member_actor(request), request.param("slug"), anchor, body,
                                         reply_to);
    const Typed typed{
        .body = body,
        .reply_to = reply_to ? std::optional<std::string>(std::to_string(reply_to->value()))
                             : std::nullopt};
    return after_change(
        request, made ? nullptr : &made.error(), made ? made->anchor : anchor, *return_to,
        made ? "comment-" + std::to_string(made->id.value()) : std::string(), typed);
}

Response ResponsePages::propose(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto return_to = return_to_of(request);
    if (!return_to) {
        return error_page(site_, request, 400);
    }
    const auto& form = request.form();
    const std::string anchor = form ? form->value("anchor") : "";
    const bool deletes = form && form->value("delete") == "1";
    const std::string typed_wording = form ? form->value("wording") : "";
    const std::string reason = form ? form->value("reason") : "";
    const Typed typed{.wording = typed_wording, .reason = reason};
    // "delete" proposes removing the paragraph; its wording field is ignored then.
    const std::string wording = deletes ? std::string() : typed_wording;
    if (wording.empty() && !deletes) {
        const core::Error error = core::Error::invalid(
            "Give the new wording, or tick the box to propose deleting the paragraph.", "wording");
        return after_change(request, &error, anchor, *return_to, "", typed);
    }
    auto made = site_.responses->propose(member_actor(request), request.param("slug"), anchor,
                                         wording, reason);
    return after_change(request, made ? nullptr : &made.error(), anchor, *return_to,
                        made ? "amendment-" + std::to_string(made->id.value()) : std::string(),
                        typed);
}

Response ResponsePages::accept(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto id = positive_integer(request.param("id"));
    const auto return_to = return_to_of(request);
    if (!id) {
        return error_page(site_, request, 404);
    }
    if (!return_to) {
        return error_page(site_, request, 400);
    }
    // The draft page's accept button names its paragraph, to come back to it.
    const auto& form = request.form();
    const std::string anchor =
        form && is_anchor(form->value("anchor")) ? form->value("anchor") : "";
    auto made = site_.responses->accept(member_actor(request), request.param("slug"),
                                        responses::AmendmentId(*id));
    return after_change(request, made ? nullptr : &made.error(), anchor, *return_to, "", Typed{});
}

Response ResponsePages::reject(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto id = positive_integer(request.param("id"));
    const auto return_to = return_to_of(request);
    if (!id) {
        return error_page(site_, request, 404);
    }
    if (!return_to) {
        return error_page(site_, request, 400);
    }
    const auto& form = request.form();
    auto made =
        site_.responses->reject(member_actor(request), request.param("slug"),
                                responses::AmendmentId(*id), form ? form->value("note") : "");
    return after_change(request, made ? nullptr : &made.error(), made ? made->anchor : "",
                        *return_to, "amendment-" + std::to_string(*id), Typed{});
}

Response ResponsePages::merge(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto id = positive_integer(request.param("id"));
    const auto return_to = return_to_of(request);
    if (!id) {
        return error_page(site_, request, 404);
    }
    if (!return_to) {
        return error_page(site_, request, 400);
    }
    const auto& form = request.form();
    auto made = site_.responses->merge(
        member_actor(request), request.param("slug"), responses::AmendmentId(*id),
        form ? form->value("wording") : "", form ? form->value("note") : "");
    return after_change(request, made ? nullptr : &made.error(), "", *return_to, "", Typed{});
}

Response ResponsePages::versions(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    const auto actor = member_actor(request);
    auto response = site_.responses->find(actor, slug);
    auto versions = response ? site_.responses->versions(actor, slug)
                             : core::Result<std::vector<responses::Version>>(response.error());
    if (!versions) {
        return error_page(site_, request, http_status(versions.error().code));
    }
    mstch::array items;
    for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
        mstch::map item{{"number", std::to_string(it->number)},
                        {"hash", it->hash},
                        {"reason", it->reason},
                        {"when", when(request, it->created_at)}};
        if (it->number > 1) {
            item.emplace("diff_path", response_path(slug) +
                                          "/diff?from=" + std::to_string(it->number - 1) +
                                          "&to=" + std::to_string(it->number));
        }
        items.push_back(std::move(item));
    }
    mstch::map data{
        {"title", response->title}, {"path", response_path(slug)}, {"versions", std::move(items)}};
    return render(site_, request, versions_, response->title, std::move(data));
}

Response ResponsePages::diff(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    const auto actor = member_actor(request);
    auto response = site_.responses->find(actor, slug);
    if (!response) {
        return error_page(site_, request, http_status(response.error().code));
    }
    const int last = response->current_version;
    const auto to_text = request.query_value("to");
    const auto to = to_text ? positive_integer(*to_text) : std::optional<std::int64_t>(last);
    const auto from_text = request.query_value("from");
    const auto from =
        from_text ? positive_integer(*from_text)
                  : (to ? std::optional<std::int64_t>(*to > 1 ? *to - 1 : 1) : std::nullopt);
    if (!from || !to || *from > last || *to > last) {
        return error_page(site_, request, 404);
    }
    auto diff = site_.responses->diff(actor, slug, static_cast<int>(*from), static_cast<int>(*to));
    if (!diff) {
        return error_page(site_, request, http_status(diff.error().code));
    }
    const auto labels = mark_labels(site_, request);
    mstch::array rows;
    for (const auto& row : diff->rows) {
        std::string_view label = "Unchanged";
        switch (row.change) {
            case responses::ParagraphChange::Unchanged:
                label = "Unchanged";
                break;
            case responses::ParagraphChange::Changed:
                label = "Changed";
                break;
            case responses::ParagraphChange::Added:
                label = "Added";
                break;
            case responses::ParagraphChange::Removed:
                label = "Removed";
                break;
        }
        std::string text = translate(site_, request, label);
        if (row.moved) {
            text += ", " + translate(site_, request, "moved");
        }
        rows.push_back(mstch::map{
            {"anchor", row.anchor},
            {"change", std::string(label == "Unchanged" ? "unchanged"
                                   : label == "Changed" ? "changed"
                                   : label == "Added"   ? "added"
                                                        : "removed")},
            {"label", text},
            {"diff_html", texts::diff_to_html(row.diff, labels)},
        });
    }
    mstch::array from_options;
    mstch::array to_options;
    for (int number = 1; number <= last; ++number) {
        from_options.push_back(
            select_option(std::to_string(number), std::to_string(number), std::to_string(*from)));
        to_options.push_back(
            select_option(std::to_string(number), std::to_string(number), std::to_string(*to)));
    }
    mstch::map data{{"title", response->title},
                    {"path", response_path(slug)},
                    {"diff_action", response_path(slug) + "/diff"},
                    {"from", std::to_string(*from)},
                    {"to", std::to_string(*to)},
                    {"from_options", std::move(from_options)},
                    {"to_options", std::move(to_options)},
                    {"rows", std::move(rows)}};
    return render(site_, request, diff_, response->title, std::move(data));
}

Response ResponsePages::form_page(Request& request, const responses::ResponseDraft& draft,
                                  const std::string& markdown,
                                  const std::vector<std::string>& editors,
                                  const std::vector<core::Error>& errors, int status) const {
    auto error = [&](std::string_view field) { return field_error(site_, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    auto data = form_data({
        Field{.name = "title",
              .label = label("Title"),
              .value = draft.title,
              .error = error("title"),
              .required = true},
        Field{.name = "slug",
              .label = label("Short name in the address (optional)"),
              .value = draft.slug,
              .hint = label("Lower-case letters, digits and hyphens; made from the title when "
                            "empty."),
              .error = error("slug")},
        Field{.name = "milestone_id",
              .label = label("The consultation it answers (a milestone)"),
              .error = error("milestone_id")},
        Field{.name = "deadline_date",
              .label = label("Or its own deadline: date"),
              .value = draft.deadline_date,
              .error = error("deadline_date"),
              .type = "date"},
        Field{.name = "deadline_time",
              .label = label("Time"),
              .value = draft.deadline_time,
              .error = error("deadline_time"),
              .type = "time"},
        Field{.name = "deadline_zone",
              .label = label("Time zone"),
              .value = draft.deadline_zone,
              .hint = label("An IANA time zone, such as Europe/Zurich or America/New_York."),
              .error = error("deadline_zone")},
        Field{.name = "link",
              .label = label("Link to the consultation (optional)"),
              .value = draft.link,
              .error = error("link"),
              .type = "url"},
        Field{.name = "markdown",
              .label = label("First draft (Markdown)"),
              .value = markdown,
              .hint = label("Headings start with #; leave a blank line between paragraphs."),
              .error = error("markdown"),
              .type = "textarea",
              .required = true},
    });
    mstch::array milestones{select_option("", label("None"), draft.milestone_id)};
    for (const auto& process : site_.processes.list()) {
        for (const auto& milestone : process.milestones) {
            milestones.push_back(select_option(std::to_string(milestone.id.value()),
                                               process.fields.name + " — " + milestone.fields.title,
                                               draft.milestone_id));
        }
    }
    set_select_options(data, "milestone_id", std::move(milestones));
    mstch::array users;
    for (const auto& user : site_.users.list()) {
        const std::string id = std::to_string(user.id.value());
        const bool checked = std::find(editors.begin(), editors.end(), id) != editors.end();
        users.push_back(mstch::map{{"id", id}, {"name", user.name()}, {"checked", checked}});
    }
    data.emplace("users", std::move(users));
    data.emplace("editors_error", error("editors"));
    data.emplace("action", std::string("/admin/responses"));
    return render(site_, request, form_, "Start a joint response", std::move(data), status,
                  HasForm::Yes);
}

Response ResponsePages::new_response(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    return form_page(request, responses::ResponseDraft{}, "", {}, {}, 200);
}

Response ResponsePages::create_response(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    auto value = [&](std::string_view name) { return form ? form->value(name) : std::string(); };
    const responses::ResponseDraft draft{.title = value("title"),
                                         .slug = value("slug"),
                                         .milestone_id = value("milestone_id"),
                                         .deadline_date = value("deadline_date"),
                                         .deadline_time = value("deadline_time"),
                                         .deadline_zone = value("deadline_zone"),
                                         .link = value("link")};
    const std::string markdown = value("markdown");
    std::vector<std::string> editor_values;
    std::vector<accounts::UserId> editors;
    std::vector<core::Error> errors;
    if (form) {
        for (const auto& text : form->all("editors")) {
            editor_values.emplace_back(text);
            if (const auto number = positive_integer(text)) {
                editors.emplace_back(*number);
            } else {
                errors.push_back(core::Error::invalid("Choose editors from the list.", "editors"));
            }
        }
    }
    if (auto fields = responses::validate(draft); !fields) {
        errors.insert(errors.end(), fields.errors().begin(), fields.errors().end());
    } else if (errors.empty()) {
        auto created = site_.responses->create(member_actor(request), *fields, markdown, editors);
        if (created) {
            return Response::redirect_see_other(response_path(created->slug.value()));
        }
        if (created.error().code == core::ErrorCode::Forbidden) {
            return error_page(site_, request, 403);
        }
        errors.push_back(created.error());
    }
    const int status =
        !errors.empty() && errors.front().code == core::ErrorCode::Conflict ? 409 : 422;
    return form_page(request, draft, markdown, editor_values, errors, status);
}

}  // namespace coalition::web
