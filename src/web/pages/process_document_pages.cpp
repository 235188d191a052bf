#include "web/pages/process_document_pages.hpp"

#include "core/text.hpp"
#include "texts/texts.hpp"
#include "web/csrf.hpp"
#include "web/multipart.hpp"
#include "web/page.hpp"
#include "web/pages/process_pages.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

using processes::Document;
using processes::Process;
using processes::Revision;

struct Context {
    Process process;
    Document document;
};

std::string document_path(const Context& context) {
    return process_path(context.process) + "/documents/" + context.document.slug.value();
}

std::string revision_path(const Context& context, int number) {
    return document_path(context) + "/revisions/" + std::to_string(number);
}

std::string compare_path(const Context& context, int from, int to) {
    return document_path(context) + "/compare?from=" + std::to_string(from) +
           "&to=" + std::to_string(to);
}

std::string admin_document_path(const Context& context) {
    return "/admin/processes/" + context.process.slug.value() + "/documents/" +
           context.document.slug.value();
}

std::optional<Context> find_context(const Site& site, const Request& request,
                                    std::string_view process_param = "slug") {
    auto process = site.processes.find(request.param(process_param));
    if (!process) {
        return std::nullopt;
    }
    auto document = site.processes.find_document(process->id, request.param("doc"));
    if (!document) {
        return std::nullopt;
    }
    return Context{.process = std::move(*process), .document = std::move(*document)};
}

texts::ComparisonLabels comparison_labels(const Site& site, const Request& request) {
    auto t = [&](std::string_view msgid) { return translate(site, request, msgid); };
    texts::ComparisonLabels labels;
    labels.marks.inserted = t("inserted");
    labels.marks.deleted = t("deleted");
    labels.unchanged = t("Unchanged");
    labels.changed = t("Changed");
    labels.added = t("Added");
    labels.removed = t("Removed");
    labels.moved = t("Moved");
    labels.split = t("Split");
    labels.merged = t("Merged");
    labels.moved_too = t("moved");
    labels.was = t("was");
    labels.paragraph = t("Paragraph");
    return labels;
}

mstch::map revision_item(const Site& site, const Request& request, const Context& context,
                         const Revision& revision) {
    mstch::map item{
        {"number", std::to_string(revision.number)},
        {"label", revision.fields.label},
        {"issued_on", revision.fields.issued_on},
        {"format", translate(site, request, processes::label(revision.fields.format))},
        {"path", revision_path(context, revision.number)},
    };
    if (revision.number > 1) {
        item.emplace("compare_path", compare_path(context, revision.number - 1, revision.number));
    }
    return item;
}

// The row's anchor on the comparison page: the new paragraph's, or "was-" + the old one's.
std::string row_anchor(const texts::Comparison& comparison, const texts::AlignedParagraph& row) {
    if (!row.after.empty()) {
        return comparison.after[row.after.front()].anchor;
    }
    return "was-" + comparison.before[row.before.front()].anchor;
}

std::string row_html(const texts::AlignedParagraph& row, const texts::ComparisonLabels& labels) {
    return texts::diff_to_html(row.diff, labels.marks);
}

constexpr std::string_view kExportStyle =
    "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#0b0c0c}"
    ".visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;"
    "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}"
    "ins{background:#e6f4ea;text-decoration:underline;text-decoration-thickness:2px}"
    "del{background:#fde8e8;text-decoration:line-through}"
    ".row{border-left:4px solid #b1b4b6;padding:.25rem .75rem;margin:1rem 0}"
    ".row-changed,.row-split,.row-merged{border-color:#1d70b8}.row-added{border-color:#00703c}"
    ".row-removed{border-color:#d4351c}.row-moved{border-color:#f47738}"
    ".row-label{font-weight:bold;margin:0}.row-text{white-space:pre-line;margin:.25rem 0}";

std::string export_html(const Context& context, const Revision& from, const Revision& to,
                        const texts::Comparison& comparison, const texts::ComparisonLabels& labels,
                        const std::string& language, const std::string& heading,
                        const std::string& source_url) {
    using core::escape_html;
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"" + escape_html(language) +
        "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape_html(heading) +
        "</title>\n<style>" + std::string(kExportStyle) + "</style>\n</head>\n<body>\n<h1>" +
        escape_html(heading) + "</h1>\n<p>" + escape_html(context.process.fields.name) + " · " +
        escape_html(from.fields.label) + " (" + escape_html(from.fields.issued_on) + ") → " +
        escape_html(to.fields.label) + " (" + escape_html(to.fields.issued_on) + ")<br><a href=\"" +
        escape_html(source_url) + "\">" + escape_html(source_url) + "</a></p>\n";
    for (const auto& row : comparison.rows) {
        const std::string numbers = texts::row_numbers(comparison, row, labels);
        html += "<section class=\"row row-" + std::string(texts::id(row.change)) + "\" id=\"" +
                escape_html(row_anchor(comparison, row)) + "\">\n<p class=\"row-label\">[" +
                escape_html(texts::row_label(row, labels)) + "]" +
                (numbers.empty() ? "" : " " + escape_html(numbers)) +
                "</p>\n<p class=\"row-text\">" + row_html(row, labels) + "</p>\n</section>\n";
    }
    html += "</body>\n</html>\n";
    return html;
}

mstch::map document_form_data(const Site& site, const Request& request,
                              const processes::DocumentDraft& draft,
                              const std::vector<core::Error>& errors) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    auto data = form_data({
        Field{.name = "title",
              .label = label("Title"),
              .value = draft.title,
              .error = error("title"),
              .required = true},
        Field{.name = "kind", .label = label("Kind"), .error = error("kind"), .required = true},
        Field{.name = "url",
              .label = label("Where it is published (optional)"),
              .value = draft.url,
              .hint = label("An address starting with https://."),
              .error = error("url"),
              .type = "url"},
        Field{.name = "slug",
              .label = label("Short name in the address (optional)"),
              .value = draft.slug,
              .hint = label("Lower-case letters, digits and hyphens; made from the title when "
                            "empty."),
              .error = error("slug")},
    });
    mstch::array kinds;
    for (const auto kind : processes::all_document_kinds()) {
        kinds.push_back(select_option(processes::id(kind), label(processes::label(kind)),
                                      draft.kind.empty() ? "draft" : draft.kind));
    }
    set_select_options(data, "kind", std::move(kinds));
    return data;
}

mstch::map revision_form_data(const Site& site, const Request& request,
                              const processes::RevisionDraft& draft,
                              const std::vector<core::Error>& errors) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    auto data = form_data({
        Field{.name = "label",
              .label = label("Label"),
              .value = draft.label,
              .hint = label("As the document names itself: Zero draft, Rev.1, Rev.2…"),
              .error = error("label"),
              .required = true},
        Field{.name = "issued_on",
              .label = label("Date of the revision"),
              .value = draft.issued_on,
              .hint = label("YYYY-MM-DD."),
              .error = error("issued_on"),
              .type = "date",
              .required = true},
        Field{.name = "format", .label = label("Format"), .error = error("format")},
        Field{.name = "file",
              .label = label("Upload a text or Markdown file"),
              .hint = label("UTF-8, at most 1 MB. Or paste the text below."),
              .error = error("file"),
              .type = "file"},
        Field{.name = "text",
              .label = label("Or paste the text"),
              .value = draft.text,
              .hint = label("Keep the paragraph numbers (1., 12 bis., (a), OP3) and a blank "
                            "line between paragraphs."),
              .error = error("text"),
              .type = "textarea"},
    });
    const std::string format = draft.format.empty() ? "text" : draft.format;
    set_select_options(data, "format",
                       mstch::array{select_option("text", label("Plain text"), format),
                                    select_option("markdown", label("Markdown"), format)});
    return data;
}

}  // namespace

mstch::map process_documents_data(const Site& site, const Request& request,
                                  const processes::Process& process) {
    mstch::array items;
    const auto documents = site.processes.documents(process.id);
    for (const auto& document : documents) {
        const Context context{.process = process, .document = document};
        mstch::map item{
            {"title", document.fields.title},
            {"kind_label", translate(site, request, processes::label(document.fields.kind))},
            {"path", document_path(context)},
            {"url", document.fields.url},
            {"revision_count", std::to_string(document.revisions.size())},
        };
        if (!document.revisions.empty()) {
            const auto& latest = document.revisions.back();
            item.emplace("latest", revision_item(site, request, context, latest));
        }
        items.push_back(std::move(item));
    }
    return mstch::map{
        {"documents", std::move(items)},
        {"has_documents", !documents.empty()},
        {"can_add_document", may_edit_processes(request)},
        {"add_document_path", "/admin/processes/" + process.slug.value() + "/documents/new"}};
}

ProcessDocumentPages::ProcessDocumentPages(Site& site)
    : site_(site),
      document_(site.pages.require("process_document")),
      revision_(site.pages.require("process_document_revision")),
      compare_(site.pages.require("process_document_compare")),
      document_form_(site.pages.require("process_document_form")),
      revision_form_(site.pages.require("process_document_revision_form")) {
}

Response ProcessDocumentPages::document(Request& request) const {
    const auto context = find_context(site_, request);
    if (!context) {
        return error_page(site_, request, 404);
    }
    mstch::array revisions;
    for (auto it = context->document.revisions.rbegin(); it != context->document.revisions.rend();
         ++it) {
        revisions.push_back(revision_item(site_, request, *context, *it));
    }
    mstch::map data{
        {"process_name", context->process.fields.name},
        {"process_path", process_path(context->process)},
        {"title", context->document.fields.title},
        {"kind_label", translate(site_, request, processes::label(context->document.fields.kind))},
        {"url", context->document.fields.url},
        {"revisions", std::move(revisions)},
        {"has_revisions", !context->document.revisions.empty()},
        {"can_edit", may_edit_processes(request)},
        {"add_revision_path", admin_document_path(*context) + "/revisions/new"},
    };
    return render(site_, request, document_, context->document.fields.title, std::move(data));
}

Response ProcessDocumentPages::revision(Request& request) const {
    const auto context = find_context(site_, request);
    const auto number = positive_int(request.param("number"));
    const auto revision = context && number
                              ? site_.processes.find_revision(context->document.id, *number)
                              : std::nullopt;
    if (!revision) {
        return error_page(site_, request, 404);
    }
    mstch::array paragraphs;
    for (const auto& paragraph : texts::split_paragraphs(revision->fields.text)) {
        paragraphs.push_back(mstch::map{
            {"anchor", paragraph.anchor}, {"number", paragraph.number}, {"body", paragraph.body}});
    }
    mstch::map data{
        {"process_name", context->process.fields.name},
        {"process_path", process_path(context->process)},
        {"document_title", context->document.fields.title},
        {"document_path", document_path(*context)},
        {"revision", revision_item(site_, request, *context, *revision)},
        {"paragraphs", std::move(paragraphs)},
    };
    return render(site_, request, revision_,
                  context->document.fields.title + " — " + revision->fields.label, std::move(data));
}

Response ProcessDocumentPages::compare(Request& request) const {
    const auto context = find_context(site_, request);
    if (!context) {
        return error_page(site_, request, 404);
    }
    const auto& revisions = context->document.revisions;
    const int last = revisions.empty() ? 0 : revisions.back().number;
    const auto to_text = request.query_value("to");
    const auto to = to_text ? positive_int(*to_text) : std::optional<int>(last);
    const auto from_text = request.query_value("from");
    const auto from =
        from_text ? positive_int(*from_text) : (to ? std::optional<int>(*to - 1) : std::nullopt);
    const auto older =
        from ? site_.processes.find_revision(context->document.id, *from) : std::nullopt;
    const auto newer = to ? site_.processes.find_revision(context->document.id, *to) : std::nullopt;
    if (!older || !newer) {
        return error_page(site_, request, 404);
    }
    const auto comparison = texts::compare(older->fields.text, newer->fields.text);
    const auto labels = comparison_labels(site_, request);
    const std::string heading =
        context->document.fields.title + ": " + older->fields.label + " → " + newer->fields.label;
    const std::string source = site_.settings.base_url + compare_path(*context, *from, *to);
    const std::string filename = context->process.slug.value() + "-" +
                                 context->document.slug.value() + "-" + std::to_string(*from) +
                                 "-" + std::to_string(*to);
    const auto format = request.query_value("format");
    if (format == "md") {
        std::string markdown =
            "# " + texts::escape_markdown(heading) + "\n\n" +
            texts::escape_markdown(context->process.fields.name) + " · " +
            texts::escape_markdown(older->fields.label) + " (" + older->fields.issued_on + ") → " +
            texts::escape_markdown(newer->fields.label) + " (" + newer->fields.issued_on +
            ")  \n<" + source + ">\n\n" + texts::comparison_to_markdown(comparison, labels);
        return file_download(std::move(markdown), "text/markdown; charset=utf-8", filename + ".md");
    }
    if (format == "html") {
        return file_download(export_html(*context, *older, *newer, comparison, labels,
                                         std::string(language_of(request)), heading, source),
                             "text/html; charset=utf-8", filename + ".html");
    }
    mstch::array rows;
    for (const auto& row : comparison.rows) {
        rows.push_back(mstch::map{
            {"anchor", row_anchor(comparison, row)},
            {"change", std::string(texts::id(row.change))},
            {"label", texts::row_label(row, labels)},
            {"numbers", texts::row_numbers(comparison, row, labels)},
            {"diff_html", row_html(row, labels)},
        });
    }
    mstch::array from_options;
    mstch::array to_options;
    for (const auto& revision : revisions) {
        const std::string number = std::to_string(revision.number);
        from_options.push_back(select_option(number, revision.fields.label, std::to_string(*from)));
        to_options.push_back(select_option(number, revision.fields.label, std::to_string(*to)));
    }
    const auto& counts = comparison.counts;
    auto count = [](std::size_t value) { return std::to_string(value); };
    mstch::map data{
        {"process_name", context->process.fields.name},
        {"process_path", process_path(context->process)},
        {"document_title", context->document.fields.title},
        {"document_path", document_path(*context)},
        {"compare_action", document_path(*context) + "/compare"},
        {"from", revision_item(site_, request, *context, *older)},
        {"to", revision_item(site_, request, *context, *newer)},
        {"from_options", std::move(from_options)},
        {"to_options", std::move(to_options)},
        {"rows", std::move(rows)},
        {"markdown_path", compare_path(*context, *from, *to) + "&format=md"},
        {"html_path", compare_path(*context, *from, *to) + "&format=html"},
        {"counts", mstch::map{{"unchanged", count(counts.unchanged)},
                              {"changed", count(counts.changed)},
                              {"added", count(counts.added)},
                              {"removed", count(counts.removed)},
                              {"moved", count(counts.moved)},
                              {"split", count(counts.split)},
                              {"merged", count(counts.merged)}}},
    };
    return render(site_, request, compare_, heading, std::move(data));
}

Response ProcessDocumentPages::new_document(Request& request) const {
    const auto process = site_.processes.find(request.param("slug"));
    if (!process) {
        return error_page(site_, request, 404);
    }
    auto data = document_form_data(site_, request, processes::DocumentDraft{}, {});
    data.emplace("process_name", process->fields.name);
    data.emplace("process_path", process_path(*process));
    data.emplace("action", "/admin/processes/" + process->slug.value() + "/documents");
    return render(site_, request, document_form_, "Add a document", std::move(data), 200,
                  HasForm::Yes);
}

Response ProcessDocumentPages::create_document(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto process = site_.processes.find(request.param("slug"));
    if (!process) {
        return error_page(site_, request, 404);
    }
    const auto& form = request.form();
    const processes::DocumentDraft draft{
        .title = form ? form->value("title") : "",
        .slug = form ? form->value("slug") : "",
        .kind = form ? form->value("kind") : "",
        .url = form ? form->value("url") : "",
    };
    std::vector<core::Error> errors;
    if (auto fields = processes::validate(draft); !fields) {
        errors = fields.errors();
    } else if (auto added = site_.processes.add_document(*actor, process->id, *fields); !added) {
        errors = {added.error()};
    } else {
        return Response::redirect_see_other(process_path(*process) + "/documents/" +
                                            added->slug.value());
    }
    auto data = document_form_data(site_, request, draft, errors);
    data.emplace("process_name", process->fields.name);
    data.emplace("process_path", process_path(*process));
    data.emplace("action", "/admin/processes/" + process->slug.value() + "/documents");
    return render(site_, request, document_form_, "Add a document", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response ProcessDocumentPages::new_revision(Request& request) const {
    const auto context = find_context(site_, request);
    if (!context) {
        return error_page(site_, request, 404);
    }
    auto data = revision_form_data(site_, request, processes::RevisionDraft{}, {});
    data.emplace("process_name", context->process.fields.name);
    data.emplace("process_path", process_path(context->process));
    data.emplace("document_title", context->document.fields.title);
    data.emplace("document_path", document_path(*context));
    data.emplace("action", admin_document_path(*context) + "/revisions");
    return render(site_, request, revision_form_, "Add a revision", std::move(data), 200,
                  HasForm::Yes);
}

Response ProcessDocumentPages::create_revision(Request& request) const {
    const auto form = parse_any_form(request);
    // The router leaves this route's CSRF check to us: multipart bodies are not its forms.
    if (!form || !csrf::verify(request.visitor, site_.settings.site_secret,
                               form->fields.value(csrf::kFieldName))) {
        return error_page(site_, request, 403);
    }
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto context = find_context(site_, request);
    if (!context) {
        return error_page(site_, request, 404);
    }
    processes::RevisionDraft draft{.label = form->fields.value("label"),
                                   .issued_on = form->fields.value("issued_on"),
                                   .format = form->fields.value("format"),
                                   .text = form->fields.value("text")};
    for (const auto& file : form->files) {
        if (file.field == "file" && !file.bytes.empty()) {
            draft.text = file.bytes;
            if (draft.format.empty() &&
                (file.filename.ends_with(".md") || file.filename.ends_with(".markdown"))) {
                draft.format = "markdown";
            }
        }
    }
    std::vector<core::Error> errors;
    if (auto fields = processes::validate(draft); !fields) {
        errors = fields.errors();
    } else if (auto added = site_.processes.add_revision(*actor, context->document.id, *fields);
               !added) {
        errors = {added.error()};
    } else {
        return Response::redirect_see_other(
            added->number > 1 ? compare_path(*context, added->number - 1, added->number)
                              : revision_path(*context, added->number));
    }
    // An uploaded file that was refused is not echoed back into the text area.
    if (!core::is_valid_utf8(draft.text) || core::has_control_characters(draft.text) ||
        draft.text.size() > processes::kMaxRevisionBytes) {
        draft.text.clear();
    }
    auto data = revision_form_data(site_, request, draft, errors);
    data.emplace("process_name", context->process.fields.name);
    data.emplace("process_path", process_path(context->process));
    data.emplace("document_title", context->document.fields.title);
    data.emplace("document_path", document_path(*context));
    data.emplace("action", admin_document_path(*context) + "/revisions");
    return render(site_, request, revision_form_, "Add a revision", std::move(data),
                  form_status(errors), HasForm::Yes);
}

}  // namespace coalition::web
