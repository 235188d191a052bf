#pragma once
// archive: where each message of an import's batches goes — a duplicate, or which thread, a stored
// one or a new one, and which threads merge — decided in memory by the rules store() applies one
// message at a time with a statement or more each (archive_store::links and count_into_thread:
// links, late parents, siblings under a missing parent, orphans by subject). The placer learns
// what the list holds of each batch's ids (archive_store::Known, one statement) and remembers
// what it placed, so an importer on PostgreSQL places batch k + 1 while batch k is still being
// written, and writes each with a few statements of arrays instead of a round trip a message.

#include "archive/archive.hpp"
#include "archive/archive_store.hpp"

#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace coalition::archive::placement {

// Ids for new rows, taken in order (archive_store::ReservedIds).
struct IdSource {
    std::function<ThreadId()> thread;
    std::function<MessageId()> message;
};

// What one batch writes.
struct Placement {
    std::vector<bool> duplicate;  // By position in the batch: the list holds its Message-ID.
    std::vector<archive_store::ThreadRow> new_threads;  // As they stand after the batch.
    // A stored thread whose messages move to another (which then has its summary refreshed).
    std::vector<std::pair<ThreadId, ThreadId>> merged;
    std::vector<ThreadId> refreshed;  // Summaries to recompute from their messages (merges).
    std::vector<archive_store::ThreadGrowth> grown;  // Stored threads that gained messages.
};

// The batches of one list's import, placed in order. Each batch's Placement is assumed written
// (in order) before the next batch's is; when one is not (its transaction failed), the placer is
// thrown away and a new one learns from the database again.
class Placer {
public:
    Placer();
    ~Placer();
    Placer(const Placer&) = delete;
    Placer& operator=(const Placer&) = delete;

    // Of `ids` (a batch's Message-IDs and those they name), those to ask the store about: the
    // ones no earlier batch asked (what the store held of those then, with what this import
    // placed since, is known here).
    std::vector<std::string> not_asked(const std::vector<std::string>& ids) const;
    // What the store answered for the ids not asked before, and for the batch's subjects: what
    // this import placed since it was written overrides it.
    void learn(archive_store::Known known, const std::vector<std::string>& asked);
    // Places `batch` in order, as store() would one by one: gives each message that is not a
    // duplicate its id and its thread (message.id; message.thread as it stands after the whole
    // batch).
    Placement place(std::vector<Incoming>& batch, const IdSource& ids);

private:
    class State;
    std::unique_ptr<State> state_;
};

}  // namespace coalition::archive::placement
