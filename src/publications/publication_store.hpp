#pragma once
// The publications module's SQL (migrations/0021_publications.sql); nobody else touches these
// tables. Writers take the caller's transaction; readers use the database's reader pool.

#include "publications/publications.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::publications::publication_store {

std::optional<Publication> find_by_slug(store::Database& database, const std::string& slug);
std::optional<Publication> find_by_id(store::Database& database, PublicationId id);
std::optional<Publication> find_by_id(store::Connection& connection, PublicationId id);
bool is_slug_taken(store::Connection& connection, const std::string& slug);
// Every publication, most recently changed first; with `published_only`, newest published first.
enum class Which { All, PublishedOnly };
std::vector<Publication> list(store::Database& database, Which which);

// Inserts `publication` (its id ignored) and returns the new id.
PublicationId insert(store::Connection& connection, const Publication& publication);
// Writes every column of `publication` (by its id).
void update(store::Connection& connection, const Publication& publication);

void insert_revision(store::Connection& connection, PublicationId id, const Revision& revision);
std::vector<Revision> revisions(store::Database& database, PublicationId id);

DeliveryId insert_delivery(store::Connection& connection, const Delivery& delivery);
// Rows only: publication, organisation and milestone descriptions are the service's.
std::vector<Delivery> deliveries(store::Database& database,
                                 std::optional<PublicationId> publication_id);

}  // namespace coalition::publications::publication_store
