#pragma once
// processes::Followers: people who follow processes by e-mail, for deadline reminders and a
// weekly digest (reminders.hpp sends both).
//
// Anyone may follow with double opt-in: request_follow stores a confirmation (only the hash of
// its random token, single use, expiring after kConfirmationLifetime) and queues the mail in the
// same transaction; its link opens <base_url>/processes/follow/confirm/TOKEN, a page whose button
// calls confirm. A signed-in user's address is verified already, so follow_verified follows at
// once. Asking is answered the same whatever the address's state (no enumeration), and limited
// to kMaxMailsPerHour confirmation mails per address.
//
// Each follower has two secret URLs: the manage page (<base_url>/processes/manage/TOKEN) and a
// personal calendar (<base_url>/processes/followed/TOKEN.ics). Their tokens are derived from the
// installation's secret and a salt kept with the follower, so mails can carry them; only their
// hashes are stored, for look-ups.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/id.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "mail/message.hpp"
#include "mail/outbox.hpp"
#include "processes/processes.hpp"
#include "processes/reminder_days.hpp"
#include "store/database.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::processes {

struct Follower;
using FollowerId = core::Id<Follower>;

struct FollowSettings {
    std::string base_url;   // [site] base_url, without a trailing slash.
    std::string site_name;  // [site] name.
    mail::Mailbox sender;   // From of every follower mail.
    // 16 to 64 bytes that key the followers' secret URLs; the same on every server
    // (app: store::setting_or_create(database, "processes_token_secret", …)).
    std::string token_secret;
    std::vector<int> default_reminder_days = {14, 3, 1};  // [processes] reminder_days.
};

struct Follower {
    FollowerId id;
    core::Email email;
    std::optional<accounts::UserId> user_id;
    std::string language;                // An i18n tag.
    std::string time_zone;               // IANA zone ("UTC" by default).
    std::vector<int> reminder_days;      // Days before a deadline, largest first.
    std::vector<ProcessId> process_ids;  // Followed, by id.
    std::string token_salt;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

// A follower's secret URLs.
struct FollowerLinks {
    std::string manage_token;
    std::string calendar_token;
    std::string manage_url;    // <base_url>/processes/manage/TOKEN
    std::string calendar_url;  // <base_url>/processes/followed/TOKEN.ics
};

// What a confirmation token would do (the confirmation page's GET).
struct PendingFollow {
    core::Email email;
    std::vector<ProcessId> process_ids;
    std::int64_t expires_at = 0;
};

// What the manage page's form sets.
struct FollowerPreferences {
    std::string reminder_days;  // "14, 3, 1"; empty: no reminders (the digest still comes).
    std::string language;
    std::string time_zone;
};

// Thread-safe if `random` is. Every reference must outlive it. Every method throws
// core::Unavailable when the database is gone.
class Followers {
public:
    static constexpr std::chrono::seconds kConfirmationLifetime{3 * 24 * 3600};
    static constexpr int kMaxMailsPerHour = 3;

    Followers(store::Database& database, const core::Clock& clock, core::Random& random,
              mail::Outbox& outbox, FollowSettings settings);

    // Queues a confirmation mail to `email` (in `language`) for following `process_ids`.
    // Invalid (field "process") when the list is empty or names an unknown process; Invalid
    // (field "time_zone") for an unknown zone; RateLimited (field "email") past
    // kMaxMailsPerHour for this address. The same answer otherwise, follower or not.
    core::Result<void> request_follow(const core::Email& email,
                                      const std::vector<ProcessId>& process_ids,
                                      std::string_view language, std::string_view time_zone);

    // What `token` would confirm, without using it. Expired for an unknown, used or expired
    // token (one message for all three).
    core::Result<PendingFollow> find_confirmation(std::string_view token) const;
    // Uses `token` once: the address becomes a follower (or an existing follower gains the
    // processes). Expired like find_confirmation.
    core::Result<Follower> confirm(std::string_view token);

    // A signed-in user (their address verified) follows at once. Invalid like request_follow.
    core::Result<Follower> follow_verified(const core::Email& email, accounts::UserId user,
                                           const std::vector<ProcessId>& process_ids,
                                           std::string_view language, std::string_view time_zone);

    // The follower whose manage / calendar token this is. NotFound otherwise.
    core::Result<Follower> by_manage_token(std::string_view token) const;
    core::Result<Follower> by_calendar_token(std::string_view token) const;
    // The follower with this address, if any (a signed-in user's own subscription).
    std::optional<Follower> by_email(const core::Email& email) const;

    // Sets reminder days, language (a supported tag) and time zone. NotFound for an unknown
    // token; every invalid field at once (fields "reminder_days", "language", "time_zone").
    core::Result<Follower> update_preferences(std::string_view manage_token,
                                              const FollowerPreferences& preferences,
                                              std::vector<core::Error>* errors);
    // Stops following one process, or every process. NotFound for an unknown token.
    core::Result<Follower> unfollow(std::string_view manage_token, ProcessId process_id);
    core::Result<Follower> unfollow_all(std::string_view manage_token);

    // Every follower following at least one process, with their processes.
    std::vector<Follower> active_followers() const;

    FollowerLinks links(const Follower& follower) const;
    const FollowSettings& settings() const { return settings_; }

private:
    core::Result<Follower> follow_now(const core::Email& email,
                                      std::optional<accounts::UserId> user,
                                      const std::vector<ProcessId>& process_ids,
                                      const std::string& language, const std::string& time_zone,
                                      const std::string* confirmation_hash);
    core::Result<void> check_processes(const std::vector<ProcessId>& process_ids) const;

    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    mail::Outbox& outbox_;
    FollowSettings settings_;
};

}  // namespace coalition::processes
