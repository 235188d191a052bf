#include "processes/reminder_days.hpp"

#include "i18n/i18n.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

namespace coalition::processes {

core::Result<std::vector<int>> parse_reminder_days(std::string_view text) {
    const core::Error invalid{
        core::ErrorCode::Invalid,
        std::string(i18n::gettext_noop("Give up to five numbers of days from 1 to 60, separated by "
                                       "commas, such as 14, 3, 1.")),
        "reminder_days"};
    std::vector<int> days;
    std::size_t idx = 0;
    while (idx < text.size()) {
        const char c = text[idx];
        if (c == ',' || c == ' ') {
            ++idx;
            continue;
        }
        if (c < '0' || c > '9') {
            return invalid;
        }
        int value = 0;
        const auto [end, error] =
            std::from_chars(text.data() + idx, text.data() + text.size(), value);
        if (error != std::errc{} || value < 1 || value > kMaxReminderDays) {
            return invalid;
        }
        idx = static_cast<std::size_t>(end - text.data());
        days.push_back(value);
        if (days.size() > kMaxReminderOffsets * 4) {
            return invalid;
        }
    }
    std::sort(days.begin(), days.end(), std::greater<>());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    if (days.size() > kMaxReminderOffsets) {
        return invalid;
    }
    return days;
}

std::string format_reminder_days(const std::vector<int>& days) {
    std::string out;
    for (const int day : days) {
        out += (out.empty() ? "" : ",") + std::to_string(day);
    }
    return out;
}

}  // namespace coalition::processes
