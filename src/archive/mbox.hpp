#pragma once
// archive: mbox in and out. Reading accepts mboxo and mboxrd (">From " unquoting) as written by
// Mailman 2's pipermail, HyperKitty's export and Thunderbird; writing is mboxrd, so that
// reading our own export gives back every message byte for byte.
//
// Separators: a line starting "From " at the start of the file or after a blank line ("\n" or
// "\r\n"); any text after "From " is accepted (Thunderbird's "From - Sat Nov 28 …", pipermail's
// "From anna at example.org  Sat Nov 28 …"). Anywhere else a "From " line is message text.
//
// Quoting: every line matching ^>+From  loses one '>' (mboxrd). That is also the right reading of
// mboxo, one rule for both: an mboxo writer turns "From " into ">From " and leaves every other
// line alone, so a file with no ^>>+From  line reads the same under both rules, and a file with
// one is mboxrd by that sign (an mboxo writer never makes it, while mboxrd does for each quoted
// ">From "). What mboxo loses cannot be recovered: a body line that was ">From " becomes "From ".
// (Python 3.11's mailbox module does not unquote at all on reading; we must, for our own
// export to read back byte for byte.)

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
// last line has no line ending gets one, "\r\n" if its first line ends so, else "\n" (mbox
// cannot tell it from a line ending): "X: y\n\nbody" comes back as "X: y\n\nbody\n".
void write(std::ostream& out, std::string_view envelope_sender, std::int64_t date,
           std::string_view bytes);

}  // namespace coalition::archive::mbox
