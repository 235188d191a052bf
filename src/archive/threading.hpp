#pragma once
// archive: threading after JWZ (https://www.jwz.org/doc/threading.html), as a pure function over
// the messages' headers. References and In-Reply-To first; containers for missing parents;
// cycles broken; the subject (base_subject) joins only orphan roots whose subjects match. The
// store uses it twice: to decide which thread a new message belongs to (merging threads when a
// late message links them) and to lay out a thread's tree for the page.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::archive::threading {

struct Input {
    std::int64_t key = 0;  // The caller's identifier (archive message id).
    std::string message_id;
    std::string in_reply_to;
    std::vector<std::string> references;  // Oldest first.
    std::string subject;                  // As written (base_subject is applied here).
    std::int64_t date = 0;
};

struct Node {
    std::optional<std::int64_t> key;  // nullopt: a container for a message we do not have.
    std::string message_id;
    std::vector<Node> children;  // Oldest first (by the earliest date under each child).
};

struct Options {
    bool join_by_subject = true;  // JWZ step 5; off to compare with notmuch, which never does.
};

// The forest of threads, each root's tree oldest first; roots ordered by their earliest date.
// Containers without a message that have a single child are kept (the page shows the gap);
// empty containers are pruned.
std::vector<Node> thread(const std::vector<Input>& messages, const Options& options = {});

// The keys of each thread in `forest`, one vector per root (for grouping).
std::vector<std::vector<std::int64_t>> groups(const std::vector<Node>& forest);

}  // namespace coalition::archive::threading
