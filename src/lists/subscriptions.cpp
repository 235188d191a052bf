#include "lists/subscriptions.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "lists/list_mail.hpp"
#include "lists/list_store.hpp"
#include "lists/member_store.hpp"
#include "lists/tokens.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace coalition::lists {
namespace {

// Outside input is lower-cased (an MTA may have changed its case) and must have our tokens'
// shape before it is hashed.
std::optional<std::string> normalised_token(std::string_view token) {
    if (token.size() != tokens::kTokenLength) {
        return std::nullopt;
    }
    std::string lower(token);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    if (!tokens::is_well_formed(lower)) {
        return std::nullopt;
    }
    return lower;
}

core::Error expired_confirmation() {
    return core::Error::expired(std::string(i18n::gettext_noop(
        "This confirmation link has expired or has already been used. Ask again if you still "
        "want to.")));
}

core::Error unknown_member_link() {
    return core::Error::not_found(std::string(i18n::gettext_noop(
        "This link is not valid. Use the link in the latest mail from the list.")));
}

std::string supported_language(std::string_view tag) {
    const i18n::Language* language = i18n::find_language(tag);
    return language != nullptr ? language->tag : std::string("en");
}

core::Result<std::string> checked_display_name(std::string_view input) {
    const auto invalid = [] {
        return core::Error::invalid("A name is one line of up to 100 characters.", "display_name");
    };
    if (input.size() > 1000 || !core::is_valid_utf8(input) || core::has_control_characters(input) ||
        input.find_first_of("\r\n\t") != std::string_view::npos) {
        return invalid();
    }
    std::string name = core::to_nfc(core::trim(input));
    if (core::character_count(name) > 100) {
        return invalid();
    }
    return name;
}

std::string audit_subject(const List& list) {
    return "list:" + std::to_string(list.id.value());
}

}  // namespace

const char* to_string(ConfirmationAction action) {
    return action == ConfirmationAction::Subscribe ? "subscribe" : "unsubscribe";
}

Subscriptions::Subscriptions(store::Database& database, const core::Clock& clock,
                             core::Random& random, mail::Outbox& outbox,
                             SubscriptionSettings settings)
    : database_(database),
      clock_(clock),
      random_(random),
      outbox_(outbox),
      settings_(std::move(settings)) {
    COALITION_ASSERT(settings_.token_secret.size() >= 16 && settings_.token_secret.size() <= 64,
                     "the lists token secret has 16 to 64 bytes");
    while (!settings_.base_url.empty() && settings_.base_url.back() == '/') {
        settings_.base_url.pop_back();
    }
}

MemberLinks Subscriptions::member_links(const List& list, const std::string& salt) const {
    MemberLinks links;
    links.unsubscribe_token =
        tokens::member_token(settings_.token_secret, tokens::Purpose::Unsubscribe, salt);
    links.preferences_token =
        tokens::member_token(settings_.token_secret, tokens::Purpose::Preferences, salt);
    const std::string page = base_url() + "/lists/" + list.name;
    links.unsubscribe_url = page + "/unsubscribe/" + links.unsubscribe_token;
    links.preferences_url = page + "/preferences/" + links.preferences_token;
    return links;
}

mail::ComposedMessage Subscriptions::compose(const mail::OutgoingMessage& message,
                                             const List& list) const {
    auto composed = mail::compose(message, clock_, random_);
    // Bounces of the list's own mail come back to the list, not to the site's sender.
    composed.envelope.mail_from = list.address(AddressRole::Bounces).envelope();
    return composed;
}

namespace {

member_store::TokenSet token_set(const std::string& secret, const std::string& salt) {
    return {salt,
            core::hash_token(tokens::member_token(secret, tokens::Purpose::Unsubscribe, salt)),
            core::hash_token(tokens::member_token(secret, tokens::Purpose::Preferences, salt))};
}

}  // namespace

core::Result<void> Subscriptions::request_subscription(const List& list,
                                                       const SubscriptionRequest& request) {
    auto display_name = checked_display_name(request.display_name);
    if (!display_name) {
        return display_name.error();
    }
    SubscriptionRequest checked = request;
    checked.display_name = std::move(*display_name);
    return request_mail(list, request.email, &checked, request.language);
}

core::Result<void> Subscriptions::request_unsubscription(const List& list, const core::Email& email,
                                                         std::string_view language) {
    return request_mail(list, email, nullptr, language);
}

// One path for both requests, so that their answers and their timing do not depend on the
// address's state. The mail is composed before the transaction (bodies run on the store's single
// writer with SQLite, which should only wait for the database) from the state read now; should
// the state change before the transaction, nothing is sent and the visitor asks again.
core::Result<void> Subscriptions::request_mail(const List& list, const core::Email& email,
                                               const SubscriptionRequest* subscribe,
                                               std::string_view language) {
    const std::string tag = supported_language(language);
    const auto now = clock_.unix_now();
    const std::string canonical = email.canonical();
    const auto existing = member_store::find(database_, list.id, canonical);
    const bool is_member = existing && existing->member.state == MemberState::Subscribed;
    const std::string token = tokens::random_token(random_);
    const std::string salt = tokens::random_salt(random_);
    const list_mail::Context context{list, base_url(), settings_.site_name};

    enum class Send { Nothing, Confirmation, Notice };
    Send send = Send::Nothing;
    std::optional<mail::OutgoingMessage> message;
    if (subscribe != nullptr && is_member) {
        send = Send::Notice;
        message = list_mail::already_member(context, existing->member,
                                            member_links(list, existing->token_salt));
    } else if (subscribe != nullptr) {
        send = Send::Confirmation;
        message = list_mail::confirmation(context, list_mail::ConfirmKind::Subscribe, email,
                                          subscribe->display_name, tag, token);
    } else if (is_member) {
        send = Send::Confirmation;
        message = list_mail::confirmation(context, list_mail::ConfirmKind::Unsubscribe, email,
                                          existing->member.display_name, tag, token);
    }
    std::optional<mail::ComposedMessage> composed;
    if (message) {
        composed = compose(*message, list);
    }

    bool rate_limited = false;
    database_.transact([&](store::Connection& connection) {
        if (member_store::count_recent_mail(connection, list.id, canonical, now - 3600) >=
            kMaxMailsPerHour) {
            rate_limited = true;
            return;
        }
        member_store::insert_mail_request(connection, list.id, canonical, now);
        const auto expires_at = now + kConfirmationLifetime.count();
        if (subscribe != nullptr) {
            const Member pending{.id = {},
                                 .list_id = list.id,
                                 .email = email,
                                 .display_name = subscribe->display_name,
                                 .state = MemberState::Pending,
                                 .delivery_mode = DeliveryMode::Regular,
                                 .language = tag,
                                 .source = subscribe->source,
                                 .created_at = now,
                                 .updated_at = now,
                                 .subscribed_at = std::nullopt,
                                 .unsubscribed_at = std::nullopt};
            const auto upserted = member_store::upsert_pending(
                connection, pending, token_set(settings_.token_secret, salt), now);
            if (upserted.was_subscribed && send == Send::Notice) {
                outbox_.enqueue(connection, *composed, message->subject);
            } else if (!upserted.was_subscribed && send == Send::Confirmation) {
                member_store::insert_confirmation(connection, core::hash_token(token), list.id,
                                                  upserted.id, "subscribe", now, expires_at);
                outbox_.enqueue(connection, *composed, message->subject);
            }
            return;
        }
        if (send != Send::Confirmation) {
            return;
        }
        const auto current = member_store::find(connection, existing->member.id);
        if (current && current->member.state == MemberState::Subscribed) {
            member_store::insert_confirmation(connection, core::hash_token(token), list.id,
                                              current->member.id, "unsubscribe", now, expires_at);
            outbox_.enqueue(connection, *composed, message->subject);
        }
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

core::Result<Confirmation> Subscriptions::find_confirmation(std::string_view token) const {
    const auto normalised = normalised_token(token);
    if (!normalised) {
        return expired_confirmation();
    }
    const auto row = member_store::find_confirmation(database_, core::hash_token(*normalised),
                                                     clock_.unix_now());
    if (!row) {
        return expired_confirmation();
    }
    auto list = list_store::find(database_, row->list);
    auto member = member_store::find(database_, row->member);
    if (!list || !member) {
        return expired_confirmation();
    }
    return Confirmation{.list = std::move(*list),
                        .member = std::move(member->member),
                        .action = row->action == "unsubscribe" ? ConfirmationAction::Unsubscribe
                                                               : ConfirmationAction::Subscribe,
                        .expires_at = row->expires_at};
}

core::Result<Confirmation> Subscriptions::confirm(std::string_view token) {
    auto found = find_confirmation(token);
    if (!found) {
        return found.error();
    }
    Confirmation confirmation = std::move(*found);
    const std::string token_hash = core::hash_token(*normalised_token(token));
    const list_mail::Context context{confirmation.list, base_url(), settings_.site_name};
    const bool subscribing = confirmation.action == ConfirmationAction::Subscribe;
    std::string salt;
    if (subscribing) {
        const auto row = member_store::find(database_, confirmation.member.id);
        salt = row ? row->token_salt : std::string();
    }
    const mail::OutgoingMessage message =
        subscribing ? list_mail::welcome(context, confirmation.member,
                                         member_links(confirmation.list, salt))
                    : list_mail::goodbye(context, confirmation.member);
    const auto composed = compose(message, confirmation.list);
    const auto now = clock_.unix_now();

    bool used = false;
    std::optional<member_store::MemberRow> after;
    database_.transact([&](store::Connection& connection) {
        const auto row = member_store::use_confirmation(connection, token_hash, now);
        if (!row || row->member != confirmation.member.id) {
            return;
        }
        used = true;
        const bool changed = subscribing
                                 ? member_store::mark_subscribed(connection, row->member, now)
                                 : member_store::mark_unsubscribed(connection, row->member, now);
        if (changed) {
            outbox_.enqueue(connection, composed, message.subject);
        }
        after = member_store::find(connection, row->member);
    });
    if (!used || !after) {
        return expired_confirmation();
    }
    confirmation.member = std::move(after->member);
    return confirmation;
}

core::Result<Member> Subscriptions::unsubscribe(std::string_view unsubscribe_token) {
    const auto normalised = normalised_token(unsubscribe_token);
    if (!normalised) {
        return unknown_member_link();
    }
    const std::string token_hash = core::hash_token(*normalised);
    auto row = member_store::find_by_token_hash(database_, "unsubscribe_token_hash", token_hash);
    if (!row) {
        return unknown_member_link();
    }
    auto list = list_store::find(database_, row->member.list_id);
    if (!list) {
        return unknown_member_link();
    }
    const auto message = list_mail::goodbye({*list, base_url(), settings_.site_name}, row->member);
    const auto composed = compose(message, *list);
    const auto now = clock_.unix_now();
    std::optional<member_store::MemberRow> after;
    database_.transact([&](store::Connection& connection) {
        const auto changed = member_store::unsubscribe_by_token(connection, token_hash, now);
        if (changed && row->member.state == MemberState::Subscribed) {
            outbox_.enqueue(connection, composed, message.subject);
        }
        after = member_store::find(connection, row->member.id);
    });
    if (!after) {
        return unknown_member_link();
    }
    return std::move(after->member);
}

core::Result<Member> Subscriptions::member_by_token(const char* column,
                                                    std::string_view token) const {
    const auto normalised = normalised_token(token);
    if (!normalised) {
        return unknown_member_link();
    }
    auto row = member_store::find_by_token_hash(database_, column, core::hash_token(*normalised));
    if (!row) {
        return unknown_member_link();
    }
    return std::move(row->member);
}

core::Result<Member> Subscriptions::member_by_preferences_token(
    std::string_view preferences_token) const {
    return member_by_token("preferences_token_hash", preferences_token);
}

core::Result<Member> Subscriptions::member_by_unsubscribe_token(
    std::string_view unsubscribe_token) const {
    return member_by_token("unsubscribe_token_hash", unsubscribe_token);
}

core::Result<Member> Subscriptions::update_preferences(std::string_view preferences_token,
                                                       DeliveryMode mode,
                                                       std::string_view language) {
    const i18n::Language* supported = i18n::find_language(language);
    if (supported == nullptr) {
        return core::Error::invalid("Choose one of the site's languages.", "language");
    }
    auto member = member_by_preferences_token(preferences_token);
    if (!member) {
        return member.error();
    }
    const std::string token_hash = core::hash_token(*normalised_token(preferences_token));
    const auto now = clock_.unix_now();
    bool changed = false;
    database_.transact([&](store::Connection& connection) {
        changed = member_store::set_preferences(connection, token_hash, mode, supported->tag, now);
    });
    if (!changed) {
        return core::Error::conflict(
            std::string(i18n::gettext_noop("This address is no longer subscribed to the list.")));
    }
    member->delivery_mode = mode;
    member->language = supported->tag;
    member->updated_at = now;
    return member;
}

std::vector<AddOutcome> Subscriptions::add_members(const accounts::Actor& actor, const List& list,
                                                   const std::vector<NewMember>& members,
                                                   Welcome welcome) {
    std::unordered_map<std::string, MemberState> states;
    for (const auto& row : member_store::all(database_, list.id, std::nullopt)) {
        states.emplace(row.member.email.canonical(), row.member.state);
    }
    std::vector<AddOutcome> outcomes(members.size(), AddOutcome::AlreadyMember);
    struct Item {
        std::size_t index;
        Member member;
        member_store::TokenSet tokens;
        std::optional<mail::ComposedMessage> welcome;
        std::string subject;
    };
    const list_mail::Context context{list, base_url(), settings_.site_name};
    const auto prepare_welcome = [&](Item& item) {
        const auto message =
            list_mail::welcome(context, item.member, member_links(list, item.tokens.salt));
        item.welcome = compose(message, list);
        item.subject = message.subject;
    };
    std::vector<Item> items;
    std::unordered_set<std::string> seen;
    for (std::size_t member_idx = 0; member_idx < members.size(); ++member_idx) {
        const auto& draft = members[member_idx];
        const std::string canonical = draft.email.canonical();
        if (!seen.insert(canonical).second) {
            continue;
        }
        const auto known = states.find(canonical);
        const bool is_member = known != states.end() && known->second == MemberState::Subscribed;
        auto display_name = checked_display_name(draft.display_name);
        Item item{.index = member_idx,
                  .member = Member{.id = {},
                                   .list_id = list.id,
                                   .email = draft.email,
                                   .display_name = display_name ? *display_name : std::string(),
                                   .state = MemberState::Subscribed,
                                   .delivery_mode = DeliveryMode::Regular,
                                   .language = supported_language(list.settings.preferred_language),
                                   .source = MemberSource::Admin,
                                   .created_at = 0,
                                   .updated_at = 0,
                                   .subscribed_at = std::nullopt,
                                   .unsubscribed_at = std::nullopt},
                  .tokens = token_set(settings_.token_secret, tokens::random_salt(random_)),
                  .welcome = std::nullopt,
                  .subject = {}};
        if (!is_member && welcome == Welcome::Send) {
            prepare_welcome(item);
        }
        items.push_back(std::move(item));
    }
    for (std::size_t start = 0; start < items.size(); start += kBulkBatch) {
        const std::size_t end = std::min(items.size(), start + kBulkBatch);
        const auto now = clock_.unix_now();
        database_.transact([&](store::Connection& connection) {
            std::int64_t added = 0;
            for (std::size_t item_idx = start; item_idx < end; ++item_idx) {
                auto& item = items[item_idx];
                const auto id =
                    member_store::upsert_subscribed(connection, item.member, item.tokens, now);
                if (!id) {
                    outcomes[item.index] = AddOutcome::AlreadyMember;
                    continue;
                }
                outcomes[item.index] = AddOutcome::Added;
                ++added;
                if (welcome == Welcome::Send) {
                    if (!item.welcome) {
                        prepare_welcome(item);  // Left since the roster was read: rare.
                    }
                    outbox_.enqueue(connection, *item.welcome, item.subject);
                }
            }
            const nlohmann::json details = {
                {"added", added},
                {"already_members", static_cast<std::int64_t>(end - start) - added},
                {"welcome", welcome == Welcome::Send}};
            accounts::AuditLog::record(connection, now, actor, "list.add_members",
                                       audit_subject(list), details.dump());
        });
    }
    return outcomes;
}

std::vector<RemoveOutcome> Subscriptions::remove_members(const accounts::Actor& actor,
                                                         const List& list,
                                                         const std::vector<core::Email>& emails,
                                                         Goodbye goodbye) {
    std::unordered_map<std::string, Member> known;
    for (auto& row : member_store::all(database_, list.id, std::nullopt)) {
        const std::string canonical = row.member.email.canonical();
        known.emplace(canonical, std::move(row.member));
    }
    std::vector<RemoveOutcome> outcomes(emails.size(), RemoveOutcome::NotMember);
    struct Item {
        std::size_t index;
        std::string canonical;
        std::optional<mail::ComposedMessage> goodbye;
        std::string subject;
    };
    const list_mail::Context context{list, base_url(), settings_.site_name};
    std::vector<Item> items;
    std::unordered_set<std::string> seen;
    for (std::size_t email_idx = 0; email_idx < emails.size(); ++email_idx) {
        std::string canonical = emails[email_idx].canonical();
        if (!seen.insert(canonical).second) {
            continue;
        }
        const auto member = known.find(canonical);
        if (member == known.end() || member->second.state == MemberState::Unsubscribed) {
            continue;
        }
        Item item{
            .index = email_idx, .canonical = std::move(canonical), .goodbye = {}, .subject = {}};
        // Only members hear goodbye; a pending request is just cancelled.
        if (goodbye == Goodbye::Send && member->second.state == MemberState::Subscribed) {
            const auto message = list_mail::goodbye(context, member->second);
            item.goodbye = compose(message, list);
            item.subject = message.subject;
        }
        items.push_back(std::move(item));
    }
    for (std::size_t start = 0; start < items.size(); start += kBulkBatch) {
        const std::size_t end = std::min(items.size(), start + kBulkBatch);
        const auto now = clock_.unix_now();
        database_.transact([&](store::Connection& connection) {
            std::int64_t removed = 0;
            for (std::size_t item_idx = start; item_idx < end; ++item_idx) {
                const auto& item = items[item_idx];
                if (!member_store::mark_unsubscribed(connection, list.id, item.canonical, now)) {
                    outcomes[item.index] = RemoveOutcome::NotMember;
                    continue;
                }
                outcomes[item.index] = RemoveOutcome::Removed;
                ++removed;
                if (item.goodbye) {
                    outbox_.enqueue(connection, *item.goodbye, item.subject);
                }
            }
            const nlohmann::json details = {{"removed", removed},
                                            {"goodbye", goodbye == Goodbye::Send}};
            accounts::AuditLog::record(connection, now, actor, "list.remove_members",
                                       audit_subject(list), details.dump());
        });
    }
    return outcomes;
}

std::optional<Member> Subscriptions::find_member(ListId list, const core::Email& email) const {
    auto row = member_store::find(database_, list, email.canonical());
    if (!row) {
        return std::nullopt;
    }
    return std::move(row->member);
}

std::vector<Member> Subscriptions::roster(ListId list, std::optional<MemberState> state) const {
    std::vector<Member> members;
    for (auto& row : member_store::all(database_, list, state)) {
        members.push_back(std::move(row.member));
    }
    return members;
}

MemberCounts Subscriptions::counts(ListId list) const {
    MemberCounts counts;
    for (const auto& entry : member_store::counts(database_, list)) {
        switch (entry.state) {
            case MemberState::Pending:
                counts.pending += entry.count;
                break;
            case MemberState::Unsubscribed:
                counts.unsubscribed += entry.count;
                break;
            case MemberState::Subscribed:
                counts.subscribed += entry.count;
                (entry.mode == DeliveryMode::Regular ? counts.regular
                 : receives_digests(entry.mode)      ? counts.digest
                                                     : counts.no_mail) += entry.count;
                break;
        }
    }
    return counts;
}

std::optional<MemberLinks> Subscriptions::links(const List& list, MemberId member) const {
    const auto row = member_store::find(database_, member);
    if (!row || row->member.list_id != list.id) {
        return std::nullopt;
    }
    return member_links(list, row->token_salt);
}

std::vector<std::optional<MemberLinks>> Subscriptions::links(
    const List& list, const std::vector<MemberId>& members) const {
    const auto salts = member_store::token_salts(database_, list.id, members);
    std::vector<std::optional<MemberLinks>> links;
    links.reserve(members.size());
    for (const MemberId member : members) {
        const auto salt = salts.find(member.value());
        links.push_back(salt == salts.end() ? std::nullopt
                                            : std::optional(member_links(list, salt->second)));
    }
    return links;
}

std::vector<Recipient> Subscriptions::recipients(const List& list, DeliveryMode mode) const {
    std::vector<Recipient> recipients;
    for (auto& row : member_store::receiving(database_, list.id, mode)) {
        recipients.push_back(Recipient{.member_id = row.member.id,
                                       .email = std::move(row.member.email),
                                       .display_name = std::move(row.member.display_name),
                                       .language = std::move(row.member.language),
                                       .links = member_links(list, row.token_salt)});
    }
    return recipients;
}

}  // namespace coalition::lists
