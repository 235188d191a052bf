#pragma once
// SQL for lists and their owners and moderators (tables lists, list_roles). Private to lists/.

#include "lists/list.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::lists::list_store {

// Inserts the list (its id and times are ignored) with its roles; returns the id. Throws
// store::ConstraintViolation when the name is taken.
ListId insert(store::Connection& connection, const List& list, std::int64_t now);
void update_settings(store::Connection& connection, ListId id, const ListSettings& settings,
                     std::int64_t now);
void replace_roles(store::Connection& connection, ListId id, const std::vector<core::Email>& owners,
                   const std::vector<core::Email>& moderators, std::int64_t now);

std::optional<List> find(store::Connection& connection, ListId id);
std::optional<List> find(store::Database& database, ListId id);
std::optional<List> find_by_name(store::Database& database, const std::string& name);
std::vector<List> all(store::Database& database);

}  // namespace coalition::lists::list_store
