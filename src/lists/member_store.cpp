#include "lists/member_store.hpp"

#include "core/assert.hpp"

#include <algorithm>
#include <utility>

namespace coalition::lists::member_store {
namespace {

constexpr const char* kColumns =
    "id, list_id, email, display_name, state, delivery_mode, language, source, created_at, "
    "updated_at, subscribed_at, unsubscribed_at, token_salt";

MemberState parse_state(const std::string& text) {
    if (text == "subscribed") {
        return MemberState::Subscribed;
    }
    if (text == "unsubscribed") {
        return MemberState::Unsubscribed;
    }
    COALITION_ASSERT(text == "pending", "a stored member state is known");
    return MemberState::Pending;
}

MemberSource parse_source(const std::string& text) {
    if (text == "mail") {
        return MemberSource::Mail;
    }
    if (text == "admin") {
        return MemberSource::Admin;
    }
    return MemberSource::Web;
}

MemberRow from_row(const store::Row& row) {
    auto email = core::Email::parse(row.text(2));
    COALITION_ASSERT(email.has_value(), "a stored member address parses");
    auto mode = parse_delivery_mode(row.text(5));
    COALITION_ASSERT(mode.has_value(), "a stored delivery mode parses");
    return MemberRow{.member = Member{.id = MemberId(row.integer(0)),
                                      .list_id = ListId(row.integer(1)),
                                      .email = std::move(*email),
                                      .display_name = row.text(3),
                                      .state = parse_state(row.text(4)),
                                      .delivery_mode = *mode,
                                      .language = row.text(6),
                                      .source = parse_source(row.text(7)),
                                      .created_at = row.integer(8),
                                      .updated_at = row.integer(9),
                                      .subscribed_at = row.optional_integer(10),
                                      .unsubscribed_at = row.optional_integer(11)},
                     .token_salt = row.text(12)};
}

std::vector<MemberRow> from_rows(const store::Rows& rows) {
    std::vector<MemberRow> members;
    members.reserve(rows.size());
    for (const auto& row : rows) {
        members.push_back(from_row(row));
    }
    return members;
}

std::string select() {
    return std::string("SELECT ") + kColumns + " FROM list_members ";
}

}  // namespace

std::optional<MemberRow> find(store::Database& database, ListId list,
                              const std::string& email_canonical) {
    const auto row = database.query_one(select() + "WHERE list_id = $1 AND email_canonical = $2",
                                        {list.value(), email_canonical});
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::optional<MemberRow> find(store::Connection& connection, MemberId id) {
    const auto row = connection.query_one(select() + "WHERE id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::optional<MemberRow> find(store::Database& database, MemberId id) {
    const auto row = database.query_one(select() + "WHERE id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::optional<MemberRow> find_by_token_hash(store::Database& database, const char* column,
                                            const std::string& token_hash) {
    const std::string name(column);
    COALITION_ASSERT(name == "unsubscribe_token_hash" || name == "preferences_token_hash",
                     "a token column");
    const auto row = database.query_one(select() + "WHERE " + name + " = $1", {token_hash});
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::unordered_map<std::int64_t, std::string> token_salts(store::Database& database, ListId list,
                                                          const std::vector<MemberId>& members) {
    std::unordered_map<std::int64_t, std::string> salts;
    if (members.empty()) {
        return salts;
    }
    // By primary key only, the list checked here: with "list_id = $1" in the WHERE, SQLite's
    // planner walks the list's whole (list_id, …) index for every chunk — 100,000 rows read for
    // 64 wanted, which made a 100,000-member personalised fan-out quadratic.
    static const std::string salts_sql = [] {
        std::string sql = "SELECT id, token_salt, list_id FROM list_members WHERE id IN (";
        for (std::size_t idx = 0; idx < kSaltChunk; ++idx) {
            sql += (idx == 0 ? "$" : ", $") + std::to_string(idx + 1);
        }
        return sql + ")";
    }();
    salts.reserve(members.size());
    for (std::size_t start = 0; start < members.size(); start += kSaltChunk) {
        std::vector<store::Value> params;
        params.reserve(kSaltChunk);
        for (std::size_t idx = 0; idx < kSaltChunk; ++idx) {
            // Past the end, the last id again: the IN list keeps its size.
            params.emplace_back(members[std::min(start + idx, members.size() - 1)].value());
        }
        for (const auto& row : database.query(salts_sql, params)) {
            if (row.integer(2) == list.value()) {
                salts.emplace(row.integer(0), row.text(1));
            }
        }
    }
    return salts;
}

std::vector<MemberRow> all(store::Database& database, ListId list,
                           const std::optional<MemberState>& state) {
    if (state) {
        return from_rows(
            database.query(select() + "WHERE list_id = $1 AND state = $2 ORDER BY email_canonical",
                           {list.value(), std::string(to_string(*state))}));
    }
    return from_rows(
        database.query(select() + "WHERE list_id = $1 ORDER BY email_canonical", {list.value()}));
}

std::vector<MemberRow> receiving(store::Database& database, ListId list, DeliveryMode mode) {
    // Members whose delivery bounces disabled get nothing, digests included (as delivery_store's
    // snapshot skips them for regular posts).
    return from_rows(database.query(select() + "WHERE list_id = $1 AND state = 'subscribed' AND "
                                               "delivery_mode = $2 AND NOT EXISTS (SELECT 1 FROM "
                                               "list_bounce_scores b WHERE b.member_id = "
                                               "list_members.id AND b.delivery_disabled = 1) "
                                               "ORDER BY id",
                                    {list.value(), std::string(to_string(mode))}));
}

std::vector<StateCount> counts(store::Database& database, ListId list) {
    std::vector<StateCount> counts;
    for (const auto& row : database.query(
             "SELECT state, delivery_mode, COUNT(*) FROM list_members WHERE list_id = $1 "
             "GROUP BY state, delivery_mode",
             {list.value()})) {
        auto mode = parse_delivery_mode(row.text(1));
        COALITION_ASSERT(mode.has_value(), "a stored delivery mode parses");
        counts.push_back({parse_state(row.text(0)), *mode, row.integer(2)});
    }
    return counts;
}

Upserted upsert_pending(store::Connection& connection, const Member& member, const TokenSet& tokens,
                        std::int64_t now) {
    // Only a row that is not subscribed changes; an unsubscribed one starts afresh with new
    // tokens, so links mailed before it left stop working once it comes back.
    const auto row = connection.query_one(
        "INSERT INTO list_members (list_id, email, email_canonical, display_name, state, "
        "delivery_mode, language, source, token_salt, unsubscribe_token_hash, "
        "preferences_token_hash, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, 'pending', 'regular', $5, $6, $7, $8, $9, $10, $10) "
        "ON CONFLICT (list_id, email_canonical) DO UPDATE SET "
        "email = excluded.email, "
        "display_name = CASE WHEN excluded.display_name = '' THEN list_members.display_name "
        "ELSE excluded.display_name END, "
        "language = excluded.language, source = excluded.source, updated_at = excluded.updated_at, "
        "token_salt = CASE WHEN list_members.state = 'unsubscribed' THEN excluded.token_salt "
        "ELSE list_members.token_salt END, "
        "unsubscribe_token_hash = CASE WHEN list_members.state = 'unsubscribed' "
        "THEN excluded.unsubscribe_token_hash ELSE list_members.unsubscribe_token_hash END, "
        "preferences_token_hash = CASE WHEN list_members.state = 'unsubscribed' "
        "THEN excluded.preferences_token_hash ELSE list_members.preferences_token_hash END, "
        "delivery_mode = CASE WHEN list_members.state = 'unsubscribed' THEN 'regular' "
        "ELSE list_members.delivery_mode END, "
        "state = 'pending' "
        "WHERE list_members.state <> 'subscribed' RETURNING id",
        {member.list_id.value(), member.email.unicode(), member.email.canonical(),
         member.display_name, member.language, std::string(to_string(member.source)), tokens.salt,
         tokens.unsubscribe_hash, tokens.preferences_hash, now});
    if (row) {
        return {MemberId(row->integer(0)), false};
    }
    const auto existing = connection.query_one(
        "SELECT id FROM list_members WHERE list_id = $1 AND "
        "email_canonical = $2",
        {member.list_id.value(), member.email.canonical()});
    COALITION_ASSERT(existing.has_value(), "a conflicting member row exists");
    return {MemberId(existing->integer(0)), true};
}

std::optional<MemberId> upsert_subscribed(store::Connection& connection, const Member& member,
                                          const TokenSet& tokens, std::int64_t now) {
    const auto row = connection.query_one(
        "INSERT INTO list_members (list_id, email, email_canonical, display_name, state, "
        "delivery_mode, language, source, token_salt, unsubscribe_token_hash, "
        "preferences_token_hash, created_at, updated_at, subscribed_at) "
        "VALUES ($1, $2, $3, $4, 'subscribed', 'regular', $5, $6, $7, $8, $9, $10, $10, $10) "
        "ON CONFLICT (list_id, email_canonical) DO UPDATE SET "
        "email = excluded.email, "
        "display_name = CASE WHEN excluded.display_name = '' THEN list_members.display_name "
        "ELSE excluded.display_name END, "
        "state = 'subscribed', delivery_mode = 'regular', source = excluded.source, "
        "token_salt = excluded.token_salt, "
        "unsubscribe_token_hash = excluded.unsubscribe_token_hash, "
        "preferences_token_hash = excluded.preferences_token_hash, "
        "updated_at = excluded.updated_at, subscribed_at = excluded.subscribed_at, "
        "unsubscribed_at = NULL "
        "WHERE list_members.state <> 'subscribed' RETURNING id",
        {member.list_id.value(), member.email.unicode(), member.email.canonical(),
         member.display_name, member.language, std::string(to_string(member.source)), tokens.salt,
         tokens.unsubscribe_hash, tokens.preferences_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return MemberId(row->integer(0));
}

bool mark_subscribed(store::Connection& connection, MemberId id, std::int64_t now) {
    return connection.execute(
               "UPDATE list_members SET state = 'subscribed', subscribed_at = $2, "
               "unsubscribed_at = NULL, updated_at = $2 WHERE id = $1 AND state = 'pending'",
               {id.value(), now}) > 0;
}

bool mark_unsubscribed(store::Connection& connection, MemberId id, std::int64_t now) {
    return connection.execute(
               "UPDATE list_members SET state = 'unsubscribed', unsubscribed_at = $2, "
               "updated_at = $2 WHERE id = $1 AND state <> 'unsubscribed'",
               {id.value(), now}) > 0;
}

std::optional<MemberId> mark_unsubscribed(store::Connection& connection, ListId list,
                                          const std::string& email_canonical, std::int64_t now) {
    const auto row = connection.query_one(
        "UPDATE list_members SET state = 'unsubscribed', unsubscribed_at = $3, updated_at = $3 "
        "WHERE list_id = $1 AND email_canonical = $2 AND state <> 'unsubscribed' RETURNING id",
        {list.value(), email_canonical, now});
    if (!row) {
        return std::nullopt;
    }
    return MemberId(row->integer(0));
}

std::optional<MemberId> unsubscribe_by_token(store::Connection& connection,
                                             const std::string& unsubscribe_hash,
                                             std::int64_t now) {
    const auto row = connection.query_one(
        "UPDATE list_members SET state = 'unsubscribed', unsubscribed_at = $2, updated_at = $2 "
        "WHERE unsubscribe_token_hash = $1 AND state <> 'unsubscribed' RETURNING id",
        {unsubscribe_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return MemberId(row->integer(0));
}

bool set_preferences(store::Connection& connection, const std::string& preferences_hash,
                     DeliveryMode mode, const std::string& language, std::int64_t now) {
    return connection.execute(
               "UPDATE list_members SET delivery_mode = $2, language = $3, updated_at = $4 "
               "WHERE preferences_token_hash = $1 AND state = 'subscribed'",
               {preferences_hash, std::string(to_string(mode)), language, now}) > 0;
}

void insert_confirmation(store::Connection& connection, const std::string& token_hash, ListId list,
                         MemberId member, const std::string& action, std::int64_t now,
                         std::int64_t expires_at) {
    connection.execute("DELETE FROM list_confirmations WHERE member_id = $1 AND expires_at < $2",
                       {member.value(), now});
    connection.execute(
        "INSERT INTO list_confirmations (token_hash, list_id, member_id, action, created_at, "
        "expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {token_hash, list.value(), member.value(), action, now, expires_at});
}

std::optional<ConfirmationRow> find_confirmation(store::Database& database,
                                                 const std::string& token_hash, std::int64_t now) {
    const auto row = database.query_one(
        "SELECT list_id, member_id, action, expires_at FROM list_confirmations "
        "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        {token_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return ConfirmationRow{ListId(row->integer(0)), MemberId(row->integer(1)), row->text(2),
                           row->integer(3)};
}

std::optional<ConfirmationRow> use_confirmation(store::Connection& connection,
                                                const std::string& token_hash, std::int64_t now) {
    const auto row = connection.query_one(
        "UPDATE list_confirmations SET used_at = $2 "
        "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
        "RETURNING list_id, member_id, action, expires_at",
        {token_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return ConfirmationRow{ListId(row->integer(0)), MemberId(row->integer(1)), row->text(2),
                           row->integer(3)};
}

std::int64_t count_recent_mail(store::Connection& connection, ListId list,
                               const std::string& email_canonical, std::int64_t since) {
    connection.execute(
        "DELETE FROM list_mail_requests WHERE list_id = $1 AND email_canonical = $2 AND "
        "created_at < $3",
        {list.value(), email_canonical, since});
    const auto row = connection.query_one(
        "SELECT COUNT(*) FROM list_mail_requests WHERE list_id = $1 AND email_canonical = $2",
        {list.value(), email_canonical});
    return row ? row->integer(0) : 0;
}

void insert_mail_request(store::Connection& connection, ListId list,
                         const std::string& email_canonical, std::int64_t now) {
    connection.execute(
        "INSERT INTO list_mail_requests (list_id, email_canonical, created_at) VALUES ($1, $2, $3)",
        {list.value(), email_canonical, now});
}

}  // namespace coalition::lists::member_store
