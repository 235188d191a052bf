#include "mail/outbox.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace coalition::mail {
namespace {

// The columns every read returns, in the order read_row() expects.
constexpr std::string_view kColumns =
    "id, mail_from, recipients, needs_smtputf8, message_id, subject, bytes, attempts, state, "
    "created_at, next_attempt_at, sent_at, last_reply, draft";

OutboxState parse_state(const std::string& text) {
    if (text == "sent") {
        return OutboxState::Sent;
    }
    if (text == "failed") {
        return OutboxState::Failed;
    }
    COALITION_ASSERT(text == "pending", "mail_outbox.state has a CHECK constraint");
    return OutboxState::Pending;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// A row as read. `draft` is the JSON of a message queued to be composed (Outbox::enqueue of an
// OutgoingMessage), or empty when `item.bytes` holds the message.
struct StoredItem {
    OutboxItem item;
    std::string draft;
};

StoredItem read_row(const store::Row& row) {
    StoredItem stored;
    OutboxItem& item = stored.item;
    item.id = row.integer(0);
    item.envelope.mail_from = row.text(1);
    item.envelope.recipients = split_lines(row.text(2));
    item.envelope.needs_smtputf8 = row.boolean(3);
    item.message_id = row.text(4);
    item.subject = row.text(5);
    item.bytes = row.text(6);
    item.attempts = static_cast<int>(row.integer(7));
    item.state = parse_state(row.text(8));
    item.created_at = row.integer(9);
    item.next_attempt_at = row.integer(10);
    item.sent_at = row.optional_integer(11);
    item.last_reply = row.text(12);
    stored.draft = row.text(13);
    return stored;
}

// The item with its bytes: a queued draft is composed now (outside any transaction: on SQLite
// the writer thread should only wait for the database). A draft that no longer parses leaves the
// bytes empty, which the worker records as a failure rather than sending nothing.
OutboxItem composed(StoredItem stored, const core::Clock& clock) {
    if (!stored.draft.empty()) {
        if (const auto message = outgoing_from_json(stored.draft)) {
            stored.item.bytes = compose(*message, clock, stored.item.message_id).bytes;
        }
    }
    return std::move(stored.item);
}

// Envelope recipients as mail_outbox.recipients keeps them: one per line (read back by
// split_lines).
std::string stored_recipients(const std::vector<std::string>& recipients) {
    std::string stored;
    for (const std::string& recipient : recipients) {
        COALITION_ASSERT(recipient.find('\n') == std::string::npos,
                         "an envelope address has no newline");
        stored += stored.empty() ? recipient : "\n" + recipient;
    }
    return stored;
}

// A relay's reply may hold any bytes; PostgreSQL TEXT takes only UTF-8 without NUL.
std::string storable_reply(const std::string& reply) {
    std::string safe = reply.substr(0, 2000);
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

}  // namespace

const char* to_string(OutboxState state) {
    switch (state) {
        case OutboxState::Pending:
            return "pending";
        case OutboxState::Sent:
            return "sent";
        case OutboxState::Failed:
            return "failed";
    }
    return "pending";
}

Outbox::Outbox(store::Database& database, const core::Clock& clock)
    : database_(database), clock_(clock) {
}

std::int64_t Outbox::enqueue(store::Connection& connection, const ComposedMessage& message,
                             const std::string& subject) {
    COALITION_ASSERT(!message.envelope.recipients.empty(),
                     "a message needs at least one recipient");
    const std::string recipients = stored_recipients(message.envelope.recipients);
    const std::int64_t now = clock_.unix_now();
    const auto id = connection.insert_returning_id(
        "INSERT INTO mail_outbox (mail_from, recipients, needs_smtputf8, message_id, subject, "
        "bytes, state, attempts, next_attempt_at, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
        {message.envelope.mail_from, recipients,
         std::int64_t{message.envelope.needs_smtputf8 ? 1 : 0}, message.message_id,
         storable_reply(subject), message.bytes, now});
    COALITION_ASSERT(id.has_value(), "an INSERT without a conflict clause inserts its row");
    return *id;
}

std::int64_t Outbox::enqueue(store::Connection& connection, const OutgoingMessage& message) {
    return enqueue(connection, prepare(message));
}

PreparedMessage Outbox::prepare(const OutgoingMessage& message) {
    COALITION_ASSERT(!message.to.empty(), "a message needs at least one recipient");
    static thread_local core::SecureRandom random;
    Envelope envelope = envelope_of(message);
    return PreparedMessage{.mail_from = std::move(envelope.mail_from),
                           .recipients = stored_recipients(envelope.recipients),
                           .needs_smtputf8 = envelope.needs_smtputf8,
                           .message_id = new_message_id(message, random),
                           .subject = storable_reply(message.subject),
                           .draft = to_json(message)};
}

std::int64_t Outbox::enqueue(store::Connection& connection, const PreparedMessage& message) {
    const std::int64_t now = clock_.unix_now();
    const auto id = connection.insert_returning_id(
        "INSERT INTO mail_outbox (mail_from, recipients, needs_smtputf8, message_id, subject, "
        "bytes, draft, state, attempts, next_attempt_at, created_at) "
        "VALUES ($1, $2, $3, $4, $5, '', $6, 'pending', 0, $7, $7)",
        {message.mail_from, message.recipients, std::int64_t{message.needs_smtputf8 ? 1 : 0},
         message.message_id, message.subject, message.draft, now});
    COALITION_ASSERT(id.has_value(), "an INSERT without a conflict clause inserts its row");
    return *id;
}

std::vector<OutboxItem> Outbox::claim_due(int limit, std::chrono::seconds lease,
                                          const std::string& worker) {
    const std::int64_t now = clock_.unix_now();
    // PostgreSQL: SKIP LOCKED lets concurrent claimers pass over each other's rows instead of
    // waiting and then claiming the same ones. SQLite has one writer, so the statement is atomic.
    const std::string locking =
        database_.dialect() == store::Dialect::Postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    const std::string sql =
        "UPDATE mail_outbox SET claimed_until = $1, claimed_by = $2, attempts = attempts + 1 "
        "WHERE id IN (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= $3 "
        "AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY id LIMIT $4" +
        locking + ") RETURNING " + std::string(kColumns);
    std::vector<StoredItem> claimed;
    database_.transact([&](store::Connection& connection) {
        claimed.clear();
        const store::Rows rows =
            connection.query(sql, {now + lease.count(), worker, now, std::int64_t{limit}});
        for (const store::Row& row : rows) {
            claimed.push_back(read_row(row));
        }
    });
    std::vector<OutboxItem> items;
    items.reserve(claimed.size());
    for (auto& stored : claimed) {
        items.push_back(composed(std::move(stored), clock_));
    }
    // RETURNING does not promise an order.
    std::sort(items.begin(), items.end(),
              [](const OutboxItem& a, const OutboxItem& b) { return a.id < b.id; });
    return items;
}

void Outbox::mark(std::int64_t id, OutboxState state, const std::string& reply,
                  std::int64_t next_attempt) {
    const std::int64_t now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        connection.execute(
            "UPDATE mail_outbox SET state = $2, last_reply = $3, next_attempt_at = $4, "
            "sent_at = $5, "
            "claimed_until = NULL, claimed_by = NULL WHERE id = $1 AND state = 'pending'",
            {id, std::string(to_string(state)), storable_reply(reply), next_attempt,
             state == OutboxState::Sent ? store::Value(now) : store::Value(nullptr)});
    });
}

void Outbox::mark_sent(std::int64_t id, const std::string& reply) {
    mark(id, OutboxState::Sent, reply, clock_.unix_now());
}

void Outbox::mark_retry(std::int64_t id, const std::string& reply, std::int64_t next_attempt) {
    mark(id, OutboxState::Pending, reply, next_attempt);
}

void Outbox::mark_failed(std::int64_t id, const std::string& reply) {
    mark(id, OutboxState::Failed, reply, clock_.unix_now());
}

void Outbox::release(std::int64_t id) {
    database_.transact([&](store::Connection& connection) {
        connection.execute(
            "UPDATE mail_outbox SET claimed_until = NULL, claimed_by = NULL, "
            "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END "
            "WHERE id = $1 AND state = 'pending'",
            {id});
    });
}

std::vector<std::string> Outbox::claimers() {
    std::vector<std::string> out;
    for (const auto& row : database_.query("SELECT DISTINCT claimed_by FROM mail_outbox "
                                           "WHERE state = 'pending' AND claimed_by IS NOT NULL")) {
        out.push_back(row.text(0));
    }
    return out;
}

std::int64_t Outbox::release_claims_of(const std::string& claimer) {
    std::int64_t cleared = 0;
    database_.transact([&](store::Connection& connection) {
        cleared = connection.execute(
            "UPDATE mail_outbox SET claimed_until = NULL, claimed_by = NULL "
            "WHERE state = 'pending' AND claimed_by = $1",
            {claimer});
    });
    return cleared;
}

std::int64_t Outbox::depth() {
    const auto row =
        database_.query_one("SELECT COUNT(*) FROM mail_outbox WHERE state = 'pending'");
    return row ? row->integer(0) : 0;
}

std::vector<OutboxItem> Outbox::recent(int limit) {
    const store::Rows rows = database_.query(
        "SELECT " + std::string(kColumns) + " FROM mail_outbox ORDER BY id DESC LIMIT $1",
        {std::int64_t{limit}});
    std::vector<OutboxItem> items;
    items.reserve(rows.size());
    for (const store::Row& row : rows) {
        items.push_back(composed(read_row(row), clock_));
    }
    return items;
}

std::optional<OutboxItem> Outbox::find(std::int64_t id) {
    const auto row = database_.query_one(
        "SELECT " + std::string(kColumns) + " FROM mail_outbox WHERE id = $1", {id});
    if (!row) {
        return std::nullopt;
    }
    return composed(read_row(*row), clock_);
}

}  // namespace coalition::mail
