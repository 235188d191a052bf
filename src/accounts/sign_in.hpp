#pragma once
// accounts::SignInLinks: signing in by a one-time link sent by mail. The link carries a token of
// 32 random bytes; only its hash is stored. A link works once, within 20 minutes.

#include "accounts/user.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "mail/message.hpp"
#include "mail/outbox.hpp"
#include "store/database.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace coalition::accounts {

// From the configuration ([mail] from, [site] name).
struct SignInMailSettings {
    mail::Mailbox sender;
    std::string site_name;
};

// Thread-safe if `random` is. Every reference must outlive it.
class SignInLinks {
public:
    static constexpr std::chrono::seconds kLinkLifetime{20 * 60};
    static constexpr int kMaxLinksPerHour = 5;  // Per address.

    SignInLinks(store::Database& database, const core::Clock& clock, core::Random& random,
                mail::Outbox& outbox, SignInMailSettings settings);

    // Queues a mail to `email` with the link "<base_url>/signin/<token>", in `language` (a
    // supported tag; English otherwise), in the same transaction that stores the token. When no
    // account has this address nothing is sent, and the caller cannot tell: the result is the
    // same. RateLimited after kMaxLinksPerHour requests for one address within an hour, whether
    // or not it has an account.
    core::Result<void> request_sign_in_link(const core::Email& email, std::string_view language,
                                            std::string_view base_url);

    // The user whose link carried `token`, marking the link used and recording the sign-in.
    // Expired, with one message, for a token that is unknown, used or past its 20 minutes.
    core::Result<User> consume_sign_in_token(std::string_view token);

private:
    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    mail::Outbox& outbox_;
    SignInMailSettings settings_;
};

}  // namespace coalition::accounts
