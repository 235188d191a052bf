#include "web/pages/response_pages.hpp"

#include "processes/processes.hpp"
#include "statement/statement.hpp"
#include "texts/texts.hpp"
#include "web/page.hpp"
#include "web/pages/response_endorsement_pages.hpp"
#include "web/problem.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

using responses::Access;
using responses::AmendmentState;

// A refusal or an unknown response as its error page; nullopt for the other errors, which the
// page shows beside the form.
std::optional<Response> error_page(const Site& site, const Request& request,
                                   const core::Error& error) {
    if (error.code == core::ErrorCode::Forbidden || error.code == core::ErrorCode::NotFound) {
        return error_page(site, request, http_status(error.code));
    }
    return std::nullopt;
}

std::optional<std::int64_t> positive_number(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

std::string response_path(std::string_view slug) {
    return "/responses/" + std::string(slug);
}

std::string when(const Request& request, std::int64_t at) {
    return processes::format_instant(at, "UTC", language_of(request));
}

std::string deadline_text(const Site& site, const Request& request,
                          const responses::Response& response) {
    const auto deadline = site.responses->deadline(response);
    if (!deadline) {
        return {};
    }
    if (deadline->is_date()) {
        return processes::format_day(deadline->date(), processes::DatePrecision::Day,
                                     language_of(request));
    }
    return processes::format_instant(deadline->utc(), deadline->zone(), language_of(request)) +
           " " + deadline->zone();
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

mstch::map comment_item(const Request& request, const responses::Comment& comment) {
    mstch::array replies;
    for (const auto& reply : comment.replies) {
        replies.push_back(comment_item(request, reply));
    }
    return mstch::map{{"id", std::to_string(comment.id.value())},
                      {"author_name", comment.author_name},
                      {"body", comment.body},
                      {"when", when(request, comment.created_at)},
                      {"version", std::to_string(comment.version_number)},
                      {"replies", std::move(replies)},
                      {"has_replies", !comment.replies.empty()}};
}

}  // namespace

ResponsePages::ResponsePages(Site& site)
    : site_(site),
      list_(site.pages.require("response_list")),
      draft_(site.pages.require("response_page")),
      versions_(site.pages.require("response_versions")),
      diff_(site.pages.require("response_diff")),
      form_(site.pages.require("response_form")) {
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
                                   {"deadline", deadline_text(site_, request, response)},
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

Response ResponsePages::draft(Request& request) const {
    return draft_page(request, "", 200);
}

Response ResponsePages::draft_page(Request& request, const std::string& error, int status) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto actor = member_actor(request);
    const std::string slug(request.param("slug"));
    auto view = site_.responses->view(actor, slug);
    if (!view) {
        return error_page(site_, request, http_status(view.error().code));
    }
    const auto* response = &view->response;
    const auto* text = &view->text;
    const auto* comments = &view->comments;
    const auto* amendments = &view->amendments;
    const Access access = view->access;
    const bool can_comment = access >= Access::Member;
    const bool can_decide = access >= Access::Editor;
    const std::string path = response_path(slug);
    const auto labels = mark_labels(site_, request);

    // One comment form per paragraph (answering a comment is a choice in it), not one per
    // comment: with 2,000 comments the page would carry 2,000 forms.
    std::map<std::string, mstch::array> comments_by_anchor;
    std::map<std::string, mstch::array> reply_choices_by_anchor;
    for (const auto& comment : *comments) {
        comments_by_anchor[comment.anchor].push_back(comment_item(request, comment));
        reply_choices_by_anchor[comment.anchor].push_back(mstch::map{
            {"id", std::to_string(comment.id.value())}, {"author_name", comment.author_name}});
    }
    std::map<std::string, mstch::array> amendments_by_anchor;
    for (const auto& amendment : *amendments) {
        const auto* paragraph = text->find(amendment.anchor);
        const std::string current = paragraph != nullptr ? paragraph->text : std::string();
        const std::string base = path + "/amendments/" + std::to_string(amendment.id.value());
        const bool is_open = amendment.state == AmendmentState::Open;
        // Only an open amendment is compared with the current wording: a decided one is folded
        // (its wording in a <details>), and its comparison would cost a word diff for nothing.
        amendments_by_anchor[amendment.anchor].push_back(mstch::map{
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

    mstch::array sections;
    for (const auto& section : text->sections()) {
        // Each anchor appears once in a text: its comments and amendments are moved, not copied.
        auto paragraph_item = [&](const responses::Paragraph& paragraph) {
            auto comments_here = std::move(comments_by_anchor[paragraph.anchor]);
            auto choices_here = std::move(reply_choices_by_anchor[paragraph.anchor]);
            auto amendments_here = std::move(amendments_by_anchor[paragraph.anchor]);
            const bool has_comments = !comments_here.empty();
            const bool has_amendments = !amendments_here.empty();
            return mstch::map{
                {"anchor", paragraph.anchor},
                {"text_html", statement::render_markdown(paragraph.text)},
                {"text", paragraph.text},
                {"comments", std::move(comments_here)},
                {"has_comments", has_comments},
                {"reply_choices", std::move(choices_here)},
                {"amendments", std::move(amendments_here)},
                {"has_amendments", has_amendments},
                {"comment_action", path + "/comments"},
                {"amend_action", path + "/amendments"},
                {"can_comment", can_comment},
            };
        };
        mstch::map item;
        if (section.heading) {
            item.emplace("heading", paragraph_item(*section.heading));
        }
        mstch::array paragraphs;
        for (const auto& paragraph : section.paragraphs) {
            paragraphs.push_back(paragraph_item(paragraph));
        }
        item.emplace("paragraphs", std::move(paragraphs));
        sections.push_back(std::move(item));
    }
    mstch::map data{
        {"title", response->title},
        {"deadline", deadline_text(site_, request, *response)},
        {"link", response->link},
        {"status", translate(site_, request, "Draft")},
        {"version", std::to_string(text->version.number)},
        {"hash", text->version.hash},
        {"version_when", when(request, text->version.created_at)},
        {"versions_path", path + "/versions"},
        {"diff_path", text->version.number > 1
                          ? path + "/diff?from=" + std::to_string(text->version.number - 1) +
                                "&to=" + std::to_string(text->version.number)
                          : std::string()},
        {"sections", std::move(sections)},
        {"error", error},
        {"can_comment", can_comment},
        {"can_decide", can_decide},
    };
    // The endorsement half (response_endorsement_pages.cpp): the answer form, the round.
    if (auto panel = endorsement_panel(site_, request, slug)) {
        data.emplace("endorsement", std::move(*panel));
    }
    return render(site_, request, draft_, response->title, std::move(data), status,
                  can_comment ? HasForm::Yes : HasForm::No);
}

Response ResponsePages::after_change(Request& request, const core::Error* error,
                                     const std::string& anchor) const {
    if (error == nullptr) {
        return Response::redirect_see_other(response_path(request.param("slug")) +
                                            (anchor.empty() ? "" : "#" + anchor));
    }
    if (auto page = error_page(site_, request, *error)) {
        return std::move(*page);
    }
    return draft_page(request, translate(site_, request, error->message), http_status(error->code));
}

Response ResponsePages::comment(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    const std::string anchor = form ? form->value("anchor") : "";
    std::optional<responses::CommentId> reply_to;
    // The paragraph's form offers "a new comment" (empty) or one of its comments to answer.
    if (form && form->has("reply_to") && !form->value("reply_to").empty()) {
        const auto number = positive_number(form->value("reply_to"));
        if (!number) {
            return error_page(site_, request, 404);
        }
        reply_to = responses::CommentId(*number);
    }
    auto made = site_.responses->comment(member_actor(request), request.param("slug"), anchor,
                                         form ? form->value("body") : "", reply_to);
    return after_change(request, made ? nullptr : &made.error(),
                        made ? made->anchor : std::string());
}

Response ResponsePages::propose(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    const std::string anchor = form ? form->value("anchor") : "";
    // "delete" proposes removing the paragraph; its wording field is ignored then.
    const std::string wording =
        form && form->value("delete") == "1" ? std::string() : (form ? form->value("wording") : "");
    if (wording.empty() && !(form && form->value("delete") == "1")) {
        const core::Error error = core::Error::invalid(
            "Give the new wording, or tick the box to propose deleting the paragraph.", "wording");
        return after_change(request, &error, anchor);
    }
    auto made = site_.responses->propose(member_actor(request), request.param("slug"), anchor,
                                         wording, form ? form->value("reason") : "");
    return after_change(request, made ? nullptr : &made.error(), anchor);
}

Response ResponsePages::accept(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto id = positive_number(request.param("id"));
    if (!id) {
        return error_page(site_, request, 404);
    }
    auto made = site_.responses->accept(member_actor(request), request.param("slug"),
                                        responses::AmendmentId(*id));
    return after_change(request, made ? nullptr : &made.error(), "");
}

Response ResponsePages::reject(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto id = positive_number(request.param("id"));
    if (!id) {
        return error_page(site_, request, 404);
    }
    const auto& form = request.form();
    auto made =
        site_.responses->reject(member_actor(request), request.param("slug"),
                                responses::AmendmentId(*id), form ? form->value("note") : "");
    return after_change(request, made ? nullptr : &made.error(), made ? made->anchor : "");
}

Response ResponsePages::merge(Request& request) const {
    if (site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto id = positive_number(request.param("id"));
    if (!id) {
        return error_page(site_, request, 404);
    }
    const auto& form = request.form();
    auto made = site_.responses->merge(
        member_actor(request), request.param("slug"), responses::AmendmentId(*id),
        form ? form->value("wording") : "", form ? form->value("note") : "");
    return after_change(request, made ? nullptr : &made.error(), "");
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
    const auto to = to_text ? positive_number(*to_text) : std::optional<std::int64_t>(last);
    const auto from_text = request.query_value("from");
    const auto from =
        from_text ? positive_number(*from_text)
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
            if (const auto number = positive_number(text)) {
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
