#include "lists/delivery_store.hpp"

#include "core/assert.hpp"
#include "core/base64.hpp"
#include "core/text.hpp"
#include "lists/digest_store.hpp"

#include <algorithm>

namespace coalition::lists::delivery_store {
namespace {

// PostgreSQL text holds neither NUL nor invalid UTF-8; a relay's reply may have both.
std::string storable(std::string_view reply) {
    std::string safe(reply.substr(0, 1000));
    if (!core::is_valid_utf8(safe)) {
        for (char& c : safe) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                c = '?';
            }
        }
    }
    std::replace(safe.begin(), safe.end(), '\0', ' ');
    return safe;
}

RecipientRow to_recipient(const store::Row& row) {
    return RecipientRow{.member = MemberId(row.integer(0)),
                        .email = row.text(1),
                        .attempts = static_cast<int>(row.integer(2)),
                        .first_failure_at = row.optional_integer(3)};
}

constexpr std::size_t kOutcomeChunk = 64;
constexpr std::size_t kOutcomeChunkSmall = 8;

// The statement storing `count` final outcomes: $1 the job, $2 the time, then (member, state,
// reply) for each. Built per call: a few microseconds beside the update it writes.
std::string final_outcomes_sql(std::size_t count) {
    std::string sql =
        "UPDATE list_delivery_recipients SET state = v.column2, attempts = attempts + 1, "
        "last_reply = v.column3, updated_at = $2 FROM (VALUES ";
    for (std::size_t idx = 0; idx < count; ++idx) {
        const std::size_t first = 3 + 3 * idx;
        sql += idx == 0 ? "(CAST($" : ", (CAST($";
        sql += std::to_string(first) + " AS BIGINT), $" + std::to_string(first + 1) + ", $" +
               std::to_string(first + 2) + ")";
    }
    return sql + ") AS v WHERE delivery_id = $1 AND member_id = v.column1";
}

}  // namespace

void insert_job(store::Connection& connection, ListId list, PostId post, std::int64_t now) {
    connection.execute(
        "INSERT INTO list_deliveries (list_id, post_id, created_at, next_attempt_at) "
        "VALUES ($1, $2, $3, $3) ON CONFLICT (post_id) DO NOTHING",
        {list.value(), post.value(), now});
}

void insert_edition_job(store::Connection& connection, ListId list, std::int64_t edition,
                        std::int64_t now) {
    connection.execute(
        "INSERT INTO list_deliveries (list_id, edition_id, created_at, next_attempt_at) "
        "VALUES ($1, $2, $3, $3) ON CONFLICT (edition_id) DO NOTHING",
        {list.value(), edition, now});
}

std::optional<Job> claim_job(store::Database& database, const std::string& worker, std::int64_t now,
                             std::int64_t lease_until, std::optional<std::int64_t> stale_before) {
    const std::string locking =
        database.dialect() == store::Dialect::Postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    const std::int64_t lease_length = lease_until - now;
    // A lease renewed at or before `stale_before` ends at or before stale_before + its length.
    const std::int64_t free_until =
        stale_before ? std::max(now, *stale_before + lease_length) : now;
    std::optional<Job> job;
    database.transact([&](store::Connection& connection) {
        job.reset();
        const auto row = connection.query_one(
            "UPDATE list_deliveries SET claimed_by = $1, lease_until = $2 WHERE id IN "
            "(SELECT id FROM list_deliveries WHERE finished_at IS NULL AND next_attempt_at <= $3 "
            "AND lease_until <= $4 ORDER BY id LIMIT 1" +
                locking + ") RETURNING id, list_id, post_id, created_at, snapshot_done, edition_id",
            {worker, lease_until, now, free_until});
        if (row) {
            job = Job{.id = row->integer(0),
                      .list = ListId(row->integer(1)),
                      .post = PostId(row->optional_integer(2).value_or(0)),
                      .edition = row->optional_integer(5),
                      .created_at = row->integer(3),
                      .snapshot_done = row->boolean(4)};
        }
    });
    return job;
}

void renew_lease(store::Connection& connection, std::int64_t job, std::int64_t lease_until) {
    connection.execute("UPDATE list_deliveries SET lease_until = $2 WHERE id = $1",
                       {job, lease_until});
}

std::vector<RecipientRow> snapshot_batch(store::Connection& connection, const Job& job,
                                         const std::string& delivery_mode, std::size_t limit,
                                         std::int64_t now) {
    const auto cursor = connection.query_one(
        "SELECT member_cursor, snapshot_done FROM list_deliveries WHERE id = $1", {job.id});
    COALITION_ASSERT(cursor.has_value(), "a claimed job exists");
    if (cursor->boolean(1)) {
        return {};
    }
    const store::Rows rows = connection.query(
        "INSERT INTO list_delivery_recipients (delivery_id, member_id, email, state, "
        "next_attempt_at, updated_at) "
        "SELECT $1, m.id, m.email, 'pending', $2, $2 FROM list_members m "
        "LEFT JOIN list_bounce_scores b ON b.member_id = m.id "
        "WHERE m.list_id = $3 AND m.id > $4 AND m.state = 'subscribed' "
        "AND m.delivery_mode = $7 AND m.subscribed_at <= $5 "
        "AND COALESCE(b.delivery_disabled, 0) = 0 ORDER BY m.id LIMIT $6 "
        "RETURNING member_id, email, attempts, first_failure_at",
        {job.id, now, job.list.value(), cursor->integer(0), job.created_at,
         static_cast<std::int64_t>(limit), delivery_mode});
    std::vector<RecipientRow> recipients;
    recipients.reserve(rows.size());
    for (const auto& row : rows) {
        recipients.push_back(to_recipient(row));
    }
    // RETURNING does not promise an order.
    std::sort(recipients.begin(), recipients.end(),
              [](const RecipientRow& a, const RecipientRow& b) {
                  return a.member.value() < b.member.value();
              });
    const std::int64_t next_cursor =
        recipients.empty() ? cursor->integer(0) : recipients.back().member.value();
    connection.execute(
        "UPDATE list_deliveries SET member_cursor = $2, snapshot_done = $3 WHERE id = $1",
        {job.id, next_cursor, std::int64_t{recipients.size() < limit ? 1 : 0}});
    return recipients;
}

std::vector<RecipientRow> due_recipients(store::Database& database, std::int64_t job,
                                         MemberId after, std::int64_t now, std::size_t limit) {
    std::vector<RecipientRow> recipients;
    for (const auto& row : database.query(
             "SELECT member_id, email, attempts, first_failure_at FROM list_delivery_recipients "
             "WHERE delivery_id = $1 AND state = 'pending' AND next_attempt_at <= $2 "
             "AND member_id > $3 ORDER BY member_id LIMIT $4",
             {job, now, after.value(), static_cast<std::int64_t>(limit)})) {
        recipients.push_back(to_recipient(row));
    }
    return recipients;
}

void record_outcomes(store::Connection& connection, std::int64_t job,
                     const std::vector<Outcome>& outcomes, std::int64_t now) {
    std::vector<const Outcome*> finals;
    finals.reserve(outcomes.size());
    for (const Outcome& outcome : outcomes) {
        if (outcome.state == RecipientState::Retry) {
            connection.execute(
                "UPDATE list_delivery_recipients SET attempts = attempts + 1, "
                "first_failure_at = COALESCE(first_failure_at, $5), next_attempt_at = $4, "
                "last_reply = $3, updated_at = $5 WHERE delivery_id = $1 AND member_id = $2",
                {job, outcome.member.value(), storable(outcome.reply), outcome.next_attempt_at,
                 now});
        } else {
            finals.push_back(&outcome);
        }
    }
    // Sent and failed rows, many a statement: UPDATE … FROM (VALUES …) (SQLite 3.33+ and
    // PostgreSQL). A short chunk repeats its last row up to one of the fixed sizes, so each size
    // is one prepared statement; a row joined twice with equal values is updated once.
    for (std::size_t start = 0; start < finals.size();) {
        const std::size_t left = finals.size() - start;
        const std::size_t size = left > kOutcomeChunkSmall ? kOutcomeChunk
                                 : left > 1                ? kOutcomeChunkSmall
                                                           : std::size_t{1};
        store::Params params{job, now};
        params.reserve(2 + 3 * size);
        for (std::size_t idx = 0; idx < size; ++idx) {
            const Outcome& outcome = *finals[std::min(start + idx, finals.size() - 1)];
            params.emplace_back(outcome.member.value());
            params.emplace_back(
                std::string(outcome.state == RecipientState::Sent ? "sent" : "failed"));
            params.emplace_back(storable(outcome.reply));
        }
        connection.execute(final_outcomes_sql(size), params);
        start += std::min(size, left);
    }
}

std::optional<std::int64_t> next_pending(store::Database& database, std::int64_t job) {
    const auto row = database.query_one(
        "SELECT MIN(next_attempt_at) FROM list_delivery_recipients "
        "WHERE delivery_id = $1 AND state = 'pending'",
        {job});
    return row ? row->optional_integer(0) : std::nullopt;
}

void release(store::Database& database, std::int64_t job,
             std::optional<std::int64_t> next_attempt_at, std::int64_t now) {
    database.transact([&](store::Connection& connection) {
        if (next_attempt_at) {
            connection.execute(
                "UPDATE list_deliveries SET next_attempt_at = $2, claimed_by = '', "
                "lease_until = 0 WHERE id = $1",
                {job, *next_attempt_at});
        } else {
            connection.execute(
                "UPDATE list_deliveries SET finished_at = $2, claimed_by = '', lease_until = 0 "
                "WHERE id = $1",
                {job, now});
        }
    });
}

std::string decorated_bytes(store::Database& database, PostId post) {
    const auto row =
        database.query_one("SELECT decorated FROM list_posts WHERE id = $1", {post.value()});
    if (!row) {
        return {};
    }
    return core::decode_base64(row->text(0)).value_or(std::string());
}

JobContent content(store::Database& database, const Job& job) {
    if (!job.edition) {
        return JobContent{.delivery_mode = "regular", .bytes = decorated_bytes(database, job.post)};
    }
    const auto row = database.query_one(
        "SELECT delivery_mode, bytes FROM list_digest_editions WHERE id = $1", {*job.edition});
    if (!row) {
        return {};
    }
    return JobContent{.delivery_mode = row->text(0),
                      .bytes = core::decode_base64(row->text(1)).value_or(std::string())};
}

DeliveryProgress progress(store::Database& database, PostId post) {
    DeliveryProgress progress;
    const auto job = database.query_one(
        "SELECT id, finished_at FROM list_deliveries WHERE post_id = $1", {post.value()});
    if (!job) {
        return progress;
    }
    progress.finished = !job->is_null(1);
    for (const auto& row :
         database.query("SELECT state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END, COUNT(*) "
                        "FROM list_delivery_recipients WHERE delivery_id = $1 GROUP BY 1, 2",
                        {job->integer(0)})) {
        const std::string state = row.text(0);
        const std::int64_t count = row.integer(2);
        progress.recipients += count;
        if (state == "sent") {
            progress.sent += count;
        } else if (state == "failed") {
            progress.failed += count;
        } else if (row.integer(1) != 0) {
            progress.deferred += count;
        }
    }
    return progress;
}

}  // namespace coalition::lists::delivery_store
