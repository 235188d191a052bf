#include "archive/placement.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

namespace coalition::archive::placement {
namespace {

using archive_store::ThreadRow;

struct ThreadState {
    ThreadRow row;
    bool stored = false;   // Read from the database (else new in this batch).
    bool refresh = false;  // Took another thread's messages: recompute it from its messages.
    std::optional<ThreadId> merged_into;
    archive_store::ThreadGrowth
        growth;  // What a stored thread gained, in count_into_thread's terms.
};

class Placer {
public:
    Placer(archive_store::Known known, const IdSource& ids)
        : held_(std::move(known.held)), namers_(std::move(known.namers)), ids_(ids) {
        for (auto& [id, row] : known.threads) {
            ThreadState state;
            state.row = std::move(row);
            state.stored = true;
            state.growth.id = state.row.id;
            index_subject(state.row);
            threads_.emplace(id, std::move(state));
        }
    }

    // Returns false for a duplicate.
    bool place(Incoming& in) {
        ArchivedMessage& message = in.message;
        if (held_.contains(message.message_id)) {
            return false;
        }
        std::vector<ThreadId> linked = linked_threads(in);
        std::optional<ThreadId> thread;
        if (!linked.empty()) {
            thread = linked.front();
        } else if (in.named.empty()) {
            thread = by_subject(in.base_subject, message.date);
        }
        if (!thread) {
            thread = create(message.date);
        }
        for (std::size_t thread_idx = 1; thread_idx < linked.size(); ++thread_idx) {
            merge(linked[thread_idx], *thread);
        }
        message.thread = *thread;
        message.id = ids_.message();
        count_into(*thread, message, in.base_subject);
        held_.insert_or_assign(message.message_id, archive_store::Existing{message.id, *thread});
        for (const auto& id : in.named) {
            namers_[id].push_back(*thread);
        }
        return true;
    }

    ThreadId root(ThreadId id) const {
        while (const auto& into = threads_.at(id.value()).merged_into) {
            id = *into;
        }
        return id;
    }

    void finish(Placement& placement) const {
        for (const auto& [id, state] : threads_) {
            if (state.merged_into) {
                if (state.stored) {
                    placement.merged.emplace_back(state.row.id, root(state.row.id));
                }
                continue;
            }
            if (!state.stored) {
                placement.new_threads.push_back(state.row);
            }
            if (state.refresh) {
                placement.refreshed.push_back(state.row.id);
            } else if (state.stored && state.growth.added > 0) {
                placement.grown.push_back(state.growth);
            }
        }
    }

private:
    // The threads the message links to, oldest (started_at, then id) first, each once — what
    // archive_store::links() reads, from the known rows and the batch's earlier messages.
    std::vector<ThreadId> linked_threads(const Incoming& in) const {
        std::vector<ThreadId> linked;
        std::vector<std::string_view> follow{in.message.message_id};
        for (const auto& id : in.named) {
            if (const auto found = held_.find(id); found != held_.end()) {
                linked.push_back(root(found->second.thread));
            } else if (std::find(follow.begin(), follow.end(), id) == follow.end()) {
                follow.emplace_back(id);
            }
        }
        for (const auto id : follow) {
            if (const auto found = namers_.find(std::string(id)); found != namers_.end()) {
                for (const ThreadId thread : found->second) {
                    linked.push_back(root(thread));
                }
            }
        }
        const auto oldest = [this](ThreadId left, ThreadId right) {
            const ThreadRow& a = threads_.at(left.value()).row;
            const ThreadRow& b = threads_.at(right.value()).row;
            return std::tie(a.started_at, left) < std::tie(b.started_at, right);
        };
        std::sort(linked.begin(), linked.end(), oldest);
        linked.erase(std::unique(linked.begin(), linked.end()), linked.end());
        return linked;
    }

    // archive_store's subject look-up: the most recently active thread of this base subject
    // active within the window of `date`.
    std::optional<ThreadId> by_subject(const std::string& base, std::int64_t date) const {
        const auto candidates = by_base_.find(base);
        if (base.empty() || candidates == by_base_.end()) {
            return std::nullopt;
        }
        const ThreadRow* best = nullptr;
        for (const std::int64_t id : candidates->second) {
            const ThreadRow& row = threads_.at(id).row;
            if (row.last_activity < date - kSubjectWindow ||
                row.started_at > date + kSubjectWindow) {
                continue;
            }
            if (best == nullptr ||
                std::tie(row.last_activity, row.id) > std::tie(best->last_activity, best->id)) {
                best = &row;
            }
        }
        if (best == nullptr) {
            return std::nullopt;
        }
        return best->id;
    }

    ThreadId create(std::int64_t date) {
        ThreadState state;
        state.row.id = ids_.thread();
        state.row.started_at = date;
        state.row.last_activity = date;
        const ThreadId id = state.row.id;
        index_subject(state.row);
        threads_.emplace(id.value(), std::move(state));
        return id;
    }

    // `from`'s messages join `into`: the summary as refresh_thread() would make it (a thread's
    // first message is its earliest by date, then id).
    void merge(ThreadId from, ThreadId into) {
        ThreadState& source = threads_.at(from.value());
        ThreadState& target = threads_.at(into.value());
        unindex_subject(source.row);
        unindex_subject(target.row);
        ThreadRow& row = target.row;
        row.message_count += source.row.message_count;
        row.last_activity = std::max(row.last_activity, source.row.last_activity);
        if (source.row.first_message &&
            (!row.first_message || std::tie(source.row.started_at, *source.row.first_message) <
                                       std::tie(row.started_at, *row.first_message))) {
            row.started_at = source.row.started_at;
            row.first_message = source.row.first_message;
            row.subject = source.row.subject;
            row.base_subject = source.row.base_subject;
        }
        index_subject(row);
        // Stored messages change threads: the database recomputes the summary from them.
        target.refresh = target.refresh || source.refresh || source.stored || target.stored;
        source.merged_into = into;
    }

    // count_into_thread(), in memory; a stored thread also keeps what it gained.
    void count_into(ThreadId id, const ArchivedMessage& message, const std::string& base) {
        ThreadState& state = threads_.at(id.value());
        ThreadRow& row = state.row;
        unindex_subject(row);
        const bool first = !row.first_message || message.date < row.started_at;
        if (!row.first_message || row.last_activity < message.date) {
            row.last_activity = message.date;
        }
        if (first) {
            row.subject = message.subject;
            row.base_subject = base;
            row.first_message = message.id;
            row.started_at = message.date;
        }
        ++row.message_count;
        index_subject(row);
        if (state.stored) {
            archive_store::ThreadGrowth& growth = state.growth;
            if (growth.added == 0 || growth.latest < message.date) {
                growth.latest = message.date;
            }
            if (growth.added == 0 || message.date < growth.earliest_date) {
                growth.earliest_date = message.date;
                growth.earliest = message.id;
                growth.subject = message.subject;
                growth.base_subject = base;
            }
            ++growth.added;
        }
    }

    void index_subject(const ThreadRow& row) {
        if (!row.base_subject.empty()) {
            by_base_[row.base_subject].insert(row.id.value());
        }
    }
    void unindex_subject(const ThreadRow& row) {
        if (const auto found = by_base_.find(row.base_subject); found != by_base_.end()) {
            found->second.erase(row.id.value());
        }
    }

    std::unordered_map<std::string, archive_store::Existing> held_;
    std::unordered_map<std::string, std::vector<ThreadId>> namers_;
    std::unordered_map<std::int64_t, ThreadState> threads_;
    std::unordered_map<std::string, std::set<std::int64_t>> by_base_;  // Live threads.
    const IdSource& ids_;
};

}  // namespace

Placement place(std::vector<Incoming>& batch, archive_store::Known known, const IdSource& ids) {
    Placer placer(std::move(known), ids);
    Placement placement;
    placement.duplicate.reserve(batch.size());
    for (Incoming& in : batch) {
        placement.duplicate.push_back(!placer.place(in));
    }
    for (std::size_t message_idx = 0; message_idx < batch.size(); ++message_idx) {
        if (!placement.duplicate[message_idx]) {
            ArchivedMessage& message = batch[message_idx].message;
            message.thread = placer.root(message.thread);
        }
    }
    placer.finish(placement);
    return placement;
}

}  // namespace coalition::archive::placement
