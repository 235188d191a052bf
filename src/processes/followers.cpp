#include "processes/followers.hpp"

#include "core/assert.hpp"
#include "i18n/i18n.hpp"
#include "processes/follower_store.hpp"
#include "processes/process_store.hpp"

#include <algorithm>
#include <charconv>

namespace coalition::processes {
namespace {

constexpr std::size_t kConfirmationTokenBytes = 24;  // 32 base64url characters.
constexpr std::size_t kConfirmationTokenLength = 32;
constexpr std::size_t kFollowerTokenLength = 40;  // Hex: 160 bits.

std::string supported_language(std::string_view tag) {
    const i18n::Language* language = i18n::find_language(tag);
    return language != nullptr ? language->tag : std::string("en");
}

bool is_base64url(std::string_view token) {
    return std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

bool is_lower_hex(std::string_view token) {
    return std::all_of(token.begin(), token.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Outside input is checked for our tokens' shape before it is hashed and looked up.
std::optional<std::string> confirmation_hash(std::string_view token) {
    if (token.size() != kConfirmationTokenLength || !is_base64url(token)) {
        return std::nullopt;
    }
    return core::hash_token(std::string(token));
}

std::optional<std::string> follower_hash(std::string_view token) {
    if (token.size() != kFollowerTokenLength || !is_lower_hex(token)) {
        return std::nullopt;
    }
    return core::hash_token(std::string(token));
}

// A keyed BLAKE2b of (purpose, salt): BLAKE2b is not open to length extension, so the secret as
// a prefix makes a MAC. The unit separator keeps the parts apart.
std::string derive_token(const std::string& secret, std::string_view purpose,
                         const std::string& salt) {
    return core::hash_token(secret + "\x1f" + std::string(purpose) + "\x1f" + salt)
        .substr(0, kFollowerTokenLength);
}

core::Error expired_confirmation() {
    return core::Error{core::ErrorCode::Expired,
                       std::string(i18n::gettext_noop(
                           "This confirmation link has expired or has already been used. Ask "
                           "again if you still want to follow these processes.")),
                       "token"};
}

core::Error unknown_follower() {
    return core::Error{core::ErrorCode::NotFound,
                       std::string(i18n::gettext_noop(
                           "This link does not belong to any follower. Follow a process again "
                           "to get a new one.")),
                       "token"};
}

std::string join_ids(const std::vector<ProcessId>& ids) {
    std::string out;
    for (const auto& id : ids) {
        out += (out.empty() ? "" : ",") + std::to_string(id.value());
    }
    return out;
}

std::vector<ProcessId> split_ids(std::string_view text) {
    std::vector<ProcessId> ids;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto part = text.substr(0, comma);
        std::int64_t value = 0;
        if (std::from_chars(part.data(), part.data() + part.size(), value).ec == std::errc{}) {
            ids.emplace_back(value);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        text.remove_prefix(comma + 1);
    }
    return ids;
}

}  // namespace

Followers::Followers(store::Database& database, const core::Clock& clock, core::Random& random,
                     mail::Outbox& outbox, FollowSettings settings)
    : database_(database),
      clock_(clock),
      random_(random),
      outbox_(outbox),
      settings_(std::move(settings)) {
    COALITION_ASSERT(settings_.token_secret.size() >= 16 && settings_.token_secret.size() <= 64,
                     "the processes token secret has 16 to 64 bytes");
}

core::Result<void> Followers::check_processes(const std::vector<ProcessId>& process_ids) const {
    const core::Error invalid{core::ErrorCode::Invalid,
                              std::string(i18n::gettext_noop("Choose at least one process.")),
                              "process"};
    if (process_ids.empty() || process_ids.size() > 200) {
        return invalid;
    }
    for (const auto& id : process_ids) {
        if (!process_store::find_process(database_, id)) {
            return invalid;
        }
    }
    return {};
}

core::Result<void> Followers::request_follow(const core::Email& email,
                                             const std::vector<ProcessId>& process_ids,
                                             std::string_view language,
                                             std::string_view time_zone) {
    if (auto checked = check_processes(process_ids); !checked) {
        return checked.error();
    }
    const std::string zone = time_zone.empty() ? std::string("UTC") : std::string(time_zone);
    if (!is_known_zone(zone)) {
        return core::Error{core::ErrorCode::Invalid,
                           std::string(i18n::gettext_noop("This time zone is not known.")),
                           "time_zone"};
    }
    const std::string tag = supported_language(language);
    const auto now = clock_.unix_now();
    const std::string token = random_.token(kConfirmationTokenBytes);
    COALITION_ASSERT(token.size() == kConfirmationTokenLength, "confirmation token length");

    std::string names;
    for (const auto& id : process_ids) {
        const auto process = process_store::find_process(database_, id);
        names += "- " + (process ? process->fields.name : std::string()) + "\n";
    }
    const std::vector<std::pair<std::string, std::string>> values = {
        {"email", email.unicode()},
        {"site", settings_.site_name},
        {"processes", names},
        {"link", settings_.base_url + "/processes/follow/confirm/" + token},
        {"days", "3"}};
    const mail::OutgoingMessage message{
        .from = settings_.sender,
        .to = {mail::Mailbox{"", email}},
        .subject =
            i18n::translate(tag, "Confirm that you want to follow processes on {site}", values),
        .text_body =
            i18n::translate(tag,
                            "Hello,\n\n"
                            "Someone, probably you, asked that {email} receive reminders "
                            "before the deadlines of these processes on {site}:\n\n"
                            "{processes}\n"
                            "To confirm, open this link and press the button on the page:\n\n"
                            "{link}\n\n"
                            "The link works for {days} days. If you did not ask for this, "
                            "ignore this message: nothing will be sent to you.\n",
                            values),
        .headers = {{"Auto-Submitted", "auto-generated"}},
        .language = tag};
    const auto composed = mail::compose(message, clock_, random_);

    const std::string canonical = email.canonical();
    bool rate_limited = false;
    database_.transact([&](store::Connection& connection) {
        if (follower_store::count_recent_confirmations(connection, canonical, now - 3600) >=
            kMaxMailsPerHour) {
            rate_limited = true;
            return;
        }
        follower_store::insert_confirmation(connection, core::hash_token(token), email.unicode(),
                                            canonical,
                                            {.email = email.unicode(),
                                             .process_ids = join_ids(process_ids),
                                             .language = tag,
                                             .time_zone = zone,
                                             .expires_at = now + kConfirmationLifetime.count()},
                                            now);
        outbox_.enqueue(connection, composed, message.subject);
    });
    if (rate_limited) {
        return core::Error{core::ErrorCode::RateLimited,
                           std::string(i18n::gettext_noop(
                               "Too many requests were made for this address. Try again in an "
                               "hour.")),
                           "email"};
    }
    return {};
}

core::Result<PendingFollow> Followers::find_confirmation(std::string_view token) const {
    const auto hash = confirmation_hash(token);
    if (!hash) {
        return expired_confirmation();
    }
    const auto row = follower_store::find_confirmation(database_, *hash, clock_.unix_now());
    if (!row) {
        return expired_confirmation();
    }
    auto email = core::Email::parse(row->email);
    COALITION_ASSERT(email.has_value(), "a stored confirmation address is valid");
    return PendingFollow{.email = std::move(*email),
                         .process_ids = split_ids(row->process_ids),
                         .expires_at = row->expires_at};
}

core::Result<Follower> Followers::confirm(std::string_view token) {
    const auto hash = confirmation_hash(token);
    if (!hash) {
        return expired_confirmation();
    }
    const auto now = clock_.unix_now();
    const auto row = follower_store::find_confirmation(database_, *hash, now);
    if (!row) {
        return expired_confirmation();
    }
    auto email = core::Email::parse(row->email);
    COALITION_ASSERT(email.has_value(), "a stored confirmation address is valid");
    std::vector<ProcessId> still_there;
    for (const auto& id : split_ids(row->process_ids)) {
        if (process_store::find_process(database_, id)) {
            still_there.push_back(id);
        }
    }
    return follow_now(*email, std::nullopt, still_there, row->language, row->time_zone, &*hash);
}

core::Result<Follower> Followers::follow_verified(const core::Email& email, accounts::UserId user,
                                                  const std::vector<ProcessId>& process_ids,
                                                  std::string_view language,
                                                  std::string_view time_zone) {
    if (auto checked = check_processes(process_ids); !checked) {
        return checked.error();
    }
    const std::string zone = time_zone.empty() ? std::string("UTC") : std::string(time_zone);
    if (!is_known_zone(zone)) {
        return core::Error{core::ErrorCode::Invalid,
                           std::string(i18n::gettext_noop("This time zone is not known.")),
                           "time_zone"};
    }
    return follow_now(email, user, process_ids, supported_language(language), zone, nullptr);
}

core::Result<Follower> Followers::follow_now(const core::Email& email,
                                             std::optional<accounts::UserId> user,
                                             const std::vector<ProcessId>& process_ids,
                                             const std::string& language,
                                             const std::string& time_zone,
                                             const std::string* confirmation_hash) {
    const auto now = clock_.unix_now();
    const std::string salt = random_.token(16);
    follower_store::NewFollower row{
        .email = email.unicode(),
        .email_canonical = email.canonical(),
        .user_id = user,
        .language = language,
        .time_zone = time_zone,
        .reminder_days = format_reminder_days(settings_.default_reminder_days),
        .token_salt = salt,
        .manage_token_hash = core::hash_token(derive_token(settings_.token_secret, "manage", salt)),
        .calendar_token_hash =
            core::hash_token(derive_token(settings_.token_secret, "calendar", salt))};
    std::optional<Follower> follower;
    bool expired = false;
    try {
        database_.transact([&](store::Connection& connection) {
            if (confirmation_hash != nullptr &&
                !follower_store::use_confirmation(connection, *confirmation_hash, now)) {
                expired = true;
                return;
            }
            const FollowerId id = follower_store::upsert_follower(connection, row, now);
            for (const auto& process_id : process_ids) {
                follower_store::add_follow(connection, id, process_id, now);
            }
            follower = follower_store::find(connection, id);
        });
    } catch (const store::ConstraintViolation&) {
        return core::Error{
            core::ErrorCode::Conflict,
            std::string(i18n::gettext_noop("A process was removed meanwhile. Please try again.")),
            "process"};
    }
    if (expired) {
        return expired_confirmation();
    }
    COALITION_ASSERT(follower.has_value(), "a follower just written is found");
    return std::move(*follower);
}

core::Result<Follower> Followers::by_manage_token(std::string_view token) const {
    const auto hash = follower_hash(token);
    auto found = hash ? follower_store::find_by_token_hash(database_, "manage_token_hash", *hash)
                      : std::nullopt;
    if (!found) {
        return unknown_follower();
    }
    return std::move(*found);
}

core::Result<Follower> Followers::by_calendar_token(std::string_view token) const {
    const auto hash = follower_hash(token);
    auto found = hash ? follower_store::find_by_token_hash(database_, "calendar_token_hash", *hash)
                      : std::nullopt;
    if (!found) {
        return unknown_follower();
    }
    return std::move(*found);
}

std::optional<Follower> Followers::by_email(const core::Email& email) const {
    return follower_store::find_by_email(database_, email.canonical());
}

core::Result<Follower> Followers::update_preferences(std::string_view manage_token,
                                                     const FollowerPreferences& preferences,
                                                     std::vector<core::Error>* errors) {
    auto follower = by_manage_token(manage_token);
    if (!follower) {
        return follower.error();
    }
    std::vector<core::Error> found;
    auto days = parse_reminder_days(preferences.reminder_days);
    if (!days) {
        found.push_back(days.error());
    }
    const i18n::Language* language = i18n::find_language(preferences.language);
    if (language == nullptr) {
        found.push_back({core::ErrorCode::Invalid,
                         std::string(i18n::gettext_noop("Choose one of the languages offered.")),
                         "language"});
    }
    if (!is_known_zone(preferences.time_zone)) {
        found.push_back({core::ErrorCode::Invalid,
                         std::string(i18n::gettext_noop("This time zone is not known.")),
                         "time_zone"});
    }
    if (!found.empty()) {
        core::Error first = found.front();
        if (errors != nullptr) {
            *errors = std::move(found);
        }
        return first;
    }
    const auto now = clock_.unix_now();
    std::optional<Follower> updated;
    database_.transact([&](store::Connection& connection) {
        follower_store::update_preferences(connection, follower->id, format_reminder_days(*days),
                                           language->tag, preferences.time_zone, now);
        updated = follower_store::find(connection, follower->id);
    });
    return std::move(*updated);
}

core::Result<Follower> Followers::unfollow(std::string_view manage_token, ProcessId process_id) {
    auto follower = by_manage_token(manage_token);
    if (!follower) {
        return follower.error();
    }
    std::optional<Follower> updated;
    database_.transact([&](store::Connection& connection) {
        follower_store::remove_follow(connection, follower->id, process_id);
        updated = follower_store::find(connection, follower->id);
    });
    return std::move(*updated);
}

core::Result<Follower> Followers::unfollow_all(std::string_view manage_token) {
    auto follower = by_manage_token(manage_token);
    if (!follower) {
        return follower.error();
    }
    std::optional<Follower> updated;
    database_.transact([&](store::Connection& connection) {
        follower_store::remove_all_follows(connection, follower->id);
        updated = follower_store::find(connection, follower->id);
    });
    return std::move(*updated);
}

std::vector<Follower> Followers::active_followers() const {
    return follower_store::active_followers(database_);
}

FollowerLinks Followers::links(const Follower& follower) const {
    FollowerLinks links;
    links.manage_token = derive_token(settings_.token_secret, "manage", follower.token_salt);
    links.calendar_token = derive_token(settings_.token_secret, "calendar", follower.token_salt);
    links.manage_url = settings_.base_url + "/processes/manage/" + links.manage_token;
    links.calendar_url =
        settings_.base_url + "/processes/followed/" + links.calendar_token + ".ics";
    return links;
}

}  // namespace coalition::processes
