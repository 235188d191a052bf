#pragma once
// processes::Moment: when a milestone starts or ends. Either a whole day (a civil date, the same
// date everywhere: "the consultation opens on 20 June") or a wall-clock time in an IANA time zone
// ("23:59 America/New_York"), kept exactly as written together with the UTC instant it names.
// Conversions go through ICU's zone data, so DST rules are the real ones.

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace coalition::processes {

// How much of a date is known: sourced facts are sometimes only a month or a year ("May 2023").
enum class DatePrecision { Day, Month, Year };

class Moment {
public:
    // 1970-01-01, a whole day: a placeholder until a parsed value is assigned.
    Moment() = default;
    // A whole day from "YYYY-MM-DD" (years 1900–2199, a real calendar date). Invalid with `field`
    // otherwise.
    static core::Result<Moment> date(std::string_view date, const std::string& field);

    // Wall time `time` ("HH:MM", 00:00–23:59) on `date` in IANA zone `zone` ("America/New_York").
    // Invalid with `field` + "_date" for a bad date, + "_time" for a bad time, + "_zone" for an
    // unknown zone
    // (custom ids such as "GMT+5" are refused too) or a time the zone skips (clocks going
    // forward: 02:30 on a spring-forward night does not exist). A time that happens twice (clocks
    // going back) names its first occurrence, the earlier instant: the safe reading of a deadline.
    static core::Result<Moment> date_time(std::string_view date, std::string_view time,
                                          std::string_view zone, const std::string& field);

    bool is_date() const { return time_.empty(); }
    const std::string& date() const { return date_; }  // "YYYY-MM-DD": the local date.
    const std::string& time() const { return time_; }  // "HH:MM"; "" for a whole day.
    const std::string& zone() const { return zone_; }  // IANA id; "" for a whole day.
    // The instant in Unix seconds: for a whole day, 00:00 UTC of that date.
    std::int64_t utc() const { return utc_; }
    // Days since 1970-01-01 of date().
    std::int64_t day_number() const;

    bool operator==(const Moment& other) const = default;

private:
    std::string date_ = "1970-01-01";
    std::string time_;
    std::string zone_;
    std::int64_t utc_ = 0;
};

// True when `zone` is a system IANA time-zone id ICU knows (aliases such as "US/Eastern" too).
bool is_known_zone(std::string_view zone);

// The wall clock of instant `utc` in `zone` (a known zone; "UTC" otherwise).
struct LocalTime {
    std::string date;             // "YYYY-MM-DD"
    std::string time;             // "HH:MM"
    int offset_minutes = 0;       // From UTC, DST included: −300 for New York in winter.
    std::int64_t day_number = 0;  // Days since 1970-01-01 of `date`.
};
LocalTime local_time(std::int64_t utc, std::string_view zone);

// "UTC+13:00", "UTC−05:00" (U+2212 MINUS SIGN), "UTC" for 0.
std::string format_offset(int offset_minutes);

// Days since 1970-01-01 for a proleptic Gregorian date, and back to "YYYY-MM-DD".
std::int64_t days_from_civil(int year, int month, int day);
std::string civil_from_days(std::int64_t days);

// Dates and times for people, in `language`'s conventions (ICU, CLDR): a whole day ("28 Nov
// 2026"; "November 2026" / "2026" for a coarser precision), or instant `utc` shown in `zone` with
// its offset ("28 Nov 2026, 23:59 (UTC+13:00)"). `language` is a BCP 47 tag ("ar", "zh").
std::string format_day(std::string_view date, DatePrecision precision, std::string_view language);
std::string format_instant(std::int64_t utc, std::string_view zone, std::string_view language);

}  // namespace coalition::processes
