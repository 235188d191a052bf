#pragma once
// archive: importing an mbox into a list's archive (`coalition archive import LIST FILE`) and
// exporting (`coalition archive export LIST [--month YYYY-MM] [--thread ID]`, and the web).

#include "archive/message.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::archive {

struct ImportReport {
    std::size_t imported = 0;
    std::size_t duplicates = 0;  // Message-ID already in the list's archive.
    struct Unparseable {
        std::size_t offset = 0;  // Byte offset of the message in the mbox.
        std::string reason;
    };
    std::vector<Unparseable> unparseable;  // Kept as raw bytes all the same.
};

// Imports every message of the mbox `in` into the archive of `list_id`, committing in batches;
// `progress(bytes_read)` is called now and then (the CLI draws a bar on a terminal).
ImportReport import_mbox(store::Database& database, std::int64_t list_id, std::istream& in,
                         const std::function<void(std::size_t)>& progress = {});

struct ExportScope {
    std::optional<std::string> month;  // "YYYY-MM"
    std::optional<ThreadId> thread;
};

// "YYYY-MM" as [its first second, the next month's first second) in UTC; nullopt when malformed.
std::optional<std::pair<std::int64_t, std::int64_t>> month_bounds(std::string_view month);

// Writes the list's messages (by date, then id; within `scope`) as mboxrd, the raw bytes
// unchanged, the envelope sender the author's address. Returns how many were written (0 for a
// malformed month).
std::size_t export_mbox(store::Database& database, std::int64_t list_id, const ExportScope& scope,
                        std::ostream& out);

}  // namespace coalition::archive
