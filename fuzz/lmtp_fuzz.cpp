// Fuzzes the LMTP session (lmtp::Session: command parser, state machine, DATA reader) with
// arbitrary client bytes and a fake Mailbox. Invariants: never crashes; every reply line is
// "NNN" (200..599), then ' ' or '-', text without CR or LF, then CRLF; nothing follows a 221 or
// 421; feeding the input in small pieces gives the same replies and deliveries as feeding it at
// once; every delivered message is within the size limit and made of CRLF-terminated lines, and
// its envelope has 1..max recipients whose addresses are clean UTF-8 without control characters.

#include "core/unavailable.hpp"
#include "fuzz_support.hpp"
#include "lmtp/session.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using coalition::fuzz::is_well_formed_utf8;
using namespace coalition::lmtp;  // NOLINT(google-build-using-namespace): a fuzz target only.

struct Delivered {
    Envelope envelope;
    std::string message;
};

class FuzzMailbox : public Mailbox {
public:
    std::vector<Delivered> deliveries;

    Reply check_recipient(std::string_view address) override {
        // Accept about half the addresses, by their first byte.
        if (!address.empty() && (static_cast<unsigned char>(address[0]) & 1) == 0) {
            return {250, "2.1.5", "OK"};
        }
        return {550, "5.1.1", "No such list"};
    }

    std::vector<Reply> deliver(const Envelope& envelope, std::string_view message) override {
        if (message.starts_with("U")) {
            throw coalition::core::Unavailable("fuzz");
        }
        deliveries.push_back({envelope, std::string(message)});
        return std::vector<Reply>(envelope.recipients.size(), Reply{250, "2.1.5", "OK"});
    }
};

SessionLimits limits() {
    SessionLimits result;
    result.server_name = "fuzz.example";
    result.max_message_bytes = 300;
    result.max_recipients = 3;
    result.max_line_bytes = 80;
    result.max_errors = 20;
    return result;
}

bool is_clean_address(std::string_view address) {
    if (address.size() > 256 || !is_well_formed_utf8(address)) {
        return false;
    }
    for (unsigned char c : address) {
        if (c < 0x20 || c == 0x7F) {
            return false;
        }
    }
    return true;
}

void check_output(std::string_view input, std::string_view output) {
    bool closed = false;
    while (!output.empty()) {
        COALITION_FUZZ_CHECK(!closed, "a reply follows 221 or 421", input);
        const std::size_t end = output.find("\r\n");
        COALITION_FUZZ_CHECK(end != std::string_view::npos, "a reply line lacks CRLF", input);
        const std::string_view line = output.substr(0, end);
        output.remove_prefix(end + 2);
        COALITION_FUZZ_CHECK(line.size() >= 4, "a reply line is too short", input);
        COALITION_FUZZ_CHECK(line[0] >= '2' && line[0] <= '5' && line[1] >= '0' && line[1] <= '9' &&
                                 line[2] >= '0' && line[2] <= '9',
                             "a reply code is not 200..599", input);
        COALITION_FUZZ_CHECK(line[3] == ' ' || line[3] == '-', "a reply code lacks ' ' or '-'",
                             input);
        COALITION_FUZZ_CHECK(
            line.find('\r') == std::string_view::npos && line.find('\n') == std::string_view::npos,
            "a reply line holds CR or LF", input);
        if (line[3] == ' ' && (line.starts_with("221") || line.starts_with("421"))) {
            closed = true;
        }
    }
}

void check_delivery(std::string_view input, const Delivered& delivered) {
    const SessionLimits session_limits = limits();
    const auto& recipients = delivered.envelope.recipients;
    COALITION_FUZZ_CHECK(!recipients.empty() && recipients.size() <= session_limits.max_recipients,
                         "a delivery has no or too many recipients", input);
    for (const std::string& recipient : recipients) {
        COALITION_FUZZ_CHECK(!recipient.empty() && is_clean_address(recipient),
                             "a recipient address is not clean", input);
    }
    COALITION_FUZZ_CHECK(is_clean_address(delivered.envelope.mail_from),
                         "the sender address is not clean", input);
    const std::string& message = delivered.message;
    COALITION_FUZZ_CHECK(message.size() <= session_limits.max_message_bytes,
                         "a delivered message exceeds the size limit", input);
    COALITION_FUZZ_CHECK(message.empty() || message.ends_with("\r\n"),
                         "a delivered message does not end in CRLF", input);
    for (std::size_t idx = 0; idx < message.size(); ++idx) {
        if (message[idx] == '\n') {
            COALITION_FUZZ_CHECK(idx > 0 && message[idx - 1] == '\r',
                                 "a delivered message has a bare LF", input);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    FuzzMailbox whole_mailbox;
    Session whole(limits());
    const std::string whole_output = converse(whole, whole_mailbox, input);
    check_output(input, whole_output);
    for (const Delivered& delivered : whole_mailbox.deliveries) {
        check_delivery(input, delivered);
    }

    FuzzMailbox pieces_mailbox;
    Session pieces(limits());
    std::string pieces_output;
    std::size_t offset = 0;
    for (std::size_t piece_idx = 0; offset < input.size(); ++piece_idx) {
        const std::size_t length = std::min(piece_idx % 7 + 1, input.size() - offset);
        pieces_output += converse(pieces, pieces_mailbox, input.substr(offset, length));
        offset += length;
    }
    if (input.empty()) {
        pieces_output = converse(pieces, pieces_mailbox, "");
    }
    COALITION_FUZZ_CHECK(pieces_output == whole_output, "pieces give other replies than a whole",
                         input);
    COALITION_FUZZ_CHECK(pieces_mailbox.deliveries.size() == whole_mailbox.deliveries.size(),
                         "pieces give other deliveries than a whole", input);
    for (std::size_t delivery_idx = 0; delivery_idx < whole_mailbox.deliveries.size();
         ++delivery_idx) {
        const Delivered& left = whole_mailbox.deliveries[delivery_idx];
        const Delivered& right = pieces_mailbox.deliveries[delivery_idx];
        COALITION_FUZZ_CHECK(left.message == right.message &&
                                 left.envelope.recipients == right.envelope.recipients &&
                                 left.envelope.mail_from == right.envelope.mail_from,
                             "pieces give another delivery than a whole", input);
    }
    return 0;
}
