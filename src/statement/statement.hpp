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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::statement {

// The text whose SHA-256 identifies a version: valid UTF-8, NFC, line ends "\n", trailing white
// space removed from each line, exactly one final newline. Invalid for invalid UTF-8, control
// characters other than tab/newline, an empty text, or more than 100,000 characters.
core::Result<std::string> canonical_text(std::string_view markdown);
// Hex SHA-256 of `canonical`.
std::string version_hash(std::string_view canonical);

// Markdown to HTML with cmark-gfm (tables, autolinks, strikethrough), raw HTML disabled
// (escaped), unsafe link schemes dropped, heading ids for anchors.
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
    core::Result<Draft> save_draft(const accounts::Actor& actor, const Draft& draft);

    // Publishes `markdown` in `language` as the next version (audited). Conflict when the
    // canonical text equals the current version's; Invalid for a bad text or language.
    core::Result<Version> publish(const accounts::Actor& actor, std::string_view title,
                                  std::string_view markdown, std::string_view language);
    // Adds or replaces the translation of version `hash` into `language` (not the authoritative
    // one). NotFound for an unknown version.
    core::Result<Version> translate(const accounts::Actor& actor, std::string_view hash,
                                    std::string_view language, std::string_view title,
                                    std::string_view markdown);

    std::optional<Version> current();
    std::optional<Version> find(std::string_view hash);
    std::vector<Version> versions();  // Newest first.
    // The current version for a visitor reading `language`; nullopt before any publication.
    std::optional<Reading> read(std::string_view language);

private:
    store::Database& database_;
    const core::Clock& clock_;
};

}  // namespace coalition::statement
