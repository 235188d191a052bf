#include "core/resident_memory.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace coalition::core {
namespace {

// From a real /proc/PID/smaps, shortened to the fields read.
constexpr std::string_view kSmaps =
    "55d0c1a00000-55d0c1e00000 r-xp 00100000 fe:01 1048601                    /usr/bin/x\n"
    "Size:               4096 kB\n"
    "Rss:                2048 kB\n"
    "Anonymous:             0 kB\n"
    "VmFlags: rd ex mr mw me sd\n"
    "7f1a2c000000-7f1a2c021000 rw-p 00000000 00:00 0\n"
    "Rss:                  80 kB\n"
    "Anonymous:            80 kB\n"
    "7f1a2d000000-7f1a2d010000 r--p 001c0000 fe:01 1048602                    /usr/lib/libz.so\n"
    "Rss:                  64 kB\n"
    "Anonymous:            12 kB\n"
    "7f1a2e000000-7f1a2e001000 rw-s 00000000 00:19 77                         /db-shm\n"
    "Rss:                   4 kB\n"
    "Anonymous:             0 kB\n"
    "7f1a2f000000-7f1a2f004000 r--p 00000000 fe:01 1048603                    /usr/lib/data\n"
    "Rss:                  16 kB\n"
    "Anonymous:             0 kB\n";

TEST(ResidentMemory, ParsesEachMappingOfSmaps) {
    const auto mappings = parse_smaps(kSmaps);
    ASSERT_EQ(mappings.size(), 5u);
    EXPECT_EQ(mappings[0].start, 0x55d0c1a00000u);
    EXPECT_EQ(mappings[0].end, 0x55d0c1e00000u);
    EXPECT_EQ(mappings[0].resident_bytes, 2048u * 1024);
    EXPECT_TRUE(mappings[0].file_backed);
    EXPECT_FALSE(mappings[1].file_backed);
    EXPECT_TRUE(mappings[1].writable);
    EXPECT_EQ(mappings[2].anonymous_bytes, 12u * 1024);
    EXPECT_TRUE(mappings[3].shared);
}

// Only what the kernel can map again unchanged from the file: program text and read-only data
// with no page copied on write; never the relocated data (libz's r--p with anonymous pages),
// memory of our own, or shared mappings (the database's WAL index).
TEST(ResidentMemory, ReleasesOnlyCleanPrivateReadOnlyFilePages) {
    const auto mappings = parse_smaps(kSmaps);
    EXPECT_TRUE(may_release(mappings[0]));
    EXPECT_FALSE(may_release(mappings[1]));
    EXPECT_FALSE(may_release(mappings[2]));
    EXPECT_FALSE(may_release(mappings[3]));
    EXPECT_TRUE(may_release(mappings[4]));
    EXPECT_TRUE(parse_smaps("").empty());
    EXPECT_TRUE(parse_smaps("garbage\nRss: 4 kB\n").empty());
}

std::size_t resident_kilobytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::stoul(line.substr(6));
        }
    }
    return 0;
}

// On this very process: pages are let go, and the program (whose code just ran again) and the
// data it reads still work and read the same.
TEST(ResidentMemory, ReleasingKeepsTheProgramWorking) {
    static constexpr std::string_view kReadOnly = "read-only data that must survive";
    const std::size_t before = resident_kilobytes();
    const std::size_t released = release_clean_file_pages();
    release_free_heap();
    EXPECT_GT(released, 0u);
    EXPECT_LT(resident_kilobytes(), before);
    EXPECT_EQ(kReadOnly, "read-only data that must survive");
    std::ostringstream text;
    text << 42 << " still formats";
    EXPECT_EQ(text.str(), "42 still formats");
}

}  // namespace
}  // namespace coalition::core
