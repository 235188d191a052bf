#include "processes/processes.hpp"

#include "core/clock.hpp"
#include "processes/changes.hpp"
#include "processes/process_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

namespace coalition::processes {
namespace {

std::string describe(const Moment& moment) {
    return moment.is_date() ? moment.date()
                            : moment.date() + " " + moment.time() + " " + moment.zone();
}

std::string describe(const std::optional<Moment>& moment) {
    return moment ? describe(*moment) : std::string();
}

std::string describe(const std::vector<Link>& links) {
    return format_links(links);
}

// {"field": [old, new]} for every field that differs; long texts give only "changed".
nlohmann::json process_changes(const ProcessFields& before, const accounts::Slug& before_slug,
                               const ProcessFields& after, const accounts::Slug& after_slug) {
    nlohmann::json changes = nlohmann::json::object();
    auto compare = [&](const char* field, const std::string& old_value,
                       const std::string& new_value) {
        if (old_value != new_value) {
            changes[field] = {old_value, new_value};
        }
    };
    compare("name", before.name, after.name);
    compare("short_name", before.short_name, after.short_name);
    compare("slug", before_slug.value(), after_slug.value());
    compare("kind", std::string(id(before.kind)), std::string(id(after.kind)));
    compare("convenor", before.convenor, after.convenor);
    if (before.description != after.description) {
        changes["description"] = "changed";
    }
    compare("links", describe(before.links), describe(after.links));
    compare("status", std::string(id(before.status)), std::string(id(after.status)));
    return changes;
}

nlohmann::json milestone_changes(const MilestoneFields& before, const MilestoneFields& after) {
    nlohmann::json changes = nlohmann::json::object();
    auto compare = [&](const char* field, const std::string& old_value,
                       const std::string& new_value) {
        if (old_value != new_value) {
            changes[field] = {old_value, new_value};
        }
    };
    compare("kind", std::string(id(before.kind)), std::string(id(after.kind)));
    compare("title", before.title, after.title);
    compare("start", describe(before.start), describe(after.start));
    compare("end", describe(before.end), describe(after.end));
    compare("precision", std::string(id(before.precision)), std::string(id(after.precision)));
    compare("tentative", before.tentative ? "yes" : "no", after.tentative ? "yes" : "no");
    compare("location_kind", std::string(id(before.location_kind)),
            std::string(id(after.location_kind)));
    compare("location", before.location, after.location);
    compare("links", describe(before.links), describe(after.links));
    if (before.notes != after.notes) {
        changes["notes"] = "changed";
    }
    return changes;
}

// A slug not yet taken: the typed one (Conflict when taken) or one derived from the short name,
// else the name, with "-2", "-3", … appended when needed.
accounts::Slug choose_slug(store::Connection& connection, const ProcessFields& fields) {
    if (fields.slug) {
        if (process_store::is_slug_taken(connection, fields.slug->value())) {
            throw Rejection(
                core::Error::conflict("Another process already has this slug.", "slug"));
        }
        return *fields.slug;
    }
    const auto base =
        accounts::Slug::derive(fields.short_name.empty() ? fields.name : fields.short_name);
    auto slug = base;
    for (int suffix = 2; process_store::is_slug_taken(connection, slug.value()); ++suffix) {
        slug = base.with_suffix(suffix);
    }
    return slug;
}

// `threads` in order, each archive message once, at most kMaxThreadLinks.
std::vector<ThreadLink> distinct_links(const std::vector<ThreadLink>& threads) {
    std::vector<ThreadLink> out;
    for (const auto& thread : threads) {
        const bool seen = std::any_of(out.begin(), out.end(), [&](const ThreadLink& kept) {
            return kept.archive_message_id == thread.archive_message_id;
        });
        if (!seen && out.size() < kMaxThreadLinks) {
            out.push_back(thread);
        }
    }
    return out;
}

core::Error slug_conflict() {
    return core::Error::conflict("Another process already has this slug.", "slug");
}

}  // namespace

void record(store::Connection& connection, std::int64_t now, const accounts::Actor& actor,
            std::string_view action, ProcessId process_id, std::optional<MilestoneId> milestone_id,
            const std::string& summary, const nlohmann::json& changes,
            const std::string& audit_subject, std::optional<DocumentId> document_id) {
    process_store::insert_history(connection, HistoryEntry{.id = 0,
                                                           .process_id = process_id,
                                                           .milestone_id = milestone_id,
                                                           .at = now,
                                                           .actor = actor.label(),
                                                           .action = std::string(action),
                                                           .summary = summary,
                                                           .changes = changes.dump(),
                                                           .document_id = document_id});
    const std::string subject = !audit_subject.empty() ? audit_subject
                                : milestone_id
                                    ? "milestone:" + std::to_string(milestone_id->value())
                                    : "process:" + std::to_string(process_id.value());
    accounts::AuditLog::record(connection, now, actor, action, subject,
                               nlohmann::json{{"changes", changes}}.dump());
    process_store::raise_revision(connection, now);
}

std::int64_t Milestone::ends_at() const {
    if (fields.end) {
        return fields.end->is_date() ? fields.end->utc() + core::kSecondsPerDay : fields.end->utc();
    }
    return fields.start.is_date() ? fields.start.utc() + core::kSecondsPerDay : fields.start.utc();
}

MilestoneDraft Milestone::to_draft() const {
    MilestoneDraft draft;
    draft.kind = std::string(processes::id(fields.kind));
    draft.title = fields.title;
    draft.start_date = fields.start.date();
    draft.start_time = fields.start.time();
    draft.start_zone = fields.start.zone();
    if (fields.end) {
        draft.end_date = fields.end->date();
        draft.end_time = fields.end->time();
        draft.end_zone = fields.end->zone();
    }
    draft.precision = std::string(processes::id(fields.precision));
    draft.tentative = fields.tentative ? "1" : "";
    draft.location_kind = std::string(processes::id(fields.location_kind));
    draft.location = fields.location;
    draft.links = format_links(fields.links);
    draft.notes = fields.notes;
    return draft;
}

const Milestone* Process::next_milestone(std::int64_t now) const {
    for (const auto& milestone : milestones) {
        if (milestone.ends_at() > now) {
            return &milestone;
        }
    }
    return nullptr;
}

ProcessDraft Process::to_draft() const {
    return ProcessDraft{.name = fields.name,
                        .short_name = fields.short_name,
                        .slug = slug.value(),
                        .kind = std::string(processes::id(fields.kind)),
                        .convenor = fields.convenor,
                        .description = fields.description,
                        .links = format_links(fields.links),
                        .status = std::string(processes::id(fields.status))};
}

Outlook outlook(const std::vector<Process>& processes, std::int64_t now, std::int64_t horizon) {
    Outlook out;
    for (const auto& process : processes) {
        for (const auto& milestone : process.milestones) {
            if (milestone.fields.precision != DatePrecision::Day) {
                continue;
            }
            const DatedMilestone dated{.process = &process, .milestone = &milestone};
            const std::int64_t start = milestone.fields.start.utc();
            const std::int64_t end = milestone.ends_at();
            if (milestone.fields.kind == MilestoneKind::Deadline) {
                if (end > now && start <= now + horizon) {
                    out.closing_soon.push_back(dated);
                }
            } else if (start <= now && end > now) {
                out.open_now.push_back(dated);
            } else if (start > now && start <= now + horizon) {
                out.coming_up.push_back(dated);
            }
        }
    }
    const auto by_start = [](const DatedMilestone& a, const DatedMilestone& b) {
        return a.milestone->fields.start.utc() < b.milestone->fields.start.utc();
    };
    const auto by_end = [](const DatedMilestone& a, const DatedMilestone& b) {
        return a.milestone->ends_at() < b.milestone->ends_at();
    };
    std::stable_sort(out.open_now.begin(), out.open_now.end(), by_end);
    std::stable_sort(out.closing_soon.begin(), out.closing_soon.end(), by_end);
    std::stable_sort(out.coming_up.begin(), out.coming_up.end(), by_start);
    return out;
}

std::int64_t next_outlook_change(const std::vector<Process>& processes, std::int64_t now,
                                 std::int64_t horizon) {
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    for (const auto& process : processes) {
        for (const auto& milestone : process.milestones) {
            const std::int64_t start = milestone.fields.start.utc();
            for (const std::int64_t instant : {start, milestone.ends_at(), start - horizon}) {
                if (instant > now && instant < next) {
                    next = instant;
                }
            }
        }
    }
    return next;
}

Processes::Processes(store::Database& database, const core::Clock& clock)
    : database_(database), clock_(clock) {
}

Processes::~Processes() = default;

core::Result<Process> Processes::create(const accounts::Actor& actor, const ProcessFields& fields) {
    const std::int64_t now = clock_.unix_now();
    auto created =
        run_transaction<ProcessId>(database_, slug_conflict(), [&](store::Connection& connection) {
            const auto slug = choose_slug(connection, fields);
            const auto process_id = process_store::insert_process(connection, slug, fields, now);
            record(connection, now, actor, "process.create", process_id, std::nullopt, fields.name,
                   nlohmann::json::object());
            return process_id;
        });
    if (!created) {
        return created.error();
    }
    return *find_by_id(*created);
}

core::Result<Process> Processes::update(const accounts::Actor& actor, ProcessId process_id,
                                        const ProcessFields& fields) {
    const std::int64_t now = clock_.unix_now();
    auto updated =
        run_transaction<ProcessId>(database_, slug_conflict(), [&](store::Connection& connection) {
            const auto current = process_store::find_process(connection, process_id);
            if (!current) {
                throw Rejection(core::Error::not_found("There is no such process."));
            }
            auto slug = current->slug;
            if (fields.slug && fields.slug->value() != current->slug.value()) {
                if (process_store::is_slug_taken(connection, fields.slug->value())) {
                    throw Rejection(slug_conflict());
                }
                slug = *fields.slug;
            }
            const auto changes = process_changes(current->fields, current->slug, fields, slug);
            if (changes.empty()) {
                return process_id;
            }
            process_store::update_process(connection, process_id, slug, fields, now);
            record(connection, now, actor, "process.update", process_id, std::nullopt, fields.name,
                   changes);
            return process_id;
        });
    if (!updated) {
        return updated.error();
    }
    return *find_by_id(*updated);
}

core::Result<Process> Processes::ensure(const accounts::Actor& actor, const ProcessFields& fields) {
    COALITION_ASSERT(fields.slug.has_value(), "Processes::ensure needs a slug");
    if (const auto current = process_store::find_process(database_, fields.slug->value())) {
        return update(actor, current->id, fields);
    }
    return create(actor, fields);
}

core::Result<Milestone> Processes::add_milestone(const accounts::Actor& actor, ProcessId process_id,
                                                 const MilestoneFields& fields) {
    return ensure_milestone(actor, process_id, "", fields);
}

core::Result<Milestone> Processes::update_milestone(const accounts::Actor& actor,
                                                    MilestoneId milestone_id,
                                                    const MilestoneFields& fields) {
    return save_milestone(actor, milestone_id, fields, nullptr);
}

core::Result<Milestone> Processes::update_milestone(const accounts::Actor& actor,
                                                    MilestoneId milestone_id,
                                                    const MilestoneFields& fields,
                                                    const std::vector<ThreadLink>& threads) {
    return save_milestone(actor, milestone_id, fields, &threads);
}

core::Result<Milestone> Processes::add_milestone(const accounts::Actor& actor, ProcessId process_id,
                                                 const MilestoneFields& fields,
                                                 const std::vector<ThreadLink>& threads) {
    const std::int64_t now = clock_.unix_now();
    const auto links = distinct_links(threads);
    auto saved = run_transaction<MilestoneId>(
        database_, core::Error::conflict("The milestone changed meanwhile."),
        [&](store::Connection& connection) {
            if (!process_store::find_process(connection, process_id)) {
                throw Rejection(core::Error::not_found("There is no such process."));
            }
            const auto milestone_id =
                process_store::insert_milestone(connection, process_id, "", fields, now);
            nlohmann::json changes = nlohmann::json::object();
            if (!links.empty()) {
                process_store::replace_thread_links(connection, milestone_id, links);
                changes["threads"] = {"", describe(links)};
            }
            record(connection, now, actor, "milestone.create", process_id, milestone_id,
                   fields.title, changes);
            return milestone_id;
        });
    if (!saved) {
        return saved.error();
    }
    return *find_milestone(*saved);
}

core::Result<Milestone> Processes::save_milestone(const accounts::Actor& actor,
                                                  MilestoneId milestone_id,
                                                  const MilestoneFields& fields,
                                                  const std::vector<ThreadLink>* threads) {
    const std::int64_t now = clock_.unix_now();
    const auto links = threads ? distinct_links(*threads) : std::vector<ThreadLink>{};
    auto updated = run_transaction<MilestoneId>(
        database_, core::Error::conflict("The milestone changed meanwhile."),
        [&](store::Connection& connection) {
            const auto current = process_store::find_milestone(connection, milestone_id);
            if (!current) {
                throw Rejection(core::Error::not_found("There is no such milestone."));
            }
            auto changes = milestone_changes(current->fields, fields);
            const bool threads_changed = threads != nullptr && current->threads != links;
            if (threads_changed) {
                changes["threads"] = {describe(current->threads), describe(links)};
            }
            if (!changes.empty()) {
                process_store::update_milestone(connection, milestone_id, fields, now);
                if (threads_changed) {
                    process_store::replace_thread_links(connection, milestone_id, links);
                }
                record(connection, now, actor, "milestone.update", current->process_id,
                       milestone_id, fields.title, changes);
            }
            return milestone_id;
        });
    if (!updated) {
        return updated.error();
    }
    return *find_milestone(*updated);
}

core::Result<Milestone> Processes::ensure_milestone(const accounts::Actor& actor,
                                                    ProcessId process_id, std::string_view uid,
                                                    const MilestoneFields& fields) {
    const std::int64_t now = clock_.unix_now();
    auto saved = run_transaction<MilestoneId>(
        database_, core::Error::conflict("Another milestone already has this key."),
        [&](store::Connection& connection) {
            if (!process_store::find_process(connection, process_id)) {
                throw Rejection(core::Error::not_found("There is no such process."));
            }
            if (!uid.empty()) {
                if (const auto current =
                        process_store::find_milestone_by_uid(connection, std::string(uid))) {
                    const auto changes = milestone_changes(current->fields, fields);
                    if (!changes.empty()) {
                        process_store::update_milestone(connection, current->id, fields, now);
                        record(connection, now, actor, "milestone.update", current->process_id,
                               current->id, fields.title, changes);
                    }
                    return current->id;
                }
            }
            const auto milestone_id = process_store::insert_milestone(
                connection, process_id, std::string(uid), fields, now);
            record(connection, now, actor, "milestone.create", process_id, milestone_id,
                   fields.title, nlohmann::json::object());
            return milestone_id;
        });
    if (!saved) {
        return saved.error();
    }
    return *find_milestone(*saved);
}

Snapshot::Snapshot(std::optional<std::int64_t> revision, std::int64_t changed_at,
                   std::vector<Process> processes)
    : revision_(revision), changed_at_(changed_at), processes_(std::move(processes)) {
    for (std::size_t process_idx = 0; process_idx < processes_.size(); ++process_idx) {
        const Process& process = processes_[process_idx];
        by_slug_.emplace(process.slug.value(), process_idx);
        by_id_.emplace(process.id.value(), process_idx);
        changed_at_ = std::max(changed_at_, process.updated_at);
        for (const auto& milestone : process.milestones) {
            changed_at_ = std::max(changed_at_, milestone.updated_at);
            for (const auto& thread : milestone.threads) {
                by_message_.emplace(thread.archive_message_id,
                                    DatedMilestone{.process = &process, .milestone = &milestone});
            }
        }
    }
}

std::vector<DatedMilestone> Snapshot::milestones_linking(
    const std::vector<std::int64_t>& archive_message_ids) const {
    std::vector<DatedMilestone> out;
    for (const auto message_id : archive_message_ids) {
        const auto [first, last] = by_message_.equal_range(message_id);
        for (auto found = first; found != last; ++found) {
            const bool seen = std::any_of(out.begin(), out.end(), [&](const DatedMilestone& kept) {
                return kept.milestone == found->second.milestone;
            });
            if (!seen) {
                out.push_back(found->second);
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const DatedMilestone& a, const DatedMilestone& b) {
        const auto a_start = a.milestone->fields.start.utc();
        const auto b_start = b.milestone->fields.start.utc();
        return a_start != b_start ? a_start < b_start
                                  : a.milestone->id.value() < b.milestone->id.value();
    });
    return out;
}

const Process* Snapshot::find(std::string_view slug) const {
    const auto found = by_slug_.find(slug);
    return found == by_slug_.end() ? nullptr : &processes_[found->second];
}

const Process* Snapshot::find(ProcessId process_id) const {
    const auto found = by_id_.find(process_id.value());
    return found == by_id_.end() ? nullptr : &processes_[found->second];
}

std::shared_ptr<const Snapshot> Processes::snapshot() const {
    const auto counter = process_store::revision(database_);
    const std::optional<std::int64_t> revision =
        counter ? std::optional(counter->revision) : std::nullopt;
    // The kept snapshot, if it was read at this revision or a later one: then it holds every
    // change committed before this call began.
    const auto kept = [&]() -> std::shared_ptr<const Snapshot> {
        if (!revision) {
            return nullptr;
        }
        std::lock_guard lock(mutex_);
        if (snapshot_ != nullptr && snapshot_->revision() >= revision) {
            return snapshot_;
        }
        return nullptr;
    };
    if (auto found = kept()) {
        return found;
    }
    std::lock_guard reload(reload_mutex_);
    if (auto found = kept()) {  // Another thread read the rows while this one waited.
        return found;
    }
    // The counter was read before the rows, so they are at least as new as it says: a change
    // committed in between is read again on the next call, never missed.
    auto processes = process_store::all_processes(database_);
    std::map<std::int64_t, std::size_t> index;
    for (std::size_t process_idx = 0; process_idx < processes.size(); ++process_idx) {
        index[processes[process_idx].id.value()] = process_idx;
    }
    std::map<std::int64_t, std::vector<ThreadLink>> threads;
    for (auto& [milestone_id, link] : process_store::all_thread_links(database_)) {
        threads[milestone_id.value()].push_back(std::move(link));
    }
    for (auto& milestone : process_store::all_milestones(database_)) {
        if (auto linked = threads.find(milestone.id.value()); linked != threads.end()) {
            milestone.threads = std::move(linked->second);
        }
        if (auto found = index.find(milestone.process_id.value()); found != index.end()) {
            processes[found->second].milestones.push_back(std::move(milestone));
        }
    }
    auto loaded = std::make_shared<const Snapshot>(revision, counter ? counter->changed_at : 0,
                                                   std::move(processes));
    if (revision) {
        std::lock_guard lock(mutex_);
        // Revisions only grow; never replace a newer snapshot with an older one.
        if (snapshot_ == nullptr || snapshot_->revision() < revision) {
            snapshot_ = loaded;
        }
    }
    return loaded;
}

std::vector<Process> Processes::list() const {
    return snapshot()->processes();
}

std::optional<Process> Processes::find(std::string_view slug) const {
    const auto current = snapshot();
    const Process* found = current->find(slug);
    return found ? std::optional(*found) : std::nullopt;
}

std::optional<Process> Processes::find_by_id(ProcessId process_id) const {
    const auto current = snapshot();
    const Process* found = current->find(process_id);
    return found ? std::optional(*found) : std::nullopt;
}

std::optional<Milestone> Processes::find_milestone(MilestoneId milestone_id) const {
    return process_store::find_milestone(database_, milestone_id);
}

std::vector<HistoryEntry> Processes::history(std::optional<ProcessId> process_id, int limit) const {
    return process_store::history(database_, process_id, limit);
}

}  // namespace coalition::processes
