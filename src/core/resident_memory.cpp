#include "core/resident_memory.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

#if defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace coalition::core {
namespace {

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// "Rss:   1234 kB" → 1234 * 1024.
std::size_t kilobytes_field(std::string_view rest) {
    const auto digits = rest.find_first_not_of(' ');
    if (digits == std::string_view::npos) {
        return 0;
    }
    std::size_t kilobytes = 0;
    std::from_chars(rest.data() + digits, rest.data() + rest.size(), kilobytes);
    return kilobytes * 1024;
}

// A mapping's first line: "start-end perms offset dev inode [path]".
bool parse_header(std::string_view line, Mapping& mapping) {
    const auto dash = line.find('-');
    const auto space = line.find(' ');
    if (dash == std::string_view::npos || space == std::string_view::npos || dash > space ||
        dash == 0 || !is_hex_digit(line[0])) {
        return false;
    }
    std::from_chars(line.data(), line.data() + dash, mapping.start, 16);
    std::from_chars(line.data() + dash + 1, line.data() + space, mapping.end, 16);
    std::istringstream fields{std::string(line.substr(space + 1))};
    std::string perms;
    std::string offset;
    std::string device;
    std::string inode;
    fields >> perms >> offset >> device >> inode;
    if (perms.size() < 4) {
        return false;
    }
    mapping.writable = perms[1] == 'w';
    mapping.shared = perms[3] == 's';
    mapping.file_backed = !inode.empty() && inode != "0";
    return true;
}

}  // namespace

std::vector<Mapping> parse_smaps(std::string_view smaps) {
    std::vector<Mapping> mappings;
    while (!smaps.empty()) {
        const auto end = smaps.find('\n');
        const std::string_view line = smaps.substr(0, end);
        smaps = end == std::string_view::npos ? std::string_view() : smaps.substr(end + 1);
        Mapping header;
        if (parse_header(line, header)) {
            mappings.push_back(header);
        } else if (!mappings.empty() && line.starts_with("Rss:")) {
            mappings.back().resident_bytes = kilobytes_field(line.substr(4));
        } else if (!mappings.empty() && line.starts_with("Anonymous:")) {
            mappings.back().anonymous_bytes = kilobytes_field(line.substr(10));
        }
    }
    return mappings;
}

bool may_release(const Mapping& mapping) {
    return mapping.file_backed && !mapping.writable && !mapping.shared &&
           mapping.anonymous_bytes == 0 && mapping.resident_bytes > 0 &&
           mapping.end > mapping.start;
}

#if defined(__linux__)

std::size_t release_clean_file_pages() {
    std::ifstream file("/proc/self/smaps");
    if (!file) {
        return 0;
    }
    std::ostringstream text;
    text << file.rdbuf();
    std::size_t released = 0;
    for (const Mapping& mapping : parse_smaps(text.str())) {
        if (!may_release(mapping)) {
            continue;
        }
        // NOLINTNEXTLINE(performance-no-int-to-ptr): the address is the kernel's, from smaps.
        void* start = reinterpret_cast<void*>(mapping.start);
        if (madvise(start, mapping.end - mapping.start, MADV_DONTNEED) == 0) {
            released += mapping.resident_bytes;
        }
    }
    return released;
}

void release_free_heap() {
    malloc_trim(0);
}

#else

std::size_t release_clean_file_pages() {
    return 0;
}

void release_free_heap() {
}

#endif

}  // namespace coalition::core
