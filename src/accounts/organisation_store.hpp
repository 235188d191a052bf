#pragma once
// SQL for the organisations table. Private to accounts/: other modules use accounts.hpp.

#include "accounts/organisation.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace coalition::accounts {
struct OrganisationFilter;
}

namespace coalition::accounts::organisation_store {

// Inserts `fields` under `slug` (which may differ from fields.slug() when made unique), and
// raises the table's revision in the same transaction.
OrganisationId insert(store::Connection& connection, const OrganisationFields& fields,
                      const Slug& slug, std::int64_t now);
// Replaces the fields of `id` and raises the table's revision; returns false (changing nothing)
// when there is no such row.
bool update(store::Connection& connection, OrganisationId id, const OrganisationFields& fields,
            const Slug& slug, std::int64_t now);

std::optional<Organisation> find_by_id(store::Connection& connection, OrganisationId id);
std::optional<Organisation> find_by_id(store::Database& database, OrganisationId id);
std::optional<Organisation> find_by_slug(store::Connection& connection, const Slug& slug);
std::optional<Organisation> find_by_slug(store::Database& database, const Slug& slug);

// True when another organisation than `except` has `slug`.
bool is_slug_taken(store::Connection& connection, const Slug& slug, OrganisationId except = {});
// True when another organisation than `except` has a domain with this ASCII form.
bool is_domain_taken(store::Connection& connection, const core::Domain& domain,
                     OrganisationId except = {});

// Unsorted.
std::vector<Organisation> list(store::Database& database, const OrganisationFilter& filter);

// The revision of the organisations table: a counter (migrations/0004) that insert() and update()
// raise in the transaction of their change, so it differs after any committed change made by any
// process. Read it before the rows it labels: rows read afterwards are at least that new. nullopt
// when the counter row is missing (a database edited by hand), in which case nothing may be cached.
std::optional<std::int64_t> revision(store::Database& database);

}  // namespace coalition::accounts::organisation_store
