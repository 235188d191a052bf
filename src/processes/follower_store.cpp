#include "processes/follower_store.hpp"

#include "core/assert.hpp"

namespace coalition::processes::follower_store {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, email, user_id, language, time_zone, reminder_days, token_salt, created_at, "
    "updated_at FROM process_followers ";

std::vector<ProcessId> follows_of(const store::Rows& rows) {
    std::vector<ProcessId> ids;
    ids.reserve(rows.size());
    for (const auto& row : rows) {
        ids.emplace_back(row.integer(0));
    }
    return ids;
}

Follower follower_from(const store::Row& row) {
    auto email = core::Email::parse(row.text(1));
    COALITION_ASSERT(email.has_value(), "a stored follower address is valid");
    Follower follower{.id = FollowerId(row.integer(0)),
                      .email = *email,
                      .user_id = std::nullopt,
                      .language = row.text(3),
                      .time_zone = row.text(4),
                      .reminder_days = {},
                      .process_ids = {},
                      .token_salt = row.text(6),
                      .created_at = row.integer(7),
                      .updated_at = row.integer(8)};
    if (const auto user = row.optional_integer(2)) {
        follower.user_id = accounts::UserId(*user);
    }
    if (auto days = parse_reminder_days(row.text(5))) {
        follower.reminder_days = std::move(*days);
    }
    return follower;
}

constexpr std::string_view kFollowsSql =
    "SELECT process_id FROM process_follows WHERE follower_id = $1 ORDER BY process_id";

std::optional<Follower> with_follows(store::Database& database, std::optional<store::Row> row) {
    if (!row) {
        return std::nullopt;
    }
    Follower follower = follower_from(*row);
    follower.process_ids = follows_of(database.query(kFollowsSql, {follower.id.value()}));
    return follower;
}

}  // namespace

FollowerId upsert_follower(store::Connection& connection, const NewFollower& follower,
                           std::int64_t now) {
    store::Value user = nullptr;
    if (follower.user_id) {
        user = follower.user_id->value();
    }
    const auto row = connection.query_one(
        "INSERT INTO process_followers (email, email_canonical, user_id, language, time_zone, "
        "reminder_days, token_salt, manage_token_hash, calendar_token_hash, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) "
        "ON CONFLICT (email_canonical) DO UPDATE SET "
        "user_id = COALESCE(EXCLUDED.user_id, process_followers.user_id), updated_at = $10 "
        "RETURNING id",
        {follower.email, follower.email_canonical, user, follower.language, follower.time_zone,
         follower.reminder_days, follower.token_salt, follower.manage_token_hash,
         follower.calendar_token_hash, now});
    COALITION_ASSERT(row.has_value(), "an upsert returns its row");
    return FollowerId(row->integer(0));
}

std::optional<Follower> find_by_token_hash(store::Database& database, std::string_view column,
                                           const std::string& hash) {
    COALITION_ASSERT(column == "manage_token_hash" || column == "calendar_token_hash",
                     "a follower token column");
    return with_follows(
        database, database.query_one(
                      std::string(kColumns) + "WHERE " + std::string(column) + " = $1", {hash}));
}

std::optional<Follower> find_by_email(store::Database& database, const std::string& canonical) {
    return with_follows(
        database,
        database.query_one(std::string(kColumns) + "WHERE email_canonical = $1", {canonical}));
}

std::optional<Follower> find(store::Connection& connection, FollowerId id) {
    const auto row = connection.query_one(std::string(kColumns) + "WHERE id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    Follower follower = follower_from(*row);
    follower.process_ids = follows_of(connection.query(kFollowsSql, {id.value()}));
    return follower;
}

std::vector<Follower> active_followers(store::Database& database) {
    std::vector<Follower> followers;
    for (const auto& row :
         database.query(std::string(kColumns) +
                        "WHERE id IN (SELECT follower_id FROM process_follows) ORDER BY id")) {
        followers.push_back(follower_from(row));
    }
    const auto follows = database.query(
        "SELECT follower_id, process_id FROM process_follows ORDER BY follower_id, process_id");
    std::size_t follower_idx = 0;
    for (const auto& row : follows) {
        while (follower_idx < followers.size() &&
               followers[follower_idx].id.value() < row.integer(0)) {
            ++follower_idx;
        }
        if (follower_idx < followers.size() &&
            followers[follower_idx].id.value() == row.integer(0)) {
            followers[follower_idx].process_ids.emplace_back(row.integer(1));
        }
    }
    return followers;
}

void add_follow(store::Connection& connection, FollowerId follower, ProcessId process,
                std::int64_t now) {
    connection.execute(
        "INSERT INTO process_follows (follower_id, process_id, created_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (follower_id, process_id) DO NOTHING",
        {follower.value(), process.value(), now});
}

void remove_follow(store::Connection& connection, FollowerId follower, ProcessId process) {
    connection.execute("DELETE FROM process_follows WHERE follower_id = $1 AND process_id = $2",
                       {follower.value(), process.value()});
}

void remove_all_follows(store::Connection& connection, FollowerId follower) {
    connection.execute("DELETE FROM process_follows WHERE follower_id = $1", {follower.value()});
}

void remove_follows_of_process(store::Connection& connection, ProcessId process) {
    connection.execute("DELETE FROM process_follows WHERE process_id = $1", {process.value()});
}

void update_preferences(store::Connection& connection, FollowerId follower,
                        const std::string& reminder_days, const std::string& language,
                        const std::string& time_zone, std::int64_t now) {
    connection.execute(
        "UPDATE process_followers SET reminder_days = $2, language = $3, time_zone = $4, "
        "updated_at = $5 WHERE id = $1",
        {follower.value(), reminder_days, language, time_zone, now});
}

void insert_confirmation(store::Connection& connection, const std::string& token_hash,
                         const std::string& email, const std::string& email_canonical,
                         const Confirmation& confirmation, std::int64_t now) {
    connection.execute(
        "INSERT INTO process_follow_confirmations (token_hash, email, email_canonical, "
        "process_ids, language, time_zone, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {token_hash, email, email_canonical, confirmation.process_ids, confirmation.language,
         confirmation.time_zone, now, confirmation.expires_at});
}

std::int64_t count_recent_confirmations(store::Connection& connection,
                                        const std::string& email_canonical, std::int64_t since) {
    return connection
        .query_one(
            "SELECT COUNT(*) FROM process_follow_confirmations "
            "WHERE email_canonical = $1 AND created_at >= $2",
            {email_canonical, since})
        ->integer(0);
}

std::optional<Confirmation> find_confirmation(store::Database& database,
                                              const std::string& token_hash, std::int64_t now) {
    const auto row = database.query_one(
        "SELECT email, process_ids, language, time_zone, expires_at "
        "FROM process_follow_confirmations "
        "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        {token_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return Confirmation{.email = row->text(0),
                        .process_ids = row->text(1),
                        .language = row->text(2),
                        .time_zone = row->text(3),
                        .expires_at = row->integer(4)};
}

bool use_confirmation(store::Connection& connection, const std::string& token_hash,
                      std::int64_t now) {
    return connection.execute(
               "UPDATE process_follow_confirmations SET used_at = $2 "
               "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
               {token_hash, now}) == 1;
}

std::set<ReminderKey> reminders_sent_since(store::Database& database, std::int64_t from) {
    std::set<ReminderKey> keys;
    for (const auto& row :
         database.query("SELECT follower_id, milestone_id, deadline_utc, offset_days "
                        "FROM process_reminders_sent WHERE deadline_utc >= $1",
                        {from})) {
        keys.emplace(row.integer(0), row.integer(1), row.integer(2),
                     static_cast<int>(row.integer(3)));
    }
    return keys;
}

bool record_reminder(store::Connection& connection, const ReminderKey& key, std::int64_t now) {
    // ON CONFLICT DO NOTHING: a second server racing for the same reminder waits for the first
    // one's commit (PostgreSQL's unique index) and then changes nothing, so it queues nothing.
    return connection.execute(
               "INSERT INTO process_reminders_sent (follower_id, milestone_id, deadline_utc, "
               "offset_days, sent_at) VALUES ($1, $2, $3, $4, $5) "
               "ON CONFLICT (follower_id, milestone_id, deadline_utc, offset_days) DO NOTHING",
               {std::get<0>(key), std::get<1>(key), std::get<2>(key),
                std::int64_t{std::get<3>(key)}, now}) == 1;
}

std::set<std::pair<std::int64_t, std::int64_t>> digests_sent_since(store::Database& database,
                                                                   std::int64_t from_week) {
    std::set<std::pair<std::int64_t, std::int64_t>> sent;
    for (const auto& row :
         database.query("SELECT follower_id, week_start FROM process_digests_sent "
                        "WHERE week_start >= $1",
                        {from_week})) {
        sent.emplace(row.integer(0), row.integer(1));
    }
    return sent;
}

bool record_digest(store::Connection& connection, FollowerId follower, std::int64_t week_start,
                   std::int64_t now) {
    return connection.execute(
               "INSERT INTO process_digests_sent (follower_id, week_start, sent_at) "
               "VALUES ($1, $2, $3) ON CONFLICT (follower_id, week_start) DO NOTHING",
               {follower.value(), week_start, now}) == 1;
}

}  // namespace coalition::processes::follower_store
