#include "processes/moment.hpp"

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace coalition::processes {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2199;
constexpr std::size_t kMaxZoneLength = 64;

bool is_digits(std::string_view text) {
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !text.empty();
}

int number(std::string_view digits) {
    int value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return value;
}

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

struct Civil {
    int year = 0;
    int month = 0;
    int day = 0;
};

std::optional<Civil> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !is_digits(text.substr(0, 4)) ||
        !is_digits(text.substr(5, 2)) || !is_digits(text.substr(8, 2))) {
        return std::nullopt;
    }
    const Civil civil{number(text.substr(0, 4)), number(text.substr(5, 2)),
                      number(text.substr(8, 2))};
    if (civil.year < kMinYear || civil.year > kMaxYear || civil.month < 1 || civil.month > 12 ||
        civil.day < 1 || civil.day > days_in_month(civil.year, civil.month)) {
        return std::nullopt;
    }
    return civil;
}

std::optional<std::pair<int, int>> parse_time(std::string_view text) {
    if (text.size() != 5 || text[2] != ':' || !is_digits(text.substr(0, 2)) ||
        !is_digits(text.substr(3, 2))) {
        return std::nullopt;
    }
    const int hour = number(text.substr(0, 2));
    const int minute = number(text.substr(3, 2));
    if (hour > 23 || minute > 59) {
        return std::nullopt;
    }
    return std::make_pair(hour, minute);
}

// The ICU zone for a known id; nullptr otherwise.
std::unique_ptr<icu::TimeZone> icu_zone(std::string_view zone) {
    if (!is_known_zone(zone)) {
        return nullptr;
    }
    return std::unique_ptr<icu::TimeZone>(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
            icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())))));
}

// "07" for 7; values are hours, minutes, months and days (0–99), so two digits always suffice.
std::string two_digits(int value) {
    const int clamped = value < 0 ? 0 : value % 100;
    return {static_cast<char>('0' + clamped / 10), static_cast<char>('0' + clamped % 10)};
}

std::string utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

// Formatters of one thread, by language, skeleton and zone. Making one costs about a millisecond
// (ICU loads CLDR data for the pattern generator and the date format) while formatting costs
// microseconds, and a page formats hundreds of dates; SimpleDateFormat::format is not thread-safe,
// hence one cache per thread. Keys are few (the languages × four skeletons × the zones viewers
// pick); past kMaxFormatters the cache starts again, so trying every zone cannot grow it unbounded.
class FormatterCache {
public:
    static constexpr std::size_t kMaxFormatters = 512;

    // The formatter for this key, made on first use; nullptr when ICU refuses the locale.
    icu::SimpleDateFormat* find(std::string_view skeleton, std::string_view zone,
                                std::string_view language) {
        std::string key;
        key.reserve(language.size() + skeleton.size() + zone.size() + 2);
        key.append(language).append(1, '\n').append(skeleton).append(1, '\n').append(zone);
        if (const auto found = formatters_.find(key); found != formatters_.end()) {
            return found->second.get();
        }
        if (formatters_.size() >= kMaxFormatters) {
            formatters_.clear();
        }
        return formatters_.emplace(std::move(key), make(skeleton, zone, language))
            .first->second.get();
    }

private:
    static std::unique_ptr<icu::SimpleDateFormat> make(std::string_view skeleton,
                                                       std::string_view zone,
                                                       std::string_view language) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Locale locale(std::string(language).c_str());
        std::unique_ptr<icu::DateTimePatternGenerator> generator(
            icu::DateTimePatternGenerator::createInstance(locale, status));
        if (U_FAILURE(status)) {
            return nullptr;
        }
        const auto pattern =
            generator->getBestPattern(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                          skeleton.data(), static_cast<int32_t>(skeleton.size()))),
                                      status);
        auto format = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
        if (U_FAILURE(status)) {
            return nullptr;
        }
        auto time_zone = icu_zone(zone);
        format->adoptTimeZone(time_zone ? time_zone.release() : icu::TimeZone::getGMT()->clone());
        return format;
    }

    std::unordered_map<std::string, std::unique_ptr<icu::SimpleDateFormat>> formatters_;
};

// Gregorian calendars of one thread, by zone: making one (zone rules, week data) costs tens of
// microseconds, more than using it, and a page converts hundreds of instants; Calendar is not
// thread-safe. Repeated wall times read as their first occurrence and skipped ones move forward
// (Moment::date_time detects those); neither option changes conversions from an instant.
// Bounded as FormatterCache is.
class CalendarCache {
public:
    static constexpr std::size_t kMaxCalendars = 512;

    // The calendar of `zone` (a known zone; GMT for any other), cleared.
    icu::GregorianCalendar& find(std::string_view zone) {
        auto found = calendars_.find(zone);
        if (found == calendars_.end()) {
            if (calendars_.size() >= kMaxCalendars) {
                calendars_.clear();
            }
            auto time_zone = icu_zone(zone);
            if (!time_zone) {
                time_zone.reset(icu::TimeZone::getGMT()->clone());
            }
            UErrorCode status = U_ZERO_ERROR;
            auto calendar = std::make_unique<icu::GregorianCalendar>(
                time_zone.release(), icu::Locale::getRoot(), status);
            COALITION_ASSERT(U_SUCCESS(status), "ICU could not make a Gregorian calendar");
            calendar->setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST);
            calendar->setSkippedWallTimeOption(UCAL_WALLTIME_NEXT_VALID);
            found = calendars_.emplace(std::string(zone), std::move(calendar)).first;
        }
        found->second->clear();
        return *found->second;
    }

private:
    std::map<std::string, std::unique_ptr<icu::GregorianCalendar>, std::less<>> calendars_;
};

icu::GregorianCalendar& calendar_of(std::string_view zone) {
    thread_local CalendarCache calendars;
    return calendars.find(zone);
}

// A GMT calendar-free formatter of `skeleton` ("yMMMd") in `language`, shown in `zone`.
std::string format_with_skeleton(UDate at, std::string_view skeleton, std::string_view zone,
                                 std::string_view language) {
    thread_local FormatterCache formatters;
    icu::SimpleDateFormat* format = formatters.find(skeleton, zone, language);
    if (format == nullptr) {
        return {};
    }
    icu::UnicodeString out;
    format->format(at, out);
    return utf8(out);
}

}  // namespace

std::int64_t days_from_civil(int year, int month, int day) {
    // Howard Hinnant's algorithm (public domain description of the proleptic Gregorian count).
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<std::int64_t>(year - era * 400);
    const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

std::string civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_index = (5 * day_of_year + 2) / 153;
    const auto day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
    const auto month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
    const auto year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
}

bool is_known_zone(std::string_view zone) {
    if (zone.empty() || zone.size() > kMaxZoneLength) {
        return false;
    }
    for (const char c : zone) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
        if (!allowed) {
            return false;
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString canonical;
    UBool is_system = false;
    icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                      zone.data(), static_cast<int32_t>(zone.size()))),
                                  canonical, is_system, status);
    return U_SUCCESS(status) && is_system && canonical != UNICODE_STRING_SIMPLE("Etc/Unknown");
}

core::Result<Moment> Moment::date(std::string_view date, const std::string& field) {
    const auto civil = parse_date(date);
    if (!civil) {
        return core::Error::invalid("Enter a real date as YYYY-MM-DD, such as 2026-03-31.", field);
    }
    Moment moment;
    moment.date_ = std::string(date);
    moment.utc_ = days_from_civil(civil->year, civil->month, civil->day) * 86400;
    return moment;
}

core::Result<Moment> Moment::date_time(std::string_view date, std::string_view time,
                                       std::string_view zone, const std::string& field) {
    const auto civil = parse_date(date);
    if (!civil) {
        return core::Error::invalid("Enter a real date as YYYY-MM-DD, such as 2026-03-31.",
                                    field + "_date");
    }
    const auto clock = parse_time(time);
    if (!clock) {
        return core::Error::invalid("Enter a time as HH:MM on a 24-hour clock, such as 23:59.",
                                    field + "_time");
    }
    if (!is_known_zone(zone)) {
        return core::Error::invalid(
            "Enter a time zone from the IANA database, such as America/New_York or "
            "Pacific/Auckland.",
            field + "_zone");
    }
    UErrorCode status = U_ZERO_ERROR;
    // A repeated wall time (clocks going back) reads as its first occurrence; a skipped one is
    // detected below by reading the fields back (CalendarCache sets both options).
    icu::GregorianCalendar& calendar = calendar_of(zone);
    calendar.set(civil->year, civil->month - 1, civil->day, clock->first, clock->second, 0);
    const UDate at = calendar.getTime(status);
    COALITION_ASSERT(U_SUCCESS(status), "ICU could not convert a valid wall time");
    calendar.setTime(at, status);
    if (calendar.get(UCAL_HOUR_OF_DAY, status) != clock->first ||
        calendar.get(UCAL_MINUTE, status) != clock->second ||
        calendar.get(UCAL_DATE, status) != civil->day) {
        return core::Error::invalid(
            "This time does not exist in that time zone on that day: the clocks go forward "
            "then. Choose a time before or after the change.",
            field + "_time");
    }
    Moment moment;
    moment.date_ = std::string(date);
    moment.time_ = std::string(time);
    moment.zone_ = std::string(zone);
    moment.utc_ = static_cast<std::int64_t>(std::floor(at / 1000.0));
    return moment;
}

std::int64_t Moment::day_number() const {
    const auto civil = parse_date(date_);
    COALITION_ASSERT(civil.has_value(), "a Moment holds a valid date");
    return days_from_civil(civil->year, civil->month, civil->day);
}

LocalTime local_time(std::int64_t utc, std::string_view zone) {
    icu::GregorianCalendar& calendar = calendar_of(zone);
    UErrorCode status = U_ZERO_ERROR;
    calendar.setTime(static_cast<UDate>(utc) * 1000.0, status);
    const int year = calendar.get(UCAL_EXTENDED_YEAR, status);
    const int month = calendar.get(UCAL_MONTH, status) + 1;
    const int day = calendar.get(UCAL_DATE, status);
    const int hour = calendar.get(UCAL_HOUR_OF_DAY, status);
    const int minute = calendar.get(UCAL_MINUTE, status);
    const int offset_ms =
        calendar.get(UCAL_ZONE_OFFSET, status) + calendar.get(UCAL_DST_OFFSET, status);
    LocalTime local;
    local.day_number = days_from_civil(year, month, day);
    local.date = civil_from_days(local.day_number);
    local.time = two_digits(hour) + ":" + two_digits(minute);
    local.offset_minutes = offset_ms / 60000;
    return local;
}

std::string format_offset(int offset_minutes) {
    if (offset_minutes == 0) {
        return "UTC";
    }
    const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    return std::string("UTC") + (offset_minutes < 0 ? "\u2212" : "+") + two_digits(magnitude / 60) +
           ":" + two_digits(magnitude % 60);
}

std::string format_day(std::string_view date, DatePrecision precision, std::string_view language) {
    const auto civil = parse_date(date);
    if (!civil) {
        return std::string(date);
    }
    const UDate at =
        static_cast<UDate>(days_from_civil(civil->year, civil->month, civil->day)) * 86400000.0;
    switch (precision) {
        case DatePrecision::Year:
            return format_with_skeleton(at, "y", "UTC", language);
        case DatePrecision::Month:
            return format_with_skeleton(at, "yMMMM", "UTC", language);
        case DatePrecision::Day:
            break;
    }
    return format_with_skeleton(at, "yMMMd", "UTC", language);
}

std::string format_instant(std::int64_t utc, std::string_view zone, std::string_view language) {
    const auto local = local_time(utc, zone);
    return format_with_skeleton(static_cast<UDate>(utc) * 1000.0, "yMMMdHHmm", zone, language) +
           " (" + format_offset(local.offset_minutes) + ")";
}

}  // namespace coalition::processes
