#pragma once
// archive: where each message of an import's batch goes — a duplicate, or which thread, a stored
// one or a new one, and which threads merge — decided in memory by the rules store() applies one
// message at a time with a statement or more each (archive_store::links and count_into_thread:
// links, late parents, siblings under a missing parent, orphans by subject), from what the list
// holds of the batch's ids (archive_store::Known, one statement). An importer on PostgreSQL then
// writes the batch with a few statements of arrays instead of a round trip a message.

#include "archive/archive.hpp"
#include "archive/archive_store.hpp"

#include <functional>
#include <utility>
#include <vector>

namespace coalition::archive::placement {

// Ids for new rows, taken in order (archive_store::ReservedIds).
struct IdSource {
    std::function<ThreadId()> thread;
    std::function<MessageId()> message;
};

struct Placement {
    std::vector<bool> duplicate;  // By position in the batch: the list holds its Message-ID.
    std::vector<archive_store::ThreadRow> new_threads;  // As they stand after the batch.
    // A stored thread whose messages move to another (which then has its summary refreshed).
    std::vector<std::pair<ThreadId, ThreadId>> merged;
    std::vector<ThreadId> refreshed;  // Summaries to recompute from their messages (merges).
    std::vector<archive_store::ThreadGrowth> grown;  // Stored threads that gained messages.
};

// Places `batch` in order, as store() would one by one: gives each message that is not a
// duplicate its id and its thread (message.id, message.thread, the thread as it stands after the
// whole batch).
Placement place(std::vector<Incoming>& batch, archive_store::Known known, const IdSource& ids);

}  // namespace coalition::archive::placement
