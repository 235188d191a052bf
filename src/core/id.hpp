#pragma once
// Id<T>: a typed row id, so an organisation id can never be passed where a user id is expected.

#include <compare>
#include <cstdint>
#include <functional>

namespace coalition::core {

template <typename Tag>
class Id {
public:
    constexpr Id() = default;
    constexpr explicit Id(std::int64_t value) : value_(value) {}
    constexpr std::int64_t value() const { return value_; }
    constexpr bool is_set() const { return value_ != 0; }
    // clang-tidy 14 misreads the defaulted <=> as a literal 0 compared with a pointer.
    constexpr auto operator<=>(const Id&) const = default;  // NOLINT(modernize-use-nullptr)

private:
    std::int64_t value_ = 0;
};

}  // namespace coalition::core

template <typename Tag>
struct std::hash<coalition::core::Id<Tag>> {
    std::size_t operator()(const coalition::core::Id<Tag>& id) const noexcept {
        return std::hash<std::int64_t>{}(id.value());
    }
};
