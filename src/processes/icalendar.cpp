#include "processes/icalendar.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"

#include <unicode/unistr.h>
#include <unicode/vtzone.h>

#include <cstdio>
#include <map>
#include <memory>

namespace coalition::processes::icalendar {
namespace {

constexpr std::size_t kMaxOctets = 75;

// Replaces invalid UTF-8 with U+FFFD.
std::string valid_utf8(std::string_view text) {
    if (core::is_valid_utf8(text)) {
        return std::string(text);
    }
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
        .toUTF8String(out);
    return out;
}

std::string compact_date(std::string_view date) {
    std::string out;
    for (const char c : date) {
        if (c != '-' && c != ':') {
            out += c;
        }
    }
    return out;
}

std::string utc_stamp(std::int64_t unix_seconds) {
    // "YYYYMMDDTHHMMSSZ" (§3.3.5, form #2).
    const std::int64_t days =
        unix_seconds >= 0 ? unix_seconds / core::kSecondsPerDay
                          : (unix_seconds - core::kSecondsPerDay + 1) / core::kSecondsPerDay;
    const std::int64_t rest = unix_seconds - days * core::kSecondsPerDay;
    char time[16];
    std::snprintf(time, sizeof time, "T%02d%02d%02dZ", static_cast<int>(rest / 3600),
                  static_cast<int>(rest % 3600 / 60), static_cast<int>(rest % 60));
    return compact_date(civil_from_days(days)) + time;
}

// "DTSTART;VALUE=DATE:20260308" or "DTSTART;TZID=America/New_York:20260308T235900".
std::string date_property(std::string_view name, const Moment& moment, std::int64_t day_shift) {
    if (moment.is_date()) {
        return std::string(name) +
               ";VALUE=DATE:" + compact_date(civil_from_days(moment.day_number() + day_shift));
    }
    return std::string(name) + ";TZID=" + moment.zone() + ":" + compact_date(moment.date()) + "T" +
           compact_date(moment.time()) + "00";
}

void line(std::string& out, std::string_view content) {
    out += fold(content);
}

}  // namespace

std::string escape_text(std::string_view text) {
    const std::string valid = valid_utf8(text);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t index = 0; index < valid.size(); ++index) {
        const char c = valid[index];
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ';':
                out += "\\;";
                break;
            case ',':
                out += "\\,";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                if (index + 1 >= valid.size() || valid[index + 1] != '\n') {
                    out += "\\n";  // A lone CR is a line break too.
                }
                break;
            default:
                // §3.3.11: TEXT excludes control characters other than HTAB.
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
                    break;
                }
                out += c;
        }
    }
    return out;
}

std::string fold(std::string_view content_line) {
    std::string out;
    std::size_t position = 0;
    std::size_t budget = kMaxOctets;  // The first line; continuation lines lose one to the space.
    while (content_line.size() - position > budget) {
        std::size_t cut = position + budget;
        // Never split a UTF-8 sequence: back up to the start of the character at `cut`.
        while (cut > position && (static_cast<unsigned char>(content_line[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        if (cut == position) {
            cut = position + budget;  // Only for invalid UTF-8, which callers replace first.
        }
        out.append(content_line.substr(position, cut - position));
        out += "\r\n ";
        position = cut;
        budget = kMaxOctets - 1;
    }
    out.append(content_line.substr(position));
    out += "\r\n";
    return out;
}

std::string vtimezone(std::string_view zone, std::int64_t from) {
    if (!is_known_zone(zone)) {
        return {};
    }
    std::unique_ptr<icu::VTimeZone> time_zone(
        icu::VTimeZone::createVTimeZoneByID(icu::UnicodeString::fromUTF8(
            icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())))));
    if (!time_zone) {
        return {};
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString written;
    time_zone->write(static_cast<UDate>(from) * 1000.0, written, status);
    if (U_FAILURE(status)) {
        return {};
    }
    std::string text;
    written.toUTF8String(text);
    // ICU writes its own line ends; re-fold each line so the result follows our rules exactly.
    std::string out;
    std::size_t position = 0;
    while (position < text.size()) {
        std::size_t end = text.find_first_of("\r\n", position);
        if (end == std::string::npos) {
            end = text.size();
        }
        if (end > position) {
            out += fold(std::string_view(text).substr(position, end - position));
        }
        position = end + 1;
    }
    return out;
}

std::string serialise(const Calendar& calendar) {
    std::string out;
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:" + escape_text(calendar.product_id));
    line(out, "CALSCALE:GREGORIAN");
    line(out, "METHOD:PUBLISH");
    if (!calendar.name.empty()) {
        line(out, "X-WR-CALNAME:" + escape_text(calendar.name));
    }
    // One VTIMEZONE per zone used, covering every event in it (§3.6.5: each TZID needs one).
    std::map<std::string, std::int64_t> zones;
    for (const auto& event : calendar.events) {
        for (const Moment* moment : {&event.start, event.end ? &*event.end : nullptr}) {
            if (moment && !moment->is_date()) {
                auto [found, inserted] = zones.emplace(moment->zone(), moment->utc());
                if (!inserted && moment->utc() < found->second) {
                    found->second = moment->utc();
                }
            }
        }
    }
    for (const auto& [zone, earliest] : zones) {
        // Start a year early so the rule in force at the first event is always included.
        out += vtimezone(zone, earliest - 366 * core::kSecondsPerDay);
    }
    for (const auto& event : calendar.events) {
        line(out, "BEGIN:VEVENT");
        line(out, "UID:" + escape_text(event.uid));
        line(out, "DTSTAMP:" + utc_stamp(event.stamp));
        line(out, date_property("DTSTART", event.start, 0));
        if (event.end) {
            // A DATE end is exclusive (§3.6.1): the day after the milestone's last day.
            line(out, date_property("DTEND", *event.end, event.end->is_date() ? 1 : 0));
        }
        line(out, "SUMMARY:" + escape_text(event.summary));
        if (!event.description.empty()) {
            line(out, "DESCRIPTION:" + escape_text(event.description));
        }
        if (!event.location.empty()) {
            line(out, "LOCATION:" + escape_text(event.location));
        }
        if (!event.url.empty()) {
            line(out, "URL:" + valid_utf8(event.url));
        }
        if (!event.categories.empty()) {
            std::string categories = "CATEGORIES:";
            for (std::size_t index = 0; index < event.categories.size(); ++index) {
                categories += (index ? "," : "") + escape_text(event.categories[index]);
            }
            line(out, categories);
        }
        line(out, event.tentative ? "STATUS:TENTATIVE" : "STATUS:CONFIRMED");
        line(out, "TRANSP:TRANSPARENT");
        if (event.last_modified > 0) {
            line(out, "LAST-MODIFIED:" + utc_stamp(event.last_modified));
        }
        line(out, "END:VEVENT");
    }
    line(out, "END:VCALENDAR");
    return out;
}

}  // namespace coalition::processes::icalendar
