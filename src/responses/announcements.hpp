#pragma once
// Announcing a joint response on a mailing list (issue #5): an editor tells a list that the draft
// is open for comments, that a new version exists, or that a frozen version is open for
// endorsement (with its deadline and zone), with a link to the page and an optional note. The
// post goes through the list's own pipeline as the editor (the list's posting rules apply: it may
// be held for a moderator), so the archive and the delivery do the rest. responses may not use
// lists (scripts/check-layering), so the list side is the small ListPoster interface below, which
// app/wiring.cpp implements over lists::Lists and lists::Intake. Each announcement is recorded
// (migrations/0023_responses_announcements.sql) and audited ("response.announce"). Start reading
// at Announcements::announce.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/result.hpp"
#include "responses/endorsement.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::responses {

struct ResponseSettings;

inline constexpr std::size_t kMaxAnnouncementNoteCharacters = 2'000;

enum class AnnouncementEvent {
    DraftOpened,         // The draft is open for the members' comments (its current version).
    NewVersion,          // The current version, when there is more than one.
    CallForEndorsement,  // The frozen version, while its round is open.
};
// "draft", "version", "endorsement": as stored and in forms; parse accepts exactly these.
std::string_view id(AnnouncementEvent event);
std::optional<AnnouncementEvent> parse_announcement_event(std::string_view text);

// What a list did with the announcement (lists::Disposition::Kind, seen from here).
enum class PostOutcome { Accepted, Held, Rejected, Discarded };
// "accepted", "held", "rejected", "discarded"; parse accepts exactly these.
std::string_view id(PostOutcome outcome);
std::optional<PostOutcome> parse_post_outcome(std::string_view text);

// A mailing list as announcements see it.
struct AnnouncementList {
    std::int64_t id = 0;
    std::string name = {};          // "coalition": what the form sends.
    std::string title = {};         // The display name, or the name.
    std::string address = {};       // The posting address (U-labels kept).
    std::string language = "en";    // The list's preferred language: the announcement is in it.
    bool holds_every_post = false;  // A moderated list, or emergency moderation: held for sure.
};

// What posting one announcement gave.
struct ListPost {
    PostOutcome outcome = PostOutcome::Accepted;
    std::optional<std::int64_t> post = {};  // The list's post id, when it stored one.
};

// The list side of announcements; implemented in app/ over lists::Lists and lists::Intake.
// Implementations are thread-safe and throw core::Unavailable when the database is gone.
class ListPoster {
public:
    virtual ~ListPoster() = default;
    // Every list, by name.
    virtual std::vector<AnnouncementList> lists() const = 0;
    // The list named `name` (case-insensitively); nullopt when there is none.
    virtual std::optional<AnnouncementList> find(std::string_view name) const = 0;
    // Posts `subject` and the plain text `body` to list `list` from `author` through the list's
    // normal pipeline (its rules, moderation, decoration, archive and delivery), committed when
    // this returns. NotFound when the list is gone; Invalid or TooLarge (field "subject" or
    // "body") when the list's intake refuses the message itself.
    virtual core::Result<ListPost> post(std::int64_t list, const core::Email& author,
                                        std::string_view author_name, std::string_view subject,
                                        std::string_view body) = 0;
};

// The announce form, as typed.
struct AnnouncementInput {
    std::string list = {};   // A list name.
    std::string event = {};  // "draft", "version", "endorsement".
    std::string note = {};   // Optional plain text, kMaxAnnouncementNoteCharacters.
};

struct Announcement {
    std::int64_t id = 0;
    AnnouncementEvent event = AnnouncementEvent::DraftOpened;
    int version_number = 0;
    std::int64_t list_id = 0;
    std::string list_name = {};  // As it was when announced.
    std::optional<std::int64_t> post = {};
    PostOutcome outcome = PostOutcome::Accepted;
    accounts::UserId editor = {};
    std::string editor_name = {};  // accounts::User::name() now; the actor label when gone.
    std::string subject = {};
    std::int64_t announced_at = 0;
};

// What the announce page shows to an editor.
struct AnnounceOptions {
    std::string title = {};
    int current_version = 0;
    std::vector<AnnouncementList> lists = {};
    std::vector<AnnouncementEvent> events = {};  // The events that may be announced now.
    std::optional<Round> open_round = {};        // Set when CallForEndorsement is offered.
    std::vector<Announcement> history = {};      // Newest first.
};

// The mail of one announcement, in `language` (English when the catalog lacks it).
struct AnnouncementText {
    AnnouncementEvent event = AnnouncementEvent::DraftOpened;
    std::string title = {};  // The response's title.
    int version_number = 0;
    std::string link = {};  // Absolute.
    std::string deadline =
        {};                   // CallForEndorsement: the deadline as readers of `language` read it.
    std::string note = {};    // "" for none.
    std::string editor = {};  // Who announces (name).
    std::string site_name = {};
};
struct AnnouncementMail {
    std::string subject = {};
    std::string body = {};
};
// Pure: the subject (one line) and the plain-text body (the link on a line of its own, the
// note after it, quoted as the editor wrote it).
AnnouncementMail compose_announcement(const AnnouncementText& text, std::string_view language);

// Thread-safe; every reference must outlive it. Every method throws core::Unavailable when the
// database is gone. Only the response's editors and admins (signed-in users: the post is theirs)
// may announce; anyone else is Forbidden, audited as "response.refused" (attempt "announce").
class Announcements {
public:
    Announcements(store::Database& database, const core::Clock& clock, const accounts::Users& users,
                  const accounts::Organisations& organisations, ListPoster& poster,
                  const ResponseSettings& settings);

    // What the form offers and the history. NotFound for an unknown slug; Forbidden as above.
    core::Result<AnnounceOptions> options(const accounts::Actor& actor, std::string_view slug);

    // Posts the announcement to the chosen list as the editor, then records it with its audit
    // row in one transaction (the post is committed first by the list's pipeline: a database
    // lost in between leaves a post without its record, never a record without a post).
    // NotFound, Forbidden as above. Invalid (field "list") for a list that does not exist,
    // (field "event") for an unknown event, (field "note") for a note that is not UTF-8, holds
    // control characters or is longer than kMaxAnnouncementNoteCharacters. Conflict (field
    // "event") for an event not offered now (a published response, no second version, no open
    // round). Errors from the list's intake come back with field "note".
    core::Result<Announcement> announce(const accounts::Actor& actor, std::string_view slug,
                                        const AnnouncementInput& input);

private:
    core::Error refuse(const accounts::Actor& actor, std::int64_t response_id);

    store::Database& database_;
    const core::Clock& clock_;
    const accounts::Users& users_;
    const accounts::Organisations& organisations_;
    ListPoster& poster_;
    std::string base_url_;
    std::string site_name_;
};

}  // namespace coalition::responses
