// Fuzzes archive::mbox::split and mbox::write with arbitrary bytes as an mbox file.
// Invariants: never crashes; entries come in file order with offsets inside the input, at most
// one preamble and only first; every entry written again with write() and split gives back its
// bytes (a missing final line ending added), and writing every entry into one mbox splits back
// into the same entries.

#include "archive/mbox.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace mbox = coalition::archive::mbox;

std::vector<mbox::Entry> split_all(const std::string& text) {
    std::istringstream in(text);
    std::vector<mbox::Entry> entries;
    mbox::split(in, [&](mbox::Entry&& entry) { entries.push_back(std::move(entry)); });
    return entries;
}

// What split() gives back for `bytes` after write(): a final line ending is added if missing.
std::string expected_back(const std::string& bytes) {
    if (bytes.empty() || bytes.back() == '\n') {
        return bytes;
    }
    const auto first_end = bytes.find('\n');
    const bool crlf =
        first_end != std::string::npos && first_end > 0 && bytes[first_end - 1] == '\r';
    return bytes + (crlf ? "\r\n" : "\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto entries = split_all(input);

    std::ostringstream rewritten;
    std::vector<std::string> messages;
    std::size_t last_offset = 0;
    for (std::size_t entry_idx = 0; entry_idx < entries.size(); ++entry_idx) {
        const auto& entry = entries[entry_idx];
        if (entry.preamble) {
            COALITION_FUZZ_CHECK(entry_idx == 0, "a preamble after the first entry", input);
            COALITION_FUZZ_CHECK(entry.offset == 0 && entry.from_line.empty(),
                                 "a preamble with an offset or separator", input);
            continue;
        }
        COALITION_FUZZ_CHECK(entry.offset < size, "an offset past the input", input);
        COALITION_FUZZ_CHECK(messages.empty() || entry.offset > last_offset,
                             "offsets not increasing", input);
        COALITION_FUZZ_CHECK(std::string_view(input).substr(entry.offset).starts_with("From "),
                             "an offset not at a From line", input);
        COALITION_FUZZ_CHECK(entry.bytes.size() <= size, "an entry larger than the input", input);
        last_offset = entry.offset;

        std::ostringstream one;
        mbox::write(one, "sender@example.org", 1'764'363'321, entry.bytes);
        const auto back = split_all(one.str());
        COALITION_FUZZ_CHECK(back.size() == 1 && !back[0].preamble,
                             "write() did not give one entry", input);
        COALITION_FUZZ_CHECK(back[0].bytes == expected_back(entry.bytes), "split(write(x)) != x",
                             input);
        mbox::write(rewritten, "", static_cast<std::int64_t>(entry_idx), entry.bytes);
        messages.push_back(expected_back(entry.bytes));
    }
    const auto again = split_all(rewritten.str());
    COALITION_FUZZ_CHECK(again.size() == messages.size(), "the rewritten mbox splits differently",
                         input);
    for (std::size_t message_idx = 0; message_idx < messages.size(); ++message_idx) {
        COALITION_FUZZ_CHECK(again[message_idx].bytes == messages[message_idx],
                             "the rewritten mbox gives other bytes", input);
    }
    return 0;
}
