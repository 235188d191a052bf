#pragma once
// The SQL of documents and revisions (migrations/0016_processes_documents.sql). Writers take the
// caller's transaction; readers use the database's reader pool.

#include "processes/processes.hpp"
#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coalition::processes::document_store {

bool is_slug_taken(store::Connection& connection, ProcessId process_id, const std::string& slug);
DocumentId insert_document(store::Connection& connection, ProcessId process_id,
                           const accounts::Slug& slug, const DocumentFields& fields,
                           std::int64_t now);
std::optional<Document> find_document(store::Connection& connection, DocumentId document_id);
std::optional<Document> find_document(store::Connection& connection, ProcessId process_id,
                                      const std::string& slug);
std::optional<Document> find_document(store::Database& database, DocumentId document_id);
std::optional<Document> find_document(store::Database& database, ProcessId process_id,
                                      const std::string& slug);
std::vector<Document> documents_of(store::Database& database, ProcessId process_id);
// Revisions without their texts, by number.
std::vector<Revision> revisions_of(store::Database& database, DocumentId document_id);
std::optional<Revision> find_revision(store::Database& database, DocumentId document_id,
                                      int number);
std::optional<int> revision_with_label(store::Database& database, DocumentId document_id,
                                       const std::string& label);
// Stores revision number (last + 1) and returns it; touches the document's updated_at.
Revision insert_revision(store::Connection& connection, DocumentId document_id,
                         const RevisionFields& fields, std::int64_t now);

}  // namespace coalition::processes::document_store
