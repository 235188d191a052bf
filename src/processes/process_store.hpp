#pragma once
// The processes module's SQL (migrations/0013_processes.sql); nobody else touches these tables.
// Writers take the caller's transaction; readers use the database's reader pool.

#include "processes/processes.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::processes::process_store {

// Every change calls this in its transaction: raises the counter and records `now` as the time of
// the newest change (migration 0019). Processes::snapshot() compares the counter.
void raise_revision(store::Connection& connection, std::int64_t now);

struct Revision {
    std::int64_t revision = 0;
    std::int64_t changed_at = 0;
};
// The counter row; nullopt when it is missing (then nothing may be cached).
std::optional<Revision> revision(store::Database& database);

// Every process (milestones not filled), by name.
std::vector<Process> all_processes(store::Database& database);
// Every milestone, by start then id.
std::vector<Milestone> all_milestones(store::Database& database);
std::vector<Milestone> milestones_of(store::Database& database, ProcessId process_id);

std::optional<Process> find_process(store::Database& database, std::string_view slug);
std::optional<Process> find_process(store::Database& database, ProcessId id);
std::optional<Process> find_process(store::Connection& connection, ProcessId id);
std::optional<Process> find_process(store::Connection& connection, std::string_view slug);
bool is_slug_taken(store::Connection& connection, const std::string& slug);

ProcessId insert_process(store::Connection& connection, const accounts::Slug& slug,
                         const ProcessFields& fields, std::int64_t now);
void update_process(store::Connection& connection, ProcessId id, const accounts::Slug& slug,
                    const ProcessFields& fields, std::int64_t now);

std::optional<Milestone> find_milestone(store::Database& database, MilestoneId id);
std::optional<Milestone> find_milestone(store::Connection& connection, MilestoneId id);
std::optional<Milestone> find_milestone_by_uid(store::Connection& connection,
                                               const std::string& uid);
// `uid` empty: the milestone's uid reads "milestone-<id>".
MilestoneId insert_milestone(store::Connection& connection, ProcessId process_id,
                             const std::string& uid, const MilestoneFields& fields,
                             std::int64_t now);
void update_milestone(store::Connection& connection, MilestoneId id, const MilestoneFields& fields,
                      std::int64_t now);

// Thread links (migration 0022), by milestone then position.
std::vector<std::pair<MilestoneId, ThreadLink>> all_thread_links(store::Database& database);
std::vector<ThreadLink> thread_links(store::Connection& connection, MilestoneId id);
std::vector<ThreadLink> thread_links(store::Database& database, MilestoneId id);
// Replaces the links of milestone `id` with `threads`, in order.
void replace_thread_links(store::Connection& connection, MilestoneId id,
                          const std::vector<ThreadLink>& threads);

void insert_history(store::Connection& connection, const HistoryEntry& entry);
std::vector<HistoryEntry> history(store::Database& database, std::optional<ProcessId> process_id,
                                  int limit);

// Links as stored (a JSON array of {"title", "url"}).
std::string links_json(const std::vector<Link>& links);
std::vector<Link> links_from_json(const std::string& json);

}  // namespace coalition::processes::process_store
