#pragma once
// Bounces: what comes back to NAME-bounces+local=domain@DOMAIN, and what delivery learns from a
// 5xx. Parsing (parse_bounce) understands RFC 3464 delivery status notifications and the common
// non-standard forms (qmail, Exim, Postfix without DSN, Microsoft); scoring is Mailman's: a hard
// bounce adds 1.0, a soft one 0.5, at most one per day; at the list's threshold (5.0) the member
// is warned and delivery disabled; after the warnings (3, a week apart) the member is removed
// unless a successful delivery resets the score; the score decays after 7 days without bounces.

#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"
#include "lists/member.hpp"
#include "mail/outbox.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {

class Subscriptions;

enum class BounceKind { Hard, Soft };

struct BouncedRecipient {
    std::string address;  // As reported (Final-Recipient / Original-Recipient / guessed).
    BounceKind kind = BounceKind::Hard;
    std::string status;      // "5.1.1"; "" when unknown
    std::string diagnostic;  // The remote server's words, trimmed to 500 characters.
};

// The recipients a bounce message reports, empty when it is not recognisably a bounce (an
// auto-reply, spam). Never throws; any bytes are acceptable input (fuzzed).
std::vector<BouncedRecipient> parse_bounce(std::string_view message);

struct BounceState {
    MemberId member;
    core::Email email;
    double score = 0;
    std::int64_t last_bounce_at = 0;
    bool delivery_disabled = false;
    int warnings_sent = 0;
    std::string last_diagnostic;
};

class Bounces {
public:
    Bounces(store::Database& database, const core::Clock& clock, Subscriptions& subscriptions,
            mail::Outbox& outbox);

    // A message that reached NAME-bounces+VERP@DOMAIN (`verp` is what follows the '+', possibly
    // empty). The VERP address names the member; otherwise the parsed recipients do. Unknown
    // members and unrecognised messages are ignored (success: the MTA must not retry).
    core::Result<void> receive(const List& list, std::string_view verp, std::string_view message);

    // Delivery's report of a 5xx for a member (counted as a hard bounce).
    void record_failure(const List& list, const core::Email& member, std::string_view reply);
    // A delivery that succeeded (resets nothing by itself; lets scoring decay).
    // Members whose delivery is disabled by bounces are skipped by delivery.
    bool delivery_disabled(ListId list, MemberId member) const;

    // Every member with a nonzero score or disabled delivery, worst first (the owner's page).
    std::vector<BounceState> states(ListId list) const;

    // Sends due warnings, removes members past their warnings (run by a periodic worker).
    void run_periodic();

private:
    // Counts one bounce of `member` (see the scoring above); warns and disables at the threshold.
    void score(const List& list, const Member& member, BounceKind kind,
               std::string_view diagnostic);

    store::Database& database_;
    const core::Clock& clock_;
    Subscriptions& subscriptions_;
    mail::Outbox& outbox_;
};

}  // namespace coalition::lists
