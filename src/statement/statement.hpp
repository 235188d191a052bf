#pragma once
// statement: the Statement of Purpose. Admins write it in Markdown, keep one working draft, and
// publish versions; a published version is immutable and identified by the SHA-256 (hex) of its
// canonical text (canonical_text() below). A version may carry translations into the six UN
// languages, one of them marked authoritative. Signing goes through signon/ (campaign
// "statement"), bound to a version's hash. A domain module: uses accounts and signon.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::statement {

inline constexpr std::size_t kMaxTextCharacters = 100'000;
inline constexpr std::size_t kMaxTitleCharacters = 200;

// The text whose SHA-256 identifies a version: valid UTF-8, NFC, line ends "\n" (CRLF and lone
// CR become LF), trailing spaces and tabs removed from each line, blank lines at the end removed,
// exactly one final newline. Invalid (field "markdown") for invalid UTF-8, control characters
// other than tab/newline (C0, DEL and C1), an empty or blank text, or more than
// kMaxTextCharacters characters. Idempotent: canonical_text(canonical) == canonical.
core::Result<std::string> canonical_text(std::string_view markdown);
// Hex SHA-256 (lower case, 64 digits) of `canonical`.
std::string version_hash(std::string_view canonical);

// The plain text of the first heading (ATX "# …" or Setext) of `markdown`, inline markup
// dropped, white space collapsed; "" when there is none. The default title of a text.
std::string first_heading(std::string_view markdown);

// Markdown to HTML with cmark-gfm (tables, autolinks, strikethrough, tagfilter), raw HTML
// disabled (omitted), links and images other than http:, https:, mailto: (links only) and
// relative ones dropped (their text kept), headings one level down ("#" is <h2>: the page that
// shows the text has its own <h1>), heading ids for anchors ("h-" + a slug of the
// heading's text, "-2", "-3" … for repeats). Invalid UTF-8 is replaced. Thread-safe.
std::string render_markdown(std::string_view markdown);

struct Translation {
    std::string language;  // "fr"
    std::string title;
    std::string markdown;  // Canonical text.
    bool authoritative = false;
    std::int64_t added_at = 0;
};

struct Version {
    std::int64_t number = 0;  // 1, 2, … in publication order.
    std::string hash;         // Hex SHA-256 of the authoritative text.
    std::string language;     // The authoritative language.
    std::string title;
    std::string markdown;  // Authoritative canonical text.
    std::int64_t published_at = 0;
    std::vector<Translation> translations;  // Including the authoritative one.
};

// What a visitor reads: the text in their language, or the authoritative one with a notice.
struct Reading {
    Version version;
    Translation text;        // What to show.
    bool fell_back = false;  // The visitor's language has no translation.
};

struct Draft {
    std::string title;
    std::string markdown;
    std::string language;
    std::int64_t saved_at = 0;
};

// Thread-safe; `database` and `clock` must outlive it.
class Statements {
public:
    Statements(store::Database& database, const core::Clock& clock);

    // The working draft (one per site), if any was saved.
    std::optional<Draft> draft();
    // Stores `draft` as the working draft (audited): the text canonicalised when not blank (a
    // blank text is kept as ""), the title trimmed. Invalid for a bad text, title or language.
    core::Result<Draft> save_draft(const accounts::Actor& actor, const Draft& draft);

    // Publishes `markdown` in `language` as the next version (audited). An empty `title` becomes
    // the text's first heading. Conflict when the canonical text equals the current version's (or
    // any earlier one's: a hash names one version); Invalid (with the field: "title", "markdown",
    // "language") for a bad text, title or language. The draft is discarded when it holds the
    // text just published.
    core::Result<Version> publish(const accounts::Actor& actor, std::string_view title,
                                  std::string_view markdown, std::string_view language);
    // Adds or replaces the translation of version `hash` into `language` (not the authoritative
    // one; Invalid, field "language", when it is). An empty `title` becomes the first heading.
    // NotFound for an unknown version. Audited.
    core::Result<Version> translate(const accounts::Actor& actor, std::string_view hash,
                                    std::string_view language, std::string_view title,
                                    std::string_view markdown);

    std::optional<Version> current();
    std::optional<Version> find(std::string_view hash);
    std::vector<Version> versions();  // Newest first.
    // The current version for a visitor reading `language`; nullopt before any publication.
    std::optional<Reading> read(std::string_view language);

private:
    // Every version, newest first, from memory; reloaded when the revision row has moved.
    std::shared_ptr<const std::vector<Version>> load();

    store::Database& database_;
    const core::Clock& clock_;
    std::mutex mutex_;
    std::optional<std::int64_t> cached_revision_;         // Guarded by mutex_.
    std::shared_ptr<const std::vector<Version>> cached_;  // Guarded by mutex_.
};

}  // namespace coalition::statement
