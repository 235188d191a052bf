#include "archive/placement.hpp"

#include <algorithm>
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
    bool stored = false;   // In the database, or written by an earlier batch.
    bool refresh = false;  // Took another thread's messages: recompute it from its messages.
    std::optional<ThreadId> merged_into;
    archive_store::ThreadGrowth growth;  // What a stored thread gained in this batch.
};

}  // namespace

class Placer::State {
public:
    std::vector<std::string> not_asked(const std::vector<std::string>& ids) const {
        std::vector<std::string> out;
        for (const auto& id : ids) {
            if (!asked_.contains(id)) {
                out.push_back(id);
            }
        }
        return out;
    }

    void learn(archive_store::Known&& known, const std::vector<std::string>& asked) {
        for (auto& [id, row] : known.threads) {
            if (threads_.contains(id)) {
                continue;  // What this import made of it since is newer.
            }
            ThreadState state;
            state.row = std::move(row);
            state.stored = true;
            state.growth.id = state.row.id;
            index_subject(state.row);
            threads_.emplace(id, std::move(state));
        }
        for (auto& [id, existing] : known.held) {
            held_.try_emplace(id, existing);
        }
        for (auto& [id, threads] : known.namers) {
            auto& namers = namers_[id];
            namers.insert(namers.end(), threads.begin(), threads.end());
        }
        asked_.insert(asked.begin(), asked.end());
    }

    Placement place(std::vector<Incoming>& batch, const IdSource& ids) {
        begin_batch();
        Placement placement;
        placement.duplicate.reserve(batch.size());
        for (Incoming& in : batch) {
            placement.duplicate.push_back(!place(in, ids));
        }
        for (std::size_t message_idx = 0; message_idx < batch.size(); ++message_idx) {
            if (!placement.duplicate[message_idx]) {
                ArchivedMessage& message = batch[message_idx].message;
                message.thread = root(message.thread);
            }
        }
        end_batch(placement);
        return placement;
    }

private:
    // Returns false for a duplicate.
    bool place(Incoming& in, const IdSource& ids) {
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
            thread = create(ids.thread(), message.date);
        }
        for (std::size_t thread_idx = 1; thread_idx < linked.size(); ++thread_idx) {
            merge(linked[thread_idx], *thread);
        }
        message.thread = *thread;
        message.id = ids.message();
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

    // What the previous batch wrote is stored now.
    void begin_batch() {
        for (const std::int64_t id : touched_) {
            ThreadState& state = threads_.at(id);
            state.stored = true;
            state.refresh = false;
            state.growth = archive_store::ThreadGrowth{};
            state.growth.id = state.row.id;
        }
        touched_.clear();
    }

    void end_batch(Placement& placement) {
        std::sort(touched_.begin(), touched_.end());
        touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
        for (const std::int64_t id : touched_) {
            const ThreadState& state = threads_.at(id);
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

    // The threads the message links to, oldest (started_at, then id) first, each once — what
    // archive_store::links() reads, from the known rows and the messages placed before.
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

    ThreadId create(ThreadId id, std::int64_t date) {
        ThreadState state;
        state.row.id = id;
        state.row.started_at = date;
        state.row.last_activity = date;
        state.growth.id = id;
        threads_.emplace(id.value(), std::move(state));
        touched_.push_back(id.value());
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
        touched_.push_back(from.value());
        touched_.push_back(into.value());
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
        touched_.push_back(id.value());
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
    std::unordered_set<std::string> asked_;
    std::unordered_map<std::int64_t, ThreadState> threads_;
    std::unordered_map<std::string, std::set<std::int64_t>> by_base_;  // Live threads.
    std::vector<std::int64_t> touched_;  // Threads the batch being placed made or changed.
};

Placer::Placer() : state_(std::make_unique<State>()) {
}

Placer::~Placer() = default;

std::vector<std::string> Placer::not_asked(const std::vector<std::string>& ids) const {
    return state_->not_asked(ids);
}

void Placer::learn(archive_store::Known known, const std::vector<std::string>& asked) {
    state_->learn(std::move(known), asked);
}

Placement Placer::place(std::vector<Incoming>& batch, const IdSource& ids) {
    return state_->place(batch, ids);
}

}  // namespace coalition::archive::placement
