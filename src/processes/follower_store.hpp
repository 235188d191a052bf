#pragma once
// The followers' SQL (migrations/0017_processes_followers.sql); nobody else touches these
// tables. Writers take the caller's transaction; readers use the database's reader pool.

#include "processes/followers.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace coalition::processes::follower_store {

// A follower row as stored; its process ids are filled by the finders below.
struct NewFollower {
    std::string email;
    std::string email_canonical;
    std::optional<accounts::UserId> user_id;
    std::string language;
    std::string time_zone;
    std::string reminder_days;
    std::string token_salt;
    std::string manage_token_hash;
    std::string calendar_token_hash;
};

// Inserts the follower, or (same canonical address) keeps the existing row and links `user_id`
// when given. Returns the row's id.
FollowerId upsert_follower(store::Connection& connection, const NewFollower& follower,
                           std::int64_t now);

std::optional<Follower> find_by_token_hash(store::Database& database, std::string_view column,
                                           const std::string& hash);
std::optional<Follower> find_by_email(store::Database& database, const std::string& canonical);
std::optional<Follower> find(store::Connection& connection, FollowerId id);
// Every follower with at least one follow, their process ids filled.
std::vector<Follower> active_followers(store::Database& database);

void add_follow(store::Connection& connection, FollowerId follower, ProcessId process,
                std::int64_t now);
void remove_follow(store::Connection& connection, FollowerId follower, ProcessId process);
void remove_all_follows(store::Connection& connection, FollowerId follower);
void remove_follows_of_process(store::Connection& connection, ProcessId process);
void update_preferences(store::Connection& connection, FollowerId follower,
                        const std::string& reminder_days, const std::string& language,
                        const std::string& time_zone, std::int64_t now);

struct Confirmation {
    std::string email;
    std::string process_ids;  // "3,7"
    std::string language;
    std::string time_zone;
    std::int64_t expires_at = 0;
};
void insert_confirmation(store::Connection& connection, const std::string& token_hash,
                         const std::string& email, const std::string& email_canonical,
                         const Confirmation& confirmation, std::int64_t now);
std::int64_t count_recent_confirmations(store::Connection& connection,
                                        const std::string& email_canonical, std::int64_t since);
// An unused confirmation that has not expired at `now`.
std::optional<Confirmation> find_confirmation(store::Database& database,
                                              const std::string& token_hash, std::int64_t now);
// Marks it used; false when it was used already or expired (a race lost).
bool use_confirmation(store::Connection& connection, const std::string& token_hash,
                      std::int64_t now);

// (follower, milestone, deadline_utc, offset_days) of reminders for deadlines at or after `from`.
using ReminderKey = std::tuple<std::int64_t, std::int64_t, std::int64_t, int>;
std::set<ReminderKey> reminders_sent_since(store::Database& database, std::int64_t from);
// True when this call recorded the reminder (it was not sent before): the caller then queues it.
bool record_reminder(store::Connection& connection, const ReminderKey& key, std::int64_t now);

// (follower, week_start) of digests for weeks starting at or after day `from_week`.
std::set<std::pair<std::int64_t, std::int64_t>> digests_sent_since(store::Database& database,
                                                                   std::int64_t from_week);
// True when this call recorded the digest (none before for this follower and week).
bool record_digest(store::Connection& connection, FollowerId follower, std::int64_t week_start,
                   std::int64_t now);

}  // namespace coalition::processes::follower_store
