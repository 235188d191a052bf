#pragma once
// SQL for sign-in links (sign_in_tokens, sign_in_requests) and sessions. Private to accounts/.
// Tokens are never stored: only core::hash_token of them.

#include "accounts/user.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace coalition::accounts::sign_in_store {

// Sign-in links.

// Counts the link requests for `email_canonical` since `since`, after deleting older ones.
std::int64_t count_recent_requests(store::Connection& connection,
                                   const std::string& email_canonical, std::int64_t since);
void insert_request(store::Connection& connection, const std::string& email_canonical,
                    std::int64_t now);
// Also deletes the user's links that expired before `now`.
void insert_token(store::Connection& connection, UserId user, const std::string& token_hash,
                  std::int64_t now, std::int64_t expires_at);
// Marks the unused, unexpired link `token_hash` used at `now` and returns its user; nullopt when
// there is no such link. One statement, so two requests can never both use one link.
std::optional<UserId> use_token(store::Connection& connection, const std::string& token_hash,
                                std::int64_t now);

// Sessions.

void insert_session(store::Connection& connection, UserId user, const std::string& token_hash,
                    const std::string& csrf_secret, std::int64_t now, std::int64_t expires_at);

struct SessionRow {
    std::int64_t id = 0;
    std::string csrf_secret;
    std::int64_t expires_at = 0;
    std::int64_t touched_at = 0;
    User user;
};
// The session `token_hash` unless it expired at or before `now`.
std::optional<SessionRow> find_session(store::Database& database, const std::string& token_hash,
                                       std::int64_t now);
void touch_session(store::Connection& connection, std::int64_t id, std::int64_t now,
                   std::int64_t expires_at);
void delete_session(store::Connection& connection, const std::string& token_hash);
void delete_user_sessions(store::Connection& connection, UserId user);
// Removes sessions that expired before `now`; returns how many.
std::int64_t delete_expired_sessions(store::Connection& connection, std::int64_t now);

}  // namespace coalition::accounts::sign_in_store
