#pragma once
// Inside processes/ only: how every change is written — one transaction (a Rejection thrown in it
// rolls it back and becomes the service's result) that also records a history row, an audit row
// and raises the revision counter.

#include "accounts/accounts.hpp"
#include "core/result.hpp"
#include "processes/processes.hpp"
#include "store/database.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace coalition::processes {

// Rolls back the transaction and becomes the service's result (as accounts/transaction.hpp does
// inside accounts).
class Rejection : public std::runtime_error {
public:
    explicit Rejection(core::Error error)
        : std::runtime_error(error.message), error_(std::move(error)) {}
    const core::Error& error() const { return error_; }

private:
    core::Error error_;
};

// Runs `body` in one transaction: its value, or the Rejection's error, or `on_constraint` when a
// unique constraint refused a write.
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

// Writes the history row of one change (and its audit row; `subject` names the audited thing,
// "process:3"), and raises the revision.
void record(store::Connection& connection, std::int64_t now, const accounts::Actor& actor,
            std::string_view action, ProcessId process_id, std::optional<MilestoneId> milestone_id,
            const std::string& summary, const nlohmann::json& changes,
            const std::string& subject = {}, std::optional<DocumentId> document_id = {});

}  // namespace coalition::processes
