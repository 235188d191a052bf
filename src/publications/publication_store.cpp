#include "publications/publication_store.hpp"

#include <string_view>
#include <utility>

namespace coalition::publications::publication_store {
namespace {

constexpr std::string_view kColumns =
    "id, slug, kind, title, language, process_slug, summary, markdown, published_at, edited_at, "
    "revision, created_at, updated_at";

Publication from_row(const store::Row& row) {
    Publication out;
    out.id = PublicationId(row.integer(0));
    // Slugs were validated before they were stored.
    if (auto slug = accounts::Slug::parse(row.text(1))) {
        out.slug = *slug;
    }
    out.fields.kind = parse_kind(row.text(2)).value_or(Kind::News);
    out.fields.title = row.text(3);
    out.fields.slug = out.slug;
    out.fields.language = row.text(4);
    out.fields.process_slug = row.text(5);
    out.fields.summary = row.text(6);
    out.fields.markdown = row.text(7);
    out.published_at = row.optional_integer(8);
    out.edited_at = row.optional_integer(9);
    out.revision = row.integer(10);
    out.created_at = row.integer(11);
    out.updated_at = row.integer(12);
    return out;
}

std::string select(std::string_view where) {
    return "SELECT " + std::string(kColumns) + " FROM publications " + std::string(where);
}

store::Params row_params(const Publication& publication) {
    return {publication.slug.value(),
            std::string(id(publication.fields.kind)),
            publication.fields.title,
            publication.fields.language,
            publication.fields.process_slug,
            publication.fields.summary,
            publication.fields.markdown,
            store::nullable(publication.published_at),
            store::nullable(publication.edited_at),
            publication.revision,
            publication.created_at,
            publication.updated_at};
}

}  // namespace

std::optional<Publication> find_by_slug(store::Database& database, const std::string& slug) {
    auto row = database.query_one(select("WHERE slug = $1"), {slug});
    return row ? std::optional(from_row(*row)) : std::nullopt;
}

std::optional<Publication> find_by_id(store::Database& database, PublicationId id) {
    auto row = database.query_one(select("WHERE id = $1"), {id.value()});
    return row ? std::optional(from_row(*row)) : std::nullopt;
}

std::optional<Publication> find_by_id(store::Connection& connection, PublicationId id) {
    auto row = connection.query_one(select("WHERE id = $1"), {id.value()});
    return row ? std::optional(from_row(*row)) : std::nullopt;
}

bool is_slug_taken(store::Connection& connection, const std::string& slug) {
    return connection.query_one("SELECT 1 FROM publications WHERE slug = $1", {slug}).has_value();
}

std::vector<Publication> list(store::Database& database, Which which) {
    const auto rows = database.query(
        which == Which::All
            ? select("ORDER BY updated_at DESC, id DESC")
            : select("WHERE published_at IS NOT NULL ORDER BY published_at DESC, id DESC"));
    std::vector<Publication> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        out.push_back(from_row(row));
    }
    return out;
}

PublicationId insert(store::Connection& connection, const Publication& publication) {
    const auto row = connection.query_one(
        "INSERT INTO publications (slug, kind, title, language, process_slug, summary, markdown, "
        "published_at, edited_at, revision, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        row_params(publication));
    return PublicationId(row->integer(0));
}

void update(store::Connection& connection, const Publication& publication) {
    auto params = row_params(publication);
    params.emplace_back(publication.id.value());
    connection.execute(
        "UPDATE publications SET slug = $1, kind = $2, title = $3, language = $4, "
        "process_slug = $5, summary = $6, markdown = $7, published_at = $8, edited_at = $9, "
        "revision = $10, created_at = $11, updated_at = $12 WHERE id = $13",
        params);
}

void insert_revision(store::Connection& connection, PublicationId id, const Revision& revision) {
    connection.execute(
        "INSERT INTO publication_revisions (publication_id, number, title, summary, markdown, "
        "actor, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {id.value(), revision.number, revision.title, revision.summary, revision.markdown,
         revision.actor, revision.saved_at});
}

std::vector<Revision> revisions(store::Database& database, PublicationId id) {
    const auto rows = database.query(
        "SELECT number, title, summary, markdown, actor, saved_at FROM publication_revisions "
        "WHERE publication_id = $1 ORDER BY number DESC",
        {id.value()});
    std::vector<Revision> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        out.push_back(Revision{.number = row.integer(0),
                               .title = row.text(1),
                               .summary = row.text(2),
                               .markdown = row.text(3),
                               .actor = row.text(4),
                               .saved_at = row.integer(5)});
    }
    return out;
}

DeliveryId insert_delivery(store::Connection& connection, const Delivery& delivery) {
    std::optional<std::int64_t> organisation;
    if (delivery.organisation_id) {
        organisation = delivery.organisation_id->value();
    }
    std::optional<std::int64_t> milestone;
    if (delivery.milestone_id) {
        milestone = delivery.milestone_id->value();
    }
    const auto row = connection.query_one(
        "INSERT INTO delivered_statements (publication_id, speaker, organisation_id, "
        "milestone_id, meeting, delivered_on, link, created_at, response_slug, response_title) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        {delivery.publication_id.value(), delivery.speaker, store::nullable(organisation),
         store::nullable(milestone), delivery.meeting, delivery.date, delivery.link,
         delivery.created_at, delivery.response_slug, delivery.response_title});
    return DeliveryId(row->integer(0));
}

std::vector<Delivery> deliveries(store::Database& database,
                                 std::optional<PublicationId> publication_id) {
    std::string sql =
        "SELECT id, publication_id, speaker, organisation_id, milestone_id, meeting, "
        "delivered_on, link, created_at, response_slug, response_title "
        "FROM delivered_statements";
    store::Params params;
    if (publication_id) {
        sql += " WHERE publication_id = $1";
        params.emplace_back(publication_id->value());
    }
    sql += " ORDER BY delivered_on DESC, id DESC";
    std::vector<Delivery> out;
    for (const auto& row : database.query(sql, params)) {
        Delivery delivery;
        delivery.id = DeliveryId(row.integer(0));
        delivery.publication_id = PublicationId(row.integer(1));
        delivery.speaker = row.text(2);
        if (auto organisation = row.optional_integer(3)) {
            delivery.organisation_id = accounts::OrganisationId(*organisation);
        }
        if (auto milestone = row.optional_integer(4)) {
            delivery.milestone_id = processes::MilestoneId(*milestone);
        }
        delivery.meeting = row.text(5);
        delivery.date = row.text(6);
        delivery.link = row.text(7);
        delivery.created_at = row.integer(8);
        delivery.response_slug = row.text(9);
        delivery.response_title = row.text(10);
        out.push_back(std::move(delivery));
    }
    return out;
}

}  // namespace coalition::publications::publication_store
