#include "accounts/organisations.hpp"

#include "accounts/audit_log.hpp"
#include "accounts/organisation_store.hpp"
#include "accounts/transaction.hpp"
#include "i18n/i18n.hpp"

#include <nlohmann/json.hpp>
#include <unicode/coll.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace coalition::accounts {
namespace {

std::string subject(OrganisationId id) {
    return "organisation:" + std::to_string(id.value());
}

// The fields as the audit log shows them.
nlohmann::json to_json(const OrganisationFields& fields, const Slug& slug) {
    return {
        {"name", fields.name()},
        {"short_name", fields.short_name()},
        {"slug", slug.value()},
        {"country", fields.country().code()},
        {"stakeholder_group", id(fields.stakeholder_group())},
        {"website", fields.website() ? fields.website()->value() : ""},
        {"domain", fields.domain() ? fields.domain()->unicode() : ""},
        {"status", id(fields.status())},
    };
}

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The names of the fields whose values differ (the description is compared but not shown).
std::vector<std::string> changed_fields(const Organisation& current,
                                        const OrganisationFields& fields, const Slug& slug) {
    const nlohmann::json before = {
        {"name", current.name},
        {"short_name", current.short_name},
        {"slug", current.slug.value()},
        {"country", current.country.code()},
        {"stakeholder_group", id(current.stakeholder_group)},
        {"website", current.website ? current.website->value() : ""},
        {"domain", current.domain ? current.domain->unicode() : ""},
        {"status", id(current.status)},
    };
    const nlohmann::json after = to_json(fields, slug);
    std::vector<std::string> changed;
    for (const auto& [key, value] : after.items()) {
        if (before.at(key) != value) {
            changed.push_back(key);
        }
    }
    if (current.description != fields.description()) {
        changed.emplace_back("description");
    }
    return changed;
}

core::Error domain_conflict() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("Another organisation already has this domain.")), "domain");
}

core::Error slug_conflict() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("Another organisation already uses this slug.")), "slug");
}

// A free slug: `fields.slug()` itself, or when it was derived and is taken, the first free
// "-N" variant. Rejects with Conflict when a typed slug is taken.
Slug free_slug(store::Connection& connection, const OrganisationFields& fields,
               OrganisationId except) {
    if (!organisation_store::is_slug_taken(connection, fields.slug(), except)) {
        return fields.slug();
    }
    if (!fields.is_slug_derived()) {
        throw Rejection(slug_conflict());
    }
    for (int number = 2; number < 10'000; ++number) {
        Slug candidate = fields.slug().with_suffix(number);
        if (!organisation_store::is_slug_taken(connection, candidate, except)) {
            return candidate;
        }
    }
    throw Rejection(slug_conflict());
}

Organisation insert(store::Connection& connection, std::int64_t now, const Actor& actor,
                    const OrganisationFields& fields, const Slug& slug) {
    if (fields.domain() && organisation_store::is_domain_taken(connection, *fields.domain())) {
        throw Rejection(domain_conflict());
    }
    const auto id = organisation_store::insert(connection, fields, slug, now);
    AuditLog::record(connection, now, actor, "organisation.create", subject(id),
                     dump(to_json(fields, slug)));
    auto created = organisation_store::find_by_id(connection, id);
    COALITION_ASSERT(created.has_value(), "an inserted organisation is not found");
    return std::move(*created);
}

// Records the change first, then checks and writes it: a conflict found afterwards rolls the
// audit row back together with everything else.
Organisation replace(store::Connection& connection, std::int64_t now, const Actor& actor,
                     const Organisation& current, const OrganisationFields& fields,
                     const Slug& slug) {
    nlohmann::json details = {{"slug", slug.value()},
                              {"changed", changed_fields(current, fields, slug)}};
    AuditLog::record(connection, now, actor, "organisation.update", subject(current.id),
                     dump(details));
    if (fields.domain() &&
        organisation_store::is_domain_taken(connection, *fields.domain(), current.id)) {
        throw Rejection(domain_conflict());
    }
    if (slug != current.slug && organisation_store::is_slug_taken(connection, slug, current.id)) {
        throw Rejection(slug_conflict());
    }
    organisation_store::update(connection, current.id, fields, slug, now);
    auto updated = organisation_store::find_by_id(connection, current.id);
    COALITION_ASSERT(updated.has_value(), "an updated organisation is not found");
    return std::move(*updated);
}

core::Error race_conflict() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("Another organisation already uses this slug or domain.")));
}

// ICU collators are costly to open, so one per language is kept and each caller gets a cheap
// clone of it (clones share the rules), so no collator is used by two threads at once.
std::unique_ptr<icu::Collator> collator_for(std::string_view language) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<icu::Collator>, std::less<>> collators;
    std::lock_guard lock(mutex);
    if (auto found = collators.find(language); found != collators.end()) {
        return std::unique_ptr<icu::Collator>(found->second->clone());
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(
        icu::Collator::createInstance(icu::Locale(std::string(language).c_str()), status));
    if (U_FAILURE(status) || !collator) {
        status = U_ZERO_ERROR;
        collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    }
    COALITION_ASSERT(collator != nullptr, "ICU has no root collator");
    // Callers pass one of a few supported languages; the bound keeps odd input from growing it.
    if (collators.size() >= 32) {
        return collator;
    }
    auto clone = std::unique_ptr<icu::Collator>(collator->clone());
    collators.emplace(std::string(language), std::move(collator));
    return clone;
}

}  // namespace

Organisations::Organisations(store::Database& database, const core::Clock& clock)
    : database_(database), clock_(clock) {
}

core::Result<Organisation> Organisations::create(const Actor& actor,
                                                 const OrganisationFields& fields) {
    const auto now = clock_.unix_now();
    return run_transaction<Organisation>(
        database_, race_conflict(), [&](store::Connection& connection) {
            const Slug slug = free_slug(connection, fields, OrganisationId());
            return insert(connection, now, actor, fields, slug);
        });
}

core::Result<Organisation> Organisations::update(const Actor& actor, OrganisationId id,
                                                 const OrganisationFields& fields) {
    const auto now = clock_.unix_now();
    return run_transaction<Organisation>(
        database_, race_conflict(), [&](store::Connection& connection) {
            auto current = organisation_store::find_by_id(connection, id);
            if (!current) {
                throw Rejection(core::Error::not_found(
                    std::string(i18n::gettext_noop("There is no such organisation."))));
            }
            const Slug slug = fields.is_slug_derived() ? current->slug : fields.slug();
            return replace(connection, now, actor, *current, fields, slug);
        });
}

core::Result<Organisation> Organisations::ensure(const Actor& actor,
                                                 const OrganisationFields& fields) {
    const auto now = clock_.unix_now();
    return run_transaction<Organisation>(
        database_, race_conflict(), [&](store::Connection& connection) {
            auto current = organisation_store::find_by_slug(connection, fields.slug());
            if (!current) {
                return insert(connection, now, actor, fields, fields.slug());
            }
            if (changed_fields(*current, fields, fields.slug()).empty()) {
                return std::move(*current);
            }
            return replace(connection, now, actor, *current, fields, fields.slug());
        });
}

std::shared_ptr<const OrganisationDirectory> Organisations::directory() const {
    const auto revision = organisation_store::revision(database_);
    // The kept directory, if it was read at this revision or a later one: then it holds every
    // change committed before this call began. (Only directories with a revision are kept.)
    const auto kept = [&]() -> std::shared_ptr<const OrganisationDirectory> {
        if (!revision) {
            return nullptr;
        }
        std::lock_guard lock(mutex_);
        if (directory_ != nullptr && directory_->revision() >= revision) {
            return directory_;
        }
        return nullptr;
    };
    if (auto found = kept()) {
        return found;
    }
    std::lock_guard reload(reload_mutex_);
    // Another thread may have read the rows while this one waited.
    if (auto found = kept()) {
        return found;
    }
    // The revision was read before the rows, so they are at least as new as it says: a change
    // committed in between is read again on the next call, never missed.
    auto loaded = std::make_shared<const OrganisationDirectory>(
        revision, organisation_store::list(database_, OrganisationFilter{}));
    if (revision) {
        std::lock_guard lock(mutex_);
        // Revisions only grow; never replace a newer directory with an older one.
        if (directory_ == nullptr || directory_->revision() < revision) {
            directory_ = loaded;
        }
    }
    return loaded;
}

std::optional<Organisation> Organisations::find_by_id(OrganisationId id) const {
    const auto organisations = directory();
    if (const Organisation* found = organisations->find_by_id(id)) {
        return *found;
    }
    return std::nullopt;
}

std::optional<Organisation> Organisations::find_by_slug(std::string_view slug) const {
    const auto organisations = directory();
    if (const Organisation* found = organisations->find_by_slug(slug)) {
        return *found;
    }
    return std::nullopt;
}

std::vector<Organisation> Organisations::list(const OrganisationFilter& filter,
                                              std::string_view language) const {
    const auto organisations = directory();
    std::vector<Organisation> out;
    for (const Organisation* organisation : organisations->list(filter, language)) {
        out.push_back(*organisation);
    }
    return out;
}

OrganisationDirectory::OrganisationDirectory(std::optional<std::int64_t> revision,
                                             std::vector<Organisation> organisations)
    : revision_(revision), organisations_(std::move(organisations)) {
    std::sort(organisations_.begin(), organisations_.end(),
              [](const Organisation& lhs, const Organisation& rhs) { return lhs.id < rhs.id; });
    for (std::size_t index = 0; index < organisations_.size(); ++index) {
        by_slug_.emplace(organisations_[index].slug.value(), index);
    }
}

const Organisation* OrganisationDirectory::find_by_id(OrganisationId id) const {
    const auto found = std::lower_bound(
        organisations_.begin(), organisations_.end(), id,
        [](const Organisation& organisation, OrganisationId key) { return organisation.id < key; });
    return found != organisations_.end() && found->id == id ? &*found : nullptr;
}

const Organisation* OrganisationDirectory::find_by_slug(std::string_view slug) const {
    const auto found = by_slug_.find(slug);
    return found == by_slug_.end() ? nullptr : &organisations_[found->second];
}

std::vector<const Organisation*> OrganisationDirectory::list(const OrganisationFilter& filter,
                                                             std::string_view language) const {
    const auto order = order_for(language);
    std::vector<const Organisation*> out;
    out.reserve(order->size());
    for (const std::size_t index : *order) {
        const Organisation& organisation = organisations_[index];
        if ((!filter.region || organisation.region == *filter.region) &&
            (!filter.stakeholder_group ||
             organisation.stakeholder_group == *filter.stakeholder_group) &&
            (!filter.status || organisation.status == *filter.status)) {
            out.push_back(&organisation);
        }
    }
    return out;
}

std::shared_ptr<const std::vector<std::size_t>> OrganisationDirectory::order_for(
    std::string_view language) const {
    {
        std::lock_guard lock(mutex_);
        if (auto found = orders_.find(language); found != orders_.end()) {
            return found->second;
        }
    }
    // Sorted outside the lock: two threads may both sort a new language once, which is harmless.
    std::vector<std::size_t> order(organisations_.size());
    for (std::size_t index = 0; index < order.size(); ++index) {
        order[index] = index;
    }
    const auto collator = collator_for(language);
    std::sort(order.begin(), order.end(), [&](std::size_t lhs, std::size_t rhs) {
        UErrorCode status = U_ZERO_ERROR;
        const auto result =
            collator->compareUTF8(organisations_[lhs].name, organisations_[rhs].name, status);
        if (result != UCOL_EQUAL) {
            return result == UCOL_LESS;
        }
        return organisations_[lhs].id < organisations_[rhs].id;
    });
    auto sorted = std::make_shared<const std::vector<std::size_t>>(std::move(order));
    std::lock_guard lock(mutex_);
    // Callers pass one of a few supported languages; the bound keeps odd input from growing it.
    if (orders_.size() < 32) {
        orders_.emplace(std::string(language), sorted);
    }
    return sorted;
}

}  // namespace coalition::accounts
