#include "archive/mbox.hpp"

#include <ctime>
#include <optional>
#include <utility>

namespace coalition::archive::mbox {
namespace {

constexpr std::string_view kSeparator = "From ";

bool is_blank(std::string_view line) {
    return line == "\n" || line == "\r\n";
}

// The line without its line ending.
std::string_view content(std::string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
    }
    return line;
}

// True for ^>*From : the lines mboxrd quotes (writing adds one '>', reading removes one).
bool is_from_line(std::string_view line, std::size_t& quotes) {
    quotes = 0;
    while (quotes < line.size() && line[quotes] == '>') {
        ++quotes;
    }
    return line.substr(quotes).starts_with(kSeparator);
}

// Reads one line with its ending ("\n"; a "\r\n" keeps its '\r'); the file's last line may have
// none. Returns false at the end of the input.
bool read_line(std::istream& in, std::string& line) {
    line.clear();
    if (!std::getline(in, line)) {
        return !line.empty();
    }
    if (!in.eof()) {
        line += '\n';
    }
    return true;
}

// The message being read, with the blank line that may turn out to be the separator's.
class Collector {
public:
    explicit Collector(const std::function<void(Entry&&)>& each) : each_(each) {}

    bool has_started() const { return started_; }
    std::size_t count() const { return count_; }

    void start(std::size_t offset, std::string_view from_line) {
        finish();
        started_ = true;
        entry_ = Entry{offset, std::string(content(from_line)), {}, false};
    }

    void add(std::string_view line) {
        if (!started_) {
            preamble_ += line;
            return;
        }
        flush_pending();
        if (is_blank(line)) {
            pending_blank_ = std::string(line);
            return;
        }
        std::size_t quotes = 0;
        if (is_from_line(line, quotes) && quotes > 0) {
            line.remove_prefix(1);
        }
        entry_.bytes += line;
    }

    // Ends the current message: the blank line before a separator (or at the end of the file)
    // belongs to the mbox, not to the message.
    void finish() {
        if (!preamble_.empty()) {
            each_(Entry{0, {}, std::move(preamble_), true});
            preamble_.clear();
        }
        if (started_) {
            pending_blank_.clear();
            each_(std::move(entry_));
            entry_ = Entry{};
            ++count_;
            started_ = false;
        }
    }

private:
    void flush_pending() {
        entry_.bytes += pending_blank_;
        pending_blank_.clear();
    }

    const std::function<void(Entry&&)>& each_;
    bool started_ = false;
    Entry entry_;
    std::string pending_blank_;
    std::string preamble_;
    std::size_t count_ = 0;
};

}  // namespace

std::size_t split(std::istream& in, const std::function<void(Entry&&)>& each) {
    Collector collector(each);
    std::string line;
    std::size_t offset = 0;
    bool after_blank = true;  // The first line may be a separator.
    while (read_line(in, line)) {
        if (after_blank && line.starts_with(kSeparator)) {
            collector.start(offset, line);
        } else {
            collector.add(line);
        }
        after_blank = is_blank(line);
        offset += line.size();
    }
    collector.finish();
    return collector.count();
}

void write(std::ostream& out, std::string_view envelope_sender, std::int64_t date,
           std::string_view bytes) {
    // The sender is one word on the separator line; anything else would not read back.
    bool usable = !envelope_sender.empty();
    for (const unsigned char c : envelope_sender) {
        usable = usable && c > 0x20 && c != 0x7f;
    }
    const auto time = static_cast<std::time_t>(date);
    std::tm utc{};
    char asctime[64] = "Thu Jan  1 00:00:00 1970";
    if (gmtime_r(&time, &utc) != nullptr) {
        std::strftime(asctime, sizeof asctime, "%a %b %e %H:%M:%S %Y", &utc);
    }
    out << "From " << (usable ? envelope_sender : std::string_view("MAILER-DAEMON")) << ' '
        << asctime << '\n';

    std::string_view ending = "\n";
    const auto first_end = bytes.find('\n');
    if (first_end != std::string_view::npos && first_end > 0 && bytes[first_end - 1] == '\r') {
        ending = "\r\n";
    }
    std::size_t start = 0;
    while (start < bytes.size()) {
        auto end = bytes.find('\n', start);
        end = end == std::string_view::npos ? bytes.size() : end + 1;
        const std::string_view line = bytes.substr(start, end - start);
        std::size_t quotes = 0;
        if (is_from_line(line, quotes)) {
            out << '>';
        }
        out << line;
        start = end;
    }
    if (!bytes.empty() && bytes.back() != '\n') {
        out << ending;
    }
    out << ending;
}

}  // namespace coalition::archive::mbox
