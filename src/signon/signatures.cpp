// Signatures: signing, confirmation, the DNS proof and withdrawal (moderation.cpp and
// public_list.cpp hold the rest of the service).
#include "core/assert.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "signon/events.hpp"
#include "signon/signatory.hpp"
#include "signon/signatures_state.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

namespace coalition::signon {
namespace {

// A sign-on token is 16 hex digits of the time it was made (microseconds), then 24 random bytes
// as base64url; its stored key is those digits followed by the token's hash. New keys so go to
// the end of the tokens' index: a key that was all hash put each sign-up's token on an index page
// of its own, a third of the pages each group commit wrote under a burst (issue #3). Tokens of
// the earlier form (43 random characters) keep their plain hash as key.
constexpr std::size_t kTokenTimeDigits = 16;
constexpr std::size_t kTokenRandomBytes = 24;
constexpr std::size_t kTokenRandomChars = 32;  // base64url of kTokenRandomBytes.

bool has_time_prefix(std::string_view token) {
    return token.size() == kTokenTimeDigits + kTokenRandomChars &&
           std::all_of(token.begin(), token.begin() + kTokenTimeDigits,
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string token_key(std::string_view token) {
    const std::string hash = core::hash_token(std::string(token));
    return has_time_prefix(token) ? std::string(token.substr(0, kTokenTimeDigits)) + hash : hash;
}

std::string time_prefix() {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::array<char, kTokenTimeDigits + 1> digits{};
    std::snprintf(digits.data(), digits.size(), "%016llx", static_cast<unsigned long long>(micros));
    return std::string(digits.data(), kTokenTimeDigits);
}

using i18n::gettext_noop;
using signature_store::TokenPurpose;

core::Error expired_link() {
    return core::Error::expired(std::string(
        gettext_noop("This link has expired or is not valid. If you still want to sign, sign "
                     "again: a new link will be sent.")));
}

core::Error unknown_link() {
    return core::Error::not_found(std::string(gettext_noop("This link is not valid.")));
}

std::string minutes_text(std::int64_t seconds) {
    return std::to_string(std::max<std::int64_t>(1, (seconds + 59) / 60));
}

// The verification a confirmed address gives: the organisation's domain when the address is at
// that domain or below it (both compared as A-labels after UTS #46), else the address alone.
Verification confirmed_level(const signature_store::Record& record) {
    if (record.signature.kind == SignatoryKind::Organisation &&
        !record.organisation_domain_ascii.empty()) {
        auto address = core::Domain::parse(record.email_domain);
        auto organisation = core::Domain::parse(record.organisation_domain_ascii);
        if (address && organisation && address->is_within(*organisation)) {
            return Verification::OrganisationDomain;
        }
    }
    return Verification::Email;
}

bool is_active(SignatureStatus status) {
    return status == SignatureStatus::Confirmed ||
           status == SignatureStatus::InformationRequested || status == SignatureStatus::Published;
}

}  // namespace

std::string trim_base_url(std::string_view base_url) {
    std::string base(base_url);
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base;
}

std::vector<core::Error> validate(const SignatureInput& input) {
    auto validated = validate_signatory(input);
    if (validated) {
        return {};
    }
    return validated.errors();
}

Signatures::State::State(store::Database& database_, const core::Clock& clock_,
                         core::Random& random_, mail::Outbox& outbox_, TransparencyLog& log_,
                         dns::Resolver& resolver_, SignOnSettings settings_)
    : database(database_),
      clock(clock_),
      random(random_),
      outbox(outbox_),
      log(log_),
      resolver(resolver_),
      settings(std::move(settings_)),
      per_address(clock_, settings.per_address_per_hour, std::chrono::hours(1)),
      per_domain(clock_, settings.per_domain_per_hour, std::chrono::hours(1)) {
}

void Signatures::State::enqueue(store::Connection& connection,
                                const mail::OutgoingMessage& message) {
    outbox.enqueue(connection, message);  // Composed by the outbox worker when it sends.
}

void Signatures::State::enqueue(store::Connection& connection, const mail::ComposedMessage& message,
                                const std::string& subject) {
    outbox.enqueue(connection, message, subject);
}

mails::Recipient Signatures::State::recipient(const Signature& signature,
                                              const std::string& campaign_title) {
    auto address = core::Email::parse(signature.email);
    COALITION_ASSERT(address.has_value(), "a stored address parses");
    return mails::Recipient{
        .mailbox = mail::Mailbox{signature.name, std::move(*address)},
        .language = signature.language.empty() ? std::string("en") : signature.language,
        .campaign_title = campaign_title,
    };
}

Signatures::State::NewToken Signatures::State::new_token() {
    std::string token = time_prefix() + random.token(kTokenRandomBytes);
    std::string key = token_key(token);
    return {std::move(token), std::move(key)};
}

void Signatures::State::remember_campaign(store::Connection& connection, const Campaign& campaign,
                                          const std::string& base_url) {
    signature_store::save_campaign(connection, campaign, base_url, clock.unix_now());
}

Signature Signatures::State::publish(store::Connection& connection,
                                     const signature_store::Record& record) {
    const auto now = clock.unix_now();
    Signature signature = record.signature;
    signature.status = SignatureStatus::Published;
    signature.published_at = now;
    const auto index = log.append(connection, published_event(signature, random));
    signature_store::mark_published(connection, record, now, index);
    signature.log_index = index;
    return signature;
}

Signatures::Signatures(store::Database& database, const core::Clock& clock, core::Random& random,
                       mail::Outbox& outbox, TransparencyLog& log, dns::Resolver& resolver,
                       SignOnSettings settings)
    : state_(std::make_unique<State>(database, clock, random, outbox, log, resolver,
                                     std::move(settings))) {
}

Signatures::~Signatures() = default;

core::Result<Signature> Signatures::record_verified(const accounts::Actor& actor,
                                                    const Campaign& campaign,
                                                    std::string_view version_hash,
                                                    const SignatureInput& input,
                                                    const std::string& base_url) {
    State& s = *state_;
    auto validated = validate_signatory(input);
    if (!validated) {
        return validated.errors().front();
    }
    if (version_hash.empty()) {
        return core::Error::invalid(
            std::string(gettext_noop("There is no published version to sign yet.")));
    }
    const Signatory& signatory = *validated;
    const auto now = s.clock.unix_now();
    return s.transact<Signature>([&](store::Connection& connection) {
        s.remember_campaign(connection, campaign, trim_base_url(base_url));
        const auto id = signature_store::insert_pending(
            connection, signature_store::pending_row(signatory, campaign.key,
                                                     std::string(version_hash), "", now));
        if (!id) {
            throw Rejection(core::Error::conflict(
                std::string(gettext_noop("This signer has already signed this version.")),
                "email"));
        }
        auto record = signature_store::find(connection, *id);
        COALITION_ASSERT(record.has_value(), "the signature just inserted exists");
        const Verification level = confirmed_level(*record);
        signature_store::mark_confirmed(connection, *id, level, now, "");
        record->signature.status = SignatureStatus::Confirmed;
        record->signature.verification = level;
        record->signature.confirmed_at = now;
        Signature published = s.publish(connection, *record);
        accounts::AuditLog::record(connection, now, actor, "signature.record",
                                   "signature:" + std::to_string(*id),
                                   nlohmann::json{{"log_index", *published.log_index}}.dump());
        return published;
    });
}

core::Result<void> Signatures::sign(const Campaign& campaign, std::string_view version_hash,
                                    const SignatureInput& input, const Submission& submission) {
    State& s = *state_;
    auto validated = validate_signatory(input);
    if (!validated) {
        return validated.errors().front();
    }
    const Signatory& signatory = *validated;
    if (version_hash.empty()) {
        return core::Error::invalid(
            std::string(gettext_noop("There is no published version to sign yet.")));
    }

    const auto now = s.clock.unix_now();
    if (const auto wait = s.per_address.acquire("a:" + submission.client_address); wait > 0) {
        return core::Error{
            core::ErrorCode::RateLimited,
            i18n::format(gettext_noop("Too many signatures were sent from your network. Try again "
                                      "in {minutes} minutes."),
                         {{"minutes", minutes_text(wait)}}),
            {}};
    }
    const std::string& email_domain = signatory.email.domain().ascii();
    if (const auto wait = s.per_domain.acquire("d:" + email_domain); wait > 0) {
        {
            std::lock_guard lock(s.retry_mutex);
            if (s.domain_retry_at.size() > 100'000) {
                std::erase_if(s.domain_retry_at,
                              [&](const auto& entry) { return entry.second <= now; });
            }
            s.domain_retry_at[submission.client_address] = now + wait;
        }
        return core::Error{
            core::ErrorCode::RateLimited,
            i18n::format(
                gettext_noop("Too many signatures were sent with addresses at {domain}. "
                             "Try again in {minutes} minutes."),
                {{"domain", signatory.email.domain().unicode()}, {"minutes", minutes_text(wait)}}),
            "email"};
    }
    // A bot that filled the hidden field is told what a person is told, and nothing is kept.
    if (!input.honeypot.empty()) {
        return {};
    }

    const std::string base_url = trim_base_url(submission.base_url);
    const std::string version(version_hash);
    const std::int64_t lifetime = s.settings.confirmation_lifetime.count();
    const std::int64_t lifetime_days = std::max<std::int64_t>(1, lifetime / 86400);
    // The mail is queued as a draft and composed by the outbox worker when it sends: a burst of
    // sign-ups waits only for its rows (GMime composing was a third of a sign-up's CPU time).
    const auto token = s.new_token();
    const mails::Recipient recipient{
        .mailbox = mail::Mailbox{signatory.name, signatory.email},
        .language = signatory.language,
        .campaign_title = campaign.title,
    };
    const auto message = mail::Outbox::prepare(
        mails::confirmation(s.settings, recipient,
                            base_url + campaign.path + "/confirm/" + token.token, lifetime_days));
    const auto row = signature_store::pending_row(signatory, campaign.key, version,
                                                  submission.client_address, now);

    const std::string campaign_state =
        campaign.key + "\n" + campaign.title + "\n" + campaign.path + "\n" + base_url;
    bool save_campaign = false;
    {
        std::lock_guard lock(s.campaigns_mutex);
        const auto it = s.saved_campaigns.find(campaign.key);
        save_campaign = it == s.saved_campaigns.end() || it->second != campaign_state;
    }

    s.database.transact([&](store::Connection& connection) {
        if (save_campaign) {
            s.remember_campaign(connection, campaign, base_url);
        }
        const auto id = signature_store::insert_pending(connection, row);
        if (id) {
            signature_store::insert_token(connection, *id, token.hash, TokenPurpose::Confirm, now,
                                          now + lifetime);
            s.outbox.enqueue(connection, message);
            return;
        }
        // A duplicate: the caller hears what a new signer hears. The address's owner gets a
        // notice (a fresh confirmation link while still unconfirmed), up to the cap.
        const auto existing =
            signature_store::find_by_key(connection, campaign.key, version, signatory.dedup_key);
        if (!existing || !signature_store::count_notice(connection, existing->signature.id,
                                                        s.settings.max_notices_per_signature)) {
            return;
        }
        const auto to = s.recipient(existing->signature, campaign.title);
        if (existing->signature.status == SignatureStatus::Pending) {
            signature_store::insert_token(connection, existing->signature.id, token.hash,
                                          TokenPurpose::Confirm, now, now + lifetime);
            s.enqueue(connection,
                      mails::confirmation(s.settings, to,
                                          base_url + campaign.path + "/confirm/" + token.token,
                                          lifetime_days));
        } else {
            s.enqueue(connection, mails::duplicate_notice(s.settings, to));
        }
    });
    if (save_campaign) {
        std::lock_guard lock(s.campaigns_mutex);
        s.saved_campaigns[campaign.key] = campaign_state;
    }
    return {};
}

std::int64_t Signatures::retry_after_seconds(const Submission& submission) const {
    const State& s = *state_;
    std::int64_t wait = s.per_address.wait_seconds("a:" + submission.client_address);
    std::lock_guard lock(state_->retry_mutex);
    const auto it = s.domain_retry_at.find(submission.client_address);
    if (it != s.domain_retry_at.end()) {
        wait = std::max(wait, it->second - s.clock.unix_now());
    }
    return std::max<std::int64_t>(wait, 0);
}

core::Result<ConfirmationView> Signatures::find_confirmation(std::string_view token) {
    State& s = *state_;
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return expired_link();
    }
    signature_store::ReadConnection reader(s.database);
    const auto state = signature_store::find_token(reader, token_key(token), TokenPurpose::Confirm,
                                                   s.clock.unix_now());
    if (!state || (state->expired && !state->used)) {
        return expired_link();
    }
    auto record = signature_store::find(reader, state->signature_id);
    if (!record || record->signature.status == SignatureStatus::Erased) {
        return expired_link();
    }
    const bool already = state->used || record->signature.status != SignatureStatus::Pending;
    return ConfirmationView{.signature = std::move(record->signature),
                            .already_confirmed = already};
}

core::Result<Signature> Signatures::confirm(std::string_view token) {
    State& s = *state_;
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return expired_link();
    }
    const auto stored_key = token_key(token);
    const auto now = s.clock.unix_now();
    // What the confirmation will do is decided from a read outside the transaction, so that
    // the mail can be composed there too; the transaction claims the token and re-checks that
    // the signature is still pending.
    signature_store::ReadConnection reader(s.database);
    const auto state = signature_store::find_token(reader, stored_key, TokenPurpose::Confirm, now);
    if (!state) {
        return expired_link();
    }
    auto record = signature_store::find(reader, state->signature_id);
    if (!record || record->signature.status == SignatureStatus::Erased) {
        return expired_link();
    }
    if (state->used || record->signature.status != SignatureStatus::Pending) {
        return std::move(record->signature);  // A second press: harmless.
    }
    if (state->expired) {
        return expired_link();
    }

    const Signature& pending = record->signature;
    const bool organisation = pending.kind == SignatoryKind::Organisation;
    const Verification level = confirmed_level(*record);
    const bool moderated = organisation || s.settings.moderate_individuals;
    const bool publish_now =
        !moderated || signature_store::has_published_other_version(reader, *record);
    const auto links = signature_store::find_campaign(reader, pending.campaign);
    const std::string base = links.base_url + links.campaign.path;
    const auto withdraw_token = s.new_token();
    const auto dns_token = s.new_token();
    const std::string challenge = organisation ? s.random.token(24) : std::string();
    const auto state_mailed = !publish_now ? mails::ConfirmedState::AwaitingModeration
                              : (organisation || pending.show_publicly)
                                  ? mails::ConfirmedState::Published
                                  : mails::ConfirmedState::PublishedHidden;
    const auto message = mail::Outbox::prepare(
        mails::confirmed(s.settings, s.recipient(pending, links.campaign.title), state_mailed,
                         base + "/withdraw/" + withdraw_token.token,
                         organisation ? base + "/verify/" + dns_token.token : std::string(),
                         pending.organisation_domain));

    return s.transact<Signature>([&](store::Connection& connection) {
        const auto claimed = signature_store::use_token(connection, stored_key, now);
        auto current = signature_store::find(connection, state->signature_id);
        COALITION_ASSERT(current.has_value(), "a token's signature exists");
        if (!claimed || !signature_store::mark_confirmed(connection, current->signature.id, level,
                                                         now, challenge)) {
            // Confirmed by a concurrent press, or cancelled meanwhile.
            return std::move(current->signature);
        }
        current->signature.status = SignatureStatus::Confirmed;
        current->signature.verification = level;
        current->signature.confirmed_at = now;
        current->dns_challenge = challenge;
        Signature result = current->signature;
        if (publish_now) {
            result = s.publish(connection, *current);
        }
        signature_store::insert_token(connection, current->signature.id, withdraw_token.hash,
                                      TokenPurpose::Withdraw, now, std::nullopt);
        if (organisation) {
            signature_store::insert_token(connection, current->signature.id, dns_token.hash,
                                          TokenPurpose::Dns, now, std::nullopt);
        }
        s.outbox.enqueue(connection, message);
        return result;
    });
}

core::Result<DnsChallenge> Signatures::dns_challenge(std::string_view token) {
    State& s = *state_;
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return unknown_link();
    }
    signature_store::ReadConnection reader(s.database);
    const auto state = signature_store::find_token(reader, token_key(token), TokenPurpose::Dns,
                                                   s.clock.unix_now());
    if (!state) {
        return unknown_link();
    }
    const auto record = signature_store::find(reader, state->signature_id);
    if (!record || !is_active(record->signature.status) ||
        record->organisation_domain_ascii.empty() || record->dns_challenge.empty()) {
        return unknown_link();
    }
    return DnsChallenge{
        .record_name = "_coalition-challenge." + record->organisation_domain_ascii,
        .record_value = record->dns_challenge,
    };
}

core::Result<Signature> Signatures::check_dns(std::string_view token) {
    State& s = *state_;
    auto challenge = dns_challenge(token);
    if (!challenge) {
        return challenge.error();
    }
    signature_store::ReadConnection reader(s.database);
    const auto state = signature_store::find_token(reader, token_key(token), TokenPurpose::Dns,
                                                   s.clock.unix_now());
    COALITION_ASSERT(state.has_value(), "dns_challenge() found the token");
    auto answer = s.resolver.txt(challenge->record_name);
    if (!answer) {
        return core::Error::not_found(i18n::format(
            gettext_noop("No TXT record was found at {name}. DNS changes can take a while to "
                         "appear: try again later."),
            {{"name", challenge->record_name}}));
    }
    const bool matches = std::any_of(
        answer->records.begin(), answer->records.end(),
        [&](const std::string& record) { return core::trim(record) == challenge->record_value; });
    if (!matches) {
        return core::Error::not_found(i18n::format(
            gettext_noop("The TXT record at {name} does not hold the value shown on this page."),
            {{"name", challenge->record_name}}));
    }
    const Verification level = answer->secure ? Verification::DnsSec : Verification::Dns;
    return s.transact<Signature>([&](store::Connection& connection) {
        auto record = signature_store::find(connection, state->signature_id);
        if (!record || !is_active(record->signature.status)) {
            throw Rejection(unknown_link());
        }
        if (record->signature.verification < level) {
            signature_store::set_verification(connection, record->signature.id, level);
            record->signature.verification = level;
        }
        return std::move(record->signature);
    });
}

core::Result<Signature> Signatures::find_by_withdrawal_token(std::string_view token) {
    State& s = *state_;
    if (token.empty() || token.size() > core::kMaxTokenLength) {
        return unknown_link();
    }
    signature_store::ReadConnection reader(s.database);
    const auto state = signature_store::find_token(reader, token_key(token), TokenPurpose::Withdraw,
                                                   s.clock.unix_now());
    if (!state) {
        return unknown_link();
    }
    auto record = signature_store::find(reader, state->signature_id);
    if (!record || record->signature.status == SignatureStatus::Erased) {
        return unknown_link();
    }
    return std::move(record->signature);
}

core::Result<Signature> Signatures::withdraw(std::string_view token) {
    State& s = *state_;
    auto found = find_by_withdrawal_token(token);
    if (!found) {
        return found.error();
    }
    const std::int64_t id = found->id;
    return s.transact<Signature>([&](store::Connection& connection) {
        auto record = signature_store::find(connection, id);
        if (!record) {
            throw Rejection(unknown_link());
        }
        Signature& signature = record->signature;
        const auto status = signature.status;
        if (status != SignatureStatus::Pending && !is_active(status)) {
            return std::move(signature);  // Already withdrawn, rejected, cancelled: unchanged.
        }
        if (status == SignatureStatus::Published && signature.log_index) {
            s.log.append(connection, withdrawn_event(signature.campaign, *signature.log_index,
                                                     "signer", s.clock.unix_now(), s.random));
        }
        signature_store::set_status(connection, id, SignatureStatus::Withdrawn, std::nullopt);
        signature.status = SignatureStatus::Withdrawn;
        return std::move(signature);
    });
}

std::optional<Signature> Signatures::find(std::int64_t id) {
    signature_store::ReadConnection reader(state_->database);
    auto record = signature_store::find(reader, id);
    if (!record) {
        return std::nullopt;
    }
    return std::move(record->signature);
}

}  // namespace coalition::signon
