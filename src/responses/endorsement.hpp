#pragma once
// The endorsement half of joint responses: editors freeze a version and open it for endorsement
// until a deadline (wall time + IANA zone); each member organisation's representative answers for
// the organisation — endorse, abstain or object — bound to the SHA-256 of the frozen text; the
// organisations that have not answered are reminded 3 and 1 days before the deadline (exactly
// once, as processes' reminders are); after the deadline an editor publishes: the response
// becomes public with its endorsers, each one a "response.endorsed" leaf of signon's
// transparency log. Objections, abstentions and reasons are never public. Part of the responses
// module's front door (responses.hpp includes this header).

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "mail/outbox.hpp"
#include "processes/processes.hpp"
#include "signon/signon.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::responses {

struct Response;
struct ResponseSettings;

enum class AnswerKind { Endorse, Abstain, Object };
// "endorse", "abstain", "object": as stored and in forms; parse accepts exactly these.
std::string_view id(AnswerKind kind);
std::optional<AnswerKind> parse_answer_kind(std::string_view text);

// Reminders go this many days before the deadline (at the deadline's wall time, in its zone).
inline constexpr int kEndorsementReminderDays[] = {3, 1};

// The editors' freeze form, as typed.
struct FreezeInput {
    std::string deadline_date = {};  // YYYY-MM-DD
    std::string deadline_time = {};  // HH:MM
    std::string deadline_zone = {};  // IANA zone
    int based_on = 0;                // The version number the editor was looking at.
};

// One opening for endorsement; the newest round of a response applies.
struct Round {
    std::int64_t id = 0;
    int version_number = 0;
    std::string version_hash = {};
    processes::Moment deadline;
    std::string actor = {};
    std::int64_t frozen_at = 0;
};

struct Answer {
    accounts::OrganisationId organisation = {};
    AnswerKind kind = AnswerKind::Endorse;
    std::string reason = {};  // Editors only.
    int version_number = 0;
    std::string version_hash = {};
    accounts::UserId user = {};  // The representative who answered.
    std::int64_t answered_at = 0;
};

// A representative's form: answering for `organisation` the text named by `version_hash` (the
// hash the form showed).
struct AnswerInput {
    accounts::OrganisationId organisation = {};
    std::string answer = {};  // "endorse", "abstain", "object".
    std::string reason = {};  // Optional, kMaxReasonCharacters.
    std::string version_hash = {};
    std::string language = "en";  // The page's language: the representative's mails use it.
};

// What the draft page shows about endorsement to one actor.
struct EndorsementState {
    std::optional<Round> round;  // nullopt while the response was never frozen.
    bool is_open = false;        // A round exists, the response is not published, now < deadline.
    // The actor's organisation when they represent a member organisation, and its answer.
    std::optional<accounts::Organisation> organisation;
    std::optional<Answer> answer;
    bool answer_is_current = false;  // The answer names the round's hash.
    bool can_freeze = false;         // Editors and admins, until published.
    bool can_publish = false;        // Editors and admins, open round, deadline passed.
};

// One member organisation in the editors' overview.
struct OrganisationAnswer {
    accounts::Organisation organisation;
    std::optional<Answer> answer;
    bool is_current = false;          // The answer names the round's hash.
    std::string representative = {};  // Who answered (accounts::User::name()), or "".
};

struct EndorsementOverview {
    std::optional<Round> round;
    std::vector<OrganisationAnswer> organisations = {};  // Every member organisation, by name.
    int endorsed = 0;                                    // Current answers of each kind.
    int abstained = 0;
    int objected = 0;
    int earlier = 0;       // Answers to an earlier version.
    int not_answered = 0;  // Neither.
};

struct Endorser {
    accounts::OrganisationId organisation = {};
    std::string name = {};  // As at publication.
    std::string slug = {};
    std::string country = {};            // ISO code.
    std::string stakeholder_group = {};  // accounts' id.
    std::uint64_t log_index = 0;
    int position = 0;  // Its place in the editors' order (1 first); 0 when they chose none.
};

// A published response: public data only.
struct Publication {
    std::string slug = {};
    std::string title = {};
    std::string url = {};               // <base_url>/responses/SLUG
    std::string link = {};              // The response's own consultation link, or "".
    std::string consultation_url = {};  // The milestone's page when there is one, else `link`.
    std::optional<processes::MilestoneId> milestone = {};
    std::string milestone_title = {};  // "" without a milestone (or when it is gone).
    std::string process_slug = {};
    std::string process_name = {};
    int version_number = 0;
    std::string version_hash = {};
    std::int64_t published_at = 0;
    std::vector<std::string> blocks = {};  // The final text's blocks (Markdown), in order.
    std::vector<Endorser> endorsers = {};  // Sorted by Endorsements::publication.
    bool editors_order = false;            // Listed in an order the editors chose.
};

// Exports of a published response in `language` (labels, country and group names).
// Markdown: a title, the text as written, then "Endorsing organisations" as a list and the
// publication line. Plain text: the same without Markdown marks. Plain paragraphs (as UN
// consultation forms take them): each block as plain text, one blank line between, then one
// paragraph naming the endorsers.
std::string publication_markdown(const Publication& publication, std::string_view language);
std::string publication_text(const Publication& publication, std::string_view language);
std::string publication_paragraphs(const Publication& publication, std::string_view language);
// A block of Markdown as plain text (cmark-gfm's plain-text renderer, no wrapping).
std::string plain_block(std::string_view markdown);

// Thread-safe if `random` is; every reference must outlive it. Every method throws
// core::Unavailable when the database is gone. Refusals are Forbidden and audited
// ("response.refused" with the attempt, as drafting's); changes write audit rows
// ("response.freeze", "response.answer", "response.withdraw_answer", "response.publish").
class Endorsements {
public:
    Endorsements(store::Database& database, const core::Clock& clock, core::Random& random,
                 mail::Outbox& outbox, const accounts::Users& users,
                 const accounts::Organisations& organisations,
                 const processes::Processes& processes, signon::TransparencyLog& log,
                 const ResponseSettings& settings);

    // Editors and admins: opens version `input.based_on` (which must be the current version:
    // Conflict, field "based_on", otherwise) for endorsement until the deadline. Invalid with
    // field "deadline_date"/"deadline_time"/"deadline_zone" for a bad date, time, unknown zone or
    // a skipped local time (processes::Moment), and (field "deadline_date") for a deadline not in
    // the future. Conflict once published. Freezing again during the window starts a new round:
    // with a new text, every organisation that answered an earlier text is mailed to re-confirm
    // (outbox, same transaction), in its representative's language.
    core::Result<Round> freeze(const accounts::Actor& actor, std::string_view slug,
                               const FreezeInput& input);

    // A representative answers for their member organisation. Forbidden (audited) for anyone
    // else: a non-member, a partner, or an organisation that is not the actor's. Invalid (field
    // "answer") for an unknown answer, (field "reason") for a bad reason. Conflict (field
    // "version_hash") when the hash is not the open round's (a stale form); Conflict when nothing
    // is open or the deadline has passed — checked inside the writing transaction. Answering the
    // same again changes nothing (idempotent); a different answer replaces the earlier one.
    core::Result<Answer> answer(const accounts::Actor& actor, std::string_view slug,
                                const AnswerInput& input);

    // Withdraws `organisation`'s answer before the deadline (Forbidden and Conflict as answer;
    // withdrawing when there is no answer succeeds and changes nothing).
    core::Result<void> withdraw(const accounts::Actor& actor, std::string_view slug,
                                accounts::OrganisationId organisation);

    // Anyone who may read the draft (Responses::access above None).
    core::Result<EndorsementState> state(const accounts::Actor& actor, std::string_view slug);
    // Editors and admins: who answered what, who has not.
    core::Result<EndorsementOverview> overview(const accounts::Actor& actor, std::string_view slug);

    // Editors and admins, after the deadline: the response becomes public with the organisations
    // that endorsed the frozen text (current answers only), each appended to the transparency
    // log in the same transaction. Conflict while the deadline has not passed, when nothing was
    // frozen or when already published.
    core::Result<Publication> publish(const accounts::Actor& actor, std::string_view slug);

    // Editors and admins, once published: lists the endorsers in `order` (every endorser once:
    // Invalid with field "order" otherwise), or alphabetically again when `order` is empty.
    // The order is presentation only: the transparency log proves who endorsed, not where each
    // is listed. Audited ("response.order_endorsers"). Conflict before publication.
    core::Result<void> order_endorsers(const accounts::Actor& actor, std::string_view slug,
                                       const std::vector<accounts::OrganisationId>& order);

    // Anyone: the published response `slug` with its endorsers in the editors' order, or by
    // default sorted by name as readers of `language` expect (ICU collation, through
    // accounts::Organisations::list); nullopt when there is no such response or it is not
    // published (drafts stay private).
    std::optional<Publication> publication(std::string_view slug, std::string_view language) const;

    // The reminders due now (3 and 1 days before each open round's deadline) to representatives
    // of member organisations without a current answer; each (round, organisation, offset) once,
    // even with several servers racing. Returns how many mails were queued. Run by the periodic
    // worker.
    int send_reminders();

private:
    core::Error refuse(const accounts::Actor& actor, std::int64_t response_id,
                       std::string_view attempt);
    // Response `slug` when `actor` edits it (or is an admin); NotFound, or Forbidden audited as
    // `attempt`.
    core::Result<Response> editable(const accounts::Actor& actor, std::string_view slug,
                                    std::string_view attempt);
    std::string language_of(accounts::UserId user) const;
    core::Result<void> check_representative(const accounts::Actor& actor, std::int64_t response_id,
                                            accounts::OrganisationId organisation,
                                            std::string_view attempt);

    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    mail::Outbox& outbox_;
    const accounts::Users& users_;
    const accounts::Organisations& organisations_;
    const processes::Processes& processes_;
    signon::TransparencyLog& log_;
    std::string base_url_;
    std::string site_name_;
    mail::Mailbox sender_;
};

}  // namespace coalition::responses
