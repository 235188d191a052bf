#pragma once
// processes: the UN and related governance processes the coalition follows (the Global Digital
// Compact, WSIS+20, the IGF, ICANN meetings…), their milestones (deadlines, meetings, adoptions),
// when each happens (moment.hpp: a date, or a wall time in an IANA zone) and the history of every
// change. A domain module: uses accounts (Actor, AuditLog, Slug, Validated), core and store.
// iCalendar output is icalendar.hpp (pure). Start reading at Processes below.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/result.hpp"
#include "processes/documents.hpp"  // IWYU pragma: export
#include "processes/moment.hpp"     // IWYU pragma: export
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::processes {

struct Process;
struct Milestone;
using ProcessId = core::Id<Process>;
using MilestoneId = core::Id<Milestone>;

inline constexpr std::size_t kMaxNameCharacters = 200;
inline constexpr std::size_t kMaxShortNameCharacters = 60;
inline constexpr std::size_t kMaxConvenorCharacters = 500;
inline constexpr std::size_t kMaxDescriptionCharacters = 20'000;
inline constexpr std::size_t kMaxTitleCharacters = 300;
inline constexpr std::size_t kMaxLocationCharacters = 200;
inline constexpr std::size_t kMaxNotesCharacters = 4'000;
inline constexpr std::size_t kMaxLinks = 20;
inline constexpr std::size_t kMaxUrlCharacters = 2'000;

enum class ProcessKind { UnProcess, Forum, MeetingSeries, Consultation };
enum class ProcessStatus { Upcoming, Active, Concluded };
enum class MilestoneKind {
    ConsultationOpens,
    Deadline,
    Meeting,
    NegotiationRound,
    Adoption,
    Report,
    Other
};
enum class LocationKind { None, InPerson, Online, Hybrid };

// Stable ids ("un-process", "consultation-opens", "in-person", "month") used in forms, the
// database and the API; parse_* accept exactly these. label() is an English msgid for pages.
std::string_view id(ProcessKind kind);
std::string_view id(ProcessStatus status);
std::string_view id(MilestoneKind kind);
std::string_view id(LocationKind kind);
std::string_view id(DatePrecision precision);
std::string_view label(ProcessKind kind);
std::string_view label(ProcessStatus status);
std::string_view label(MilestoneKind kind);
std::string_view label(LocationKind kind);
std::optional<ProcessKind> parse_process_kind(std::string_view text);
std::optional<ProcessStatus> parse_process_status(std::string_view text);
std::optional<MilestoneKind> parse_milestone_kind(std::string_view text);
std::optional<LocationKind> parse_location_kind(std::string_view text);
std::optional<DatePrecision> parse_precision(std::string_view text);
std::vector<ProcessKind> all_process_kinds();
std::vector<ProcessStatus> all_process_statuses();
std::vector<MilestoneKind> all_milestone_kinds();
std::vector<LocationKind> all_location_kinds();

// A link to a source, a document or a page: an http(s) URL and an optional title.
struct Link {
    std::string title;
    std::string url;
    bool operator==(const Link& other) const = default;
};

// True for an absolute http(s) URL with a host and no spaces, quotes or angle brackets, at most
// kMaxUrlCharacters long: what links (and document URLs) accept.
bool is_http_url(std::string_view url);

// Links as admins type them: one a line, the URL first, then an optional title
// ("https://example.org/zero-draft.pdf Zero draft"). Blank lines are skipped.
std::string format_links(const std::vector<Link>& links);

// A process as typed into the form (every field raw text).
struct ProcessDraft {
    std::string name;
    std::string short_name;
    std::string slug;  // Empty: derived from the short name, else the name.
    std::string kind;
    std::string convenor;
    std::string description;  // Markdown.
    std::string links;        // format_links()'s format.
    std::string status;
};

struct ProcessFields {
    std::string name;
    std::string short_name;
    std::optional<accounts::Slug> slug;  // nullopt: derive one.
    ProcessKind kind = ProcessKind::UnProcess;
    std::string convenor;
    std::string description;
    std::vector<Link> links;
    ProcessStatus status = ProcessStatus::Active;
};

// Every problem of `draft` at once, each naming its field ("name", "short_name", "slug", "kind",
// "convenor", "description", "links", "status"): text that is not valid UTF-8 or holds control
// characters (NUL always; line breaks outside description), too long, missing (name, kind,
// status), an unknown kind or status, a malformed slug, links that are not http(s) URLs, and a
// description holding raw HTML or script/data links (refused with a readable message: the page
// would drop them, so the author must know).
accounts::Validated<ProcessFields> validate(const ProcessDraft& draft);

// A milestone as typed into the form.
struct MilestoneDraft {
    std::string kind;
    std::string title;
    std::string start_date;  // YYYY-MM-DD
    std::string start_time;  // HH:MM or empty (a whole day)
    std::string start_zone;  // IANA zone when start_time is given
    std::string end_date;    // Optional.
    std::string end_time;
    std::string end_zone;
    std::string precision;  // "day" (default when empty), "month", "year".
    std::string tentative;  // "1" / "on": not confirmed.
    std::string location_kind;
    std::string location;
    std::string links;
    std::string notes;
};

struct MilestoneFields {
    MilestoneKind kind = MilestoneKind::Other;
    std::string title;
    Moment start;
    std::optional<Moment> end;
    DatePrecision precision = DatePrecision::Day;
    bool tentative = false;
    LocationKind location_kind = LocationKind::None;
    std::string location;
    std::vector<Link> links;
    std::string notes;
};

// Every problem of `draft` ("kind", "title", "start_date", "start_time", "start_zone", "end_date",
// "end_time", "end_zone", "precision", "location_kind", "location", "links", "notes"): bad dates,
// times or zones (Moment), an end before the start, an end that is a date when the start is a
// time (or the reverse), a coarse precision with a time or an end, a location without a kind or
// an in-person/hybrid kind without a place, bad text or links.
accounts::Validated<MilestoneFields> validate(const MilestoneDraft& draft);

// List threads about a milestone (issue #6 "Pages"). processes may not use archive/ or lists/
// (shared/STYLE.md §2), so the web edge resolves what an admin types into ThreadLinks (archive
// ids), and processes keeps them, in the milestone's history like its other fields.
inline constexpr std::size_t kMaxThreadLinks = 20;
inline constexpr std::size_t kMaxThreadReferenceCharacters = 1'000;

// A thread linked to a milestone, named by one archived message of it: the thread is whichever
// one that message is in when a page is shown (threads merge when a late parent arrives).
struct ThreadLink {
    std::int64_t list_id = 0;
    std::int64_t archive_message_id = 0;  // The permalink's id: /lists/NAME/m/ID.
    std::string message_id;               // Its Message-ID without <>.
    bool operator==(const ThreadLink& other) const = default;
};

// One line of the milestone form's "threads" field: a permalink (path or URL ending
// "/lists/NAME/m/ID"), or a Message-ID ("/r/ID" path or URL, percent-decoded, or bare, with or
// without <>).
struct ThreadReference {
    std::string line;                     // As typed (trimmed), for messages.
    std::string list_name;                // A permalink's list ("" for a Message-ID).
    std::int64_t archive_message_id = 0;  // A permalink's id (0 for a Message-ID).
    std::string message_id;               // A Message-ID without <> ("" for a permalink).
    bool operator==(const ThreadReference& other) const = default;
};

// The field's lines as references, blank lines skipped and repeats kept once. Invalid on the
// first problem, as an error with field "threads" naming the line: not valid UTF-8 or holding
// control characters, a line longer than kMaxThreadReferenceCharacters, more than
// kMaxThreadLinks references, or a line that is none of the forms above (a Message-ID needs an
// "@" and no spaces or angle brackets inside).
core::Result<std::vector<ThreadReference>> parse_thread_references(std::string_view text);

// "<a@example.org>, <b@example.org>": how thread links read in the history.
std::string describe(const std::vector<ThreadLink>& threads);

struct Milestone {
    MilestoneId id;
    ProcessId process_id;
    std::string uid;  // Stable: imported key, or "milestone-<id>".
    MilestoneFields fields;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<ThreadLink> threads;  // In the order typed.

    // The instant the milestone is over: the end (a date's end is 00:00 UTC the day after), else
    // the start (a day: the day after).
    std::int64_t ends_at() const;
    MilestoneDraft to_draft() const;
};

struct Process {
    ProcessId id;
    accounts::Slug slug;
    ProcessFields fields;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<Milestone> milestones;  // By start, then id.

    // The first milestone not over at `now` (Unix seconds), or nullptr.
    const Milestone* next_milestone(std::int64_t now) const;
    ProcessDraft to_draft() const;
};

// One change, as the process page and the Atom feed show it.
struct HistoryEntry {
    std::int64_t id = 0;
    ProcessId process_id;
    std::optional<MilestoneId> milestone_id;
    std::int64_t at = 0;
    std::string actor;    // accounts::Actor::label(): "user:3", "cli".
    std::string action;   // "process.create", "process.update", "milestone.create", …
    std::string summary;  // English: the process name or the milestone title.
    std::string changes;  // JSON object {"field": [old, new], …}; {} for a creation.
    std::optional<DocumentId> document_id;  // "document.*" actions.
};

// A milestone with its process, for panels and calendars across processes.
struct DatedMilestone {
    const Process* process = nullptr;
    const Milestone* milestone = nullptr;
};

// What the "open now / closing soon" panel shows at `now`.
struct Outlook {
    std::vector<DatedMilestone> open_now;      // Started, not over (a meeting on, a window open).
    std::vector<DatedMilestone> closing_soon;  // Deadlines within the horizon, soonest first.
    std::vector<DatedMilestone> coming_up;     // Other milestones starting within the horizon.
};
// The outlook over `processes` (which must outlive it): only day-precise milestones count.
Outlook outlook(const std::vector<Process>& processes, std::int64_t now, std::int64_t horizon);
// The first instant after `now` at which outlook(processes, t, horizon), any
// Process::next_milestone(t) or any milestone's being over (ends_at() <= t) may differ from what
// they are at `now`: the earliest start, ends_at() or start − horizon later than `now`
// (INT64_MAX when none is). A page made from them at `now` stays right until then.
std::int64_t next_outlook_change(const std::vector<Process>& processes, std::int64_t now,
                                 std::int64_t horizon);

// Every process with its milestones as one revision of the tables left them (see
// Processes::snapshot). Immutable once made, so requests share it without copying.
class Snapshot {
public:
    Snapshot(std::optional<std::int64_t> revision, std::int64_t changed_at,
             std::vector<Process> processes);
    // It holds pointers into itself.
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

    // The process_revision counter the rows were read at (nullopt without the counter row).
    std::optional<std::int64_t> revision() const { return revision_; }
    // When the newest change was committed (Unix seconds): the counter's changed_at, or the
    // newest updated_at of a row when that is later (rows written before migration 0019).
    std::int64_t changed_at() const { return changed_at_; }
    // By name, then id, each with its milestones by start then id (as Processes::list()).
    const std::vector<Process>& processes() const { return processes_; }
    const Process* find(std::string_view slug) const;
    const Process* find(ProcessId id) const;
    // The milestones linking any of `archive_message_ids` (a thread's messages), each once, by
    // start then id. Pointers into this snapshot.
    std::vector<DatedMilestone> milestones_linking(
        const std::vector<std::int64_t>& archive_message_ids) const;

private:
    std::optional<std::int64_t> revision_;
    std::int64_t changed_at_ = 0;
    std::vector<Process> processes_;
    std::map<std::string, std::size_t, std::less<>> by_slug_;
    std::map<std::int64_t, std::size_t> by_id_;
    std::multimap<std::int64_t, DatedMilestone> by_message_;  // archive_message_id → milestone.
};

// Thread-safe; `database` and `clock` must outlive it. Every change is one transaction that
// also writes a history row and an audit row (accounts::AuditLog).
class Processes {
public:
    Processes(store::Database& database, const core::Clock& clock);
    ~Processes();
    Processes(const Processes&) = delete;
    Processes& operator=(const Processes&) = delete;

    // A new process. Conflict (field "slug") when a typed slug is taken; a derived one gets "-2"…
    core::Result<Process> create(const accounts::Actor& actor, const ProcessFields& fields);
    // Replaces every field of process `id`; an empty slug keeps the current one. NotFound,
    // Conflict as for create. History records the fields that changed (nothing when none did).
    core::Result<Process> update(const accounts::Actor& actor, ProcessId id,
                                 const ProcessFields& fields);
    // Demo data and scripts: creates the process with slug `fields.slug` (required) or updates it
    // when a field differs; otherwise writes nothing.
    core::Result<Process> ensure(const accounts::Actor& actor, const ProcessFields& fields);

    // A new milestone of process `process_id` (NotFound when there is none).
    core::Result<Milestone> add_milestone(const accounts::Actor& actor, ProcessId process_id,
                                          const MilestoneFields& fields);
    // Replaces the fields of milestone `id`; NotFound when there is none.
    core::Result<Milestone> update_milestone(const accounts::Actor& actor, MilestoneId id,
                                             const MilestoneFields& fields);
    // The milestone form: a new milestone, or new fields, with its linked threads replaced by
    // `threads` (in order; an archive message named twice is kept once, at most kMaxThreadLinks),
    // in one transaction and one history entry ("threads": old and new Message-IDs).
    core::Result<Milestone> add_milestone(const accounts::Actor& actor, ProcessId process_id,
                                          const MilestoneFields& fields,
                                          const std::vector<ThreadLink>& threads);
    core::Result<Milestone> update_milestone(const accounts::Actor& actor, MilestoneId id,
                                             const MilestoneFields& fields,
                                             const std::vector<ThreadLink>& threads);
    // Demo data: the milestone with stable key `uid` in `process_id`, created or updated when a
    // field differs; otherwise nothing is written.
    core::Result<Milestone> ensure_milestone(const accounts::Actor& actor, ProcessId process_id,
                                             std::string_view uid, const MilestoneFields& fields);

    // Every process with its milestones, current as of this call: the snapshot kept since the
    // last call when the process_revision counter (one cheap query, raised in the transaction of
    // every change by any server or command sharing the database) has not moved, else read
    // again (two queries). Throws core::Unavailable without a database.
    std::shared_ptr<const Snapshot> snapshot() const;
    // Every process with its milestones, by name (a copy of snapshot()'s).
    std::vector<Process> list() const;
    // find, find_by_id: from snapshot().
    std::optional<Process> find(std::string_view slug) const;
    std::optional<Process> find_by_id(ProcessId id) const;
    std::optional<Milestone> find_milestone(MilestoneId id) const;
    // The newest `limit` changes of one process (or of all when nullopt), newest first.
    std::vector<HistoryEntry> history(std::optional<ProcessId> process_id, int limit) const;

    // Negotiated texts (documents.cpp). A new document of process `process_id` (NotFound when
    // there is none; Conflict, field "slug", when a typed slug is taken in that process; a derived
    // one gets "-2"…). History: "document.create".
    core::Result<Document> add_document(const accounts::Actor& actor, ProcessId process_id,
                                        const DocumentFields& fields);
    // Revision number (last + 1) of document `document_id` (NotFound when there is none).
    // History: "document.revision", so the Atom feed of changes announces it.
    core::Result<Revision> add_revision(const accounts::Actor& actor, DocumentId document_id,
                                        const RevisionFields& fields);
    // Demo data: the document with slug `fields.slug` (required) in `process_id`, created when
    // missing; an existing one is returned as it is.
    core::Result<Document> ensure_document(const accounts::Actor& actor, ProcessId process_id,
                                           const DocumentFields& fields);
    // Demo data: the revision labelled `fields.label`, added when the document has none.
    core::Result<Revision> ensure_revision(const accounts::Actor& actor, DocumentId document_id,
                                           const RevisionFields& fields);
    // The documents of a process by creation, each with its revisions (texts left out).
    std::vector<Document> documents(ProcessId process_id) const;
    std::optional<Document> find_document(ProcessId process_id, std::string_view slug) const;
    std::optional<Document> find_document_by_id(DocumentId document_id) const;
    // One revision with its text, or nullopt.
    std::optional<Revision> find_revision(DocumentId document_id, int number) const;

private:
    // update_milestone's body; `threads` null: leave the links as they are.
    core::Result<Milestone> save_milestone(const accounts::Actor& actor, MilestoneId id,
                                           const MilestoneFields& fields,
                                           const std::vector<ThreadLink>* threads);

    store::Database& database_;
    const core::Clock& clock_;
    mutable std::mutex mutex_;         // Guards snapshot_.
    mutable std::mutex reload_mutex_;  // One reader of the rows at a time.
    mutable std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace coalition::processes
