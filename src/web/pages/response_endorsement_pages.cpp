#include "web/pages/response_endorsement_pages.hpp"

#include "core/clock.hpp"
#include "i18n/i18n.hpp"
#include "processes/processes.hpp"
#include "statement/statement.hpp"
#include "web/forms.hpp"
#include "web/layout.hpp"
#include "web/page.hpp"
#include "web/problem.hpp"

#include <string>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

using responses::AnswerKind;

std::string_view answer_label(AnswerKind kind) {
    switch (kind) {
        case AnswerKind::Endorse:
            return "Endorse";
        case AnswerKind::Abstain:
            return "Abstain";
        case AnswerKind::Object:
            return "Object";
    }
    return "";
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::optional<accounts::OrganisationId> organisation_id(std::string_view text) {
    const auto value = positive_integer(text);
    return value ? std::optional(accounts::OrganisationId(*value)) : std::nullopt;
}

}  // namespace

std::optional<mstch::map> endorsement_panel(const Site& site, const Request& request,
                                            std::string_view slug) {
    if (site.endorsements == nullptr || !request.visitor.is_signed_in()) {
        return std::nullopt;
    }
    auto state = site.endorsements->state(member_actor(request), slug);
    if (!state || (!state->round && !state->can_freeze)) {
        return std::nullopt;
    }
    const std::string path = response_path(slug);
    mstch::map panel{
        {"overview_path",
         state->can_freeze || state->can_publish ? path + "/endorsement" : std::string()},
        {"is_open", state->is_open},
        {"is_frozen", state->round.has_value()}};
    if (state->round) {
        panel.emplace("deadline", deadline_text(request, state->round->deadline));
        panel.emplace("frozen_version", std::to_string(state->round->version_number));
        panel.emplace("frozen_hash", state->round->version_hash);
        panel.emplace("is_closed", !state->is_open);
    }
    if (state->organisation && state->round) {
        const std::string current = state->answer && state->answer_is_current
                                        ? std::string(responses::id(state->answer->kind))
                                        : std::string();
        mstch::array options;
        for (const auto kind : {AnswerKind::Endorse, AnswerKind::Abstain, AnswerKind::Object}) {
            const std::string value(responses::id(kind));
            options.push_back(mstch::map{{"value", value},
                                         {"label", translate(site, request, answer_label(kind))},
                                         {"checked", value == current}});
        }
        panel.emplace("organisation_id", std::to_string(state->organisation->id.value()));
        panel.emplace("organisation_name", state->organisation->name);
        panel.emplace("options", std::move(options));
        panel.emplace("reason", state->answer && state->answer_is_current ? state->answer->reason
                                                                          : std::string());
        panel.emplace("answer_action", path + "/answer");
        panel.emplace("withdraw_action", path + "/withdraw");
        panel.emplace("has_answer", state->answer.has_value());
        if (state->answer) {
            panel.emplace("answered", translate(site, request, answer_label(state->answer->kind)));
            panel.emplace("answered_version", std::to_string(state->answer->version_number));
            panel.emplace("answer_is_current", state->answer_is_current);
            panel.emplace("answer_is_earlier", !state->answer_is_current);
        }
    }
    return panel;
}

ResponseEndorsementPages::ResponseEndorsementPages(Site& site,
                                                   std::shared_ptr<const ResponsePages> drafts)
    : site_(site),
      drafts_(std::move(drafts)),
      published_(site.pages.require("response_published")),
      overview_(site.pages.require("response_endorsements")),
      print_(site.pages.require("publication_print")) {
}

Response ResponseEndorsementPages::page(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    const std::string language(language_of(request));
    if (ends_with(slug, ".pdf")) {
        return pdf(request, slug.substr(0, slug.size() - 4), language);
    }
    for (const auto& [suffix, type] :
         {std::pair<std::string_view, std::string_view>{".md", "text/markdown; charset=utf-8"},
          {".txt", "text/plain; charset=utf-8"}}) {
        if (ends_with(slug, suffix)) {
            const std::string base = slug.substr(0, slug.size() - suffix.size());
            const auto publication = site_.endorsements->publication(base, language);
            if (!publication) {
                return error_page(site_, request, 404);
            }
            return file_download(suffix == ".md"
                                     ? responses::publication_markdown(*publication, language)
                                     : responses::publication_text(*publication, language),
                                 type, base + std::string(suffix));
        }
    }
    if (const auto publication = site_.endorsements->publication(slug, language)) {
        return published_page(request, *publication);
    }
    // A draft: members only, as before publication.
    if (!request.visitor.is_signed_in()) {
        return Response::redirect_see_other("/signin?next=" + percent_encode(request.raw_target));
    }
    return drafts_->draft(request);
}

// The print-ready PDF: the publications' print template over the Markdown export (whose first
// line, the title, the template shows as its heading), rendered once per version and language.
Response ResponseEndorsementPages::pdf(Request& request, const std::string& slug,
                                       const std::string& language) const {
    const auto publication = site_.endorsements->publication(slug, language);
    if (!publication) {
        return error_page(site_, request, 404);
    }
    // The endorsers' order is in the key: editors may change it after publication.
    std::string key = "response|" + slug + "|" + publication->version_hash + "|" + language + "|";
    for (const auto& endorser : publication->endorsers) {
        key += std::to_string(endorser.organisation.value()) + ",";
    }
    auto rendered = site_.pdf_downloads->get(key, [&] {
        std::string markdown = responses::publication_markdown(*publication, language);
        markdown.erase(0, markdown.find("\n\n") + 2);  // "# Title\n\n"
        const auto* page_language = i18n::find_language(language);
        const bool rtl =
            page_language != nullptr && page_language->direction == i18n::Direction::Rtl;
        mstch::map data{
            {"doc_lang", language},
            {"doc_dir", std::string(rtl ? "rtl" : "ltr")},
            {"title", publication->title},
            {"summary", std::string()},
            {"site_name", site_.settings.name},
            {"url", publication->url},
            {"kind_label", site_.pages.translate(language, "Joint response")},
            {"date",
             processes::format_day(core::format_rfc3339(publication->published_at).substr(0, 10),
                                   processes::DatePrecision::Day, language)},
            {"text_html", statement::render_markdown(markdown)},
        };
        return site_.pages.templates().render(print_, mstch::node(std::move(data)), language);
    });
    if (!rendered) {
        return error_page(site_, request, http_status(rendered.error().code));
    }
    return file_download(std::move(*rendered), "application/pdf", slug + ".pdf");
}

Response ResponseEndorsementPages::plain(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    const std::string language(language_of(request));
    const auto publication = site_.endorsements->publication(slug, language);
    if (!publication) {
        return error_page(site_, request, 404);
    }
    return file_download(responses::publication_paragraphs(*publication, language),
                         "text/plain; charset=utf-8", slug + "-paragraphs.txt");
}

Response ResponseEndorsementPages::published_page(Request& request,
                                                  const responses::Publication& publication) const {
    const std::string language(language_of(request));
    mstch::array blocks;
    for (const auto& block : publication.blocks) {
        blocks.push_back(mstch::map{{"block_html", statement::render_markdown(block)}});
    }
    mstch::array endorsers;
    for (const auto& endorser : publication.endorsers) {
        const auto country = accounts::Country::parse(endorser.country);
        const auto group = accounts::parse_stakeholder_group(endorser.stakeholder_group);
        const std::string index = std::to_string(endorser.log_index);
        endorsers.push_back(
            mstch::map{{"name", endorser.name},
                       {"path", "/members/" + endorser.slug},
                       {"country", country ? country->name(language) : endorser.country},
                       {"group", group ? translate(site_, request, accounts::label(*group))
                                       : endorser.stakeholder_group},
                       {"log_index", index},
                       {"entry_path", "/api/v1/log/entries?start=" + index +
                                          "&end=" + std::to_string(endorser.log_index + 1)}});
    }
    const std::string path = response_path(publication.slug);
    mstch::map data{
        {"title", publication.title},
        {"published", processes::format_day(processes::civil_from_days(publication.published_at /
                                                                       core::kSecondsPerDay),
                                            processes::DatePrecision::Day, language)},
        {"consultation_url", publication.consultation_url},
        {"consultation_name", publication.milestone_title.empty()
                                  ? std::string()
                                  : publication.process_name + " — " + publication.milestone_title},
        {"blocks", std::move(blocks)},
        {"endorsers", std::move(endorsers)},
        {"has_endorsers", !publication.endorsers.empty()},
        {"editors_order", publication.editors_order},
        {"version", std::to_string(publication.version_number)},
        {"hash", publication.version_hash},
        {"markdown_path", path + ".md"},
        {"text_path", path + ".txt"},
        {"pdf_path", path + ".pdf"},
        {"plain_path", path + "/plain.txt"},
        {"plain_paragraphs", responses::publication_paragraphs(publication, language)},
    };
    return render(site_, request, published_, publication.title, std::move(data));
}

Response ResponseEndorsementPages::overview(Request& request) const {
    return overview_page(request, {}, {}, 200);
}

Response ResponseEndorsementPages::overview_page(Request& request,
                                                 const responses::FreezeInput& input,
                                                 const std::vector<core::Error>& errors,
                                                 int status) const {
    if (site_.endorsements == nullptr || site_.responses == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto actor = member_actor(request);
    const std::string slug(request.param("slug"));
    auto overview = site_.endorsements->overview(actor, slug);
    if (!overview) {
        return error_page(site_, request, http_status(overview.error().code));
    }
    auto state = site_.endorsements->state(actor, slug);
    auto response = site_.responses->find(actor, slug);
    auto text = site_.responses->text(actor, slug, std::nullopt);
    if (!state || !response || !text) {
        return error_page(site_, request, 404);
    }
    mstch::array rows;
    for (const auto& row : overview->organisations) {
        mstch::map item{{"name", row.organisation.name},
                        {"has_answer", row.answer.has_value()},
                        {"is_current", row.is_current},
                        {"representative", row.representative}};
        if (row.answer) {
            item.emplace("answer", translate(site_, request, answer_label(row.answer->kind)));
            item.emplace("reason", row.answer->reason);
            item.emplace("version", std::to_string(row.answer->version_number));
            item.emplace("is_earlier", !row.is_current);
        }
        rows.push_back(std::move(item));
    }
    auto error = [&](std::string_view field) { return field_error(site_, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    auto data = form_data({
        Field{.name = "deadline_date",
              .label = label("Endorsement deadline: date"),
              .value = input.deadline_date,
              .error = error("deadline_date"),
              .type = "date",
              .required = true},
        Field{.name = "deadline_time",
              .label = label("Time"),
              .value = input.deadline_time.empty() ? std::string("17:00") : input.deadline_time,
              .error = error("deadline_time"),
              .type = "time",
              .required = true},
        Field{.name = "deadline_zone",
              .label = label("Time zone"),
              .value = input.deadline_zone.empty() ? std::string("UTC") : input.deadline_zone,
              .hint = label("An IANA time zone, such as Europe/Geneva or America/New_York."),
              .error = error("deadline_zone"),
              .required = true},
    });
    const std::string path = response_path(slug);
    data.emplace("title", response->title);
    data.emplace("path", path);
    data.emplace("rows", std::move(rows));
    data.emplace("endorsed", std::to_string(overview->endorsed));
    data.emplace("abstained", std::to_string(overview->abstained));
    data.emplace("objected", std::to_string(overview->objected));
    data.emplace("earlier", std::to_string(overview->earlier));
    data.emplace("not_answered", std::to_string(overview->not_answered));
    data.emplace("is_frozen", overview->round.has_value());
    if (overview->round) {
        data.emplace("frozen_version", std::to_string(overview->round->version_number));
        data.emplace("frozen_hash", overview->round->version_hash);
        data.emplace("deadline", deadline_text(request, overview->round->deadline));
    }
    data.emplace("current_version", std::to_string(text->version.number));
    data.emplace("current_hash", text->version.hash);
    data.emplace("can_freeze", state->can_freeze);
    data.emplace("can_publish", state->can_publish);
    data.emplace("freeze_action", path + "/freeze");
    data.emplace("publish_action", path + "/publish");
    if (const auto publication = site_.endorsements->publication(slug, language_of(request))) {
        data.emplace("is_published", true);
        data.emplace("order_action", path + "/endorser-order");
        data.emplace("editors_order", publication->editors_order);
        const std::string order_error = field_error(site_, request, errors, "order");
        // A refused order comes back with the places the editor typed, to be corrected.
        const auto& form = request.form();
        const bool show_typed = !order_error.empty() && form.has_value();
        data.emplace("order_error", order_error);
        data.emplace("endorser_count", std::to_string(publication->endorsers.size()));
        data.emplace("has_endorsers", !publication->endorsers.empty());
        mstch::array endorsers;
        for (std::size_t endorser_idx = 0; endorser_idx < publication->endorsers.size();
             ++endorser_idx) {
            const auto& endorser = publication->endorsers[endorser_idx];
            const std::string id = std::to_string(endorser.organisation.value());
            endorsers.push_back(
                mstch::map{{"id", id},
                           {"name", endorser.name},
                           {"position", show_typed ? std::string(form->value("position-" + id))
                                                   : std::to_string(endorser_idx + 1)}});
        }
        data.emplace("endorsers", std::move(endorsers));
    }
    return render(site_, request, overview_, "Endorsement", std::move(data), status, HasForm::Yes);
}

Response ResponseEndorsementPages::freeze(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    responses::FreezeInput input{
        .deadline_date = form ? form->value("deadline_date") : "",
        .deadline_time = form ? form->value("deadline_time") : "",
        .deadline_zone = form ? form->value("deadline_zone") : "",
        .based_on = positive_int(form ? form->value("based_on") : "").value_or(0)};
    auto frozen = site_.endorsements->freeze(member_actor(request), request.param("slug"), input);
    if (frozen) {
        return Response::redirect_see_other(response_path(request.param("slug")) + "/endorsement");
    }
    const auto& error = frozen.error();
    if (error.code == core::ErrorCode::Forbidden || error.code == core::ErrorCode::NotFound) {
        return error_page(site_, request, http_status(error.code));
    }
    core::Error shown = error;
    if (shown.field.empty() || shown.field == "based_on") {
        shown.field = "deadline_date";  // Shown at the form's first field.
    }
    return overview_page(request, input, {shown}, http_status(error.code));
}

Response ResponseEndorsementPages::after_change(Request& request, const core::Error* error,
                                                std::string_view fragment) const {
    if (error == nullptr) {
        return Response::redirect_see_other(response_path(request.param("slug")) + "#" +
                                            std::string(fragment));
    }
    if (error->code == core::ErrorCode::Forbidden || error->code == core::ErrorCode::NotFound) {
        return error_page(site_, request, http_status(error->code));
    }
    return drafts_->draft_with_error(request, translate(site_, request, error->message),
                                     http_status(error->code));
}

Response ResponseEndorsementPages::answer(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    const auto organisation = organisation_id(form ? form->value("organisation") : "");
    if (!organisation) {
        return error_page(site_, request, 404);
    }
    auto answered = site_.endorsements->answer(
        member_actor(request), request.param("slug"),
        responses::AnswerInput{.organisation = *organisation,
                               .answer = form ? form->value("answer") : "",
                               .reason = form ? form->value("reason") : "",
                               .version_hash = form ? form->value("version_hash") : "",
                               .language = std::string(language_of(request))});
    return after_change(request, answered ? nullptr : &answered.error(), "endorsement");
}

Response ResponseEndorsementPages::withdraw(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    const auto organisation = organisation_id(form ? form->value("organisation") : "");
    if (!organisation) {
        return error_page(site_, request, 404);
    }
    auto withdrawn =
        site_.endorsements->withdraw(member_actor(request), request.param("slug"), *organisation);
    return after_change(request, withdrawn ? nullptr : &withdrawn.error(), "endorsement");
}

Response ResponseEndorsementPages::publish(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    auto published = site_.endorsements->publish(member_actor(request), request.param("slug"));
    if (published) {
        return Response::redirect_see_other(response_path(published->slug));
    }
    return overview_with_error(request, published.error(), "deadline_date");
}

Response ResponseEndorsementPages::order_endorsers(Request& request) const {
    if (site_.endorsements == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    const auto& form = request.form();
    const auto publication = site_.endorsements->publication(slug, language_of(request));
    std::vector<accounts::OrganisationId> order;
    if (publication && !(form && form->value("order") == "alphabetical")) {
        const auto count = static_cast<int>(publication->endorsers.size());
        std::vector<std::pair<int, accounts::OrganisationId>> placed;
        for (const auto& endorser : publication->endorsers) {
            const std::string field = "position-" + std::to_string(endorser.organisation.value());
            const auto place = positive_int(form ? form->value(field) : "");
            if (!place || *place > count) {
                const core::Error error = core::Error::invalid(
                    std::string(i18n::gettext_noop(
                        "Give each organisation a place: a whole number from 1 to the number "
                        "of endorsers.")),
                    "order");
                return overview_page(request, {}, {error}, 422);
            }
            placed.emplace_back(*place, endorser.organisation);
        }
        // Equal places keep the order shown on the form.
        std::stable_sort(placed.begin(), placed.end(), [](const auto& left, const auto& right) {
            return left.first < right.first;
        });
        for (const auto& [place, organisation] : placed) {
            order.push_back(organisation);
        }
    }
    auto ordered = site_.endorsements->order_endorsers(member_actor(request), slug, order);
    if (ordered) {
        return Response::redirect_see_other(response_path(slug) + "/endorsement#endorser-order");
    }
    return overview_with_error(request, ordered.error(), "order");
}

Response ResponseEndorsementPages::overview_with_error(Request& request, const core::Error& error,
                                                       std::string_view field) const {
    if (error.code == core::ErrorCode::Forbidden || error.code == core::ErrorCode::NotFound) {
        return error_page(site_, request, http_status(error.code));
    }
    core::Error shown = error;
    shown.field = std::string(field);
    return overview_page(request, {}, {shown}, http_status(error.code));
}

}  // namespace coalition::web
