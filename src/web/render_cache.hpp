#pragma once
// Parts of pages rendered once and kept in memory, each stamped with the revision of the data it
// was made from: a counter the page reads from the database on every request (cheap: one row),
// so that a change committed by any server or command makes the kept part stale everywhere. The
// least recently used parts are dropped past a byte budget. Only what is the same for every
// viewer with the same key may be kept: the layout around it (the signed-in name, CSRF tokens)
// is rendered per request. Used by the archive's thread pages (web/pages/archive_pages.cpp).

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace coalition::web {

// Values (rendered HTML and whatever the page needs beside it) by key, each with its revision.
// Thread-safe; values are immutable and shared, so a request keeps using the one it found after
// another request drops it. No lock is held while a value is rendered: two requests that miss
// at once both render, and the later keep() wins.
template <typename Value>
class RenderCache {
public:
    // Past `max_bytes` (as counted by the callers of keep()) the least recently used values are
    // dropped.
    explicit RenderCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    // The value kept for `key` at exactly `revision` (the one the request has just read), or
    // nullptr. One kept at an older revision is stale and dropped; one kept at a newer revision
    // (this request read the counter before another request's) is left for the requests that
    // read the newer one.
    std::shared_ptr<const Value> find(const std::string& key, std::int64_t revision) {
        std::lock_guard lock(mutex_);
        const auto found = by_key_.find(key);
        if (found == by_key_.end()) {
            return nullptr;
        }
        const auto entry = found->second;
        if (entry->revision < revision) {
            erase(found);
            return nullptr;
        }
        if (entry->revision > revision) {
            return nullptr;
        }
        entries_.splice(entries_.begin(), entries_, entry);  // Now the most recently used.
        return entry->value;
    }

    // Keeps `value` (about `bytes` of memory) for `key` as made from data at `revision`, unless
    // a value made at a newer revision is kept already or `value` alone exceeds the budget.
    void keep(const std::string& key, std::int64_t revision, std::shared_ptr<const Value> value,
              std::size_t bytes) {
        bytes += key.size();
        std::lock_guard lock(mutex_);
        if (const auto found = by_key_.find(key); found != by_key_.end()) {
            if (found->second->revision > revision) {
                return;
            }
            erase(found);
        }
        if (bytes > max_bytes_) {
            return;
        }
        while (bytes_ + bytes > max_bytes_ && !entries_.empty()) {
            erase(by_key_.find(entries_.back().key));
        }
        entries_.push_front(Entry{key, revision, std::move(value), bytes});
        by_key_.emplace(key, entries_.begin());
        bytes_ += bytes;
    }

    std::size_t bytes() const {
        std::lock_guard lock(mutex_);
        return bytes_;
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return entries_.size();
    }

private:
    struct Entry {
        std::string key;
        std::int64_t revision = 0;
        std::shared_ptr<const Value> value;
        std::size_t bytes = 0;
    };
    using Entries = std::list<Entry>;
    using Index = std::unordered_map<std::string, typename Entries::iterator>;

    void erase(typename Index::iterator found) {  // Requires mutex_.
        bytes_ -= found->second->bytes;
        entries_.erase(found->second);
        by_key_.erase(found);
    }

    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    Entries entries_;        // Most recently used first. Guarded by mutex_.
    Index by_key_;           // Into entries_. Guarded by mutex_.
    std::size_t bytes_ = 0;  // Guarded by mutex_.
};

}  // namespace coalition::web
