#pragma once
// iCalendar (RFC 5545) output for the milestone feeds: a small pure serialiser. CRLF line ends,
// content lines folded at 75 octets without splitting a UTF-8 character (§3.1), TEXT values
// escaped (§3.3.11), whole days as DATE values with an exclusive DTEND (§3.6.1), wall times with
// TZID and one VTIMEZONE per zone used (from ICU's zone data, §3.6.5), DTSTAMP in UTC. Thread-safe.

#include "processes/moment.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::processes::icalendar {

struct Event {
    std::string uid;         // Globally unique and stable: "gdc-zero-draft@coalition.example.org".
    std::int64_t stamp = 0;  // DTSTAMP: when this feed was made (Unix seconds).
    std::int64_t last_modified = 0;  // LAST-MODIFIED; 0 leaves it out.
    Moment start;
    std::optional<Moment> end;  // Inclusive, as milestones keep it; same kind as start.
    std::string summary;
    std::string description;
    std::string location;
    std::string url;  // Leave empty for none; must be a URI.
    std::vector<std::string> categories;
    bool tentative = false;  // STATUS:TENTATIVE, else CONFIRMED.
};

struct Calendar {
    std::string product_id;  // PRODID: "-//Coalition//Process tracker//EN".
    std::string name;        // X-WR-CALNAME (shown by most clients); empty leaves it out.
    std::vector<Event> events;
};

// The whole VCALENDAR object.
std::string serialise(const Calendar& calendar);

// `text` as an RFC 5545 TEXT value: \ ; , escaped, line breaks as \n, other control characters
// and invalid UTF-8 dropped (replaced by U+FFFD for invalid bytes).
std::string escape_text(std::string_view text);

// One content line (without its line end) folded to lines of at most 75 octets, each ending in
// CRLF; continuation lines start with one space. A UTF-8 sequence is never split.
std::string fold(std::string_view content_line);

// The VTIMEZONE component of IANA zone `zone` covering instants from `from` (Unix seconds) on,
// folded with CRLF; "" for an unknown zone.
std::string vtimezone(std::string_view zone, std::int64_t from);

}  // namespace coalition::processes::icalendar
