#include "web/svg_chart.hpp"

#include "core/html.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace coalition::web::svg {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kFont = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', sans-serif";
// The site's palette (static/site.css): text 17:1 and accent 8:1 on white.
constexpr std::string_view kTextColour = "#1b1b1b";
constexpr std::string_view kMutedColour = "#4a4a4a";
constexpr std::string_view kAccentColour = "#0b4f9c";
constexpr std::string_view kAxisColour = "#6b6b6b";

constexpr int kWidth = 640;
constexpr int kMargin = 8;

// Decodes one UTF-8 sequence at `text[index]`; returns its length, or 0 when it is invalid
// (overlong, surrogate, past U+10FFFF, truncated).
std::size_t decode_utf8(std::string_view text, std::size_t index, char32_t& code_point) {
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(index);
    std::size_t length = 0;
    char32_t value = 0;
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07;
    } else {
        return 0;
    }
    if (index + length > text.size()) {
        return 0;
    }
    for (std::size_t offset = 1; offset < length; ++offset) {
        const unsigned char next = byte(index + offset);
        if ((next & 0xC0) != 0x80) {
            return 0;
        }
        value = (value << 6) | (next & 0x3F);
    }
    const bool overlong = (length == 3 && value < 0x800) || (length == 4 && value < 0x10000);
    const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
    if (overlong || surrogate || value > 0x10FFFF) {
        return 0;
    }
    code_point = value;
    return length;
}

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool is_xml_char(char32_t code_point) {
    return code_point == 0x9 || code_point == 0xA || code_point == 0xD ||
           (code_point >= 0x20 && code_point <= 0xD7FF) ||
           (code_point >= 0xE000 && code_point <= 0xFFFD) || code_point >= 0x10000;
}

// East Asian wide and fullwidth ranges, which take about twice the width of a Latin letter.
bool is_wide(char32_t code_point) {
    return (code_point >= 0x1100 && code_point <= 0x115F) ||
           (code_point >= 0x2E80 && code_point <= 0xA4CF) ||
           (code_point >= 0xAC00 && code_point <= 0xD7A3) ||
           (code_point >= 0xF900 && code_point <= 0xFAFF) ||
           (code_point >= 0xFE30 && code_point <= 0xFE4F) ||
           (code_point >= 0xFF00 && code_point <= 0xFF60) ||
           (code_point >= 0xFFE0 && code_point <= 0xFFE6) || code_point >= 0x20000;
}

// The code points of `text` with invalid sequences as U+FFFD (one per bad byte).
std::u32string code_points(std::string_view text) {
    std::u32string out;
    std::size_t index = 0;
    while (index < text.size()) {
        char32_t code_point = 0;
        const std::size_t length = decode_utf8(text, index, code_point);
        out.push_back(length == 0 ? U'\uFFFD' : code_point);
        index += length == 0 ? 1 : length;
    }
    return out;
}

void append_utf8(std::string& out, char32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// The width of `text` in "Latin letter" units, counting wide characters twice.
int text_units(std::string_view text) {
    int units = 0;
    for (const char32_t code_point : code_points(text)) {
        units += is_wide(code_point) ? 2 : 1;
    }
    return units;
}

// `text` cut to at most `max_units` (with "…" at the end when cut).
std::string truncated(std::string_view text, int max_units) {
    if (text_units(text) <= max_units) {
        return std::string(text);
    }
    std::string out;
    int units = 0;
    for (const char32_t code_point : code_points(text)) {
        const int width = is_wide(code_point) ? 2 : 1;
        if (units + width > max_units - 1) {
            break;
        }
        units += width;
        append_utf8(out, code_point);
    }
    return out + "\u2026";
}

std::string safe_id(std::string_view id) {
    std::string out;
    for (const char character : id) {
        const bool allowed =
            (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
            (character >= '0' && character <= '9') || character == '-' || character == '_';
        out += allowed ? character : '-';
    }
    return out.empty() ? std::string("chart") : out;
}

std::string number(std::int64_t value) {
    return std::to_string(value);
}

// A coordinate with one decimal place, locale-independent.
std::string coordinate(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

// The opening <svg> of an inline chart and its <title>/<desc>.
std::string open_chart(const ChartText& text, int height, Direction direction,
                       std::string_view data_summary) {
    const std::string id = safe_id(text.id);
    std::string description = text.description;
    if (!data_summary.empty()) {
        description += description.empty() ? "" : " ";
        description += data_summary;
    }
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\"";
    out += " viewBox=\"0 0 " + number(kWidth) + " " + number(height) + "\"";
    out += " aria-labelledby=\"" + id + "-title " + id + "-desc\"";
    out += " font-family=\"" + std::string(kFont) + "\" font-size=\"14\" fill=\"" +
           std::string(kTextColour) + "\"";
    if (direction == Direction::RightToLeft) {
        out += " direction=\"rtl\"";
    }
    out += ">";
    out += "<title id=\"" + id + "-title\">" + escape_xml(text.title) + "</title>";
    out += "<desc id=\"" + id + "-desc\">" + escape_xml(description) + "</desc>";
    return out;
}

std::string empty_chart(const ChartText& text, Direction direction, std::string_view empty_text) {
    const int height = 48;
    std::string out = open_chart(text, height, direction, empty_text);
    const int x = direction == Direction::RightToLeft ? kWidth - kMargin : kMargin;
    out += "<text x=\"" + number(x) + "\" y=\"28\" fill=\"" + std::string(kMutedColour) + "\">" +
           escape_xml(empty_text) + "</text>";
    return out + "</svg>";
}

// The value axis up to a round number at or above `maximum`: 1, 2 or 5 times a power of ten.
std::int64_t round_up(std::int64_t maximum) {
    std::int64_t scale = 1;
    while (true) {
        for (const std::int64_t step : {1, 2, 5}) {
            if (step * scale >= maximum) {
                return step * scale;
            }
        }
        if (scale > INT64_MAX / 100) {
            return maximum;
        }
        scale *= 10;
    }
}

}  // namespace

std::string escape_xml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t index = 0;
    std::size_t run = 0;  // Start of the run of valid characters not yet written.
    while (index < text.size()) {
        char32_t code_point = 0;
        const std::size_t length = decode_utf8(text, index, code_point);
        if (length != 0 && is_xml_char(code_point)) {
            index += length;
            continue;
        }
        core::append_escaped_html(out, text.substr(run, index - run));
        out += kReplacement;
        index += length == 0 ? 1 : length;
        run = index;
    }
    core::append_escaped_html(out, text.substr(run));
    return out;
}

std::string format_day(std::int64_t day) {
    // Civil date from a day count (H. Hinnant's days_from_civil inverse, public-domain algorithm).
    const std::int64_t shifted = day + 719468;
    const std::int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
    const std::int64_t day_of_era = shifted - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_index = (5 * day_of_year + 2) / 153;
    const std::int64_t day_of_month = day_of_year - (153 * month_index + 2) / 5 + 1;
    const std::int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld", static_cast<long long>(year),
                  static_cast<long long>(month), static_cast<long long>(day_of_month));
    return buffer;
}

std::string bar_chart(const ChartText& text, const std::vector<Bar>& bars, Direction direction,
                      std::string_view empty_text) {
    if (bars.empty()) {
        return empty_chart(text, direction, empty_text);
    }
    constexpr int kRowHeight = 46;
    constexpr int kBarHeight = 18;
    constexpr int kValueRoom = 90;  // Room after the longest bar for its number.
    const int height = static_cast<int>(bars.size()) * kRowHeight + kMargin;
    std::int64_t maximum = 1;
    std::string summary;
    for (const Bar& bar : bars) {
        maximum = std::max(maximum, bar.value);
        summary += (summary.empty() ? "" : "; ") + bar.label + ": " + number(bar.value);
    }
    summary += ".";
    const bool rtl = direction == Direction::RightToLeft;
    const double track = kWidth - 2 * kMargin - kValueRoom;
    std::string out = open_chart(text, height, direction, summary);
    int top = kMargin;
    for (const Bar& bar : bars) {
        const std::int64_t value = std::max<std::int64_t>(bar.value, 0);
        // Every non-zero bar is at least 2 units long, so a small count stays visible.
        double length = track * static_cast<double>(value) / static_cast<double>(maximum);
        if (value > 0) {
            length = std::max(length, 2.0);
        }
        const double start = rtl ? kWidth - kMargin - length : kMargin;
        const int label_x = rtl ? kWidth - kMargin : kMargin;
        const double value_x = rtl ? kWidth - kMargin - length - 6 : kMargin + length + 6;
        out += "<g>";
        out += "<text x=\"" + number(label_x) + "\" y=\"" + number(top + 15) + "\">" +
               escape_xml(truncated(bar.label, 70)) + "</text>";
        out += "<rect x=\"" + coordinate(start) + "\" y=\"" + number(top + 21) + "\" width=\"" +
               coordinate(length) + "\" height=\"" + number(kBarHeight) + "\" fill=\"" +
               std::string(kAccentColour) + "\"/>";
        out += "<text x=\"" + coordinate(value_x) + "\" y=\"" + number(top + 35) +
               "\" font-weight=\"700\">" + number(bar.value) + "</text>";
        out += "</g>";
        top += kRowHeight;
    }
    return out + "</svg>";
}

std::string cumulative_line_chart(const ChartText& text, const std::vector<DayCount>& days,
                                  Direction direction, std::string_view empty_text) {
    std::map<std::int64_t, std::int64_t> by_day;
    for (const DayCount& entry : days) {
        by_day[entry.day] += std::max<std::int64_t>(entry.count, 0);
    }
    if (by_day.empty()) {
        return empty_chart(text, direction, empty_text);
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> points;  // (day, running total)
    std::int64_t total = 0;
    for (const auto& [day, count] : by_day) {
        total += count;
        points.emplace_back(day, total);
    }
    const std::int64_t first_day = points.front().first;
    const std::int64_t last_day = points.back().first;
    const std::string first_date = format_day(first_day);
    const std::string last_date = format_day(last_day);
    const std::string summary = first_date + ": " + number(points.front().second) + "; " +
                                last_date + ": " + number(total) + ".";

    constexpr int kHeight = 280;
    constexpr int kLeft = 64;  // Room for the value labels (on the right when mirrored).
    constexpr int kRight = 24;
    constexpr int kTop = 24;
    constexpr int kBottom = 48;
    const bool rtl = direction == Direction::RightToLeft;
    const double plot_width = kWidth - kLeft - kRight;
    const double plot_height = kHeight - kTop - kBottom;
    const std::int64_t axis_maximum = round_up(std::max<std::int64_t>(total, 1));
    // A page reading right to left runs time from right to left as well.
    const auto x_of = [&](std::int64_t day) {
        const double fraction =
            last_day == first_day
                ? 0.5
                : static_cast<double>(day - first_day) / static_cast<double>(last_day - first_day);
        const double x = kLeft + fraction * plot_width;
        return rtl ? kWidth - x : x;
    };
    const auto y_of = [&](std::int64_t value) {
        return kTop + plot_height -
               plot_height * static_cast<double>(value) / static_cast<double>(axis_maximum);
    };
    const double axis_x = rtl ? kWidth - kLeft : kLeft;
    const double axis_end = rtl ? kRight : kWidth - kRight;

    std::string out = open_chart(text, kHeight, direction, summary);
    // Grid lines at 0, half and the top of the scale, each with its value beside the axis: left
    // of it (ending there), or right of it when mirrored. Numbers are always laid out LTR.
    const double value_x = rtl ? axis_x + 8 : axis_x - 8;
    const std::string value_anchor = rtl ? "start" : "end";
    for (const std::int64_t value : {std::int64_t{0}, axis_maximum / 2, axis_maximum}) {
        const double y = y_of(value);
        out += "<line x1=\"" + coordinate(axis_x) + "\" y1=\"" + coordinate(y) + "\" x2=\"" +
               coordinate(axis_end) + "\" y2=\"" + coordinate(y) + "\" stroke=\"" +
               std::string(kAxisColour) + "\" stroke-width=\"" + (value == 0 ? "2" : "0.5") +
               "\"/>";
        out += "<text x=\"" + coordinate(value_x) + "\" y=\"" + coordinate(y + 5) +
               "\" text-anchor=\"" + value_anchor + "\" direction=\"ltr\">" + number(value) +
               "</text>";
    }
    out += "<line x1=\"" + coordinate(axis_x) + "\" y1=\"" + number(kTop) + "\" x2=\"" +
           coordinate(axis_x) + "\" y2=\"" + coordinate(y_of(0)) + "\" stroke=\"" +
           std::string(kAxisColour) + "\" stroke-width=\"2\"/>";

    // The line, and a marker on each day that had new signatures.
    std::string path;
    for (const auto& [day, running] : points) {
        path +=
            (path.empty() ? "M" : " L") + coordinate(x_of(day)) + " " + coordinate(y_of(running));
    }
    out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + std::string(kAccentColour) +
           "\" stroke-width=\"3\" stroke-linejoin=\"round\"/>";
    if (points.size() <= 400) {
        for (const auto& [day, running] : points) {
            out += "<circle cx=\"" + coordinate(x_of(day)) + "\" cy=\"" +
                   coordinate(y_of(running)) + "\" r=\"3.5\" fill=\"" + std::string(kAccentColour) +
                   "\"/>";
        }
    }

    // The first and last dates under the axis, and the total beside the last point.
    const double date_y = kHeight - kBottom + 24;
    const auto anchor_near = [&](bool at_start) {
        // In a mirrored chart the first date is on the right.
        return (at_start != rtl) ? "start" : "end";
    };
    out += "<text x=\"" + coordinate(x_of(first_day)) + "\" y=\"" + coordinate(date_y) +
           "\" text-anchor=\"" + anchor_near(true) + "\" direction=\"ltr\">" + first_date +
           "</text>";
    if (last_day != first_day) {
        out += "<text x=\"" + coordinate(x_of(last_day)) + "\" y=\"" + coordinate(date_y) +
               "\" text-anchor=\"" + anchor_near(false) + "\" direction=\"ltr\">" + last_date +
               "</text>";
    }
    out += "<text x=\"" + coordinate(x_of(last_day)) + "\" y=\"" +
           coordinate(std::max(y_of(total) - 10, 14.0)) + "\" text-anchor=\"" + anchor_near(false) +
           "\" direction=\"ltr\" font-weight=\"700\">" + number(total) + "</text>";
    return out + "</svg>";
}

std::string badge(std::string_view label, std::string_view value) {
    constexpr double kUnit = 7.0;  // Width of a Latin letter at font-size 11, rounded up.
    constexpr int kPadding = 6;
    const double label_width = text_units(label) * kUnit + 2 * kPadding;
    const double value_width = text_units(value) * kUnit + 2 * kPadding;
    const double width = label_width + value_width;
    const std::string label_text = escape_xml(label);
    const std::string value_text = escape_xml(value);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coordinate(width) +
           "\" height=\"20\" viewBox=\"0 0 " + coordinate(width) +
           " 20\" role=\"img\" aria-labelledby=\"badge-title\">";
    out += "<title id=\"badge-title\">" + label_text + ": " + value_text + "</title>";
    // Dark grey and dark green under white text (contrast 7.5:1 and 6.6:1).
    out += "<rect width=\"" + coordinate(label_width) + "\" height=\"20\" fill=\"#4a4a4a\"/>";
    out += "<rect x=\"" + coordinate(label_width) + "\" width=\"" + coordinate(value_width) +
           "\" height=\"20\" fill=\"#1e6b34\"/>";
    out +=
        "<g fill=\"#ffffff\" font-family=\"Verdana, DejaVu Sans, sans-serif\" "
        "font-size=\"11\" text-anchor=\"middle\">";
    out += "<text x=\"" + coordinate(label_width / 2) + "\" y=\"14\">" + label_text + "</text>";
    out += "<text x=\"" + coordinate(label_width + value_width / 2) +
           "\" y=\"14\" font-weight=\"700\">" + value_text + "</text>";
    out += "</g></svg>\n";
    return out;
}

}  // namespace coalition::web::svg
