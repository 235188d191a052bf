// SQL for the endorsement half of responses, written once for SQLite and PostgreSQL.

#include "responses/endorsement_store.hpp"

#include "core/assert.hpp"

#include <utility>

namespace coalition::responses::endorsement_store {
namespace {

constexpr std::string_view kRoundColumns =
    "id, version_number, version_hash, deadline_date, deadline_time, deadline_zone, "
    "deadline_utc, actor, frozen_at";

Round round_from(const store::Row& row, std::size_t first = 0) {
    Round round;
    round.id = row.integer(first);
    round.version_number = static_cast<int>(row.integer(first + 1));
    round.version_hash = row.text(first + 2);
    auto moment = processes::Moment::date_time(row.text(first + 3), row.text(first + 4),
                                               row.text(first + 5), "deadline");
    // A zone ICU stopped knowing after an update: keep the stored instant.
    if (moment) {
        round.deadline = *moment;
    }
    round.actor = row.text(first + 7);
    round.frozen_at = row.integer(first + 8);
    return round;
}

constexpr std::string_view kAnswerColumns =
    "organisation_id, answer, reason, version_number, version_hash, user_id, answered_at";

Answer answer_from(const store::Row& row) {
    Answer answer;
    answer.organisation = accounts::OrganisationId(row.integer(0));
    answer.kind = parse_answer_kind(row.text(1)).value_or(AnswerKind::Abstain);
    answer.reason = row.text(2);
    answer.version_number = static_cast<int>(row.integer(3));
    answer.version_hash = row.text(4);
    answer.user = accounts::UserId(row.integer(5));
    answer.answered_at = row.integer(6);
    return answer;
}

}  // namespace

std::optional<Round> latest_round(Source source, ResponseId id) {
    auto rows = source.query("SELECT " + std::string(kRoundColumns) +
                                 " FROM response_rounds WHERE response_id = $1 "
                                 "ORDER BY id DESC LIMIT 1",
                             {id.value()});
    if (rows.empty()) {
        return std::nullopt;
    }
    return round_from(rows.front());
}

std::int64_t insert_round(store::Connection& connection, ResponseId id, const Round& round) {
    const auto row = connection.query_one(
        "INSERT INTO response_rounds (response_id, version_number, version_hash, deadline_date, "
        "deadline_time, deadline_zone, deadline_utc, actor, frozen_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        {id.value(), static_cast<std::int64_t>(round.version_number), round.version_hash,
         round.deadline.date(), round.deadline.time(), round.deadline.zone(), round.deadline.utc(),
         round.actor, round.frozen_at});
    return row->integer(0);
}

void set_status(store::Connection& connection, ResponseId id, ResponseStatus status,
                std::int64_t now) {
    connection.execute("UPDATE responses SET status = $2, updated_at = $3 WHERE id = $1",
                       {id.value(), std::string(responses::id(status)), now});
}

std::vector<OpenRound> open_rounds(Source source) {
    std::vector<OpenRound> out;
    for (const auto& row :
         source.query("SELECT r.id, r.slug, r.title, d.id, d.version_number, d.version_hash, "
                      "d.deadline_date, d.deadline_time, d.deadline_zone, d.deadline_utc, d.actor, "
                      "d.frozen_at FROM responses r JOIN response_rounds d ON d.response_id = r.id "
                      "WHERE r.status = 'open-for-endorsement' AND d.id = (SELECT MAX(id) FROM "
                      "response_rounds WHERE response_id = r.id) ORDER BY r.id")) {
        OpenRound open;
        open.response = ResponseId(row.integer(0));
        open.slug = row.text(1);
        open.title = row.text(2);
        open.round = round_from(row, 3);
        // The stored instant is what answers are checked against.
        if (open.round.deadline.utc() != row.integer(9)) {
            continue;
        }
        out.push_back(std::move(open));
    }
    return out;
}

std::vector<Answer> answers(Source source, ResponseId id) {
    std::vector<Answer> out;
    for (const auto& row : source.query("SELECT " + std::string(kAnswerColumns) +
                                            " FROM response_answers WHERE response_id = $1 "
                                            "ORDER BY organisation_id",
                                        {id.value()})) {
        out.push_back(answer_from(row));
    }
    return out;
}

std::optional<Answer> find_answer(Source source, ResponseId id,
                                  accounts::OrganisationId organisation) {
    auto rows = source.query("SELECT " + std::string(kAnswerColumns) +
                                 " FROM response_answers WHERE response_id = $1 AND "
                                 "organisation_id = $2",
                             {id.value(), organisation.value()});
    if (rows.empty()) {
        return std::nullopt;
    }
    return answer_from(rows.front());
}

void put_answer(store::Connection& connection, ResponseId id, const Answer& answer) {
    connection.execute(
        "INSERT INTO response_answers (response_id, organisation_id, answer, reason, "
        "version_number, version_hash, user_id, answered_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (response_id, organisation_id) DO UPDATE SET answer = excluded.answer, "
        "reason = excluded.reason, version_number = excluded.version_number, "
        "version_hash = excluded.version_hash, user_id = excluded.user_id, "
        "answered_at = excluded.answered_at",
        {id.value(), answer.organisation.value(), std::string(responses::id(answer.kind)),
         answer.reason, static_cast<std::int64_t>(answer.version_number), answer.version_hash,
         answer.user.value(), answer.answered_at});
}

bool delete_answer(store::Connection& connection, ResponseId id,
                   accounts::OrganisationId organisation) {
    return connection.execute(
               "DELETE FROM response_answers WHERE response_id = $1 AND organisation_id = $2",
               {id.value(), organisation.value()}) > 0;
}

void remember_language(store::Connection& connection, accounts::UserId user,
                       const std::string& language, std::int64_t now) {
    connection.execute(
        "INSERT INTO response_member_languages (user_id, language, updated_at) "
        "VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, "
        "updated_at = excluded.updated_at",
        {user.value(), language, now});
}

std::optional<std::string> language(Source source, accounts::UserId user) {
    auto rows = source.query("SELECT language FROM response_member_languages WHERE user_id = $1",
                             {user.value()});
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows.front().text(0);
}

std::set<std::pair<std::int64_t, int>> reminders_sent(Source source, std::int64_t round_id) {
    std::set<std::pair<std::int64_t, int>> out;
    for (const auto& row : source.query(
             "SELECT organisation_id, offset_days FROM response_reminders_sent WHERE round_id = $1",
             {round_id})) {
        out.emplace(row.integer(0), static_cast<int>(row.integer(1)));
    }
    return out;
}

bool record_reminder(store::Connection& connection, std::int64_t round_id,
                     accounts::OrganisationId organisation, int offset_days, std::int64_t now) {
    // ON CONFLICT DO NOTHING: a second server racing for the same reminder waits for the first
    // one's commit (PostgreSQL's unique index) and then changes nothing, so it queues nothing.
    return connection.execute(
               "INSERT INTO response_reminders_sent (round_id, organisation_id, offset_days, "
               "sent_at) VALUES ($1, $2, $3, $4) "
               "ON CONFLICT (round_id, organisation_id, offset_days) DO NOTHING",
               {round_id, organisation.value(), std::int64_t{offset_days}, now}) == 1;
}

void insert_publication(store::Connection& connection, ResponseId id, const PublicationRow& row,
                        const std::string& actor) {
    connection.execute(
        "INSERT INTO response_publications (response_id, version_number, version_hash, actor, "
        "published_at) VALUES ($1, $2, $3, $4, $5)",
        {id.value(), static_cast<std::int64_t>(row.version_number), row.version_hash, actor,
         row.published_at});
}

void insert_endorser(store::Connection& connection, ResponseId id, const Endorser& endorser) {
    connection.execute(
        "INSERT INTO response_endorsers (response_id, organisation_id, name, slug, country, "
        "stakeholder_group, log_index) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {id.value(), endorser.organisation.value(), endorser.name, endorser.slug, endorser.country,
         endorser.stakeholder_group, static_cast<std::int64_t>(endorser.log_index)});
}

std::optional<PublicationRow> publication(Source source, ResponseId id) {
    auto rows = source.query(
        "SELECT version_number, version_hash, published_at FROM response_publications "
        "WHERE response_id = $1",
        {id.value()});
    if (rows.empty()) {
        return std::nullopt;
    }
    return PublicationRow{.version_number = static_cast<int>(rows.front().integer(0)),
                          .version_hash = rows.front().text(1),
                          .published_at = rows.front().integer(2)};
}

std::vector<Endorser> endorsers(Source source, ResponseId id) {
    std::vector<Endorser> out;
    for (const auto& row : source.query(
             "SELECT organisation_id, name, slug, country, stakeholder_group, log_index, "
             "COALESCE(position, 0) "
             "FROM response_endorsers WHERE response_id = $1 ORDER BY name, organisation_id",
             {id.value()})) {
        out.push_back(Endorser{.organisation = accounts::OrganisationId(row.integer(0)),
                               .name = row.text(1),
                               .slug = row.text(2),
                               .country = row.text(3),
                               .stakeholder_group = row.text(4),
                               .log_index = static_cast<std::uint64_t>(row.integer(5)),
                               .position = static_cast<int>(row.integer(6))});
    }
    return out;
}

void set_endorser_order(store::Connection& connection, ResponseId id,
                        const std::vector<accounts::OrganisationId>& order) {
    connection.execute("UPDATE response_endorsers SET position = NULL WHERE response_id = $1",
                       {id.value()});
    for (std::size_t position_idx = 0; position_idx < order.size(); ++position_idx) {
        connection.execute(
            "UPDATE response_endorsers SET position = $3 "
            "WHERE response_id = $1 AND organisation_id = $2",
            {id.value(), order[position_idx].value(), static_cast<std::int64_t>(position_idx + 1)});
    }
}

std::vector<PublishedResponse> published(Source source, std::size_t limit) {
    std::vector<PublishedResponse> out;
    for (const auto& row :
         source.query("SELECT r.slug, r.title, p.published_at, r.milestone_id, p.version_hash, "
                      "(SELECT COUNT(*) FROM response_endorsers e WHERE e.response_id = r.id) "
                      "FROM response_publications p JOIN responses r ON r.id = p.response_id "
                      "ORDER BY p.published_at DESC, r.id DESC LIMIT $1",
                      {static_cast<std::int64_t>(limit)})) {
        PublishedResponse item;
        item.slug = row.text(0);
        item.title = row.text(1);
        item.published_at = row.integer(2);
        if (auto milestone = row.optional_integer(3)) {
            item.milestone = processes::MilestoneId(*milestone);
        }
        item.version_hash = row.text(4);
        item.endorsers = static_cast<std::size_t>(row.integer(5));
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace coalition::responses::endorsement_store
