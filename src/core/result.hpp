#pragma once
// core::Error and core::Result<T>: expected failures as values.
// Result<T> mirrors std::expected's interface (has_value, value, error, *, ->) so it can become
// a `using` alias once the project moves to C++23 (g++ 12 ships std::expected only there).

#include "core/assert.hpp"

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace coalition::core {

// What went wrong, in terms a user can act on. Adding a code? Add its mapping in
// web/problem.cpp (HTTP status) and, once it exists, lmtp/replies.cpp (LMTP reply).
enum class ErrorCode {
    Invalid,       // Bad input: 422 (field names the offending input).
    NotFound,      // 404.
    Forbidden,     // 403.
    Unauthorised,  // 401: sign in first.
    Conflict,      // 409: already exists / state changed.
    Expired,       // 410: a token or link that is no longer valid.
    RateLimited,   // 429.
    TooLarge,      // 413.
};

struct Error {
    ErrorCode code = ErrorCode::Invalid;
    std::string message;  // A sentence for the user, in English (translated at the edge).
    std::string field;    // Which input it concerns; empty when it is not about one field.

    static Error invalid(std::string message, std::string field = {}) {
        return {ErrorCode::Invalid, std::move(message), std::move(field)};
    }
    static Error not_found(std::string message) {
        return {ErrorCode::NotFound, std::move(message), {}};
    }
    static Error forbidden(std::string message) {
        return {ErrorCode::Forbidden, std::move(message), {}};
    }
    static Error conflict(std::string message, std::string field = {}) {
        return {ErrorCode::Conflict, std::move(message), std::move(field)};
    }
    static Error expired(std::string message) {
        return {ErrorCode::Expired, std::move(message), {}};
    }
};

// Tag to build a failed Result from an Error: `return core::fail(Error::invalid(...))` or just
// `return Error::invalid(...)` (Error converts implicitly).
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        COALITION_ASSERT(has_value(), "Result::value() on an error");
        return std::get<0>(state_);
    }
    const T& value() const& {
        COALITION_ASSERT(has_value(), "Result::value() on an error");
        return std::get<0>(state_);
    }
    T&& value() && {
        COALITION_ASSERT(has_value(), "Result::value() on an error");
        return std::get<0>(std::move(state_));
    }
    const Error& error() const {
        COALITION_ASSERT(!has_value(), "Result::error() on a value");
        return std::get<1>(state_);
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const { return !error_.has_value(); }
    explicit operator bool() const { return has_value(); }
    const Error& error() const {
        COALITION_ASSERT(!has_value(), "Result::error() on a value");
        return *error_;
    }

private:
    std::optional<Error> error_;
};

}  // namespace coalition::core
