#pragma once
// Delivery: each accepted post (and each digest edition) becomes one durable job (table
// list_deliveries) that a worker fans out to the post's recipients — the members on regular
// delivery when the post was accepted — over a pool of reused SMTP connections to the relay.
// Personalised mode (default): one SMTP transaction per recipient, VERP envelope sender
// NAME-bounces+local=domain@DOMAIN and the member's own List-Unsubscribe; bulk mode: many RCPT per
// transaction, the plain bounce address, no personal headers. 4xx are retried with backoff; 5xx are
// recorded as bounces (Bounces). Progress is committed in batches, so a server killed mid-delivery
// resumes where it was on restart: no recipient is lost, and duplicates are bounded by the batches
// in flight.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"
#include "lists/posts.hpp"
#include "store/database.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace coalition::mail {
struct SmtpRelay;
}

namespace coalition::lists {

class Subscriptions;
class Bounces;

// In the caller's transaction (intake's, as it accepts the post): schedules the post's delivery.
// Cheap: one row; the recipients are read by the worker.
void schedule_delivery(store::Connection& connection, ListId list, PostId post, std::int64_t now);
// In the caller's transaction (Digests', as it records a digest): schedules the delivery of one
// digest edition (list_digest_editions.id) to the members on its digest mode.
void schedule_edition_delivery(store::Connection& connection, ListId list, std::int64_t edition,
                               std::int64_t now);

struct DeliverySettings {
    std::size_t connections = 4;        // SMTP connections kept open to the relay, in parallel.
    std::size_t batch_size = 500;       // Recipients claimed and committed together.
    std::size_t bulk_recipients = 100;  // RCPT per transaction in bulk mode.
    bool bulk = false;                  // [lists] delivery = "bulk"
    std::chrono::seconds first_retry{60};
    std::chrono::seconds max_retry{std::chrono::hours(4)};
    std::chrono::seconds give_up_after{std::chrono::hours(72)};
    std::chrono::milliseconds poll_interval{200};
};

// Counts for the owner's pages and tests.
struct DeliveryProgress {
    std::int64_t recipients = 0;
    std::int64_t sent = 0;
    std::int64_t deferred = 0;  // Waiting for a retry.
    std::int64_t failed = 0;    // 5xx or given up.
    bool finished = false;
};

class DeliveryWorker {
public:
    // Without a relay (`relay` null) messages are written to the file outbox directory instead
    // (the demo), one .eml per recipient transaction.
    DeliveryWorker(store::Database& database, const core::Clock& clock,
                   Subscriptions& subscriptions, Bounces& bounces, const mail::SmtpRelay* relay,
                   std::string file_directory, DeliverySettings settings);
    ~DeliveryWorker();
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

    void start();  // Threads: one claimer plus `connections` senders.
    void stop();   // Finishes the transactions in flight, then joins.
    // A job was scheduled (Intake::on_delivery_scheduled): the claimer looks now rather than at
    // its next poll. Thread-safe; cheap when nothing waits.
    void notify();

    // Runs every due job until none is left, on the calling thread (tests, `coalition deliver`).
    void run_until_idle();

    DeliveryProgress progress(PostId post) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace coalition::lists
