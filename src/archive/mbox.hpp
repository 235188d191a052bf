#pragma once
// archive: mbox in and out. Reading accepts mboxo and mboxrd (">From " unquoting) as written by
// Mailman 2's pipermail, HyperKitty's export and Thunderbird; writing is mboxrd, so that
// reading our own export gives back every message byte for byte.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace coalition::archive::mbox {

struct Entry {
    std::size_t offset = 0;  // Byte offset of its "From " line in the file.
    std::string from_line;   // The separator line without its line ending.
    std::string bytes;       // The message, unquoted, line endings as in the file.
    // True for text found before the first "From " line (a file that is not an mbox, or garbage
    // at its head): not a message, `from_line` is "", `offset` 0; the caller reports it.
    bool preamble = false;
};

// Splits an mbox read from `in`, calling `each` per message in order; streams (memory bounded by
// the largest message). Returns the number of messages.
std::size_t split(std::istream& in, const std::function<void(Entry&&)>& each);

// Writes one message as an mboxrd entry ("From sender date" line, ">From " quoting with one more
// '>', a blank line after). split() gives `bytes` back unchanged, except that a message whose
// last line has no line ending gets one (mbox cannot tell it from a line ending).
void write(std::ostream& out, std::string_view envelope_sender, std::int64_t date,
           std::string_view bytes);

}  // namespace coalition::archive::mbox
