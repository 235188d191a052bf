#pragma once
// Validated<T>: a value built from form input, or every field error found in that input (so a
// form can show all its problems at once, each tied to its field by core::Error::field).

#include "core/result.hpp"

#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace coalition::accounts {

using FieldErrors = std::vector<core::Error>;

template <typename T>
class [[nodiscard]] Validated {
public:
    Validated(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    // NOLINTNEXTLINE(google-explicit-constructor)
    Validated(FieldErrors errors) : state_(std::move(errors)) {
        COALITION_ASSERT(!std::get<1>(state_).empty(), "Validated without a value needs an error");
    }

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }
    const T& value() const& {
        COALITION_ASSERT(has_value(), "Validated::value() on errors");
        return std::get<0>(state_);
    }
    T&& value() && {
        COALITION_ASSERT(has_value(), "Validated::value() on errors");
        return std::get<0>(std::move(state_));
    }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    // Every error, in the order of the form's fields.
    const FieldErrors& errors() const {
        COALITION_ASSERT(!has_value(), "Validated::errors() on a value");
        return std::get<1>(state_);
    }
    // The first error about `field`, or nullptr.
    const core::Error* error_for(std::string_view field) const {
        if (has_value()) {
            return nullptr;
        }
        for (const auto& error : errors()) {
            if (error.field == field) {
                return &error;
            }
        }
        return nullptr;
    }

private:
    std::variant<T, FieldErrors> state_;
};

}  // namespace coalition::accounts
