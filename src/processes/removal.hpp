#pragma once
// Removing processes and milestones (the API's DELETE). Kept apart from processes.hpp's service
// while that file is being extended; both write through process_store and the audit log.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "processes/processes.hpp"
#include "store/database.hpp"

namespace coalition::processes {

// Removes milestone `id` of process `process_id`, with a history row ("milestone.delete") and an
// audit row. NotFound when the process has no such milestone.
core::Result<void> remove_milestone(store::Database& database, const core::Clock& clock,
                                    const accounts::Actor& actor, ProcessId process_id,
                                    MilestoneId id);

// Removes a process that has no milestones left, its history and its followers' follows
// (audited: "process.delete"). NotFound; Conflict while milestones or documents remain.
core::Result<void> remove_process(store::Database& database, const core::Clock& clock,
                                  const accounts::Actor& actor, ProcessId id);

}  // namespace coalition::processes
