#pragma once
// accounts::Sessions: signed-in sessions, kept in the database so several servers share them.
// The browser holds a random token; only its hash is stored. Each session has its own CSRF
// secret. Sessions last 14 days from their last use (renewed at most once an hour, to save writes).

#include "accounts/user.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "store/database.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::accounts {

struct NewSession {
    std::string token;        // For the cookie; never stored.
    std::string csrf_secret;  // 32 random bytes, base64url.
    std::int64_t expires_at = 0;
};

struct SessionInfo {
    User user;
    std::string csrf_secret;
    std::int64_t expires_at = 0;  // After any renewal this look-up made.
};

// Thread-safe if `random` is. Every reference must outlive it.
class Sessions {
public:
    static constexpr std::chrono::seconds kLifetime{14 * 24 * 3600};
    static constexpr std::chrono::seconds kRenewAfter{3600};

    Sessions(store::Database& database, const core::Clock& clock, core::Random& random);

    // Starts a session for `user` (who must exist) and returns its token.
    NewSession create_session(UserId user);

    // The session's user and CSRF secret; nullopt for an unknown, deleted or expired token. A
    // session last renewed over an hour ago is renewed for another 14 days.
    std::optional<SessionInfo> find_session(std::string_view token);

    // Signs out: the token stops working. Unknown tokens are ignored.
    void delete_session(std::string_view token);
    // Signs the user out everywhere (after a role change or a lost device).
    void delete_user_sessions(UserId user);
    // Housekeeping: removes expired sessions; returns how many.
    std::int64_t delete_expired_sessions();

private:
    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
};

}  // namespace coalition::accounts
