#include "processes/icalendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coalition::processes::icalendar {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t end = text.find("\r\n", position);
        EXPECT_NE(end, std::string::npos) << "every line ends in CRLF";
        if (end == std::string::npos) {
            break;
        }
        lines.push_back(text.substr(position, end - position));
        position = end + 2;
    }
    return lines;
}

// Undoes folding (§3.1): CRLF followed by one space disappears.
std::string unfold(std::string text) {
    for (std::size_t found = text.find("\r\n "); found != std::string::npos;
         found = text.find("\r\n ", found)) {
        text.erase(found, 3);
    }
    return text;
}

TEST(ICalendar, EscapesTextValues) {
    EXPECT_EQ(escape_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    EXPECT_EQ(escape_text("line\r\nbreak\rlone"), "line\\nbreak\\nlone");
    EXPECT_EQ(escape_text(std::string("nul\0bell\x07tab\t", 14)), "nulbelltab\t");
    EXPECT_EQ(escape_text("bad \xff byte"), "bad \xef\xbf\xbd byte");
    EXPECT_EQ(escape_text("BEGIN:VEVENT"), "BEGIN:VEVENT");  // Safe: it stays inside a value.
}

TEST(ICalendar, FoldsAt75OctetsWithoutSplittingCharacters) {
    const std::string ascii = "SUMMARY:" + std::string(200, 'x');
    const std::string folded = fold(ascii);
    for (const auto& line : lines_of(folded)) {
        EXPECT_LE(line.size(), 75U);
    }
    EXPECT_EQ(unfold(folded), ascii + "\r\n");

    // Arabic letters are two octets, CJK three, an emoji four: no line may end mid-character.
    std::string mixed = "SUMMARY:";
    for (int index = 0; index < 40; ++index) {
        mixed += "\u0628\u4e2d\U0001F30D";
    }
    const std::string mixed_folded = fold(mixed);
    for (const auto& line : lines_of(mixed_folded)) {
        EXPECT_LE(line.size(), 75U);
        ASSERT_FALSE(line.empty());
        const auto last = static_cast<unsigned char>(line.back());
        EXPECT_FALSE(last >= 0xC0) << "a line ends with a lead byte";
        const auto first = static_cast<unsigned char>(line.size() > 1 ? line[1] : line[0]);
        EXPECT_NE(first & 0xC0, 0x80) << "a line starts with a continuation byte";
    }
    EXPECT_EQ(unfold(mixed_folded), mixed + "\r\n");
    EXPECT_EQ(fold("SHORT:1"), "SHORT:1\r\n");
    EXPECT_EQ(fold(std::string(75, 'a')), std::string(75, 'a') + "\r\n");
    EXPECT_EQ(fold(std::string(76, 'a')), std::string(75, 'a') + "\r\n a\r\n");
}

TEST(ICalendar, WritesDatesZonesAndStableFields) {
    Calendar calendar{
        .product_id = "-//Coalition//Process tracker//EN", .name = "Processes", .events = {}};
    Event day;
    day.uid = "wsis20-hlm@coalition.example";
    day.stamp = 1767225600;
    day.start = *Moment::date("2025-12-16", "start");
    day.end = *Moment::date("2025-12-17", "end");
    day.summary = "WSIS+20 high-level meeting; UNGA, New York";
    day.location = "New York (UN HQ)";
    day.url = "https://example.org/wsis";
    day.categories = {"Meeting", "WSIS+20"};
    Event deadline;
    deadline.uid = "deadline@coalition.example";
    deadline.stamp = 1767225600;
    deadline.start = *Moment::date_time("2026-01-15", "23:59", "America/New_York", "start");
    deadline.summary = "Written inputs due";
    deadline.description = "Send to the co-facilitators.\nIn English, French or Spanish.";
    deadline.tentative = true;
    calendar.events = {day, deadline};

    const std::string text = serialise(calendar);
    const std::string unfolded = unfold(text);
    EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0U);
    EXPECT_NE(unfolded.find("DTSTART;VALUE=DATE:20251216\r\n"), std::string::npos);
    EXPECT_NE(unfolded.find("DTEND;VALUE=DATE:20251218\r\n"), std::string::npos);  // Exclusive.
    EXPECT_NE(unfolded.find("DTSTART;TZID=America/New_York:20260115T235900\r\n"),
              std::string::npos);
    EXPECT_NE(unfolded.find("BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"), std::string::npos);
    EXPECT_NE(unfolded.find("DTSTAMP:20260101T000000Z\r\n"), std::string::npos);
    EXPECT_NE(unfolded.find("SUMMARY:WSIS+20 high-level meeting\\; UNGA\\, New York\r\n"),
              std::string::npos);
    EXPECT_NE(unfolded.find("DESCRIPTION:Send to the co-facilitators.\\nIn English\\, French"),
              std::string::npos);
    EXPECT_NE(unfolded.find("CATEGORIES:Meeting,WSIS+20\r\n"), std::string::npos);
    EXPECT_NE(unfolded.find("STATUS:TENTATIVE\r\n"), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - 15), "END:VCALENDAR\r\n");
    for (const auto& line : lines_of(text)) {
        EXPECT_LE(line.size(), 75U);
        EXPECT_EQ(line.find('\n'), std::string::npos);
    }
    // Same input, same bytes: UIDs and stamps come from the caller.
    EXPECT_EQ(serialise(calendar), text);
}

TEST(ICalendar, UnknownZoneHasNoTimezoneComponent) {
    EXPECT_EQ(vtimezone("Mars/Olympus_Mons", 0), "");
    const std::string auckland = vtimezone("Pacific/Auckland", 1767225600);
    EXPECT_NE(auckland.find("TZID:Pacific/Auckland"), std::string::npos);
    EXPECT_NE(auckland.find("BEGIN:DAYLIGHT"), std::string::npos);
}

}  // namespace
}  // namespace coalition::processes::icalendar
