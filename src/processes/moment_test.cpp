#include "processes/moment.hpp"

#include <gtest/gtest.h>

namespace coalition::processes {
namespace {

TEST(Moment, WholeDayIsMidnightUtcOfThatDate) {
    const auto moment = Moment::date("2026-03-08", "start");
    ASSERT_TRUE(moment.has_value());
    EXPECT_TRUE(moment->is_date());
    EXPECT_EQ(moment->utc(), 1772928000);
    EXPECT_EQ(moment->day_number(), 20520);
    EXPECT_EQ(civil_from_days(moment->day_number()), "2026-03-08");
}

TEST(Moment, RefusesDatesThatDoNotExist) {
    for (const char* bad :
         {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-03-08", "2026-3-8",
          "2026-03-08T10:00", "", "abcd-ef-gh", "1899-12-31", "2200-01-01", "2026-03-0\x01",
          "2026\xe2\x80\x93"
          "03-08"}) {
        const auto moment = Moment::date(bad, "start_date");
        ASSERT_FALSE(moment.has_value()) << bad;
        EXPECT_EQ(moment.error().field, "start_date");
    }
    EXPECT_TRUE(Moment::date("2024-02-29", "start").has_value());  // A leap day.
}

TEST(Moment, DeadlineInNewYorkIsTheRightInstant) {
    // 23:59 EDT on 16 July 2024 (UTC−4) is 03:59 UTC on 17 July.
    const auto summer = Moment::date_time("2024-07-16", "23:59", "America/New_York", "start");
    ASSERT_TRUE(summer.has_value());
    EXPECT_EQ(summer->utc(), 1721188740);
    EXPECT_EQ(summer->date(), "2024-07-16");
    EXPECT_EQ(summer->time(), "23:59");
    EXPECT_EQ(summer->zone(), "America/New_York");
    // In winter New York is UTC−5.
    const auto winter = Moment::date_time("2026-01-15", "23:59", "America/New_York", "start");
    ASSERT_TRUE(winter.has_value());
    EXPECT_EQ(winter->utc(), 1768539540);
}

TEST(Moment, NewYorkDeadlineShownToAucklandViewerIsNextAfternoon) {
    // 23:59 in New York (UTC−5) on 15 January is 17:59 on 16 January in Auckland (NZDT, UTC+13).
    const auto deadline = Moment::date_time("2026-01-15", "23:59", "America/New_York", "start");
    ASSERT_TRUE(deadline.has_value());
    const auto auckland = local_time(deadline->utc(), "Pacific/Auckland");
    EXPECT_EQ(auckland.date, "2026-01-16");
    EXPECT_EQ(auckland.time, "17:59");
    EXPECT_EQ(auckland.offset_minutes, 13 * 60);
    EXPECT_EQ(format_offset(auckland.offset_minutes), "UTC+13:00");
    const auto new_york = local_time(deadline->utc(), "America/New_York");
    EXPECT_EQ(new_york.date, "2026-01-15");
    EXPECT_EQ(new_york.time, "23:59");
    EXPECT_EQ(format_offset(new_york.offset_minutes), "UTC\u221205:00");
    EXPECT_NE(format_instant(deadline->utc(), "Pacific/Auckland", "en").find("17:59"),
              std::string::npos);
}

TEST(Moment, SkippedWallTimeIsRefused) {
    // Clocks in New York went from 02:00 to 03:00 on 8 March 2026.
    const auto gap = Moment::date_time("2026-03-08", "02:30", "America/New_York", "start");
    ASSERT_FALSE(gap.has_value());
    EXPECT_EQ(gap.error().field, "start_time");
    const auto after = Moment::date_time("2026-03-08", "03:00", "America/New_York", "start");
    ASSERT_TRUE(after.has_value());
    EXPECT_EQ(after->utc(), 1772953200);  // 07:00 UTC (EDT, UTC−4).
    const auto before = Moment::date_time("2026-03-08", "01:59", "America/New_York", "start");
    ASSERT_TRUE(before.has_value());
    EXPECT_EQ(after->utc() - before->utc(), 60);  // One minute apart in real time.
}

TEST(Moment, RepeatedWallTimeIsItsFirstOccurrence) {
    // Clocks in New York went back from 02:00 EDT to 01:00 EST on 1 November 2026: 01:30 happens
    // twice; the first (EDT, UTC−4) is 05:30 UTC.
    const auto overlap = Moment::date_time("2026-11-01", "01:30", "America/New_York", "start");
    ASSERT_TRUE(overlap.has_value());
    EXPECT_EQ(overlap->utc(), 1793511000);
    EXPECT_EQ(local_time(overlap->utc(), "America/New_York").offset_minutes, -240);
    // Auckland's clocks went forward on 27 September 2026 (02:00 → 03:00).
    EXPECT_FALSE(Moment::date_time("2026-09-27", "02:15", "Pacific/Auckland", "x").has_value());
}

TEST(Moment, RefusesUnknownZonesAndBadTimes) {
    for (const char* zone : {"Mars/Olympus_Mons", "", "GMT+5", "America/New York", "Etc/Unknown",
                             "America/New_York\n", "../../etc/passwd", "<script>"}) {
        const auto moment = Moment::date_time("2026-03-10", "12:00", zone, "start");
        ASSERT_FALSE(moment.has_value()) << zone;
        EXPECT_EQ(moment.error().field, "start_zone") << zone;
    }
    for (const char* time : {"24:00", "23:60", "9:00", "12:00:00", "noon", ""}) {
        const auto moment = Moment::date_time("2026-03-10", time, "Europe/Paris", "start");
        ASSERT_FALSE(moment.has_value()) << time;
        EXPECT_EQ(moment.error().field, "start_time");
    }
    EXPECT_TRUE(is_known_zone("US/Eastern"));
    EXPECT_TRUE(is_known_zone("UTC"));
    EXPECT_TRUE(is_known_zone("Asia/Kolkata"));
    EXPECT_FALSE(is_known_zone(std::string(100, 'A')));
}

TEST(Moment, FormatsDaysInTheReadersLanguage) {
    EXPECT_EQ(format_day("2026-11-28", DatePrecision::Day, "en"), "Nov 28, 2026");
    EXPECT_EQ(format_day("2023-05-01", DatePrecision::Month, "en"), "May 2023");
    EXPECT_EQ(format_day("2027-01-01", DatePrecision::Year, "en"), "2027");
    EXPECT_NE(format_day("2026-11-28", DatePrecision::Day, "fr").find("nov"), std::string::npos);
}

}  // namespace
}  // namespace coalition::processes
