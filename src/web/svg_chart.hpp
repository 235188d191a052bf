#pragma once
// Server-side SVG charts for pages that must work without JavaScript: a horizontal bar chart, a
// cumulative line chart over days and a small count badge. Pure functions of their input (no
// I/O, no locale): callers pass already translated texts. Every chart is an accessible image —
// role="img" labelled by its <title> and <desc>, each value written as text beside its mark (no
// meaning carried by colour alone), presentation attributes only (no inline style, so a strict
// Content-Security-Policy allows it) and a viewBox, so it scales with the page at any zoom.
// Labels in any script are XML-escaped; invalid UTF-8 and characters XML 1.0 forbids become
// U+FFFD, so the output is always well-formed XML.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web::svg {

// Which way the page reads: right-to-left charts mirror (bars grow from the right, labels are
// anchored at the right edge).
enum class Direction { LeftToRight, RightToLeft };

// The texts every chart carries. `id` prefixes the element ids inside the chart, so several
// charts can share one HTML page; it must be unique on the page and made of [A-Za-z0-9_-]
// (anything else is replaced by '-').
struct ChartText {
    std::string id;
    std::string title;        // Short: "Signatories by region".
    std::string description;  // One sentence; the chart appends each label and value to it.
};

struct Bar {
    std::string label;  // Any script; shown as text above its bar.
    std::int64_t value = 0;
};

// Horizontal bars, one per entry in the order given, each with its label and its value as text.
// Negative values are drawn as 0. An empty `bars` gives a chart that says `empty_text`.
std::string bar_chart(const ChartText& text, const std::vector<Bar>& bars, Direction direction,
                      std::string_view empty_text);

struct DayCount {
    std::int64_t day = 0;  // Days since 1970-01-01 (UTC).
    std::int64_t count = 0;
};

// The running total of `days` (new counts per day, any order, repeats added up) as a line over
// time from the first day to the last, with the first and last dates (YYYY-MM-DD) and the final
// total written as text. An empty `days` gives a chart that says `empty_text`.
std::string cumulative_line_chart(const ChartText& text, const std::vector<DayCount>& days,
                                  Direction direction, std::string_view empty_text);

// A small badge "label | value" (shields.io shape) for embedding with <img>: a standalone SVG
// document (with the XML declaration and xmlns), no scripts, no links, no external references.
std::string badge(std::string_view label, std::string_view value);

// `text` escaped for XML character data and attribute values (& < > " '), with invalid UTF-8 and
// characters XML 1.0 forbids replaced by U+FFFD.
std::string escape_xml(std::string_view text);

// "YYYY-MM-DD" for a day number (days since 1970-01-01, proleptic Gregorian).
std::string format_day(std::int64_t day);

}  // namespace coalition::web::svg
