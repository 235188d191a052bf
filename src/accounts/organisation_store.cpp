#include "accounts/organisation_store.hpp"

#include "accounts/organisations.hpp"

namespace coalition::accounts::organisation_store {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, name, short_name, slug, country, stakeholder_group, website, domain, status, "
    "description, created_at, updated_at FROM organisations ";

// Rows are written only by this module from valid fields, so a value that does not parse back
// is a bug (or a hand-edited database), not bad input.
template <typename T>
T trusted(core::Result<T> result, const char* why) {
    COALITION_ASSERT(result.has_value(), why);
    return std::move(*result);
}

Organisation from_row(const store::Row& row) {
    auto country = trusted(Country::parse(row.text(4)), "stored country does not parse");
    const auto group = parse_stakeholder_group(row.text(5));
    COALITION_ASSERT(group.has_value(), "stored stakeholder group is unknown");
    const auto status = parse_organisation_status(row.text(8));
    COALITION_ASSERT(status.has_value(), "stored organisation status is unknown");
    std::optional<WebsiteUrl> website;
    if (auto text = row.optional_text(6)) {
        website = trusted(WebsiteUrl::parse(*text), "stored website does not parse");
    }
    std::optional<core::Domain> domain;
    if (auto text = row.optional_text(7)) {
        domain = trusted(core::Domain::parse(*text), "stored domain does not parse");
    }
    const Region region = country.region();
    return Organisation{
        .id = OrganisationId(row.integer(0)),
        .name = row.text(1),
        .short_name = row.text(2),
        .slug = trusted(Slug::parse(row.text(3)), "stored slug does not parse"),
        .country = std::move(country),
        .region = region,
        .stakeholder_group = *group,
        .website = std::move(website),
        .domain = std::move(domain),
        .status = *status,
        .description = row.text(9),
        .created_at = row.integer(10),
        .updated_at = row.integer(11),
    };
}

template <typename Source>
std::optional<Organisation> find_one(Source& source, std::string_view where,
                                     const store::Params& params) {
    auto row = source.query_one(std::string(kSelect) + std::string(where), params);
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

store::Params field_params(const OrganisationFields& fields, const Slug& slug) {
    return {
        fields.name(),
        fields.short_name(),
        slug.value(),
        fields.country().code(),
        std::string(id(fields.region())),
        std::string(id(fields.stakeholder_group())),
        fields.website() ? store::Value(fields.website()->value()) : store::Value(nullptr),
        fields.domain() ? store::Value(fields.domain()->unicode()) : store::Value(nullptr),
        fields.domain() ? store::Value(fields.domain()->ascii()) : store::Value(nullptr),
        std::string(id(fields.status())),
        fields.description(),
    };
}

// Every write to the organisations table calls this in its transaction (see revision()). Without
// the counter row it changes nothing: revision() is then nullopt and nothing is cached.
void raise_revision(store::Connection& connection) {
    connection.execute("UPDATE organisations_revision SET revision = revision + 1 WHERE id = 1");
}

}  // namespace

OrganisationId insert(store::Connection& connection, const OrganisationFields& fields,
                      const Slug& slug, std::int64_t now) {
    auto params = field_params(fields, slug);
    params.emplace_back(now);
    const auto row = connection.query_one(
        "INSERT INTO organisations (name, short_name, slug, country, region, stakeholder_group, "
        "website, domain, domain_ascii, status, description, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        params);
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    raise_revision(connection);
    return OrganisationId(row->integer(0));
}

bool update(store::Connection& connection, OrganisationId id, const OrganisationFields& fields,
            const Slug& slug, std::int64_t now) {
    auto params = field_params(fields, slug);
    params.emplace_back(now);
    params.emplace_back(id.value());
    const bool found =
        connection.execute(
            "UPDATE organisations SET name = $1, short_name = $2, slug = $3, country = $4, "
            "region = $5, stakeholder_group = $6, website = $7, domain = $8, domain_ascii = $9, "
            "status = $10, description = $11, updated_at = $12 WHERE id = $13",
            params) > 0;
    if (found) {
        raise_revision(connection);
    }
    return found;
}

std::optional<Organisation> find_by_id(store::Connection& connection, OrganisationId id) {
    return find_one(connection, "WHERE id = $1", {id.value()});
}

std::optional<Organisation> find_by_id(store::Database& database, OrganisationId id) {
    return find_one(database, "WHERE id = $1", {id.value()});
}

std::optional<Organisation> find_by_slug(store::Connection& connection, const Slug& slug) {
    return find_one(connection, "WHERE slug = $1", {slug.value()});
}

std::optional<Organisation> find_by_slug(store::Database& database, const Slug& slug) {
    return find_one(database, "WHERE slug = $1", {slug.value()});
}

bool is_slug_taken(store::Connection& connection, const Slug& slug, OrganisationId except) {
    return connection
        .query_one("SELECT id FROM organisations WHERE slug = $1 AND id <> $2",
                   {slug.value(), except.value()})
        .has_value();
}

bool is_domain_taken(store::Connection& connection, const core::Domain& domain,
                     OrganisationId except) {
    return connection
        .query_one("SELECT id FROM organisations WHERE domain_ascii = $1 AND id <> $2",
                   {domain.ascii(), except.value()})
        .has_value();
}

std::vector<Organisation> list(store::Database& database, const OrganisationFilter& filter) {
    // Only the filters given become conditions; each value is still a parameter.
    std::string where;
    store::Params params;
    const auto add = [&](std::string_view column, std::string_view value) {
        where += params.empty() ? "WHERE " : " AND ";
        params.emplace_back(std::string(value));
        where += std::string(column) + " = $" + std::to_string(params.size());
    };
    if (filter.region) {
        add("region", id(*filter.region));
    }
    if (filter.stakeholder_group) {
        add("stakeholder_group", id(*filter.stakeholder_group));
    }
    if (filter.status) {
        add("status", id(*filter.status));
    }
    const auto rows = database.query(std::string(kSelect) + where, params);
    std::vector<Organisation> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        out.push_back(from_row(row));
    }
    return out;
}

std::optional<std::int64_t> revision(store::Database& database) {
    const auto row =
        database.query_one_memoised("SELECT revision FROM organisations_revision WHERE id = 1");
    if (!row) {
        return std::nullopt;
    }
    return row->integer(0);
}

}  // namespace coalition::accounts::organisation_store
