#pragma once
// accounts::Organisations: creating, editing, finding and listing organisations. Every change is
// an admin action: it takes the Actor and writes an audit row in the same transaction.

#include "accounts/actor.hpp"
#include "accounts/organisation.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace coalition::accounts {

struct OrganisationFilter {
    std::optional<Region> region = std::nullopt;
    std::optional<StakeholderGroup> stakeholder_group = std::nullopt;
    std::optional<OrganisationStatus> status = std::nullopt;
};

// Thread-safe. `database` and `clock` must outlive it.
class Organisations {
public:
    Organisations(store::Database& database, const core::Clock& clock);

    // Stores a new organisation. A derived slug that is taken gets "-2", "-3", … appended; a typed
    // slug that is taken fails with Conflict (field "slug"), and so does a domain whose ASCII
    // form another organisation has (field "domain"). Audit action "organisation.create".
    core::Result<Organisation> create(const Actor& actor, const OrganisationFields& fields);

    // Replaces every field of organisation `id`. A derived slug (the draft's slug left empty)
    // keeps the current one. NotFound when there is no such organisation; Conflict as for
    // create. Audit action "organisation.update", with the ids of the fields that changed.
    core::Result<Organisation> update(const Actor& actor, OrganisationId id,
                                      const OrganisationFields& fields);

    // Idempotent upsert by slug, for demo data and scripts: creates the organisation when no
    // organisation has fields.slug() (taken as given, never suffixed), updates it when its fields
    // differ, and otherwise returns it untouched (writing nothing, not even an audit row).
    core::Result<Organisation> ensure(const Actor& actor, const OrganisationFields& fields);

    std::optional<Organisation> find_by_id(OrganisationId id) const;
    // Any string; nullopt when it is not a slug in use.
    std::optional<Organisation> find_by_slug(std::string_view slug) const;

    // The organisations matching `filter`, sorted by name as people reading `language` expect
    // (ICU collation: "Ångström" sorts with the A's in English, after Z in Swedish).
    std::vector<Organisation> list(const OrganisationFilter& filter = {},
                                   std::string_view language = "en") const;

private:
    store::Database& database_;
    const core::Clock& clock_;
};

}  // namespace coalition::accounts
