#include "accounts/sign_in.hpp"

#include "accounts/sign_in_store.hpp"
#include "accounts/user_store.hpp"
#include "core/random.hpp"
#include "i18n/i18n.hpp"

namespace coalition::accounts {
namespace {

mail::OutgoingMessage sign_in_message(const SignInMailSettings& settings, const User& user,
                                      std::string_view language, const std::string& link) {
    const auto& catalog = i18n::Catalog::embedded();
    const std::vector<std::pair<std::string, std::string>> values = {
        {"site", settings.site_name}, {"link", link}, {"minutes", "20"}};
    return mail::OutgoingMessage{
        .from = settings.sender,
        .to = {mail::Mailbox{user.display_name, user.email}},
        .subject = i18n::format(catalog.translate(language, "Sign in to {site}"), values),
        .text_body = i18n::format(
            catalog.translate(language,
                              "Hello,\n\n"
                              "Open this link to sign in to {site}:\n\n"
                              "{link}\n\n"
                              "The link works once, within {minutes} minutes. If you did not ask "
                              "to sign in, ignore this message: nothing happens unless the link "
                              "is opened.\n"),
            values),
        .headers = {},
        .language = std::string(language),
    };
}

}  // namespace

SignInLinks::SignInLinks(store::Database& database, const core::Clock& clock, core::Random& random,
                         mail::Outbox& outbox, SignInMailSettings settings)
    : database_(database),
      clock_(clock),
      random_(random),
      outbox_(outbox),
      settings_(std::move(settings)) {
}

core::Result<void> SignInLinks::request_sign_in_link(const core::Email& email,
                                                     std::string_view language,
                                                     std::string_view base_url) {
    const i18n::Language* supported = i18n::find_language(language);
    const std::string tag = supported != nullptr ? supported->tag : std::string("en");
    std::string base(base_url);
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    const auto now = clock_.unix_now();
    const std::string token = random_.token(32);
    // The message is composed before the transaction: bodies run on the store's single writer
    // (SQLite), which should only wait for the database.
    const auto user = user_store::find_by_email(database_, email);
    std::optional<mail::ComposedMessage> composed;
    std::string subject;
    if (user) {
        const auto message = sign_in_message(settings_, *user, tag, base + "/signin/" + token);
        composed = mail::compose(message, clock_, random_);
        subject = message.subject;
    }
    bool rate_limited = false;
    database_.transact([&](store::Connection& connection) {
        const auto canonical = email.canonical();
        // Counted per address whether or not it has an account, so the limit does not reveal
        // which addresses do.
        if (sign_in_store::count_recent_requests(connection, canonical, now - 3600) >=
            kMaxLinksPerHour) {
            rate_limited = true;
            return;
        }
        sign_in_store::insert_request(connection, canonical, now);
        if (!user) {
            return;
        }
        sign_in_store::insert_token(connection, user->id, core::hash_token(token), now,
                                    now + kLinkLifetime.count());
        outbox_.enqueue(connection, *composed, subject);
    });
    if (rate_limited) {
        return core::Error{
            core::ErrorCode::RateLimited,
            std::string(i18n::gettext_noop(
                "Too many sign-in links were asked for this address. Try again in an "
                "hour.")),
            "email"};
    }
    return {};
}

core::Result<User> SignInLinks::consume_sign_in_token(std::string_view token) {
    const core::Error expired = core::Error::expired(std::string(i18n::gettext_noop(
        "This sign-in link has expired or has already been used. Ask for a new one.")));
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return expired;
    }
    const auto now = clock_.unix_now();
    const auto token_hash = core::hash_token(std::string(token));
    std::optional<User> user;
    database_.transact([&](store::Connection& connection) {
        const auto user_id = sign_in_store::use_token(connection, token_hash, now);
        if (!user_id) {
            return;
        }
        user_store::set_last_sign_in(connection, *user_id, now);
        user = user_store::find_by_id(connection, *user_id);
    });
    if (!user) {
        return expired;
    }
    return std::move(*user);
}

}  // namespace coalition::accounts
