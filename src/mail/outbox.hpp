#pragma once
// mail::Outbox: the durable queue of outgoing mail (table `mail_outbox`). A message is a row,
// written in the same transaction as the change that caused it, so "we sent you a link" is never
// said about a mail that was not kept. Workers claim rows with a lease: a worker killed between
// claim and send loses its claim when the lease ends, and the message is sent by the next claim.
// PostgreSQL claims with FOR UPDATE SKIP LOCKED so several servers never claim the same row.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "mail/message.hpp"
#include "store/database.hpp"

namespace coalition::mail {

enum class OutboxState { Pending, Sent, Failed };

struct OutboxItem {
    std::int64_t id = 0;
    Envelope envelope;
    std::string message_id;
    std::string subject;  // For the admin page.
    std::string bytes;
    int attempts = 0;     // Including the current claim.
    OutboxState state = OutboxState::Pending;
    std::int64_t created_at = 0;
    std::string last_reply;  // The relay's last reply, kept for failures.
};

class Outbox {
public:
    Outbox(store::Database& database, const core::Clock& clock);

    // Queues `message` inside the caller's transaction `connection`. Returns the row id.
    std::int64_t enqueue(store::Connection& connection, const ComposedMessage& message, const std::string& subject);

    // Claims up to `limit` due messages for `lease`, in queue order, for `worker`. Returns
    // nothing when none are due. Throws core::Unavailable when the database is gone.
    std::vector<OutboxItem> claim_due(int limit, std::chrono::seconds lease, const std::string& worker);

    void mark_sent(std::int64_t id, const std::string& reply);
    // A 4xx or a connection failure: tries again at `next_attempt` (Unix seconds).
    void mark_retry(std::int64_t id, const std::string& reply, std::int64_t next_attempt);
    // A 5xx, or too many attempts: never tried again; the reply is kept.
    void mark_failed(std::int64_t id, const std::string& reply);

    // Messages not yet sent or failed (for /metrics and /healthz).
    std::int64_t depth();
    // The most recent messages, newest first (for the admin outbox page).
    std::vector<OutboxItem> recent(int limit);
    std::optional<OutboxItem> find(std::int64_t id);

private:
    store::Database& database_;
    const core::Clock& clock_;
};

}  // namespace coalition::mail
