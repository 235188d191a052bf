#pragma once
// Runs a lists transaction and turns its expected failures into core::Error values. Private to
// lists/. Inside the body, `throw Rejection(error)` rolls everything back (the audit row
// included) and makes `error` the result; a UNIQUE violation the body did not foresee (two admins
// racing for one list name) rolls back and becomes `on_constraint`.

#include "core/result.hpp"
#include "store/database.hpp"

#include <optional>
#include <stdexcept>
#include <utility>

namespace coalition::lists {

class Rejection : public std::runtime_error {
public:
    explicit Rejection(core::Error error)
        : std::runtime_error(error.message), error_(std::move(error)) {}
    const core::Error& error() const { return error_; }

private:
    core::Error error_;
};

// `body` is `T(store::Connection&)`.
template <typename T, typename Body>
core::Result<T> run_transaction(store::Database& database, const core::Error& on_constraint,
                                Body&& body) {
    std::optional<T> out;
    try {
        database.transact([&](store::Connection& connection) { out.emplace(body(connection)); });
    } catch (const Rejection& rejection) {
        return rejection.error();
    } catch (const store::ConstraintViolation&) {
        return on_constraint;
    }
    return std::move(*out);
}

}  // namespace coalition::lists
