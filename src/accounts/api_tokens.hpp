#pragma once
// accounts::ApiTokens: bearer tokens for the JSON API (`Authorization: Bearer …`), each acting as
// one user with that user's role. Created on the command line (`coalition token create --user
// EMAIL`); the token is shown once and only its hash is stored (table api_tokens, migration
// 0017), so a stolen database gives no usable token.

#include "accounts/actor.hpp"
#include "accounts/user.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::accounts {

// What an operator sees of a token: never the token itself.
struct ApiTokenInfo {
    std::int64_t id = 0;
    UserId user;
    std::string user_email;  // Unicode form.
    std::string label;
    std::int64_t created_at = 0;  // Unix seconds.
    std::optional<std::int64_t> last_used_at;
    std::optional<std::int64_t> revoked_at;
};

// Thread-safe if `random` is. References must outlive it. Throws core::Unavailable when the
// database is gone.
class ApiTokens {
public:
    ApiTokens(store::Database& database, const core::Clock& clock, core::Random& random);

    // A new token for `user` ("ct_" and 43 base64url characters), audited as "api_token.create".
    // NotFound (field "user") for an unknown user; Invalid (field "label") for a label that is
    // not one line of up to 100 characters.
    core::Result<std::string> create(const Actor& actor, UserId user, std::string_view label);

    // The user a presented token belongs to, if it is known and not revoked; records its use.
    std::optional<User> authenticate(std::string_view token);

    // Every token ever created, newest first, revoked ones included (marked).
    std::vector<ApiTokenInfo> list();
    // Revokes token `id` at once (every server: authenticate() reads the database), audited as
    // "api_token.revoke". NotFound for an unknown id; revoking a revoked token changes nothing.
    core::Result<ApiTokenInfo> revoke(const Actor& actor, std::int64_t id);

private:
    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
};

}  // namespace coalition::accounts
