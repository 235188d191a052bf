#pragma once
// Tables of an enum's names (stored, URL, JSON and CSV names, such as "open-for-endorsement"),
// read both ways. One table per enum is the single place its names are spelled:
//
//   constexpr std::array<std::pair<AnswerKind, std::string_view>, 3> kAnswerNames = {{...}};
//   std::string_view id(AnswerKind kind) { return core::name_of(kAnswerNames, kind); }
//   std::optional<AnswerKind> parse(std::string_view text) {
//       return core::value_of(kAnswerNames, text);
//   }

#include "core/assert.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace coalition::core {

template <typename Enum>
using NameTableEntry = std::pair<Enum, std::string_view>;

// The name of `value`. Every enumerator has a row: a missing one is a bug, not an input error.
template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<NameTableEntry<Enum>, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    COALITION_ASSERT(false, "an enum value without a name");
    return {};
}

// The value named `text` exactly; nullopt for any other text (outside input).
template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<NameTableEntry<Enum>, N>& table,
                             std::string_view text) {
    for (const auto& [value, name] : table) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace coalition::core
