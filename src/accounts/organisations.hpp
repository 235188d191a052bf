#pragma once
// accounts::Organisations: creating, editing, finding and listing organisations. Every change is
// an admin action: it takes the Actor and writes an audit row in the same transaction.

#include "accounts/actor.hpp"
#include "accounts/organisation.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::accounts {

struct OrganisationFilter {
    std::optional<Region> region = std::nullopt;
    std::optional<StakeholderGroup> stakeholder_group = std::nullopt;
    std::optional<OrganisationStatus> status = std::nullopt;
};

// Every organisation as of one revision of the organisations table: an immutable copy in memory
// that many requests share (Organisations::directory). Thread-safe.
class OrganisationDirectory {
public:
    // `organisations` were read after `revision` was (so they are at least that new).
    OrganisationDirectory(std::optional<std::int64_t> revision,
                          std::vector<Organisation> organisations);

    // The revision of the table these rows were read at; nullopt when the database keeps none,
    // and then this copy must not be reused.
    std::optional<std::int64_t> revision() const { return revision_; }
    std::size_t size() const { return organisations_.size(); }

    // nullptr when there is none. The pointer is valid as long as this directory.
    const Organisation* find_by_id(OrganisationId id) const;
    const Organisation* find_by_slug(std::string_view slug) const;

    // The organisations matching `filter`, sorted as Organisations::list sorts them. The pointers
    // are valid as long as this directory. Each language's order is worked out once, on first use.
    std::vector<const Organisation*> list(const OrganisationFilter& filter,
                                          std::string_view language) const;

private:
    std::shared_ptr<const std::vector<std::size_t>> order_for(std::string_view language) const;

    std::optional<std::int64_t> revision_;
    std::vector<Organisation> organisations_;                  // By id.
    std::map<std::string, std::size_t, std::less<>> by_slug_;  // Index into organisations_.
    mutable std::mutex mutex_;
    // Indexes into organisations_ in each language's collation order. Guarded by mutex_.
    mutable std::map<std::string, std::shared_ptr<const std::vector<std::size_t>>, std::less<>>
        orders_;
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

    // The organisations as they are now, as one shared immutable copy. When no process changed
    // an organisation since the last call (from any thread), this costs one single-row query,
    // the table's revision; otherwise every row is read again. So a change committed by another
    // server or a command on the same database shows in the next call. Throws core::Unavailable
    // when the database is gone.
    std::shared_ptr<const OrganisationDirectory> directory() const;

    // These three read directory(): each costs the revision query when nothing changed.
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
    // Held while reading every row, so that after a change one thread reads them, not all.
    mutable std::mutex reload_mutex_;
    mutable std::mutex mutex_;
    // The newest directory read so far. Guarded by mutex_.
    mutable std::shared_ptr<const OrganisationDirectory> directory_;
};

}  // namespace coalition::accounts
