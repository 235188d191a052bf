#pragma once
// Atom 1.0 (RFC 4287) documents for the site's feeds (/processes/feed.atom, the list archives'
// feeds): one writer, so every feed escapes the same way (XML 1.0 forbidden characters and
// invalid UTF-8 become U+FFFD) and carries what RFC 4287 §4.1 requires (feed: id, title,
// updated, author; entry: id, title, updated).

#include "web/http.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace coalition::web::atom {

struct Entry {
    std::string id;  // An IRI that never changes: a permalink URL or a tag: URI.
    std::string title;
    std::int64_t updated = 0;  // Unix seconds.
    std::string link;          // rel="alternate"; "" for none.
    std::string author;        // "" when the feed's author stands for the entry.
    std::string summary;       // Plain text; "" for none.
    std::string content;       // Plain text (type="text"); "" for none.
};

struct Feed {
    std::string id;
    std::string title;
    std::int64_t updated = 0;
    std::string author;  // Required by RFC 4287 unless every entry has one: always written.
    std::string self;    // The feed's own URL (rel="self").
    std::string link;    // The page the feed follows (rel="alternate").
    std::vector<Entry> entries;
};

// The XML document, UTF-8, with the XML declaration.
std::string render(const Feed& feed);

// `feed` rendered as a 200 response with Content-Type application/atom+xml; charset=utf-8.
Response response(const Feed& feed);

}  // namespace coalition::web::atom
