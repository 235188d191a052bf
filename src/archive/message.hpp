#pragma once
// archive: the values the archive keeps for a message, and the parser that derives them from a
// message's bytes (GMime). Values only, no storage.

#include "core/id.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::archive {

struct MessageTag {};
using MessageId = core::Id<MessageTag>;
struct ThreadTag {};
using ThreadId = core::Id<ThreadTag>;

struct Attachment {
    std::size_t index = 0;     // Order in the message, from 0.
    std::string filename;      // Sanitised: no path separators or control characters; may be "".
    std::string content_type;  // As declared, lower case ("application/pdf").
    std::size_t size = 0;      // Decoded bytes.
    std::string bytes;         // Decoded content; "" in listings.
};

// The fields parsed from a message. Every string is valid UTF-8 in NFC.
struct ParsedMessage {
    std::string message_id;  // Without <>; "" when the message has none (store assigns one).
    std::optional<std::int64_t> date;  // Unix seconds; nullopt when missing or unparseable.
    std::string author_name;
    std::string author_email;             // As written; "" when there is none.
    std::string subject;                  // RFC 2047 decoded.
    std::string in_reply_to;              // First Message-ID of In-Reply-To, without <>.
    std::vector<std::string> references;  // References, oldest first, without <>.
    std::string text;  // The text to show and index: text/plain parts; an HTML-only message
                       // converted to plain text (tags dropped, never rendered).
    std::vector<Attachment> attachments;  // Without bytes unless asked for.
    bool parseable = true;                // False when GMime could not read it at all.
};

// Parses the bytes of one message. Never throws on hostile input; an unreadable message comes
// back with `parseable = false` and empty fields.
ParsedMessage parse_message(std::string_view raw, bool with_attachment_bytes = false);

// The subject used to join orphan threads: "Re:", "RE:", "AW:", "Fwd:", "Fw:", "SV:", "Antw:" and
// "[list prefix]" stripped repeatedly from the front, whitespace collapsed, case folded.
std::string base_subject(std::string_view subject);

struct ArchivedMessage {
    MessageId id;
    std::int64_t list_id = 0;
    ThreadId thread;
    std::string message_id;
    bool message_id_assigned = false;
    std::int64_t date = 0;
    bool date_is_fallback = false;  // The Date: header was missing or broken: arrival time.
    std::string author_name;
    std::string author_email;
    std::string subject;
    std::string in_reply_to;
    std::vector<std::string> references;
    std::string text;
    std::vector<Attachment> attachments;  // Without bytes.
    bool parseable = true;
    std::int64_t archived_at = 0;
    std::string raw;  // Original bytes; "" in listings.
};

// Where a Message-ID lives.
struct MessageRef {
    MessageId id;
    std::int64_t list_id = 0;
};

struct ThreadSummary {
    ThreadId id;
    std::int64_t list_id = 0;
    std::string subject;  // The root's (or earliest message's) subject.
    MessageId first_message;
    std::string first_author;
    std::int64_t started_at = 0;
    std::int64_t last_activity = 0;
    std::size_t message_count = 0;
    std::vector<std::string> participants;  // Author names, first appearance order, at most 5.
};

struct ThreadEntry {
    ArchivedMessage message;  // Without raw bytes.
    std::size_t depth = 0;    // 0 for a root; a missing parent does not add a level.
    std::optional<MessageId> parent;
};

struct MonthCount {
    std::string month;  // "YYYY-MM" (UTC)
    std::size_t messages = 0;
};

}  // namespace coalition::archive
