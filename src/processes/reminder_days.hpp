#pragma once
// processes: the reminder offsets a follower (or the site's configuration) chooses, as text.
// Pure parsing, apart from the followers service, so that configuration reading needs no more.

#include "core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::processes {

inline constexpr int kMaxReminderDays = 60;
inline constexpr std::size_t kMaxReminderOffsets = 5;

// "14, 3,1" → {14, 3, 1} (distinct, largest first). Invalid (field "reminder_days") for anything
// but up to kMaxReminderOffsets whole numbers from 1 to kMaxReminderDays separated by commas or
// spaces.
core::Result<std::vector<int>> parse_reminder_days(std::string_view text);
std::string format_reminder_days(const std::vector<int>& days);  // "14,3,1"

}  // namespace coalition::processes
