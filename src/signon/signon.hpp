#pragma once
// signon: "a text and the people and organisations standing behind it". Signing any versioned
// text (the Statement of Purpose now, joint responses' endorsements next): double opt-in by mail,
// verification levels (e-mail, organisation domain, DNS proof), moderation, withdrawal and
// erasure, abuse defences, the public list with its filters and statistics, and the transparency
// log of public events (signon/log/). A domain module: it uses core, store, mail, i18n, dns and
// accounts; statement/ and responses/ use it through this header only.
//
// A **campaign** is what is being signed ("statement", later "response-12"); each signature is
// bound to the SHA-256 (hex) of the exact version text the signer saw.
//
// Life of a signature:
//   pending ──confirm──▶ confirmed ──approve──▶ published ──withdraw──▶ withdrawn
//      │                    │  └──ask for information──▶ information_requested ──approve──▶ …
//      │                    └──reject──▶ rejected
//      └──(bulk) cancel──▶ cancelled      any ──erase──▶ erased (personal data gone)
// Individuals skip moderation (confirmed → published at once) unless the deployment says
// otherwise (SignOnSettings::moderate_individuals). Publishing, withdrawing and erasing a
// published signature each append one event to the transparency log in the same transaction.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "dns/dns.hpp"
#include "mail/message.hpp"
#include "mail/outbox.hpp"
#include "signon/log/merkle.hpp"
#include "signon/log/transparency_log.hpp"
#include "store/database.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::signon {

enum class SignatoryKind { Individual, Organisation };
enum class SignatureStatus {
    Pending,               // Waiting for the e-mail confirmation.
    Confirmed,             // Confirmed, waiting for moderation.
    InformationRequested,  // A moderator asked the signer for more information.
    Published,             // On the public list.
    Rejected,
    Withdrawn,  // By the signer, through the link in their mail.
    Cancelled,  // By an admin (bulk cancellation of abuse), with a reason.
    Erased,     // Personal data deleted on request.
};
// Ordered: a higher level implies the lower ones.
enum class Verification { None, Email, OrganisationDomain, Dns, DnsSec };

// "individual", "pending", "dns-dnssec", …: as stored, in URLs, JSON and CSV.
std::string_view to_string(SignatoryKind kind);
std::string_view to_string(SignatureStatus status);
std::string_view to_string(Verification level);
std::optional<SignatoryKind> parse_kind(std::string_view text);
std::optional<SignatureStatus> parse_status(std::string_view text);
std::optional<Verification> parse_verification(std::string_view text);

// What a signer typed, as strings, from the form or the JSON API. Validated by Signatures::sign.
struct SignatureInput {
    std::string kind;            // "individual" | "organisation"
    std::string name;            // The person (individual, or the organisation's representative).
    std::string email;           // Any Universal-Acceptance address (core::Email).
    std::string country;         // ISO 3166-1 alpha-2 (the person's; organisations: see below).
    std::string affiliation;     // Individuals, optional.
    bool show_publicly = false;  // Individuals: may the name be shown? Organisations: always.
    std::string title;           // Organisations: the representative's title.
    std::string organisation_name;
    std::string organisation_country;  // ISO alpha-2; the organisation's, for region and charts.
    std::string stakeholder_group;     // accounts' ids: "technical-community", …
    std::string organisation_domain;   // "example.org" or a website URL; IDN allowed.
    std::string language;  // The signer's language tag for mails ("fr"); "en" if unknown.
    std::string honeypot;  // A field humans never fill; non-empty means a bot.
};

// Every problem with `input`, one core::Error (code Invalid) per bad field in form order, or
// nothing when it is valid: the checks sign() makes first (sign() returns only the first error),
// for forms and the API to show all at once. Field names: "kind", "name", "email", "country",
// "affiliation", "title", "organisation.name", "organisation.country",
// "organisation.stakeholder_group", "organisation.domain". Limits: 200 characters for names,
// titles and affiliations, 300 for organisation names; one line, valid UTF-8, no control
// characters. Thread-safe.
std::vector<core::Error> validate(const SignatureInput& input);

// Where a submission came from, for rate limits, the burst view and mails.
struct Submission {
    std::string client_address;  // The peer address (or X-Forwarded-For from a trusted proxy).
    std::string base_url;        // For links in mails: "https://coalition.example.org".
};

// Which text, and where its pages live (links in mails are base_url + path + "/confirm/TOKEN").
struct Campaign {
    std::string key;    // "statement"
    std::string title;  // "the Statement of Purpose", for mails.
    std::string path;   // "/statement"
};

struct Signature {
    std::int64_t id = 0;
    std::string campaign;
    std::string version_hash;  // Hex SHA-256 of the version signed.
    SignatoryKind kind = SignatoryKind::Individual;
    SignatureStatus status = SignatureStatus::Pending;
    Verification verification = Verification::None;
    std::string name;   // NFC.
    std::string email;  // Unicode form (core::Email::unicode()); "" once erased.
    std::string country;
    std::string region;  // accounts' region id derived from the (organisation's) country.
    std::string affiliation;
    bool show_publicly = false;
    std::string title;
    std::string organisation_name;
    std::string organisation_domain;  // U-label form.
    std::string stakeholder_group;
    std::string language;
    std::string client_address;
    std::int64_t created_at = 0;  // Unix seconds.
    std::optional<std::int64_t> confirmed_at;
    std::optional<std::int64_t> published_at;
    std::optional<std::uint64_t> log_index;  // Of its "published" event.
    std::string moderation_note;             // Reason for rejection / cancellation / question.
};

// One row of the public list: only what may be shown. Hidden individuals never appear here.
struct PublicSignatory {
    std::int64_t id = 0;
    SignatoryKind kind = SignatoryKind::Individual;
    std::string name;  // The organisation's name for organisations, the person's otherwise.
    std::string representative;  // Organisations: "Name, Title".
    std::string affiliation;
    std::string country;
    std::string region;
    std::string stakeholder_group;
    std::string organisation_domain;
    Verification verification = Verification::None;
    std::string version_hash;
    std::int64_t published_at = 0;
};

enum class SignatorySort { Newest, Oldest, Name, Country };

struct SignatoryFilter {
    std::optional<SignatoryKind> kind;
    std::string stakeholder_group;  // "" = any.
    std::string region;
    std::string country;
    std::optional<Verification> verification;  // At least this level.
    std::string version_hash;
    std::string search;  // Case-insensitive substring of the shown name or organisation.
    SignatorySort sort = SignatorySort::Newest;
    std::int64_t offset = 0;
    std::int64_t limit = 50;  // Capped at 1000 (exports page through).
};

struct SignatoryPage {
    std::vector<PublicSignatory> rows;
    std::int64_t total = 0;  // Matching the filter, before offset/limit.
};

struct Totals {
    std::int64_t published = 0;  // Everyone on the list, hidden individuals included.
    std::int64_t organisations = 0;
    std::int64_t individuals = 0;
    std::int64_t hidden_individuals = 0;  // Counted, never named.
    std::int64_t awaiting_confirmation = 0;
    std::int64_t awaiting_moderation = 0;
};

struct Count {
    std::string key;  // Region id, stakeholder group id, or "YYYY-MM-DD".
    std::int64_t count = 0;
};

// Published signatures (hidden individuals included: counts carry no personal data).
struct Breakdown {
    std::vector<Count> by_region;
    std::vector<Count> by_stakeholder_group;  // Organisations only.
    std::vector<Count> by_day;                // New publications per UTC day, oldest first.
};

// What a confirmation link shows before the button is pressed (GET must not confirm).
struct ConfirmationView {
    Signature signature;
    bool already_confirmed = false;  // The link was used: the page says so, harmlessly.
};

// The DNS proof an organisation can publish.
struct DnsChallenge {
    std::string record_name;   // "_coalition-challenge.example.org" (A-labels).
    std::string record_value;  // The token to publish as TXT.
};

enum class BurstKey { ClientAddress, EmailDomain, Country };

// Many signatures sharing one key within a window: the admin's view of suspicious activity.
struct Burst {
    BurstKey by = BurstKey::ClientAddress;
    std::string key;
    std::int64_t count = 0;
    std::int64_t pending = 0;
    std::int64_t published = 0;
    std::int64_t first_at = 0;
    std::int64_t last_at = 0;
};

// Which signatures a bulk cancellation takes (every non-empty criterion must match).
struct CancelCriteria {
    std::string campaign;
    std::string client_address;
    std::string email_domain;  // Matched on the A-label of the signer's address domain.
    std::string country;
    std::int64_t from = 0;  // created_at range, Unix seconds, inclusive; 0 = open.
    std::int64_t to = 0;
    bool include_published = false;  // Pending and confirmed only, unless set.
};

struct SignOnSettings {
    mail::Mailbox sender;
    std::string site_name;
    bool moderate_individuals = false;
    std::chrono::seconds confirmation_lifetime{std::chrono::hours(24 * 7)};
    int max_notices_per_signature = 3;  // Duplicate-submission notices, then silence.
    // Rate limits (in memory, per server): sign-ups per client address and per e-mail domain.
    int per_address_per_hour = 20;
    int per_domain_per_hour = 200;
};

// One organisation standing behind a published joint response (responses/), as its leaf in the
// transparency log: "response.endorsed" (docs/SIGNATURE_EVENTS.md), canonical JSON like every
// leaf of signon/events.hpp, with its own random salt.
struct EndorsementEvent {
    std::string response;      // The response's slug.
    std::string version_hash;  // Hex SHA-256 of the text endorsed.
    std::string organisation_name;
    std::string country;            // ISO 3166-1 alpha-2.
    std::string stakeholder_group;  // accounts' id: "technical-community".
    std::int64_t time = 0;          // Unix seconds of publication.
};
std::string endorsement_event(const EndorsementEvent& event, core::Random& random);

// Thread-safe. Every reference must outlive it. Methods throw core::Unavailable when the
// database is gone; expected failures are core::Result errors with a user-readable message.
class Signatures {
public:
    Signatures(store::Database& database, const core::Clock& clock, core::Random& random,
               mail::Outbox& outbox, TransparencyLog& log, dns::Resolver& resolver,
               SignOnSettings settings);
    ~Signatures();

    // Records a pending signature of `version_hash` and queues the confirmation mail (in
    // input.language) in the same transaction; returns only after the commit. Invalid with one
    // Error per bad field (field = "name", "email", "organisation.domain", …); RateLimited
    // (message says when to retry) past the per-address or per-domain limit. A duplicate (same
    // canonical address without its +tag, same campaign and version) or a filled honeypot
    // succeeds exactly like a new signature — the caller cannot tell — but stores nothing new:
    // the existing signer gets at most max_notices_per_signature notice mails.
    core::Result<void> sign(const Campaign& campaign, std::string_view version_hash,
                            const SignatureInput& input, const Submission& submission);
    // Seconds until the client may sign again, when rate-limited (for Retry-After).
    std::int64_t retry_after_seconds(const Submission& submission) const;

    // The signature a confirmation token belongs to, without confirming (the GET page).
    // Expired for an unknown or expired token.
    core::Result<ConfirmationView> find_confirmation(std::string_view token);
    // Confirms (the POST): e-mail verified, verification level computed (organisation domain
    // when the address's domain is the organisation's domain or a subdomain of it, after UTS
    // #46), published at once or queued for moderation. A second POST with the same token
    // returns the signature unchanged. Queues a mail with the withdrawal link (and, for
    // organisations, the DNS-proof page link).
    core::Result<Signature> confirm(std::string_view token);

    // The DNS challenge of the organisation whose signature's token (from its mail) is given.
    core::Result<DnsChallenge> dns_challenge(std::string_view token);
    // Looks the TXT record up; on a match raises the level to Dns (DnsSec when validated).
    // NotFound with a readable message when the record is missing or does not match.
    core::Result<Signature> check_dns(std::string_view token);

    // Withdrawal by the signer (token from the confirmation or receipt mail); leaves the
    // public list and logs a "withdrawn" event when it was published.
    core::Result<Signature> find_by_withdrawal_token(std::string_view token);
    core::Result<Signature> withdraw(std::string_view token);

    // Moderation (admins and moderators), each audited with `actor`.
    std::vector<Signature> moderation_queue(const std::string& campaign);
    core::Result<Signature> approve(const accounts::Actor& actor, std::int64_t id);
    core::Result<Signature> reject(const accounts::Actor& actor, std::int64_t id,
                                   const std::string& reason);  // The reason is mailed.
    core::Result<Signature> request_information(const accounts::Actor& actor, std::int64_t id,
                                                const std::string& question);  // Mailed.
    std::optional<Signature> find(std::int64_t id);

    // Abuse: signatures grouped by `by` created since `since`, largest first, at least
    // `min_count` each.
    std::vector<Burst> bursts(const std::string& campaign, BurstKey by, std::int64_t since,
                              std::int64_t min_count = 5);
    // Cancels every matching signature with `reason` (audited; a "withdrawn" log event for each
    // one that was published). Returns how many. Invalid when no criterion narrows it down.
    core::Result<std::int64_t> cancel(const accounts::Actor& actor, const CancelCriteria& criteria,
                                      const std::string& reason);

    // Erasure: deletes every personal field of each signature made with `email` (any campaign),
    // withholds their log leaves' bytes, and logs an "erased" event naming only leaf indices.
    // Returns how many signatures were erased; NotFound when none.
    core::Result<std::int64_t> erase(const accounts::Actor& actor, std::string_view email);

    // Records a signature the secretariat verified itself (a founding member's signature given
    // on paper or at a meeting, demo data): published at once with verification
    // OrganisationDomain when the address is at the organisation's domain, else Email, and its
    // log event appended; no confirmation mail (the receipt follows as for everyone). Audited as
    // "signature.record". Invalid as sign(); Conflict when this signer already signed this
    // version.
    core::Result<Signature> record_verified(const accounts::Actor& actor, const Campaign& campaign,
                                            std::string_view version_hash,
                                            const SignatureInput& input,
                                            const std::string& base_url);

    // Mails every published signer of an earlier version of `campaign` a link to re-affirm
    // `new_version_hash` (a new pending signature, pre-filled, confirmed by one click).
    // Returns how many mails were queued. Audited.
    core::Result<std::int64_t> request_reaffirmation(const accounts::Actor& actor,
                                                     const Campaign& campaign,
                                                     std::string_view new_version_hash,
                                                     const std::string& base_url);

    // The public list and its numbers.
    SignatoryPage list(const std::string& campaign, const SignatoryFilter& filter);
    Totals totals(const std::string& campaign);
    Breakdown breakdown(const std::string& campaign);
    // Raised by every change to the public list made in this process (publication, withdrawal,
    // moderation, verification, erasure): what is kept of the list is stale once it moves.
    // Another server's changes do not move it; keep what depends on the list briefly too.
    std::uint64_t public_list_generation() const;

    // Receipts: for each published signature whose log entry is now under a signed tree head
    // and whose signer has no receipt yet, queues the receipt mail (leaf index, leaf, tree head).
    // Returns how many. Called by the log worker after publish_tree_head().
    std::int64_t send_receipts(const std::string& base_url);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace coalition::signon
