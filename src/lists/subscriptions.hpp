#pragma once
// lists::Subscriptions: joining and leaving lists, and each member's preferences.
//
// Double opt-in: request_subscription stores a pending member and a confirmation token (only its
// hash) and queues the confirmation mail in the same transaction. The mail is in the subscriber's
// language; its link opens <base_url>/lists/NAME/confirm/TOKEN (a page with a button that calls
// confirm), and replying to it reaches NAME-confirm+TOKEN@DOMAIN (intake calls confirm too).
// Tokens are 20 random bytes as lower-case base32 ([a-z2-7]{32}), so an MTA that lower-cases
// local parts cannot break them. They expire after kConfirmationLifetime and work once.
//
// No enumeration: asking to subscribe an address that is already a member, or to unsubscribe
// one that is not, gives the same answer as any other request; the first sends the address a
// notice with its preferences link, the second sends nothing. Mail a visitor can cause is
// limited to kMaxMailsPerHour per address and list, counted whatever the address's state.
//
// Each member has two personal tokens, derived from the installation's lists secret and a salt
// stored with the member (so delivery can put them in every post without storing them): the
// one-click unsubscribe token (RFC 8058) and the preferences token. They work until the member,
// once unsubscribed, subscribes again.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"
#include "lists/member.hpp"
#include "mail/message.hpp"
#include "mail/outbox.hpp"
#include "store/database.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {

struct SubscriptionSettings {
    std::string base_url;   // [site] base_url; links in mail start with it.
    std::string site_name;  // [site] name.
    // 16 to 64 bytes that key the members' personal tokens; the same on every server of an
    // installation (app: store::setting_or_create(database, "lists_token_secret", …)).
    std::string token_secret;
};

struct SubscriptionRequest {
    core::Email email;
    std::string display_name;  // Optional; up to 100 characters.
    std::string language;      // The subscriber's language (an i18n tag; others give English).
    MemberSource source = MemberSource::Web;
};

enum class ConfirmationAction { Subscribe, Unsubscribe };
const char* to_string(ConfirmationAction action);  // "subscribe", "unsubscribe"

// What a confirmation token is for (before confirming), or what it did (after).
struct Confirmation {
    List list;
    Member member;
    ConfirmationAction action = ConfirmationAction::Subscribe;
    std::int64_t expires_at = 0;
};

enum class Welcome { Send, Skip };
enum class Goodbye { Send, Skip };

struct NewMember {
    core::Email email;
    std::string display_name;
};

enum class AddOutcome { Added, AlreadyMember };
enum class RemoveOutcome { Removed, NotMember };

struct MemberCounts {
    std::int64_t subscribed = 0;
    std::int64_t pending = 0;
    std::int64_t unsubscribed = 0;
    // Among the subscribed members:
    std::int64_t regular = 0;
    std::int64_t digest = 0;
    std::int64_t no_mail = 0;
};

// A subscribed member as delivery needs it.
struct Recipient {
    MemberId member_id;
    core::Email email;
    std::string display_name;
    std::string language;
    MemberLinks links;
};

// Thread-safe if `random` is. Every reference must outlive it. Every method throws
// core::Unavailable when the database is gone.
class Subscriptions {
public:
    static constexpr std::chrono::seconds kConfirmationLifetime{3 * 24 *
                                                                3600};  // Mailman's 3 days.
    static constexpr int kMaxMailsPerHour = 3;
    static constexpr std::size_t kBulkBatch = 1000;  // Members per transaction in bulk changes.

    Subscriptions(store::Database& database, const core::Clock& clock, core::Random& random,
                  mail::Outbox& outbox, SubscriptionSettings settings);

    // Starts a double opt-in (see above). Invalid (field "display_name") for a bad name;
    // RateLimited (field "email") past kMaxMailsPerHour. Otherwise the same empty success for a
    // new, pending, unsubscribed or subscribed address.
    core::Result<void> request_subscription(const List& list, const SubscriptionRequest& request);

    // Mails a confirmation link to `email` when it is a member (nothing otherwise); the same
    // answer either way. RateLimited like request_subscription.
    core::Result<void> request_unsubscription(const List& list, const core::Email& email,
                                              std::string_view language);

    // What `token` would confirm, without using it (the confirmation page's GET). Expired for a
    // token that is unknown, used or past its lifetime (one message for all three).
    core::Result<Confirmation> find_confirmation(std::string_view token) const;

    // Uses `token`: a pending member becomes subscribed and is sent the welcome message (with the
    // preferences link), or a member becomes unsubscribed and is sent the goodbye message.
    // Expired like find_confirmation, so a token works once.
    core::Result<Confirmation> confirm(std::string_view token);

    // RFC 8058 one-click: unsubscribes the member whose unsubscribe token this is, at once, and
    // sends the goodbye message. Idempotent: the member's token still answers (with the member,
    // unsubscribed) until they subscribe again. NotFound for an unknown token.
    core::Result<Member> unsubscribe(std::string_view unsubscribe_token);

    // The member whose preferences (or unsubscribe) token this is, in any state, changing
    // nothing: the pages a link opens. NotFound for an unknown token.
    core::Result<Member> member_by_preferences_token(std::string_view preferences_token) const;
    core::Result<Member> member_by_unsubscribe_token(std::string_view unsubscribe_token) const;
    // Sets the delivery mode and language (a supported tag) of a subscribed member. NotFound for an
    // unknown token; Conflict when the member is no longer subscribed; Invalid (field "language").
    core::Result<Member> update_preferences(std::string_view preferences_token, DeliveryMode mode,
                                            std::string_view language);

    // Adds members at once (an admin's list; pre-confirmed), in batches of kBulkBatch per
    // transaction, each audited ("list.add_members"). One outcome per input, in order: a repeated
    // address is AlreadyMember after its first. New members get the welcome message in the list's
    // preferred language unless Welcome::Skip.
    std::vector<AddOutcome> add_members(const accounts::Actor& actor, const List& list,
                                        const std::vector<NewMember>& members, Welcome welcome);
    // Unsubscribes at once (pending requests are cancelled too), audited ("list.remove_members").
    std::vector<RemoveOutcome> remove_members(const accounts::Actor& actor, const List& list,
                                              const std::vector<core::Email>& emails,
                                              Goodbye goodbye);

    std::optional<Member> find_member(ListId list, const core::Email& email) const;
    // Every member row of the list (all states when `state` is nullopt), by address.
    std::vector<Member> roster(ListId list, std::optional<MemberState> state = std::nullopt) const;
    MemberCounts counts(ListId list) const;

    // The member's personal links; nullopt for a member of another list or no member.
    std::optional<MemberLinks> links(const List& list, MemberId member) const;
    // The personal links of each of `members`, in order (nullopt for one that is not a row of
    // `list`): one query a hundred members, for a delivery batch.
    std::vector<std::optional<MemberLinks>> links(const List& list,
                                                  const std::vector<MemberId>& members) const;
    // Subscribed members receiving `mode`, with their links (for delivery and digests), by id;
    // not those whose delivery bounces disabled.
    std::vector<Recipient> recipients(const List& list, DeliveryMode mode) const;

private:
    core::Result<void> request_mail(const List& list, const core::Email& email,
                                    const SubscriptionRequest* subscribe,
                                    std::string_view language);
    MemberLinks member_links(const List& list, const std::string& salt) const;
    // `column` is one of member_store's token hash columns.
    core::Result<Member> member_by_token(const char* column, std::string_view token) const;
    mail::ComposedMessage compose(const mail::OutgoingMessage& message, const List& list) const;
    const std::string& base_url() const { return settings_.base_url; }

    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    mail::Outbox& outbox_;
    SubscriptionSettings settings_;
};

}  // namespace coalition::lists
