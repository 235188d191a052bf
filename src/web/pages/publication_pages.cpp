#include "web/pages/publication_pages.hpp"

#include "core/clock.hpp"
#include "i18n/i18n.hpp"
#include "processes/processes.hpp"
#include "statement/statement.hpp"
#include "web/atom.hpp"
#include "web/forms.hpp"
#include "web/page.hpp"
#include "web/problem.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace coalition::web {
namespace {

using publications::Entry;
using publications::Publication;

constexpr int kPerPage = 20;
constexpr std::size_t kPublicationFeedEntries = 50;

std::string query(const Request& request, std::string_view name) {
    const auto value = request.query_value(name);
    return value ? std::string(*value) : std::string();
}

std::string_view kind_label(std::string_view kind) {
    if (kind == "news") {
        return "News";
    }
    if (kind == "position-paper") {
        return "Position paper";
    }
    if (kind == "statement") {
        return "Statement of Purpose";
    }
    if (kind == "response") {
        return "Joint response";
    }
    return "Publication";
}

constexpr std::string_view kKinds[] = {"news", "position-paper", "statement", "response"};

// A date in the reader's language ("2 March 2026"), UTC.
std::string day_text(const Request& request, std::int64_t at) {
    return processes::format_day(core::format_rfc3339(at).substr(0, 10),
                                 processes::DatePrecision::Day, language_of(request));
}

std::string publication_path(const Publication& publication) {
    return "/publications/" + publication.slug.value();
}

mstch::map entry_data(const Site& site, const Request& request, const Entry& entry) {
    const bool updated = entry.updated_at > entry.published_at;
    return mstch::map{{"title", entry.title},
                      {"path", entry.path},
                      {"summary", entry.summary},
                      {"kind", entry.kind},
                      {"kind_label", translate(site, request, kind_label(entry.kind))},
                      {"date", day_text(request, entry.published_at)},
                      {"datetime", core::format_rfc3339(entry.published_at)},
                      {"is_updated", updated},
                      {"updated", updated ? day_text(request, entry.updated_at) : std::string()},
                      {"language", entry.language}};
}

// The publication's language as <html lang dir>.
mstch::map language_data(std::string_view tag) {
    const auto* language = i18n::find_language(tag);
    const bool rtl = language != nullptr && language->direction == i18n::Direction::Rtl;
    return mstch::map{{"doc_lang", std::string(tag)},
                      {"doc_dir", std::string(rtl ? "rtl" : "ltr")}};
}

publications::PublicationDraft publication_draft_from(const Request& request) {
    return publications::PublicationDraft{.kind = form_value(request, "kind"),
                                          .title = form_value(request, "title"),
                                          .slug = form_value(request, "slug"),
                                          .language = form_value(request, "language"),
                                          .process = form_value(request, "process"),
                                          .summary = form_value(request, "summary"),
                                          .markdown = form_value(request, "markdown")};
}

mstch::array process_options(const Site& site, std::string_view current, std::string none) {
    mstch::array options{select_option("", std::move(none), current)};
    for (const auto& process : site.processes.list()) {
        const auto& name =
            process.fields.short_name.empty() ? process.fields.name : process.fields.short_name;
        options.push_back(select_option(process.slug.value(), name, current));
    }
    return options;
}

std::string markdown_export(const Publication& publication) {
    std::string out = "# " + publication.fields.title + "\n\n";
    if (!publication.fields.summary.empty()) {
        out += publication.fields.summary + "\n\n";
    }
    return out + publication.fields.markdown;
}

}  // namespace

std::vector<Entry> publication_entries(const Site& site) {
    std::vector<Entry> entries;
    if (site.publications != nullptr) {
        entries = site.publications->entries();
    }
    if (auto current = site.statements.current()) {
        entries.push_back(Entry{.kind = "statement",
                                .title = current->title,
                                .path = "/statement",
                                .summary = {},
                                .language = current->language,
                                .process_slug = {},
                                .published_at = current->published_at,
                                .updated_at = current->published_at});
    }
    if (site.published_responses) {
        auto responses = site.published_responses();
        entries.insert(entries.end(), std::make_move_iterator(responses.begin()),
                       std::make_move_iterator(responses.end()));
    }
    return publications::list_entries(std::move(entries),
                                      publications::Filter{.per_page = 1'000'000})
        .entries;
}

mstch::map publications_block(const Site& site, const Request& request,
                              std::string_view process_slug, std::size_t limit) {
    auto listing = publications::list_entries(
        publication_entries(site),
        publications::Filter{.process = std::string(process_slug),
                             .per_page = static_cast<int>(std::max<std::size_t>(1, limit))});
    mstch::array items;
    for (const auto& entry : listing.entries) {
        items.push_back(entry_data(site, request, entry));
    }
    return mstch::map{{"publications", std::move(items)},
                      {"has_publications", listing.total > 0},
                      {"has_more", listing.total > listing.entries.size()},
                      {"more_path", "/publications?process=" + percent_encode(process_slug)}};
}

PublicationPages::PublicationPages(Site& site)
    : site_(site),
      index_(site.pages.require("publication_index")),
      page_(site.pages.require("publication_page")),
      print_(site.pages.require("publication_print")),
      delivered_(site.pages.require("publication_delivered")),
      admin_(site.pages.require("publication_admin")),
      form_(site.pages.require("publication_form")),
      delivery_form_(site.pages.require("publication_delivery_form")) {
}

Response PublicationPages::index(Request& request) const {
    publications::Filter filter{.kind = query(request, "kind"),
                                .process = query(request, "process"),
                                .page = 1,
                                .per_page = kPerPage};
    if (std::find(std::begin(kKinds), std::end(kKinds), filter.kind) == std::end(kKinds)) {
        filter.kind.clear();
    }
    std::optional<processes::Process> process;
    if (!filter.process.empty()) {
        process = site_.processes.find(filter.process);
        if (!process) {
            return error_page(site_, request, 404);
        }
    }
    const std::string page_text = query(request, "page");
    std::from_chars(page_text.data(), page_text.data() + page_text.size(), filter.page);
    const auto listing = publications::list_entries(publication_entries(site_), filter);

    mstch::array items;
    for (const auto& entry : listing.entries) {
        items.push_back(entry_data(site_, request, entry));
    }
    mstch::array kinds{select_option("", translate(site_, request, "Every kind"), filter.kind)};
    for (const auto kind : kKinds) {
        kinds.push_back(
            select_option(kind, translate(site_, request, kind_label(kind)), filter.kind));
    }
    auto href = [&](int page) {
        std::string out = "/publications?page=" + std::to_string(page);
        if (!filter.kind.empty()) {
            out += "&kind=" + percent_encode(filter.kind);
        }
        if (!filter.process.empty()) {
            out += "&process=" + percent_encode(filter.process);
        }
        return out;
    };
    mstch::map data{
        {"entries", std::move(items)},
        {"has_entries", !listing.entries.empty()},
        {"kinds", std::move(kinds)},
        {"processes",
         process_options(site_, filter.process, translate(site_, request, "Every process"))},
        {"is_filtered", !filter.kind.empty() || !filter.process.empty()},
        {"has_process", process.has_value()},
        {"process_name", process ? process->fields.name : std::string()},
        {"process_path", process ? "/processes/" + process->slug.value() : std::string()},
        {"page", std::to_string(listing.page)},
        {"pages", std::to_string(listing.pages)},
        {"has_pages", listing.pages > 1},
        {"has_previous", listing.page > 1},
        {"previous_href", href(listing.page - 1)},
        {"has_next", listing.page < listing.pages},
        {"next_href", href(listing.page + 1)},
        {"is_admin", request.visitor.role == "admin"},
    };
    return render(site_, request, index_, "Publications", std::move(data));
}

Response PublicationPages::item(Request& request) const {
    if (site_.publications == nullptr) {
        return error_page(site_, request, 503);
    }
    std::string slug(request.param("slug"));
    std::string format;
    for (const std::string_view suffix : {".pdf", ".md", ".txt"}) {
        if (slug.size() > suffix.size() && slug.ends_with(suffix)) {
            format = suffix.substr(1);
            slug.resize(slug.size() - suffix.size());
        }
    }
    const auto publication = site_.publications->find_published(slug);
    if (!publication) {
        return error_page(site_, request, 404);
    }
    if (!format.empty()) {
        return export_file(request, *publication, format);
    }
    std::optional<processes::Process> process;
    if (!publication->fields.process_slug.empty()) {
        process = site_.processes.find(publication->fields.process_slug);
    }
    mstch::array deliveries;
    for (const auto& delivery : site_.publications->deliveries(publication->id)) {
        deliveries.push_back(mstch::map{
            {"speaker", delivery.speaker},
            {"organisation", delivery.organisation_name},
            {"meeting", delivery.meeting},
            {"process_path",
             delivery.process_slug.empty() ? std::string() : "/processes/" + delivery.process_slug},
            {"date", processes::format_day(delivery.date, processes::DatePrecision::Day,
                                           language_of(request))},
            {"link", delivery.link}});
    }
    const auto& fields = publication->fields;
    const std::string path = publication_path(*publication);
    auto data = language_data(fields.language);
    data.emplace("title", fields.title);
    data.emplace("summary", fields.summary);
    data.emplace("kind_label", translate(site_, request, publications::label(fields.kind)));
    data.emplace("text_html", statement::render_markdown(fields.markdown));
    data.emplace("date", day_text(request, *publication->published_at));
    data.emplace("datetime", core::format_rfc3339(*publication->published_at));
    data.emplace("is_updated", publication->edited_at.has_value());
    data.emplace("updated", publication->edited_at ? day_text(request, *publication->edited_at)
                                                   : std::string());
    data.emplace("has_process", process.has_value());
    data.emplace("process_name", process ? process->fields.name : std::string());
    data.emplace("process_path", process ? "/processes/" + process->slug.value() : std::string());
    data.emplace("process_publications_path",
                 process ? "/publications?process=" + process->slug.value() : std::string());
    data.emplace("has_deliveries", !deliveries.empty());
    data.emplace("deliveries", std::move(deliveries));
    data.emplace("pdf_path", path + ".pdf");
    data.emplace("md_path", path + ".md");
    data.emplace("txt_path", path + ".txt");
    data.emplace("is_admin", request.visitor.role == "admin");
    data.emplace("edit_path", "/admin/publications/" + publication->slug.value() + "/edit");
    auto response = render(site_, request, page_, "Publication", std::move(data));
    return response;
}

Response PublicationPages::export_file(Request& request, const Publication& publication,
                                       std::string_view format) const {
    const std::string name = publication.slug.value();
    if (format == "md") {
        return file_download(markdown_export(publication), "text/markdown; charset=utf-8",
                             name + ".md");
    }
    if (format == "txt") {
        return file_download(publications::plain_text(markdown_export(publication)),
                             "text/plain; charset=utf-8", name + ".txt");
    }
    const std::string key = name + "|" + std::to_string(publication.revision) + "|" +
                            std::to_string(publication.published_at.value_or(0)) + "|" +
                            std::to_string(publication.edited_at.value_or(0));
    auto pdf = site_.pdf_downloads->get(key, [&] {
        const auto& fields = publication.fields;
        auto data = language_data(fields.language);
        data.emplace("title", fields.title);
        data.emplace("summary", fields.summary);
        data.emplace("site_name", site_.settings.name);
        data.emplace("url", site_.settings.base_url + publication_path(publication));
        data.emplace("kind_label",
                     site_.pages.translate(fields.language, publications::label(fields.kind)));
        data.emplace("date", processes::format_day(
                                 core::format_rfc3339(*publication.published_at).substr(0, 10),
                                 processes::DatePrecision::Day, fields.language));
        data.emplace("text_html", statement::render_markdown(fields.markdown));
        return site_.pages.templates().render(print_, mstch::node(std::move(data)),
                                              fields.language);
    });
    if (!pdf) {
        return error_page(site_, request, http_status(pdf.error().code));
    }
    return file_download(std::move(*pdf), "application/pdf", name + ".pdf");
}

Response PublicationPages::feed(Request&) const {
    const auto entries = publication_entries(site_);
    const std::string& base = site_.settings.base_url;
    atom::Feed feed{.id = base + "/publications/feed.atom",
                    .title = site_.settings.name + " — Publications",
                    .updated = 0,
                    .author = site_.settings.name,
                    .self = base + "/publications/feed.atom",
                    .link = base + "/publications",
                    .entries = {}};
    for (const auto& entry : entries) {
        feed.updated = std::max(feed.updated, entry.updated_at);
        if (feed.entries.size() < kPublicationFeedEntries) {
            feed.entries.push_back(atom::Entry{.id = base + entry.path,
                                               .title = entry.title,
                                               .updated = entry.updated_at,
                                               .link = base + entry.path,
                                               .author = {},
                                               .summary = entry.summary,
                                               .content = {}});
        }
    }
    return atom::response(feed);
}

namespace {

// The published joint responses a delivery may name (none while responses are not wired).
std::vector<publications::ResponseChoice> published_responses(const Site& site) {
    constexpr std::size_t kNewest = 500;
    std::vector<publications::ResponseChoice> out;
    if (site.responses == nullptr) {
        return out;
    }
    if (auto published = site.responses->published(kNewest)) {
        for (const auto& response : *published) {
            out.push_back({.slug = response.slug, .title = response.title});
        }
    }
    return out;
}

}  // namespace

Response PublicationPages::delivered(Request& request) const {
    if (site_.publications == nullptr) {
        return error_page(site_, request, 503);
    }
    mstch::array items;
    for (const auto& delivery : site_.publications->deliveries(std::nullopt)) {
        // Only what visitors may read: a withdrawn publication's deliveries are not listed.
        const auto publication = site_.publications->find_published(delivery.publication_slug);
        if (!publication) {
            continue;
        }
        items.push_back(mstch::map{
            {"speaker", delivery.speaker},
            {"organisation", delivery.organisation_name},
            {"meeting", delivery.meeting},
            {"process_path",
             delivery.process_slug.empty() ? std::string() : "/processes/" + delivery.process_slug},
            {"date", processes::format_day(delivery.date, processes::DatePrecision::Day,
                                           language_of(request))},
            {"link", delivery.link},
            {"title", delivery.publication_title},
            {"path", publication_path(*publication)},
            {"response_title", delivery.response_title},
            {"response_path", delivery.response_slug.empty()
                                  ? std::string()
                                  : "/responses/" + delivery.response_slug}});
    }
    mstch::map data{{"has_deliveries", !items.empty()},
                    {"deliveries", std::move(items)},
                    {"is_admin", request.visitor.role == "admin"}};
    return render(site_, request, delivered_, "Delivered statements", std::move(data));
}

Response PublicationPages::admin_index(Request& request) const {
    if (site_.publications == nullptr) {
        return error_page(site_, request, 503);
    }
    mstch::array items;
    for (const auto& publication : site_.publications->all()) {
        const std::string base = "/admin/publications/" + publication.slug.value();
        items.push_back(mstch::map{
            {"title", publication.fields.title},
            {"kind_label", translate(site_, request, publications::label(publication.fields.kind))},
            {"is_published", publication.is_published()},
            {"path", publication_path(publication)},
            {"edit_path", base + "/edit"},
            {"publish_action", base + "/publish"},
            {"unpublish_action", base + "/unpublish"},
            {"revision", std::to_string(publication.revision)},
            {"updated", day_text(request, publication.updated_at)}});
    }
    mstch::map data{{"has_publications", !items.empty()}, {"publications", std::move(items)}};
    return render(site_, request, admin_, "Publications", std::move(data), 200, HasForm::Yes);
}

Response PublicationPages::form_page(Request& request, const publications::PublicationDraft& draft,
                                     const std::vector<core::Error>& errors,
                                     const std::string& slug, int status) const {
    auto error = [&](std::string_view field) { return field_error(site_, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    const std::vector<Field> fields = {
        Field{.name = "kind", .label = label("Kind"), .error = error("kind"), .required = true},
        Field{.name = "title",
              .label = label("Title"),
              .value = draft.title,
              .error = error("title"),
              .required = true},
        Field{.name = "slug",
              .label = label("Slug (optional)"),
              .value = draft.slug,
              .hint = label("The address of the page, /publications/slug: lower-case letters, "
                            "digits and single hyphens. Leave it empty to make one."),
              .error = error("slug")},
        Field{.name = "language",
              .label = label("Language"),
              .error = error("language"),
              .required = true},
        Field{.name = "process", .label = label("Process (optional)"), .error = error("process")},
        Field{.name = "summary",
              .label = label("Summary (optional)"),
              .value = draft.summary,
              .hint = label("Plain text, shown in the list and the feed."),
              .error = error("summary"),
              .type = "textarea"},
        Field{.name = "markdown",
              .label = label("Text"),
              .value = draft.markdown,
              .hint = label("Markdown: **bold**, *italic*, [links](https://…), lists. No HTML."),
              .error = error("markdown"),
              .type = "textarea",
              .required = true},
    };
    auto data = form_data(fields);
    mstch::array kinds;
    for (const auto kind : publications::all_kinds()) {
        kinds.push_back(
            select_option(publications::id(kind), label(publications::label(kind)), draft.kind));
    }
    set_select_options(data, "kind", std::move(kinds));
    set_select_options(data, "language",
                       language_options(draft.language.empty() ? "en" : draft.language));
    set_select_options(data, "process", process_options(site_, draft.process, label("None")));
    const bool is_new = slug.empty();
    data.emplace("is_new", is_new);
    data.emplace("action",
                 is_new ? std::string("/admin/publications") : "/admin/publications/" + slug);
    if (!is_new && errors.empty()) {
        data.emplace("preview_html", statement::render_markdown(draft.markdown));
        mstch::array revisions;
        if (auto found = site_.publications->find(slug)) {
            for (const auto& revision : site_.publications->revisions(found->id)) {
                revisions.push_back(mstch::map{{"number", std::to_string(revision.number)},
                                               {"title", revision.title},
                                               {"actor", revision.actor},
                                               {"date", day_text(request, revision.saved_at)}});
            }
        }
        data.emplace("has_revisions", !revisions.empty());
        data.emplace("revisions", std::move(revisions));
    }
    return render(site_, request, form_, is_new ? "Write a publication" : "Edit a publication",
                  std::move(data), status, HasForm::Yes);
}

Response PublicationPages::new_publication(Request& request) const {
    if (site_.publications == nullptr) {
        return error_page(site_, request, 503);
    }
    publications::PublicationDraft draft;
    draft.kind = "news";
    draft.language = std::string(language_of(request));
    return form_page(request, draft, {}, "", 200);
}

Response PublicationPages::create(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor || site_.publications == nullptr) {
        return error_page(site_, request, actor ? 503 : 403);
    }
    const auto draft = publication_draft_from(request);
    std::vector<core::Error> errors;
    if (auto fields = publications::validate(draft); !fields) {
        errors = fields.errors();
    } else if (auto created = site_.publications->create(*actor, *fields); !created) {
        errors = {created.error()};
    } else {
        return Response::redirect_see_other("/admin/publications/" + created->slug.value() +
                                            "/edit");
    }
    return form_page(request, draft, errors, "", form_status(errors));
}

Response PublicationPages::edit(Request& request) const {
    if (site_.publications == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto found = site_.publications->find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    return form_page(request, found->to_draft(), {}, found->slug.value(), 200);
}

Response PublicationPages::update(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor || site_.publications == nullptr) {
        return error_page(site_, request, actor ? 503 : 403);
    }
    const auto found = site_.publications->find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    const auto draft = publication_draft_from(request);
    std::vector<core::Error> errors;
    if (auto fields = publications::validate(draft); !fields) {
        errors = fields.errors();
    } else if (auto updated = site_.publications->update(*actor, found->id, *fields); !updated) {
        if (updated.error().code == core::ErrorCode::NotFound) {
            return error_page(site_, request, 404);
        }
        errors = {updated.error()};
    } else {
        return Response::redirect_see_other("/admin/publications/" + updated->slug.value() +
                                            "/edit");
    }
    return form_page(request, draft, errors, found->slug.value(), form_status(errors));
}

Response PublicationPages::publish(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor || site_.publications == nullptr) {
        return error_page(site_, request, actor ? 503 : 403);
    }
    const auto found = site_.publications->find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    // Publishing twice (a double click) lands on the same page.
    (void)site_.publications->publish(*actor, found->id);
    return Response::redirect_see_other(publication_path(*found));
}

Response PublicationPages::unpublish(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor || site_.publications == nullptr) {
        return error_page(site_, request, actor ? 503 : 403);
    }
    const auto found = site_.publications->find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    (void)site_.publications->unpublish(*actor, found->id);
    return Response::redirect_see_other("/admin/publications");
}

Response PublicationPages::delivery_page(Request& request, const publications::DeliveryDraft& draft,
                                         const std::vector<core::Error>& errors, int status) const {
    auto error = [&](std::string_view field) { return field_error(site_, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    const std::vector<Field> fields = {
        Field{.name = "publication",
              .label = label("Text delivered"),
              .error = error("publication"),
              .required = true},
        Field{.name = "response",
              .label = label("Joint response it carried (optional)"),
              .error = error("response")},
        Field{.name = "speaker",
              .label = label("Speaker"),
              .value = draft.speaker,
              .error = error("speaker"),
              .required = true},
        Field{.name = "organisation",
              .label = label("Organisation (optional)"),
              .error = error("organisation")},
        Field{.name = "milestone", .label = label("Meeting"), .error = error("milestone")},
        Field{.name = "meeting",
              .label = label("Or name the meeting"),
              .value = draft.meeting,
              .error = error("meeting")},
        Field{.name = "date",
              .label = label("Date"),
              .value = draft.date,
              .hint = label("YYYY-MM-DD"),
              .error = error("date"),
              .type = "date",
              .required = true},
        Field{.name = "link",
              .label = label("Recording or transcript (optional)"),
              .value = draft.link,
              .error = error("link"),
              .type = "url"},
    };
    auto data = form_data(fields);
    mstch::array texts;
    for (const auto& publication : site_.publications->all()) {
        texts.push_back(
            select_option(publication.slug.value(), publication.fields.title, draft.publication));
    }
    set_select_options(data, "publication", std::move(texts));
    mstch::array responses{select_option("", label("None"), draft.response)};
    for (const auto& response : published_responses(site_)) {
        responses.push_back(select_option(response.slug, response.title, draft.response));
    }
    set_select_options(data, "response", std::move(responses));
    mstch::array organisations{select_option("", label("None"), draft.organisation)};
    for (const auto* organisation :
         site_.organisations.directory()->list({}, language_of(request))) {
        organisations.push_back(
            select_option(organisation->slug.value(), organisation->name, draft.organisation));
    }
    set_select_options(data, "organisation", std::move(organisations));
    mstch::array meetings{select_option("", label("Not in the process tracker"), draft.milestone)};
    for (const auto& process : site_.processes.list()) {
        for (const auto& milestone : process.milestones) {
            const auto& name =
                process.fields.short_name.empty() ? process.fields.name : process.fields.short_name;
            meetings.push_back(select_option(std::to_string(milestone.id.value()),
                                             name + ": " + milestone.fields.title,
                                             draft.milestone));
        }
    }
    set_select_options(data, "milestone", std::move(meetings));
    return render(site_, request, delivery_form_, "Record a delivered statement", std::move(data),
                  status, HasForm::Yes);
}

Response PublicationPages::new_delivery(Request& request) const {
    if (site_.publications == nullptr) {
        return error_page(site_, request, 503);
    }
    publications::DeliveryDraft draft;
    draft.publication = query(request, "publication");
    return delivery_page(request, draft, {}, 200);
}

Response PublicationPages::create_delivery(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor || site_.publications == nullptr) {
        return error_page(site_, request, actor ? 503 : 403);
    }
    const publications::DeliveryDraft draft{.publication = form_value(request, "publication"),
                                            .speaker = form_value(request, "speaker"),
                                            .organisation = form_value(request, "organisation"),
                                            .milestone = form_value(request, "milestone"),
                                            .meeting = form_value(request, "meeting"),
                                            .date = form_value(request, "date"),
                                            .link = form_value(request, "link"),
                                            .response = form_value(request, "response")};
    std::vector<core::Error> errors;
    if (auto delivery = site_.publications->validate_delivery(draft, published_responses(site_));
        !delivery) {
        errors = delivery.errors();
    } else if (auto recorded = site_.publications->record_delivery(*actor, *delivery); !recorded) {
        errors = {recorded.error()};
    } else {
        return Response::redirect_see_other("/publications/delivered");
    }
    return delivery_page(request, draft, errors, form_status(errors));
}

}  // namespace coalition::web
