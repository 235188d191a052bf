#include "lists/bounces.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "i18n/i18n.hpp"
#include "lists/bounce_parser.hpp"
#include "lists/bounce_store.hpp"
#include "lists/list_address.hpp"
#include "lists/list_store.hpp"
#include "lists/member_store.hpp"
#include "lists/subscriptions.hpp"

#include <algorithm>
#include <iostream>
#include <utility>

namespace coalition::lists {
namespace {

// Mailman 3's defaults (bounce_score_threshold, bounce_info_stale_after,
// bounce_you_are_disabled_warnings and _interval); scores in thousandths.
constexpr std::int64_t kHardBounce = 1000;
constexpr std::int64_t kSoftBounce = 500;
constexpr std::int64_t kThreshold = 5000;
constexpr std::int64_t kStaleAfter = 7 * core::kSecondsPerDay;
constexpr int kWarnings = 3;
constexpr std::int64_t kWarningInterval = 7 * core::kSecondsPerDay;

using Values = std::vector<std::pair<std::string, std::string>>;

// "Your delivery is disabled" (RFC 3834 auto-generated, from NAME-request, bounces to the list).
mail::ComposedMessage warning(const List& list, const Member& member, const MemberLinks* links,
                              int number, const core::Clock& clock) {
    Values values = {{"list", list.title()},
                     {"address", list.posting_address().unicode()},
                     {"email", member.email.unicode()},
                     {"owner", list.address(AddressRole::Owner).unicode()},
                     {"number", std::to_string(number)},
                     {"total", std::to_string(kWarnings)},
                     {"link", links != nullptr ? links->preferences_url : std::string()}};
    auto from = list.address(AddressRole::Request).email();
    mail::OutgoingMessage message{
        .from = mail::Mailbox{list.title(), from ? *from : list.posting_address()},
        .to = {mail::Mailbox{member.display_name, member.email}},
        .subject = i18n::translate(member.language, "Your mail from {list} is stopped", values),
        .text_body = i18n::translate(
            member.language,
            "Hello,\n\n"
            "Mail from the list {list} ({address}) to {email} has been bouncing, so the list "
            "stopped sending it to you.\n\n"
            "This is warning {number} of {total}. After the last one you will be removed from "
            "the list. To keep your subscription, check that your mailbox works and tell the "
            "list owners at {owner}.\n\n"
            "Your preferences: {link}\n",
            values),
        .headers = {{"List-Id", "<" + list.list_id_header() + ">"},
                    {"Auto-Submitted", "auto-generated"}},
        .language = member.language,
    };
    core::SecureRandom random;
    auto composed = mail::compose(message, clock, random);
    composed.envelope.mail_from = list.address(AddressRole::Bounces).envelope();
    return composed;
}

BounceKind worst(const std::vector<BouncedRecipient>& recipients) {
    return std::any_of(
               recipients.begin(), recipients.end(),
               [](const BouncedRecipient& recipient) { return recipient.kind == BounceKind::Hard; })
               ? BounceKind::Hard
               : BounceKind::Soft;
}

}  // namespace

Bounces::Bounces(store::Database& database, const core::Clock& clock, Subscriptions& subscriptions,
                 mail::Outbox& outbox)
    : database_(database), clock_(clock), subscriptions_(subscriptions), outbox_(outbox) {
}

void Bounces::score(const List& list, const Member& member, BounceKind kind,
                    std::string_view diagnostic) {
    const std::int64_t now = clock_.unix_now();
    const auto links = subscriptions_.links(list, member.id);
    database_.transact([&](store::Connection& connection) {
        bounce_store::ScoreRow fresh;
        fresh.member = member.id;
        fresh.list = list.id;
        auto row = bounce_store::find(connection, member.id).value_or(fresh);
        ++row.bounces;
        row.last_diagnostic = std::string(diagnostic.substr(0, 1000));
        if (!row.delivery_disabled && row.last_bounce_at != 0 &&
            now - row.last_bounce_at > kStaleAfter) {
            row.score_milli = 0;  // Stale: the member's mailbox worked for a week.
        }
        // At most one bounce a day counts: a mailbox down for a day is one event, not fifty.
        const bool counted_today =
            row.score_milli > 0 &&
            row.last_bounce_at / core::kSecondsPerDay == now / core::kSecondsPerDay;
        if (!counted_today) {
            row.score_milli += kind == BounceKind::Hard ? kHardBounce : kSoftBounce;
        }
        row.last_bounce_at = now;
        if (!row.delivery_disabled && row.score_milli >= kThreshold) {
            row.delivery_disabled = true;
            row.disabled_at = now;
            row.warnings_sent = 1;
            row.last_warning_at = now;
            const auto mail = warning(list, member, links ? &*links : nullptr, 1, clock_);
            outbox_.enqueue(connection, mail, "bounce warning 1");
        }
        bounce_store::save(connection, row, now);
    });
}

core::Result<void> Bounces::receive(const List& list, std::string_view verp,
                                    std::string_view message) {
    const auto reported = parse_bounce(message);
    if (!verp.empty()) {
        // RFC 5321 §4.1.2: the VERP part was ours; it decodes to the member it was sent to.
        const auto address = ListAddress::parse(list.name + "-bounces+" + std::string(verp) + "@" +
                                                list.domain.ascii());
        if (!address || !address->subscriber()) {
            return {};
        }
        const auto member = subscriptions_.find_member(list.id, *address->subscriber());
        if (!member || member->state != MemberState::Subscribed) {
            return {};
        }
        if (reported.empty() && bounce_parser::is_auto_reply(message)) {
            return {};  // A vacation reply to the return path is no bounce.
        }
        // What the report says of this member, else of anyone; hard when it says nothing.
        BounceKind kind = reported.empty() ? BounceKind::Hard : worst(reported);
        std::string diagnostic = reported.empty() ? "" : reported.front().diagnostic;
        for (const auto& recipient : reported) {
            auto email = core::Email::parse(recipient.address);
            if (email && *email == member->email) {
                kind = recipient.kind;
                diagnostic = recipient.diagnostic;
            }
        }
        score(list, *member, kind, diagnostic);
        return {};
    }
    for (const auto& recipient : reported) {
        auto email = core::Email::parse(recipient.address);
        if (!email) {
            continue;
        }
        const auto member = subscriptions_.find_member(list.id, *email);
        if (member && member->state == MemberState::Subscribed) {
            score(list, *member, recipient.kind, recipient.diagnostic);
        }
    }
    return {};
}

void Bounces::record_failure(const List& list, const core::Email& member_email,
                             std::string_view reply) {
    const auto member = subscriptions_.find_member(list.id, member_email);
    if (member && member->state == MemberState::Subscribed) {
        score(list, *member, BounceKind::Hard, reply);
    }
}

bool Bounces::delivery_disabled(ListId /*list*/, MemberId member) const {
    return bounce_store::is_disabled(database_, member);
}

std::vector<BounceState> Bounces::states(ListId list) const {
    std::vector<BounceState> states;
    for (auto& row : bounce_store::for_list(database_, list)) {
        auto email = core::Email::parse(row.email);
        if (!email) {
            continue;
        }
        states.push_back(BounceState{.member = row.score.member,
                                     .email = std::move(*email),
                                     .score = static_cast<double>(row.score.score_milli) / 1000.0,
                                     .last_bounce_at = row.score.last_bounce_at,
                                     .delivery_disabled = row.score.delivery_disabled,
                                     .warnings_sent = row.score.warnings_sent,
                                     .last_diagnostic = std::move(row.score.last_diagnostic)});
    }
    return states;
}

void Bounces::run_periodic() {
    const std::int64_t now = clock_.unix_now();
    for (const auto& row :
         bounce_store::periodic_candidates(database_, now - kWarningInterval, now - kStaleAfter)) {
        const auto list = list_store::find(database_, row.list);
        if (!list) {
            continue;
        }
        if (!row.delivery_disabled) {
            database_.transact([&](store::Connection& connection) {
                bounce_store::remove(connection, row.member);
            });
            continue;
        }
        const auto member = member_store::find(database_, row.member);
        if (!member || member->member.state != MemberState::Subscribed) {
            database_.transact([&](store::Connection& connection) {
                bounce_store::remove(connection, row.member);
            });
            continue;
        }
        if (row.warnings_sent < kWarnings) {
            const auto links = subscriptions_.links(*list, row.member);
            const int number = row.warnings_sent + 1;
            const auto mail =
                warning(*list, member->member, links ? &*links : nullptr, number, clock_);
            database_.transact([&](store::Connection& connection) {
                auto next = row;
                next.warnings_sent = number;
                next.last_warning_at = now;
                bounce_store::save(connection, next, now);
                outbox_.enqueue(connection, mail, "bounce warning " + std::to_string(number));
            });
            continue;
        }
        // The last warning went unanswered for a week: Mailman's unsubscribe on bounce.
        subscriptions_.remove_members(accounts::Actor::cli(), *list, {member->member.email},
                                      Goodbye::Send);
        database_.transact(
            [&](store::Connection& connection) { bounce_store::remove(connection, row.member); });
    }
}

}  // namespace coalition::lists
