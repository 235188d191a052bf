#include "processes/removal.hpp"

#include "accounts/accounts.hpp"
#include "processes/follower_store.hpp"
#include "processes/process_store.hpp"

#include <nlohmann/json.hpp>

namespace coalition::processes {
namespace {

core::Error not_found(const char* message) {
    return core::Error{core::ErrorCode::NotFound, message, ""};
}

}  // namespace

core::Result<void> remove_milestone(store::Database& database, const core::Clock& clock,
                                    const accounts::Actor& actor, ProcessId process_id,
                                    MilestoneId id) {
    const auto now = clock.unix_now();
    bool found = false;
    database.transact([&](store::Connection& connection) {
        const auto milestone = process_store::find_milestone(connection, id);
        if (!milestone || milestone->process_id != process_id) {
            return;
        }
        found = true;
        process_store::replace_thread_links(connection, id, {});
        connection.execute("DELETE FROM process_milestones WHERE id = $1", {id.value()});
        HistoryEntry entry;
        entry.process_id = process_id;
        entry.milestone_id = id;
        entry.at = now;
        entry.actor = actor.label();
        entry.action = "milestone.delete";
        entry.summary = milestone->fields.title;
        entry.changes = "{}";
        process_store::insert_history(connection, entry);
        accounts::AuditLog::record(connection, now, actor, "milestone.delete",
                                   "milestone:" + std::to_string(id.value()),
                                   nlohmann::json{{"title", milestone->fields.title}}.dump());
        process_store::raise_revision(connection, now);
    });
    if (!found) {
        return not_found("There is no such milestone in this process.");
    }
    return {};
}

core::Result<void> remove_process(store::Database& database, const core::Clock& clock,
                                  const accounts::Actor& actor, ProcessId id) {
    const auto now = clock.unix_now();
    enum class Outcome { Removed, NotFound, HasMilestones } outcome = Outcome::Removed;
    const core::Error conflict{core::ErrorCode::Conflict,
                               "Remove the process's milestones and documents first.", ""};
    try {
        database.transact([&](store::Connection& connection) {
            const auto process = process_store::find_process(connection, id);
            if (!process) {
                outcome = Outcome::NotFound;
                return;
            }
            if (connection
                    .query_one("SELECT COUNT(*) FROM process_milestones WHERE process_id = $1",
                               {id.value()})
                    ->integer(0) > 0) {
                outcome = Outcome::HasMilestones;
                return;
            }
            follower_store::remove_follows_of_process(connection, id);
            connection.execute("DELETE FROM process_history WHERE process_id = $1", {id.value()});
            connection.execute("DELETE FROM processes WHERE id = $1", {id.value()});
            accounts::AuditLog::record(connection, now, actor, "process.delete",
                                       "process:" + std::to_string(id.value()),
                                       nlohmann::json{{"slug", process->slug.value()}}.dump());
            process_store::raise_revision(connection, now);
        });
    } catch (const store::ConstraintViolation&) {
        return conflict;  // Documents (or other rows) still refer to it.
    }
    if (outcome == Outcome::NotFound) {
        return not_found("There is no such process.");
    }
    if (outcome == Outcome::HasMilestones) {
        return conflict;
    }
    return {};
}

}  // namespace coalition::processes
