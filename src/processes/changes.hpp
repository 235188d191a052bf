#pragma once
// Inside processes/ only: how every change is written — one transaction (a Rejection thrown in it
// rolls it back and becomes the service's result) that also records a history row, an audit row
// and raises the revision counter.

#include "accounts/accounts.hpp"
#include "core/result.hpp"
#include "processes/processes.hpp"
#include "store/database.hpp"
#include "store/transaction.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace coalition::processes {

// Transactions as every module writes them (store/transaction.hpp).
using store::Rejection;
using store::run_transaction;

// Writes the history row of one change (and its audit row; `subject` names the audited thing,
// "process:3"), and raises the revision.
void record(store::Connection& connection, std::int64_t now, const accounts::Actor& actor,
            std::string_view action, ProcessId process_id, std::optional<MilestoneId> milestone_id,
            const std::string& summary, const nlohmann::json& changes,
            const std::string& subject = {}, std::optional<DocumentId> document_id = {});

}  // namespace coalition::processes
