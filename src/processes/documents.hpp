#pragma once
// The negotiated texts of a process: documents (a zero draft, an outcome, an elements paper…),
// each with its numbered revisions ("Zero draft", "Rev.1", …) holding the text as pasted or
// uploaded. Types and validation only; Processes (processes.hpp) stores them and records each
// addition in the process's history. Comparing revisions is texts/ (texts::compare).

#include "accounts/accounts.hpp"
#include "core/id.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::processes {

struct Process;
struct Document;
struct Revision;
using ProcessId = core::Id<Process>;
using DocumentId = core::Id<Document>;
using RevisionId = core::Id<Revision>;

inline constexpr std::size_t kMaxDocumentTitleCharacters = 300;
inline constexpr std::size_t kMaxRevisionLabelCharacters = 100;
// A long UN outcome document is about 100 KB; this leaves room for a Markdown draft with notes.
inline constexpr std::size_t kMaxRevisionBytes = 1'000'000;

enum class DocumentKind { Draft, Outcome, ElementsPaper, Report, Other };
enum class TextFormat { PlainText, Markdown };

// Stable ids ("draft", "elements-paper"; "text", "markdown") and English msgids for pages, as for
// the other kinds (processes.hpp).
std::string_view id(DocumentKind kind);
std::string_view id(TextFormat format);
std::string_view label(DocumentKind kind);
std::string_view label(TextFormat format);
std::optional<DocumentKind> parse_document_kind(std::string_view text);
std::optional<TextFormat> parse_text_format(std::string_view text);
std::vector<DocumentKind> all_document_kinds();

// A document as typed into the form.
struct DocumentDraft {
    std::string title;
    std::string slug;  // Empty: derived from the title.
    std::string kind;
    std::string url;  // Optional: where the document is published.
};

struct DocumentFields {
    std::string title;
    std::optional<accounts::Slug> slug;
    DocumentKind kind = DocumentKind::Draft;
    std::string url;  // "" or an http(s) URL.
};

// Every problem at once ("title", "slug", "kind", "url"): missing or too long a title, bad text,
// a malformed slug, an unknown kind, a URL that is not http(s).
accounts::Validated<DocumentFields> validate(const DocumentDraft& draft);

// A revision as typed into the form (the text pasted, or the uploaded file's bytes).
struct RevisionDraft {
    std::string label;
    std::string issued_on;  // YYYY-MM-DD
    std::string format;     // "text" (default when empty) or "markdown".
    std::string text;
};

struct RevisionFields {
    std::string label;
    std::string issued_on;
    TextFormat format = TextFormat::PlainText;
    std::string text;  // NFC, line breaks "\n", no trailing white space, never empty.
};

// Every problem at once ("label", "issued_on", "format", "text"): a missing label or date, a
// date that is not a real YYYY-MM-DD day, a text that is empty, larger than kMaxRevisionBytes,
// not valid UTF-8 or holding control characters (NUL included; tab and line breaks are fine).
// A byte order mark is dropped, CRLF and CR become LF, the text is normalised to NFC.
accounts::Validated<RevisionFields> validate(const RevisionDraft& draft);

struct Revision {
    RevisionId id;
    DocumentId document_id;
    int number = 0;         // 1, 2, … in the order the revisions were added; part of the URL.
    RevisionFields fields;  // fields.text is empty in listings (Processes::documents).
    std::int64_t created_at = 0;
};

struct Document {
    DocumentId id;
    ProcessId process_id;
    accounts::Slug slug;
    DocumentFields fields;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<Revision> revisions;  // By number; texts left out.

    // The revision numbered `number`, or nullptr.
    const Revision* revision(int number) const;
};

}  // namespace coalition::processes
