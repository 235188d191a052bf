#pragma once
// The announcements' SQL (migrations/0023_responses_announcements.sql); nobody else touches this
// table. The writer takes the caller's transaction; the reader takes a response_store::Source.

#include "responses/announcements.hpp"
#include "responses/response_store.hpp"
#include "store/database.hpp"

#include <string>
#include <vector>

namespace coalition::responses::announcements_store {

// Inserts `announcement` (its id and editor_name ignored) for response `id`, with the editor's
// actor label; returns the new row's id.
std::int64_t insert(store::Connection& connection, ResponseId id, const Announcement& announcement,
                    const std::string& actor);

// The announcements of response `id`, newest first, with editor_name set to the stored actor
// label (the service replaces it with the user's name).
std::vector<Announcement> list(response_store::Source source, ResponseId id);

}  // namespace coalition::responses::announcements_store
