#pragma once
// mail::Outbox: the durable queue of outgoing mail (table `mail_outbox`). A message is a row,
// written in the same transaction as the change that caused it, so "we sent you a link" is never
// said about a mail that was not kept. Workers claim rows with a lease: a worker killed between
// claim and send loses its claim when the lease ends, and the message is sent by the next claim.
// PostgreSQL claims with FOR UPDATE SKIP LOCKED so several servers never claim the same row;
// SQLite's single writer serialises claims. Delivery is at least once: a worker that sends and
// then dies before mark_sent commits leaves a row that is sent again after its lease.

#include "core/clock.hpp"
#include "mail/message.hpp"
#include "store/database.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::mail {

enum class OutboxState { Pending, Sent, Failed };

// "pending", "sent", "failed": as stored, and for the admin page.
const char* to_string(OutboxState state);

struct OutboxItem {
    std::int64_t id = 0;
    Envelope envelope;
    std::string message_id;
    std::string subject;  // For the admin page.
    std::string bytes;
    int attempts = 0;  // Claims so far, the current one included.
    OutboxState state = OutboxState::Pending;
    std::int64_t created_at = 0;          // Unix seconds.
    std::int64_t next_attempt_at = 0;     // Unix seconds; meaningful while pending.
    std::optional<std::int64_t> sent_at;  // Unix seconds, once sent.
    std::string last_reply;               // The relay's last reply, kept for failures.
};

// An OutgoingMessage made ready to be queued as a draft: its envelope, Message-ID and JSON,
// computed before the caller's transaction (Outbox::prepare) so that the transaction — on
// SQLite, time on the one writer thread — only inserts the row.
struct PreparedMessage {
    std::string mail_from;
    std::string recipients;  // One per line.
    bool needs_smtputf8 = false;
    std::string message_id;
    std::string subject;  // For the admin page.
    std::string draft;    // to_json of the message.
};

// Thread-safe (every call is its own transaction or read) as long as `database` and `clock`
// outlive the Outbox. Every method throws core::Unavailable when the database is gone.
class Outbox {
public:
    Outbox(store::Database& database, const core::Clock& clock);

    // Queues `message` inside the caller's transaction `connection`, due now. `subject` is kept
    // for the admin page only. Returns the row id. The message's bytes must be valid UTF-8
    // without NUL (compose() guarantees it).
    std::int64_t enqueue(store::Connection& connection, const ComposedMessage& message,
                         const std::string& subject);
    // Queues `message` to be composed when it is read back to be sent (or shown): its
    // Message-ID is fixed now, its Date is the time of composing. Composing takes GMime about a
    // tenth of a millisecond, and on SQLite the caller's transaction waits for the one writer;
    // a burst of sign-ups should wait only for its rows. The subject is kept for the admin page.
    std::int64_t enqueue(store::Connection& connection, const OutgoingMessage& message);
    // The same in two steps: prepare before the transaction, enqueue inside it.
    static PreparedMessage prepare(const OutgoingMessage& message);
    std::int64_t enqueue(store::Connection& connection, const PreparedMessage& message);

    // Claims up to `limit` due messages for `lease`, in queue order, for `worker`, and counts
    // the attempt. A message is due when pending, its next attempt time has come and nobody
    // holds an unexpired lease on it. Returns nothing when none are due.
    std::vector<OutboxItem> claim_due(int limit, std::chrono::seconds lease,
                                      const std::string& worker);

    // Each mark_* applies only to a pending message, keeps `reply` (made valid UTF-8) and clears
    // the claim.
    void mark_sent(std::int64_t id, const std::string& reply);
    // A 4xx or a connection failure: tries again at `next_attempt` (Unix seconds).
    void mark_retry(std::int64_t id, const std::string& reply, std::int64_t next_attempt);
    // A 5xx, or too many attempts: never tried again; the reply is kept.
    void mark_failed(std::int64_t id, const std::string& reply);
    // Gives a claimed but unattempted message back (a worker stopping mid-batch): due again at
    // once, and the claim's attempt is not counted.
    void release(std::int64_t id);
    // The workers that hold claims on pending messages now (mail_outbox.claimed_by).
    std::vector<std::string> claimers();
    // Clears the claims `claimer` holds, so those messages are due again at once: for a worker
    // known to be dead (its server was killed mid-batch), whose lease would otherwise hold a
    // confirmation mail back for minutes. The claims' attempts stay counted (they may have been
    // sent). Returns how many were cleared.
    std::int64_t release_claims_of(const std::string& claimer);

    // Messages not yet sent or failed (for /metrics and /healthz).
    std::int64_t depth();
    // The most recent messages, newest first (for the admin outbox page).
    std::vector<OutboxItem> recent(int limit);
    std::optional<OutboxItem> find(std::int64_t id);

private:
    void mark(std::int64_t id, OutboxState state, const std::string& reply,
              std::int64_t next_attempt);

    store::Database& database_;
    const core::Clock& clock_;
};

}  // namespace coalition::mail
