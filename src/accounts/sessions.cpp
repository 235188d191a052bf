#include "accounts/sessions.hpp"

#include "accounts/sign_in_store.hpp"
#include "core/random.hpp"

namespace coalition::accounts {

Sessions::Sessions(store::Database& database, const core::Clock& clock, core::Random& random)
    : database_(database), clock_(clock), random_(random) {
}

NewSession Sessions::create_session(UserId user) {
    const auto now = clock_.unix_now();
    NewSession session{.token = random_.token(32),
                       .csrf_secret = random_.token(32),
                       .expires_at = now + kLifetime.count()};
    database_.transact([&](store::Connection& connection) {
        sign_in_store::insert_session(connection, user, core::hash_token(session.token),
                                      session.csrf_secret, now, session.expires_at);
    });
    return session;
}

std::optional<SessionInfo> Sessions::find_session(std::string_view token) {
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return std::nullopt;
    }
    const auto now = clock_.unix_now();
    auto row = sign_in_store::find_session(database_, core::hash_token(std::string(token)), now);
    if (!row) {
        return std::nullopt;
    }
    if (now - row->touched_at >= kRenewAfter.count()) {
        row->expires_at = now + kLifetime.count();
        database_.transact([&](store::Connection& connection) {
            sign_in_store::touch_session(connection, row->id, now, row->expires_at);
        });
    }
    return SessionInfo{std::move(row->user), std::move(row->csrf_secret), row->expires_at};
}

void Sessions::delete_session(std::string_view token) {
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return;
    }
    const auto token_hash = core::hash_token(std::string(token));
    database_.transact([&](store::Connection& connection) {
        sign_in_store::delete_session(connection, token_hash);
    });
}

void Sessions::delete_user_sessions(UserId user) {
    database_.transact([&](store::Connection& connection) {
        sign_in_store::delete_user_sessions(connection, user);
    });
}

std::int64_t Sessions::delete_expired_sessions() {
    const auto now = clock_.unix_now();
    std::int64_t deleted = 0;
    database_.transact([&](store::Connection& connection) {
        deleted = sign_in_store::delete_expired_sessions(connection, now);
    });
    return deleted;
}

}  // namespace coalition::accounts
