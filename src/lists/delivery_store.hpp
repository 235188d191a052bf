#pragma once
// SQL for delivery jobs and their recipients (tables list_deliveries, list_delivery_recipients of
// migration 0010), and the reads of list_members and list_posts that the snapshot needs. Private
// to lists/ (delivery.cpp and its test).

#include "lists/delivery.hpp"
#include "lists/list.hpp"
#include "lists/member.hpp"
#include "lists/posts.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::lists::delivery_store {

// A job delivers a post (to the members on regular delivery) or a digest edition (to the members
// on that edition's digest mode).
struct Job {
    std::int64_t id = 0;
    ListId list;
    PostId post;                          // 0 for a digest edition.
    std::optional<std::int64_t> edition;  // list_digest_editions.id
    std::int64_t created_at = 0;
    bool snapshot_done = false;
};

// What a job sends, and to whom.
struct JobContent {
    std::string delivery_mode;  // "regular", or the edition's "digest" / "digest-plain".
    std::string bytes;          // "" when the post or edition has no bytes.
};

struct RecipientRow {
    MemberId member;
    std::string email;  // As the member row had it at the snapshot.
    int attempts = 0;
    std::optional<std::int64_t> first_failure_at;
};

enum class RecipientState { Sent, Retry, Failed };

struct Outcome {
    MemberId member;
    RecipientState state = RecipientState::Sent;
    std::string reply;
    std::int64_t next_attempt_at = 0;  // Retry only.
};

void insert_job(store::Connection& connection, ListId list, PostId post, std::int64_t now);
void insert_edition_job(store::Connection& connection, ListId list, std::int64_t edition,
                        std::int64_t now);

// Claims the oldest due unfinished job whose lease has ended (or, `stale_before` given, was last
// renewed at or before it) for `worker` until `lease_until`.
std::optional<Job> claim_job(store::Database& database, const std::string& worker, std::int64_t now,
                             std::int64_t lease_until, std::optional<std::int64_t> stale_before);
void renew_lease(store::Connection& connection, std::int64_t job, std::int64_t lease_until);

// Writes a pending row for each of the next `limit` members after the job's cursor who receive
// the job's content (subscribed at or before the job was created, on `delivery_mode`, delivery
// not disabled by bounces) and moves the cursor past them, in one transaction; the job's snapshot
// is done when fewer came. Returns the rows written, by member id.
std::vector<RecipientRow> snapshot_batch(store::Connection& connection, const Job& job,
                                         const std::string& delivery_mode, std::size_t limit,
                                         std::int64_t now);

// Pending rows due at `now` with a member id above `after`, by member id.
std::vector<RecipientRow> due_recipients(store::Database& database, std::int64_t job,
                                         MemberId after, std::int64_t now, std::size_t limit);

// Stores each outcome (a Retry counts the attempt and keeps its first failure time).
void record_outcomes(store::Connection& connection, std::int64_t job,
                     const std::vector<Outcome>& outcomes, std::int64_t now);

// The earliest retry among the job's pending rows; nullopt when none is pending.
std::optional<std::int64_t> next_pending(store::Database& database, std::int64_t job);
// Gives the job back until `next_attempt_at`, or marks it finished at `now` (nullopt).
void release(store::Database& database, std::int64_t job,
             std::optional<std::int64_t> next_attempt_at, std::int64_t now);

// The post's decorated bytes ("" when it has none).
std::string decorated_bytes(store::Database& database, PostId post);
// The job's bytes and recipients' delivery mode (a post's decorated bytes, or the edition's).
JobContent content(store::Database& database, const Job& job);

DeliveryProgress progress(store::Database& database, PostId post);

}  // namespace coalition::lists::delivery_store
