#pragma once
// The server's resident memory after start-up (issue #2: idle RSS under 30 MB). Start-up runs
// code that serving never runs again (migrations, the command line, catalogs and templates
// compiled once), and the kernel maps 64 kB of a library around each page it faults in, so a
// fresh server holds ~25 MB of clean library and program pages, most of them never used again.
// Linux only; elsewhere these do nothing.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace coalition::core {

// One mapping of /proc/self/smaps, with what release_clean_file_pages needs to judge it.
struct Mapping {
    std::uintptr_t start = 0;
    std::uintptr_t end = 0;
    bool writable = false;
    bool shared = false;
    bool file_backed = false;
    std::size_t resident_bytes = 0;
    std::size_t anonymous_bytes = 0;  // Pages copied on write: the mapping differs from its file.
};

// The mappings in `smaps` (the text of /proc/PID/smaps).
std::vector<Mapping> parse_smaps(std::string_view smaps);

// Whether dropping the mapping's resident pages is invisible to the program: a private,
// read-only mapping of a file with no page copied on write, whose pages the kernel maps again
// from the page cache, unchanged, on the next touch. (A read-only mapping with copied pages is
// relocated data made read-only after loading; dropping it would undo the relocations.)
bool may_release(const Mapping& mapping);

// Lets go of the resident pages of every mapping may_release accepts and returns about how many
// bytes that was. Call it while no other thread loads a library (a mapping being relocated is
// writable, but its smaps line may have been read before): at the end of start-up.
std::size_t release_clean_file_pages();

// Gives free heap memory back to the system (glibc's malloc_trim); start-up's temporaries.
void release_free_heap();

}  // namespace coalition::core
