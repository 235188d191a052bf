#pragma once
// mail::OutboxWorker: the background worker that drains the Outbox through a Transport. It
// claims a batch with a lease, delivers each message, and records the outcome: sent, retried
// later with exponential backoff (60 s, 120 s, 240 s, … at most 1 h), or failed (a 5xx, or
// max_attempts used up). Several workers, in one process or several on one PostgreSQL, may run
// side by side; the Outbox's claims keep them apart.

#include "core/clock.hpp"
#include "mail/outbox.hpp"
#include "mail/transport.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace coalition::mail {

struct OutboxWorkerOptions {
    std::string worker_name = "outbox";  // Recorded as mail_outbox.claimed_by; unique per worker.
    int batch_size = 20;
    std::chrono::seconds lease{std::chrono::minutes(5)};  // Longer than a batch's delivery.
    std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};
    int max_attempts = 8;
    // After a relay that cannot be reached at all, the rest of the batch goes back to the queue
    // and the worker waits this long before claiming again (as an MTA defers a dead
    // destination): not one failed connection, backoff row and log line per queued message.
    std::chrono::milliseconds unreachable_pause{std::chrono::seconds(30)};
    // Whether the worker named so is known to be dead (its server was killed). start() first
    // releases the claims of such workers (Outbox::release_claims_of), so their mail goes out
    // now rather than when the lease ends. Unset: every claim waits for its lease.
    std::function<bool(const std::string& worker_name)> is_dead;
    // Where problems are reported (a database outage, a failed message); stderr when empty.
    // Called from the worker thread. Never receives a password.
    std::function<void(const std::string&)> log;
};

// The delay before attempt `attempts + 1` after `attempts` failed ones: 60 s doubled per
// attempt, capped at one hour.
std::chrono::seconds retry_delay(int attempts);

class OutboxWorker {
public:
    // `outbox`, `transport` and `clock` must outlive the worker.
    OutboxWorker(Outbox& outbox, Transport& transport, const core::Clock& clock,
                 OutboxWorkerOptions options = {});
    // Stops the thread if it runs.
    ~OutboxWorker();
    OutboxWorker(const OutboxWorker&) = delete;
    OutboxWorker& operator=(const OutboxWorker&) = delete;

    // Starts the background thread: it runs run_once() until a batch comes back short, then
    // waits poll_interval or until notify(). Calling start() twice is a bug.
    void start();
    // Wakes the thread now (new mail was queued). Thread-safe; harmless when not started.
    void notify();
    // Finishes the message in hand, gives the rest of the batch back to the queue, and joins
    // the thread. Idempotent; thread-safe.
    void stop();

    // Claims one batch and delivers it on the calling thread. Returns how many messages were
    // handled (sent, retried or failed). A database outage (core::Unavailable) is logged and
    // ends the batch; the lease brings the unfinished messages back. For tests and for a
    // one-shot CLI flush; do not call it while the thread runs.
    int run_once();

private:
    void run();
    void release_claims_of_dead_workers();
    // Delivers `item` and records the outcome; true when the relay could not be reached.
    bool handle(const OutboxItem& item);
    void report(const std::string& message);

    Outbox& outbox_;
    Transport& transport_;
    const core::Clock& clock_;
    const OutboxWorkerOptions options_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // Guarded by mutex_.
    bool notified_ = false;  // Guarded by mutex_.
    // Set by run_once() when the relay was unreachable; run() then waits unreachable_pause.
    bool relay_unreachable_ = false;  // Guarded by mutex_.
    std::thread thread_;
};

}  // namespace coalition::mail
