#pragma once
// responses: joint responses to consultations, drafted together by the member organisations.
// A response answers a process milestone (or has its own deadline and link), has editors chosen by
// an admin, and a Markdown text made of anchored blocks (headings and paragraphs, blocks.hpp):
// every version is immutable, numbered and named by the SHA-256 of its canonical text. Members
// comment on a paragraph and propose amendments; editors accept, reject or merge them, and each
// accepted change is a new version. Access rules live here, not in the web: drafts are never
// public. A domain module: uses accounts (users, organisations, Actor, AuditLog), processes
// (milestones, read only), texts (word diffs), mail (reply notices), core and store. The
// endorsement half (freeze a version, endorse per organisation bound to its hash, signon's log)
// builds on Version::hash. Start reading at Responses below.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "mail/message.hpp"
#include "mail/outbox.hpp"
#include "processes/processes.hpp"
#include "responses/blocks.hpp"       // IWYU pragma: export
#include "responses/endorsement.hpp"  // IWYU pragma: export
#include "store/database.hpp"
#include "texts/texts.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::responses {

struct Response;
struct Comment;
struct Amendment;
using ResponseId = core::Id<Response>;
using CommentId = core::Id<Comment>;
using AmendmentId = core::Id<Amendment>;

// The audit log's subject for everything done to a response: "response:ID".
std::string audit_subject(ResponseId id);

inline constexpr std::size_t kMaxTitleCharacters = 300;
inline constexpr std::size_t kMaxCommentCharacters = 10'000;
inline constexpr std::size_t kMaxReasonCharacters = 4'000;
inline constexpr std::size_t kMaxEditors = 50;
inline constexpr std::size_t kMaxPartners = 200;

enum class ResponseStatus { Draft, OpenForEndorsement, Published };
enum class AmendmentState { Open, Accepted, Rejected, Merged };

// Stable ids ("draft", "open-for-endorsement", "published"; "open", "accepted", …) as stored and
// in forms; parse_* accept exactly these.
std::string_view id(ResponseStatus status);
std::string_view id(AmendmentState state);
std::optional<ResponseStatus> parse_response_status(std::string_view text);
std::optional<AmendmentState> parse_amendment_state(std::string_view text);

// ---- Creating a response -------------------------------------------------------------------

// A response as typed into the admin form (every field raw text).
struct ResponseDraft {
    std::string title = {};
    std::string slug = {};          // Empty: derived from the title.
    std::string milestone_id = {};  // A processes milestone id, or empty.
    std::string deadline_date =
        {};  // YYYY-MM-DD; with time and zone: the own deadline (no milestone).
    std::string deadline_time = {};  // HH:MM
    std::string deadline_zone = {};  // IANA zone
    std::string link = {};           // http(s) URL of the consultation, or empty.
};

struct ResponseFields {
    std::string title = {};
    std::optional<accounts::Slug> slug = {};  // nullopt: derive one from the title.
    std::optional<processes::MilestoneId> milestone = {};
    std::optional<processes::Moment> deadline = {};  // Only without a milestone.
    std::string link = {};
};

// Every problem of `draft` at once, each naming its field ("title", "slug", "milestone_id",
// "deadline_date", "deadline_time", "deadline_zone", "link"): text that is not UTF-8 or holds
// control characters, a missing or too long (kMaxTitleCharacters) title, a malformed slug, a
// milestone id that is not a number, both a milestone and a deadline, a deadline missing a part
// or naming an unknown zone or skipped time (processes::Moment), a link that is not http(s).
// Whether the milestone exists is checked by Responses::create.
accounts::Validated<ResponseFields> validate(const ResponseDraft& draft);

// ---- What is stored ------------------------------------------------------------------------

struct Response {
    ResponseId id = {};
    accounts::Slug slug;
    std::string title = {};
    std::optional<processes::MilestoneId> milestone = {};
    std::optional<processes::Moment> deadline = {};
    std::string link = {};
    ResponseStatus status = ResponseStatus::Draft;
    std::vector<accounts::UserId> editors = {};
    std::vector<accounts::OrganisationId> partners = {};
    int current_version = 0;  // The newest version's number (every response has version 1).
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;

    bool is_editor(accounts::UserId user) const;
    bool is_partner(accounts::OrganisationId organisation) const;
};

// One anchored block of a version.
struct Paragraph {
    std::string anchor = {};  // "p-7" or "s-2": stable across versions, unique in the response.
    BlockKind kind = BlockKind::Paragraph;
    int level = 0;
    std::string text = {};      // Markdown as written.
    std::int64_t block_id = 0;  // The stored wording (amendments refer to it).
};

// A heading and the paragraphs under it; the first section has no heading when the text does not
// start with one.
struct Section {
    std::optional<Paragraph> heading = {};
    std::vector<Paragraph> paragraphs = {};
};

struct Version {
    int number = 0;
    std::string hash = {};  // Hex SHA-256 of the canonical text (join_blocks of the paragraphs).
    std::string reason = {};
    std::optional<AmendmentId> amendment = {};
    std::string actor = {};  // accounts::Actor::label()
    std::optional<accounts::UserId> author = {};
    std::int64_t created_at = 0;
};

struct Text {
    Version version = {};
    std::vector<Paragraph> paragraphs = {};  // In order.

    // The canonical text: its SHA-256 is version.hash.
    std::string canonical() const;
    std::vector<Section> sections() const;
    const Paragraph* find(std::string_view anchor) const;
};

struct Comment {
    CommentId id = {};
    std::string anchor = {};
    int version_number = 0;
    std::optional<CommentId> parent = {};  // Set on a reply.
    accounts::UserId author = {};
    std::string author_name = {};  // accounts::User::name(), or "" when the user is gone.
    std::string body = {};         // Plain text, as typed (trimmed, NFC).
    std::int64_t created_at = 0;
    std::vector<Comment> replies = {};  // On a top-level comment, oldest first.
};

struct Amendment {
    AmendmentId id = {};
    std::string anchor = {};
    std::int64_t base_block_id = 0;
    std::string wording = {};  // One block of Markdown; "" proposes deleting the paragraph.
    std::string reason = {};
    accounts::UserId author = {};
    std::string author_name = {};
    AmendmentState state = AmendmentState::Open;
    std::string editor_note = {};
    std::optional<accounts::UserId> decided_by = {};
    std::optional<std::int64_t> decided_at = {};
    std::optional<int> version_number = {};  // The version an acceptance or merge made.
    std::int64_t created_at = 0;
    // Open, and the paragraph has changed (or gone) since it was proposed: accepting it as it is
    // would undo that change, so only a merge (edited wording) applies it.
    bool stale = false;
};

// ---- Differences between versions ----------------------------------------------------------

enum class ParagraphChange { Unchanged, Changed, Added, Removed };

struct DiffRow {
    std::string anchor = {};
    BlockKind kind = BlockKind::Paragraph;
    ParagraphChange change = ParagraphChange::Unchanged;
    bool moved = false;         // Out of the old order.
    texts::WordDiff diff = {};  // Old wording → new wording (one Same piece when unchanged).
};

struct VersionDiff {
    int from = 0;
    int to = 0;
    // In the newer version's order; a removed paragraph follows the row of the paragraph that
    // preceded it in the older version (first when none did).
    std::vector<DiffRow> rows = {};
};

// ---- Access --------------------------------------------------------------------------------

// What an actor may do with one response, weakest first. Admins and the command line may do
// everything; editors edit; representatives of member organisations read, comment and propose;
// representatives of partner organisations read; everyone else (the public included) nothing.
enum class Access { None, Partner, Member, Editor, Admin };

// Everything the draft page shows, read with one access check (Responses::view).
struct DraftView {
    Response response;
    Access access = Access::None;
    Text text = {};                          // The current version.
    std::vector<Comment> comments = {};      // As Responses::comments.
    std::vector<Amendment> amendments = {};  // As Responses::amendments.
};

// One anchor's discussion as the draft page previews it (Responses::summary).
struct AnchorDiscussion {
    std::string anchor = {};
    std::size_t comments = 0;         // Replies included.
    std::size_t open_amendments = 0;  // Open ones only.
    // Newest first (by id); replies among them, each without Comment::replies.
    std::vector<Comment> latest_comments = {};
    std::vector<Amendment> latest_open_amendments = {};  // Newest first, Amendment::stale set.
};

// The draft page's reading: DraftView without every comment and amendment.
struct DraftSummary {
    Response response;
    Access access = Access::None;
    Text text = {};                                  // The current version.
    std::vector<AnchorDiscussion> discussions = {};  // One per anchor that has any; no order.
};

// What the draft page's previews of the discussions depend on, read cheaply (Responses::head).
// Comments are never changed or removed, an amendment leaves the open state at most once and ids
// only grow, so two equal stamps of one response mean equal Responses::summary discussions (but
// for authors' names, which are read when the summary is).
struct DiscussionStamp {
    int version = 0;  // The current version's number.
    std::int64_t comments = 0;
    std::int64_t last_comment = 0;  // The newest comment's id; 0 when none.
    std::int64_t amendments = 0;
    std::int64_t last_amendment = 0;
    std::int64_t open_amendments = 0;
    bool operator==(const DiscussionStamp&) const = default;
};

// The response, the actor's access, its current version (without its text) and the stamp.
struct DraftHead {
    Response response;
    Access access = Access::None;
    Version version = {};
    DiscussionStamp stamp = {};
};

// A published response for the publications index (Responses::published): public data only.
struct PublishedResponse {
    std::string slug = {};
    std::string title = {};
    std::int64_t published_at = 0;
    std::optional<processes::MilestoneId> milestone = {};
    std::string version_hash = {};
    std::size_t endorsers = 0;  // How many organisations endorsed it.
};

struct ResponseSettings {
    std::string base_url = {};   // [site] base_url, without a trailing slash.
    std::string site_name = {};  // [site] name.
    mail::Mailbox sender;        // From of reply notices.
};

// Thread-safe if `random` is; every reference must outlive it. Every method throws
// core::Unavailable when the database is gone. Every change is one transaction that also writes
// an audit row (accounts::AuditLog: "response.create", "response.revise", "response.comment",
// "amendment.propose", "amendment.accept", …). Every refusal is core::ErrorCode::Forbidden and
// writes an audit row "response.refused" (details: {"attempt": …}) in a transaction of its own.
// An unknown slug, version, anchor, comment or amendment is NotFound (checked after access to
// the response, so NotFound never tells an outsider which anchors exist).
class Responses {
public:
    Responses(store::Database& database, const core::Clock& clock, core::Random& random,
              mail::Outbox& outbox, const accounts::Users& users,
              const accounts::Organisations& organisations, const processes::Processes& processes,
              ResponseSettings settings);

    // ---- Admins ----
    // A new draft with `markdown` as version 1 (reason "First draft") and `editors` (existing
    // users). Forbidden for a non-admin; Invalid (field "markdown") for a bad text
    // (split_blocks), (field "editors") for an unknown user, (field "milestone_id") for an
    // unknown milestone; Conflict (field "slug") for a typed slug that is taken (a derived one
    // gets "-2", "-3"…).
    core::Result<Response> create(const accounts::Actor& actor, const ResponseFields& fields,
                                  std::string_view markdown,
                                  const std::vector<accounts::UserId>& editors);
    // Replaces the editors (admins only); Invalid (field "editors") for an unknown user.
    core::Result<Response> set_editors(const accounts::Actor& actor, std::string_view slug,
                                       const std::vector<accounts::UserId>& editors);
    // Replaces the partner organisations a draft is opened to (editors and admins); Invalid
    // (field "partners") for an unknown organisation.
    core::Result<Response> set_partners(const accounts::Actor& actor, std::string_view slug,
                                        const std::vector<accounts::OrganisationId>& partners);

    // ---- Reading (anyone with Access above None) ----
    Access access(const accounts::Actor& actor, const Response& response) const;
    // The responses `actor` may read, newest first. Forbidden (audited) for an actor who may
    // read none: not a member, editor, admin or partner representative.
    core::Result<std::vector<Response>> list(const accounts::Actor& actor);
    core::Result<Response> find(const accounts::Actor& actor, std::string_view slug);
    // Version `number` (nullopt: the current one).
    core::Result<Text> text(const accounts::Actor& actor, std::string_view slug,
                            std::optional<int> number);
    // Every version, oldest first.
    core::Result<std::vector<Version>> versions(const accounts::Actor& actor,
                                                std::string_view slug);
    // Paragraph-aligned word differences from version `from` to version `to` (any two, either
    // order; the same number gives every row Unchanged).
    core::Result<VersionDiff> diff(const accounts::Actor& actor, std::string_view slug, int from,
                                   int to);
    // Top-level comments (with their replies), by anchor order of the current version, then
    // oldest first; comments on anchors no longer in the text come last.
    core::Result<std::vector<Comment>> comments(const accounts::Actor& actor,
                                                std::string_view slug);
    // Every amendment, oldest first, with Amendment::stale set.
    core::Result<std::vector<Amendment>> amendments(const accounts::Actor& actor,
                                                    std::string_view slug);

    // The response, the actor's access, its current text, comments and amendments at once (one
    // access check, one refusal audited).
    core::Result<DraftView> view(const accounts::Actor& actor, std::string_view slug);
    // The response, the actor's access, its current text and per anchor the counts and the newest
    // `comments_kept` comments and `amendments_kept` open amendments, read without loading every
    // comment and amendment (one access check, as view).
    core::Result<DraftSummary> summary(const accounts::Actor& actor, std::string_view slug,
                                       std::size_t comments_kept, std::size_t amendments_kept);
    // The response, the actor's access, its current version and its DiscussionStamp: a few small
    // queries, so a caller can tell whether what it rendered from a summary is still current.
    core::Result<DraftHead> head(const accounts::Actor& actor, std::string_view slug);

    // ---- Members (member representatives, editors, admins) ----
    // A comment on paragraph `anchor` of the current version, or a reply to comment `reply_to`
    // (a reply to a reply answers its top-level comment). Invalid (field "body") for an empty,
    // non-UTF-8, control-character or too long (kMaxCommentCharacters) body. The author of the
    // comment replied to (when someone else) is sent a notice through the outbox in the same
    // transaction. Only while the response is a draft (Conflict otherwise).
    core::Result<Comment> comment(const accounts::Actor& actor, std::string_view slug,
                                  std::string_view anchor, std::string_view body,
                                  std::optional<CommentId> reply_to = std::nullopt);
    // Replacement wording for paragraph `anchor` of the current version, with a reason. Invalid
    // (field "wording") for wording that is not exactly one block (split_blocks) or equals the
    // current wording; "" proposes deleting the paragraph. Invalid (field "reason") for a bad or
    // empty reason. Conflict when the response is not a draft.
    core::Result<Amendment> propose(const accounts::Actor& actor, std::string_view slug,
                                    std::string_view anchor, std::string_view wording,
                                    std::string_view reason);

    // ---- Editors (editors, admins) ----
    // A new version from the whole text `markdown`, `reason` saying why. Blocks keep their
    // anchors when their wording is kept or is similar enough (match_blocks); new ones get new
    // anchors. Conflict (field "based_on") when the current version is no longer `based_on`, and
    // (field "markdown") when the text is the current one; Conflict once published (a text open
    // for endorsement may still change: Endorsements::freeze then opens the new version).
    core::Result<Version> revise(const accounts::Actor& actor, std::string_view slug,
                                 std::string_view markdown, std::string_view reason, int based_on);
    // Applies an open amendment as it is: a new version. Conflict when it is not open or is stale,
    // and once the response is published (accept, reject and merge work while the text is open
    // for endorsement, as revise does).
    core::Result<Version> accept(const accounts::Actor& actor, std::string_view slug,
                                 AmendmentId amendment);
    // Closes an open amendment without a change; `note` (optional, kMaxReasonCharacters) says
    // why. Conflict when it is not open.
    core::Result<Amendment> reject(const accounts::Actor& actor, std::string_view slug,
                                   AmendmentId amendment, std::string_view note);
    // Applies an open (perhaps stale) amendment with `wording` as the editor edited it: a new
    // version; the amendment becomes Merged. Invalid and Conflict as for propose and accept.
    core::Result<Version> merge(const accounts::Actor& actor, std::string_view slug,
                                AmendmentId amendment, std::string_view wording,
                                std::string_view note);

    // Published responses, newest first, at most `limit` (anyone: public data only; the
    // endorsement half, endorsement.hpp, publishes them).
    core::Result<std::vector<PublishedResponse>> published(std::size_t limit) const;

    // The deadline that applies: the milestone's start (its deadline) when there is a milestone,
    // else the response's own; nullopt when there is neither (or the milestone is gone).
    std::optional<processes::Moment> deadline(const Response& response) const;

private:
    struct Loaded;
    core::Result<Loaded> load(const accounts::Actor& actor, std::string_view slug, Access needed,
                              std::string_view attempt);
    // The draft `slug` at its current version for a reader (Partner and above), its comments and
    // amendments not read: what view() and summary() both start from.
    core::Result<DraftView> current_draft(const accounts::Actor& actor, std::string_view slug);
    core::Error refuse(const accounts::Actor& actor, std::string_view subject,
                       std::string_view attempt);
    core::Result<void> check_editors(const std::vector<accounts::UserId>& editors) const;
    core::Result<Version> apply_amendment(const accounts::Actor& actor, std::string_view slug,
                                          AmendmentId amendment,
                                          std::optional<std::string_view> wording,
                                          std::string_view note);
    std::string user_name(accounts::UserId user) const;
    std::vector<Comment> comments_of(const Response& response, const Text* text) const;
    std::vector<Amendment> amendments_of(const Response& response, const Text* text) const;

    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    mail::Outbox& outbox_;
    const accounts::Users& users_;
    const accounts::Organisations& organisations_;
    const processes::Processes& processes_;
    ResponseSettings settings_;
};

}  // namespace coalition::responses
