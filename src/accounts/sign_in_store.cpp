#include "accounts/sign_in_store.hpp"

#include "accounts/user_store.hpp"

namespace coalition::accounts::sign_in_store {

std::int64_t count_recent_requests(store::Connection& connection,
                                   const std::string& email_canonical, std::int64_t since) {
    connection.execute(
        "DELETE FROM sign_in_requests WHERE email_canonical = $1 AND created_at < $2",
        {email_canonical, since});
    const auto row = connection.query_one(
        "SELECT COUNT(*) FROM sign_in_requests WHERE email_canonical = $1", {email_canonical});
    return row ? row->integer(0) : 0;
}

void insert_request(store::Connection& connection, const std::string& email_canonical,
                    std::int64_t now) {
    connection.execute("INSERT INTO sign_in_requests (email_canonical, created_at) VALUES ($1, $2)",
                       {email_canonical, now});
}

void insert_token(store::Connection& connection, UserId user, const std::string& token_hash,
                  std::int64_t now, std::int64_t expires_at) {
    connection.execute("DELETE FROM sign_in_tokens WHERE user_id = $1 AND expires_at < $2",
                       {user.value(), now});
    connection.execute(
        "INSERT INTO sign_in_tokens (token_hash, user_id, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4)",
        {token_hash, user.value(), now, expires_at});
}

std::optional<UserId> use_token(store::Connection& connection, const std::string& token_hash,
                                std::int64_t now) {
    const auto row = connection.query_one(
        "UPDATE sign_in_tokens SET used_at = $2 "
        "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
        {token_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return UserId(row->integer(0));
}

void insert_session(store::Connection& connection, UserId user, const std::string& token_hash,
                    const std::string& csrf_secret, std::int64_t now, std::int64_t expires_at) {
    connection.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, expires_at, "
        "touched_at) VALUES ($1, $2, $3, $4, $5, $4)",
        {token_hash, user.value(), csrf_secret, now, expires_at});
}

std::optional<SessionRow> find_session(store::Database& database, const std::string& token_hash,
                                       std::int64_t now) {
    const auto row = database.query_one("SELECT s.id, s.csrf_secret, s.expires_at, s.touched_at, " +
                                            user_store::columns("u") +
                                            " FROM sessions s JOIN users u ON u.id = s.user_id "
                                            "WHERE s.token_hash = $1 AND s.expires_at > $2",
                                        {token_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return SessionRow{.id = row->integer(0),
                      .csrf_secret = row->text(1),
                      .expires_at = row->integer(2),
                      .touched_at = row->integer(3),
                      .user = user_store::from_row(*row, 4)};
}

void touch_session(store::Connection& connection, std::int64_t id, std::int64_t now,
                   std::int64_t expires_at) {
    connection.execute("UPDATE sessions SET touched_at = $1, expires_at = $2 WHERE id = $3",
                       {now, expires_at, id});
}

void delete_session(store::Connection& connection, const std::string& token_hash) {
    connection.execute("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
}

void delete_user_sessions(store::Connection& connection, UserId user) {
    connection.execute("DELETE FROM sessions WHERE user_id = $1", {user.value()});
}

std::int64_t delete_expired_sessions(store::Connection& connection, std::int64_t now) {
    return connection.execute("DELETE FROM sessions WHERE expires_at <= $1", {now});
}

}  // namespace coalition::accounts::sign_in_store
