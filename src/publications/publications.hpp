#pragma once
// publications: what the coalition publishes besides its signed texts — news posts and position
// papers written by admins (drafts, publication, edits with every revision kept, unpublishing),
// the record of statements delivered on the coalition's behalf at meetings, and the public index
// that merges them with the Statement of Purpose and the published joint responses (Entry).
// pdf.hpp renders HTML to a print-ready PDF. A domain module: uses accounts and processes (a
// publication may belong to a process; a delivery may name a milestone); pages render the
// Markdown with statement::render_markdown. Start reading at Publications below.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/id.hpp"
#include "core/result.hpp"
#include "processes/processes.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::publications {

struct Publication;
struct Delivery;
using PublicationId = core::Id<Publication>;
using DeliveryId = core::Id<Delivery>;

inline constexpr std::size_t kMaxTitleCharacters = 300;
inline constexpr std::size_t kMaxSummaryCharacters = 1'000;
inline constexpr std::size_t kMaxMarkdownCharacters = 200'000;
inline constexpr std::size_t kMaxSpeakerCharacters = 200;
inline constexpr std::size_t kMaxMeetingCharacters = 300;
inline constexpr std::size_t kMaxUrlCharacters = 2'000;

enum class Kind { News, PositionPaper };

// Stable ids "news", "position-paper" (forms, database, URLs); label() is an English msgid.
std::string_view id(Kind kind);
std::string_view label(Kind kind);
std::optional<Kind> parse_kind(std::string_view text);
std::vector<Kind> all_kinds();

// A publication as typed into the admin form (every field raw text).
struct PublicationDraft {
    std::string kind{};
    std::string title{};
    std::string slug{};  // Empty: derived from the title.
    std::string language{};
    std::string process{};  // A process slug, or empty.
    std::string summary{};
    std::string markdown{};
};

struct PublicationFields {
    Kind kind = Kind::News;
    std::string title{};                   // One line, NFC, trimmed.
    std::optional<accounts::Slug> slug{};  // nullopt: derive one from the title.
    std::string language{};                // A UN language tag.
    std::string process_slug{};            // "" for none.
    std::string summary{};                 // Plain text, NFC; "" for none.
    std::string markdown{};                // NFC, line ends "\n".
};

// Every problem of `draft` at once, each naming its field ("kind", "title", "slug", "language",
// "process", "summary", "markdown"): invalid UTF-8, control characters (line breaks only in the
// summary and the text), a missing title or text, too long, an unknown kind or language, a
// malformed slug or process slug. Raw HTML may stay in the text: statement::render_markdown omits
// it and drops script links when the page shows it. Whether the process exists is the service's.
accounts::Validated<PublicationFields> validate(const PublicationDraft& draft);

struct Publication {
    PublicationId id;
    accounts::Slug slug = accounts::Slug::derive("publication");
    PublicationFields fields;
    std::optional<std::int64_t>
        published_at{};                       // nullopt: a draft (never published, or withdrawn).
    std::optional<std::int64_t> edited_at{};  // The text's last change while published.
    std::int64_t revision = 0;                // 1 for the first text, +1 for each change.
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;

    bool is_published() const { return published_at.has_value(); }
    PublicationDraft to_draft() const;
};

// One saved text of a publication (the first is number 1).
struct Revision {
    std::int64_t number = 0;
    std::string title{};
    std::string summary{};
    std::string markdown{};
    std::string actor{};  // accounts::Actor::label()
    std::int64_t saved_at = 0;
};

// A statement delivered on the coalition's behalf, as typed into the admin form.
struct DeliveryDraft {
    std::string publication{};   // The slug of the publication delivered.
    std::string speaker{};       // The speaker's name.
    std::string organisation{};  // An organisation slug, or empty.
    std::string milestone{};     // A process milestone id, or empty.
    std::string meeting{};       // Free text; required when there is no milestone.
    std::string date{};          // YYYY-MM-DD
    std::string link{};          // The recording or transcript (http/https), or empty.
    std::string response{};      // The slug of a published joint response it carried, or empty.
};

// A published joint response a delivery may name (given by the caller: publications does not use
// the responses module).
struct ResponseChoice {
    std::string slug{};
    std::string title{};
};

struct Delivery {
    DeliveryId id;
    PublicationId publication_id;
    std::string publication_slug{};
    std::string publication_title{};
    std::string speaker{};
    std::optional<accounts::OrganisationId> organisation_id{};
    std::string organisation_name{};  // "" without an organisation.
    std::optional<processes::MilestoneId> milestone_id{};
    std::string meeting{};       // The milestone's title when there is one and nothing was typed.
    std::string process_slug{};  // The milestone's process, or "".
    std::string date{};          // YYYY-MM-DD
    std::string link{};
    std::string response_slug{};   // A published joint response it carried, or "".
    std::string response_title{};  // Its title when recorded.
    std::int64_t created_at = 0;
};

// One item of the public index: a publication of this module, the Statement of Purpose or a
// published joint response (made by their modules' wiring). Kinds: "news", "position-paper",
// "statement", "response".
struct Entry {
    std::string kind{};
    std::string title{};
    std::string path{};  // "/publications/SLUG", "/statement", "/responses/SLUG".
    std::string summary{};
    std::string language{};
    std::string process_slug{};  // "" for none.
    std::int64_t published_at = 0;
    std::int64_t updated_at = 0;  // Equal to published_at when never edited since.
};

struct Filter {
    std::string kind{};     // "" for every kind.
    std::string process{};  // A process slug, or "" for every process.
    int page = 1;           // 1-based; values below 1 read as 1.
    int per_page = 20;      // At least 1.
};

struct Listing {
    std::vector<Entry> entries{};  // The page asked for.
    std::size_t total = 0;         // Entries matching the filter, on every page.
    int page = 1;
    int pages = 1;  // At least 1.
};

// The entries of `entries` that match `filter`, newest first (published_at, then title), cut to
// the page asked for (a page past the last gives no entries). Pure.
Listing list_entries(std::vector<Entry> entries, const Filter& filter);

// `markdown` as plain text for the .txt export: inline markup dropped, headings and paragraphs
// kept as paragraphs separated by blank lines, list items prefixed. Invalid UTF-8 is replaced.
std::string plain_text(std::string_view markdown);

// Thread-safe; `database`, `clock`, `processes` and `organisations` must outlive it. Every change
// is one transaction with an audit row (accounts::AuditLog, subject "publication:ID").
class Publications {
public:
    Publications(store::Database& database, const core::Clock& clock,
                 const processes::Processes& processes,
                 const accounts::Organisations& organisations);

    // A new draft (revision 1). Conflict (field "slug") when a typed slug is taken; a derived one
    // gets "-2", "-3"… Invalid (field "process") when the process does not exist.
    core::Result<Publication> create(const accounts::Actor& actor, const PublicationFields& fields);
    // Replaces every field of publication `id`; an empty slug keeps the current one. A change of
    // title, summary or text is a new revision, and sets edited_at when published. NotFound,
    // Conflict and Invalid as for create.
    core::Result<Publication> update(const accounts::Actor& actor, PublicationId id,
                                     const PublicationFields& fields);
    // Makes publication `id` public now (published_at = now); Conflict when it already is.
    core::Result<Publication> publish(const accounts::Actor& actor, PublicationId id);
    // Makes it a draft again (published_at cleared); Conflict when it is not published.
    core::Result<Publication> unpublish(const accounts::Actor& actor, PublicationId id);
    // Demo data: the publication with slug `fields.slug` (required) created and published when
    // missing; an existing one is returned as it is.
    core::Result<Publication> ensure_published(const accounts::Actor& actor,
                                               const PublicationFields& fields);

    // Any state (admin pages); nullopt when there is none.
    std::optional<Publication> find(std::string_view slug) const;
    std::optional<Publication> find_by_id(PublicationId id) const;
    // Published only: what visitors may read.
    std::optional<Publication> find_published(std::string_view slug) const;
    // Every publication, drafts included, most recently changed first (admin list).
    std::vector<Publication> all() const;
    // Every published publication, newest first.
    std::vector<Publication> published() const;
    // The published ones as index entries (path "/publications/SLUG").
    std::vector<Entry> entries() const;
    // The entries of the published publications belonging to process `process_slug`.
    std::vector<Entry> entries_for_process(std::string_view process_slug) const;
    // Every saved text of publication `id`, newest first.
    std::vector<Revision> revisions(PublicationId id) const;

    // Every problem of `draft` ("publication", "speaker", "organisation", "milestone", "meeting",
    // "date", "link", "response"): bad text, unknown publication, organisation or milestone, a
    // meeting neither chosen nor named, a malformed date, a link that is not http(s), or a
    // response that is not one of `responses` (the published joint responses).
    accounts::Validated<Delivery> validate_delivery(
        const DeliveryDraft& draft, const std::vector<ResponseChoice>& responses = {}) const;
    // Records a validated delivery (audited "publication.delivered"). NotFound when the
    // publication is gone meanwhile.
    core::Result<Delivery> record_delivery(const accounts::Actor& actor, const Delivery& delivery);
    // Deliveries of one publication (or all when nullopt), latest date first.
    std::vector<Delivery> deliveries(std::optional<PublicationId> publication_id) const;

private:
    core::Result<void> check_process(const PublicationFields& fields) const;
    void describe(Delivery& delivery) const;

    store::Database& database_;
    const core::Clock& clock_;
    const processes::Processes& processes_;
    const accounts::Organisations& organisations_;
};

}  // namespace coalition::publications
