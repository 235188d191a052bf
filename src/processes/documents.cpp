// Documents and revisions: kinds, validation and the Processes services that store them
// (documents.hpp, processes.hpp).

#include "processes/documents.hpp"

#include "core/names.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "processes/changes.hpp"
#include "processes/document_store.hpp"
#include "processes/process_store.hpp"
#include "processes/processes.hpp"

#include <array>
#include <utility>

namespace coalition::processes {
namespace {

constexpr std::array<std::pair<DocumentKind, std::string_view>, 5> kDocumentKinds = {
    {{DocumentKind::Draft, "draft"},
     {DocumentKind::Outcome, "outcome"},
     {DocumentKind::ElementsPaper, "elements-paper"},
     {DocumentKind::Report, "report"},
     {DocumentKind::Other, "other"}}};

core::Error invalid(std::string_view message, std::string field) {
    return core::Error::invalid(std::string(message), std::move(field));
}

// One line of text, trimmed and NFC; `required` names what is missing when empty.
core::Result<std::string> one_line(std::string_view input, const std::string& field,
                                   std::size_t max_characters, std::string_view required) {
    if (input.size() > max_characters * 4 + 1024) {
        return invalid("Use at most " + std::to_string(max_characters) + " characters.", field);
    }
    if (!core::is_valid_utf8(input)) {
        return invalid(i18n::gettext_noop("This text is not valid UTF-8."), field);
    }
    if (core::has_control_characters(input) || input.find_first_of("\t\r\n") != input.npos) {
        return invalid(i18n::gettext_noop("Use one line of text without control characters."),
                       field);
    }
    std::string text = core::to_nfc(core::trim(input));
    if (core::character_count(text) > max_characters) {
        return invalid("Use at most " + std::to_string(max_characters) + " characters.", field);
    }
    if (text.empty() && !required.empty()) {
        return invalid(required, field);
    }
    return text;
}

// The text of a revision: no byte order mark, LF line breaks, NFC, trimmed.
core::Result<std::string> revision_text(std::string_view input) {
    const std::string field = "text";
    if (input.size() > kMaxRevisionBytes) {
        return invalid(i18n::gettext_noop("The text is too large: at most 1 MB."), field);
    }
    if (!core::is_valid_utf8(input)) {
        return invalid(i18n::gettext_noop("This text is not valid UTF-8."), field);
    }
    if (input.starts_with("\xEF\xBB\xBF")) {
        input.remove_prefix(3);
    }
    if (core::has_control_characters(input)) {
        return invalid(i18n::gettext_noop("Remove the control characters from this text."), field);
    }
    std::string lines;
    lines.reserve(input.size());
    for (std::size_t idx = 0; idx < input.size(); ++idx) {
        if (input[idx] == '\r') {
            lines += '\n';
            if (idx + 1 < input.size() && input[idx + 1] == '\n') {
                ++idx;
            }
        } else {
            lines += input[idx];
        }
    }
    std::string text = core::to_nfc(core::trim(lines));
    if (text.empty()) {
        return invalid(i18n::gettext_noop("Paste the text or choose a file."), field);
    }
    if (text.size() > kMaxRevisionBytes) {
        return invalid(i18n::gettext_noop("The text is too large: at most 1 MB."), field);
    }
    return text;
}

template <typename T>
void take(core::Result<T> result, T& into, accounts::FieldErrors& errors) {
    if (result) {
        into = std::move(*result);
    } else {
        errors.push_back(result.error());
    }
}

core::Error document_slug_conflict() {
    return core::Error::conflict("Another document of this process already has this slug.", "slug");
}

}  // namespace

std::string_view id(DocumentKind kind) {
    return core::name_of(kDocumentKinds, kind);
}

std::string_view id(TextFormat format) {
    return format == TextFormat::Markdown ? "markdown" : "text";
}

std::string_view label(DocumentKind kind) {
    switch (kind) {
        case DocumentKind::Draft:
            return i18n::gettext_noop("Draft");
        case DocumentKind::Outcome:
            return i18n::gettext_noop("Outcome document");
        case DocumentKind::ElementsPaper:
            return i18n::gettext_noop("Elements paper");
        case DocumentKind::Report:
            return i18n::gettext_noop("Report");
        case DocumentKind::Other:
            return i18n::gettext_noop("Other document");
    }
    return "";
}

std::string_view label(TextFormat format) {
    return format == TextFormat::Markdown ? i18n::gettext_noop("Markdown")
                                          : i18n::gettext_noop("Plain text");
}

std::optional<DocumentKind> parse_document_kind(std::string_view text) {
    return core::value_of(kDocumentKinds, text);
}

std::optional<TextFormat> parse_text_format(std::string_view text) {
    if (text == "text") {
        return TextFormat::PlainText;
    }
    if (text == "markdown") {
        return TextFormat::Markdown;
    }
    return std::nullopt;
}

std::vector<DocumentKind> all_document_kinds() {
    std::vector<DocumentKind> out;
    out.reserve(std::size(kDocumentKinds));
    for (const auto& entry : kDocumentKinds) {
        out.push_back(entry.first);
    }
    return out;
}

accounts::Validated<DocumentFields> validate(const DocumentDraft& draft) {
    accounts::FieldErrors errors;
    DocumentFields fields;
    take(one_line(draft.title, "title", kMaxDocumentTitleCharacters,
                  i18n::gettext_noop("Give the document a title.")),
         fields.title, errors);
    if (!draft.slug.empty()) {
        if (auto slug = accounts::Slug::parse(draft.slug)) {
            fields.slug = *slug;
        } else {
            errors.push_back(invalid(
                i18n::gettext_noop("Use lower-case letters, digits and hyphens for the slug."),
                "slug"));
        }
    }
    if (const auto kind = parse_document_kind(draft.kind)) {
        fields.kind = *kind;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Choose a kind of document."), "kind"));
    }
    std::string url;
    take(one_line(draft.url, "url", kMaxUrlCharacters, ""), url, errors);
    if (!url.empty() && !is_http_url(url)) {
        errors.push_back(invalid(
            i18n::gettext_noop("Give an address starting with https:// or http://."), "url"));
    }
    fields.url = url;
    if (!errors.empty()) {
        return errors;
    }
    return fields;
}

accounts::Validated<RevisionFields> validate(const RevisionDraft& draft) {
    accounts::FieldErrors errors;
    RevisionFields fields;
    take(one_line(draft.label, "label", kMaxRevisionLabelCharacters,
                  i18n::gettext_noop("Give the revision a label, such as Rev.1.")),
         fields.label, errors);
    const std::string issued_on = core::trim(draft.issued_on);
    if (issued_on.empty()) {
        errors.push_back(
            invalid(i18n::gettext_noop("Give the date of this revision."), "issued_on"));
    } else if (auto date = Moment::date(issued_on, "issued_on")) {
        fields.issued_on = date->date();
    } else {
        errors.push_back(date.error());
    }
    if (const auto format = parse_text_format(draft.format.empty() ? "text" : draft.format)) {
        fields.format = *format;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Choose plain text or Markdown."), "format"));
    }
    take(revision_text(draft.text), fields.text, errors);
    if (!errors.empty()) {
        return errors;
    }
    return fields;
}

const Revision* Document::revision(int number) const {
    for (const auto& revision : revisions) {
        if (revision.number == number) {
            return &revision;
        }
    }
    return nullptr;
}

core::Result<Document> Processes::add_document(const accounts::Actor& actor, ProcessId process_id,
                                               const DocumentFields& fields) {
    const std::int64_t now = clock_.unix_now();
    auto created = run_transaction<DocumentId>(
        database_, document_slug_conflict(), [&](store::Connection& connection) {
            if (!process_store::find_process(connection, process_id)) {
                throw Rejection(core::Error::not_found("There is no such process."));
            }
            accounts::Slug slug = fields.slug.value_or(accounts::Slug::derive(fields.title));
            if (fields.slug) {
                if (document_store::is_slug_taken(connection, process_id, slug.value())) {
                    throw Rejection(document_slug_conflict());
                }
            } else {
                const auto base = slug;
                for (int suffix = 2;
                     document_store::is_slug_taken(connection, process_id, slug.value());
                     ++suffix) {
                    slug = base.with_suffix(suffix);
                }
            }
            const auto document_id =
                document_store::insert_document(connection, process_id, slug, fields, now);
            record(connection, now, actor, "document.create", process_id, std::nullopt,
                   fields.title, nlohmann::json::object(),
                   "document:" + std::to_string(document_id.value()), document_id);
            return document_id;
        });
    if (!created) {
        return created.error();
    }
    return *find_document_by_id(*created);
}

core::Result<Revision> Processes::add_revision(const accounts::Actor& actor, DocumentId document_id,
                                               const RevisionFields& fields) {
    const std::int64_t now = clock_.unix_now();
    return run_transaction<Revision>(
        database_, core::Error::conflict("Another revision was added meanwhile; try again."),
        [&](store::Connection& connection) {
            const auto document = document_store::find_document(connection, document_id);
            if (!document) {
                throw Rejection(core::Error::not_found("There is no such document."));
            }
            auto revision = document_store::insert_revision(connection, document_id, fields, now);
            record(connection, now, actor, "document.revision", document->process_id, std::nullopt,
                   document->fields.title + ": " + fields.label,
                   nlohmann::json{{"revision", {"", fields.label}}},
                   "document:" + std::to_string(document_id.value()), document_id);
            return revision;
        });
}

core::Result<Document> Processes::ensure_document(const accounts::Actor& actor,
                                                  ProcessId process_id,
                                                  const DocumentFields& fields) {
    COALITION_ASSERT(fields.slug.has_value(), "Processes::ensure_document needs a slug");
    if (auto current = find_document(process_id, fields.slug->value())) {
        return std::move(*current);
    }
    return add_document(actor, process_id, fields);
}

core::Result<Revision> Processes::ensure_revision(const accounts::Actor& actor,
                                                  DocumentId document_id,
                                                  const RevisionFields& fields) {
    const auto number = document_store::revision_with_label(database_, document_id, fields.label);
    if (number) {
        return *find_revision(document_id, *number);
    }
    return add_revision(actor, document_id, fields);
}

std::vector<Document> Processes::documents(ProcessId process_id) const {
    auto documents = document_store::documents_of(database_, process_id);
    for (auto& document : documents) {
        document.revisions = document_store::revisions_of(database_, document.id);
    }
    return documents;
}

std::optional<Document> Processes::find_document(ProcessId process_id,
                                                 std::string_view slug) const {
    auto document = document_store::find_document(database_, process_id, std::string(slug));
    if (document) {
        document->revisions = document_store::revisions_of(database_, document->id);
    }
    return document;
}

std::optional<Document> Processes::find_document_by_id(DocumentId document_id) const {
    auto document = document_store::find_document(database_, document_id);
    if (document) {
        document->revisions = document_store::revisions_of(database_, document->id);
    }
    return document;
}

std::optional<Revision> Processes::find_revision(DocumentId document_id, int number) const {
    return document_store::find_revision(database_, document_id, number);
}

}  // namespace coalition::processes
