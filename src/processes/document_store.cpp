#include "processes/document_store.hpp"

namespace coalition::processes::document_store {
namespace {

constexpr std::string_view kDocumentColumns =
    "SELECT id, process_id, slug, title, kind, url, created_at, updated_at "
    "FROM process_documents ";

Document document_from(const store::Row& row) {
    auto slug = accounts::Slug::parse(row.text(2));
    COALITION_ASSERT(slug.has_value(), "a stored document slug is valid");
    Document document{.id = DocumentId(row.integer(0)),
                      .process_id = ProcessId(row.integer(1)),
                      .slug = *slug,
                      .fields = {},
                      .created_at = row.integer(6),
                      .updated_at = row.integer(7),
                      .revisions = {}};
    document.fields.title = row.text(3);
    document.fields.slug = *slug;
    document.fields.kind = parse_document_kind(row.text(4)).value_or(DocumentKind::Other);
    document.fields.url = row.text(5);
    return document;
}

// Columns: id, document_id, number, label, issued_on, format, created_at[, body].
Revision revision_from(const store::Row& row, bool with_text) {
    Revision revision;
    revision.id = RevisionId(row.integer(0));
    revision.document_id = DocumentId(row.integer(1));
    revision.number = static_cast<int>(row.integer(2));
    revision.fields.label = row.text(3);
    revision.fields.issued_on = row.text(4);
    revision.fields.format = parse_text_format(row.text(5)).value_or(TextFormat::PlainText);
    revision.created_at = row.integer(6);
    if (with_text) {
        revision.fields.text = row.text(7);
    }
    return revision;
}

}  // namespace

bool is_slug_taken(store::Connection& connection, ProcessId process_id, const std::string& slug) {
    return connection
        .query_one("SELECT 1 FROM process_documents WHERE process_id = $1 AND slug = $2",
                   {process_id.value(), slug})
        .has_value();
}

DocumentId insert_document(store::Connection& connection, ProcessId process_id,
                           const accounts::Slug& slug, const DocumentFields& fields,
                           std::int64_t now) {
    const auto row = connection.query_one(
        "INSERT INTO process_documents (process_id, slug, title, kind, url, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        {process_id.value(), slug.value(), fields.title, std::string(id(fields.kind)), fields.url,
         now});
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    return DocumentId(row->integer(0));
}

std::optional<Document> find_document(store::Connection& connection, DocumentId document_id) {
    const auto row = connection.query_one(std::string(kDocumentColumns) + "WHERE id = $1",
                                          {document_id.value()});
    return row ? std::optional(document_from(*row)) : std::nullopt;
}

std::optional<Document> find_document(store::Connection& connection, ProcessId process_id,
                                      const std::string& slug) {
    const auto row =
        connection.query_one(std::string(kDocumentColumns) + "WHERE process_id = $1 AND slug = $2",
                             {process_id.value(), slug});
    return row ? std::optional(document_from(*row)) : std::nullopt;
}

std::optional<Document> find_document(store::Database& database, DocumentId document_id) {
    const auto row =
        database.query_one(std::string(kDocumentColumns) + "WHERE id = $1", {document_id.value()});
    return row ? std::optional(document_from(*row)) : std::nullopt;
}

std::optional<Document> find_document(store::Database& database, ProcessId process_id,
                                      const std::string& slug) {
    const auto row =
        database.query_one(std::string(kDocumentColumns) + "WHERE process_id = $1 AND slug = $2",
                           {process_id.value(), slug});
    return row ? std::optional(document_from(*row)) : std::nullopt;
}

std::vector<Document> documents_of(store::Database& database, ProcessId process_id) {
    std::vector<Document> documents;
    for (const auto& row :
         database.query(std::string(kDocumentColumns) + "WHERE process_id = $1 ORDER BY id",
                        {process_id.value()})) {
        documents.push_back(document_from(row));
    }
    return documents;
}

std::vector<Revision> revisions_of(store::Database& database, DocumentId document_id) {
    std::vector<Revision> revisions;
    for (const auto& row :
         database.query("SELECT id, document_id, number, label, issued_on, format, created_at "
                        "FROM process_document_revisions WHERE document_id = $1 ORDER BY number",
                        {document_id.value()})) {
        revisions.push_back(revision_from(row, false));
    }
    return revisions;
}

std::optional<Revision> find_revision(store::Database& database, DocumentId document_id,
                                      int number) {
    const auto row = database.query_one(
        "SELECT id, document_id, number, label, issued_on, format, created_at, body "
        "FROM process_document_revisions WHERE document_id = $1 AND number = $2",
        {document_id.value(), std::int64_t{number}});
    return row ? std::optional(revision_from(*row, true)) : std::nullopt;
}

std::optional<int> revision_with_label(store::Database& database, DocumentId document_id,
                                       const std::string& label) {
    const auto row = database.query_one(
        "SELECT number FROM process_document_revisions WHERE document_id = $1 AND label = $2 "
        "ORDER BY number LIMIT 1",
        {document_id.value(), label});
    return row ? std::optional(static_cast<int>(row->integer(0))) : std::nullopt;
}

Revision insert_revision(store::Connection& connection, DocumentId document_id,
                         const RevisionFields& fields, std::int64_t now) {
    // Two admins adding a revision at once: the second INSERT breaks UNIQUE (document_id,
    // number) and the caller reports a conflict rather than numbering twice.
    const auto last = connection.query_one(
        "SELECT COALESCE(MAX(number), 0) FROM process_document_revisions WHERE document_id = $1",
        {document_id.value()});
    const int number = static_cast<int>(last->integer(0)) + 1;
    const auto row = connection.query_one(
        "INSERT INTO process_document_revisions (document_id, number, label, issued_on, format, "
        "body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {document_id.value(), std::int64_t{number}, fields.label, fields.issued_on,
         std::string(id(fields.format)), fields.text, now});
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    connection.execute("UPDATE process_documents SET updated_at = $1 WHERE id = $2",
                       {now, document_id.value()});
    Revision revision;
    revision.id = RevisionId(row->integer(0));
    revision.document_id = document_id;
    revision.number = number;
    revision.fields = fields;
    revision.created_at = now;
    return revision;
}

}  // namespace coalition::processes::document_store
