#pragma once
// Runs a service's transaction and turns its expected failures into core::Error values: the one
// way every domain module writes (accounts, lists, processes, signon, statement, …).
//
// Inside the body, `throw Rejection(error)` rolls the whole transaction back (the audit row
// included) and makes `error` the result. A UNIQUE/FOREIGN KEY violation the body did not foresee
// (two admins racing for one slug or one list name) also rolls back and becomes `on_constraint`.

#include "core/result.hpp"
#include "store/database.hpp"

#include <optional>
#include <stdexcept>
#include <utility>

namespace coalition::store {

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
core::Result<T> run_transaction(Database& database, const core::Error& on_constraint, Body&& body) {
    std::optional<T> out;
    try {
        database.transact([&](Connection& connection) { out.emplace(body(connection)); });
    } catch (const Rejection& rejection) {
        return rejection.error();
    } catch (const ConstraintViolation&) {
        return on_constraint;
    }
    return std::move(*out);
}

// `body` is `void(store::Connection&)`.
template <typename Body>
core::Result<void> run_transaction_void(Database& database, const core::Error& on_constraint,
                                        Body&& body) {
    try {
        database.transact(body);
    } catch (const Rejection& rejection) {
        return rejection.error();
    } catch (const ConstraintViolation&) {
        return on_constraint;
    }
    return {};
}

}  // namespace coalition::store
