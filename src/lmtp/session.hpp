#pragma once
// One LMTP conversation as a pure state machine (RFC 2033, with the RFC 5321 subset it uses, and
// RFC 1870 SIZE, 2920 PIPELINING, 2034 ENHANCEDSTATUSCODES, 6152 8BITMIME, 6531 SMTPUTF8): bytes
// in, reply text out. It owns no socket, thread or clock, so the unit tests and the fuzzer drive
// it directly and the Server only moves bytes and runs the Mailbox calls it asks for.
//
// The driver's loop:
//     session.receive(bytes);
//     for (;;) switch (session.next()) {
//       case Step::NeedInput:      write(session.take_output()); read more; receive(); break;
//       case Step::CheckRecipient: session.finish_recipient_check(
//                                      check_recipient_safely(mailbox,
//                                      session.pending_recipient()));
//       case Step::Deliver:        session.finish_delivery(deliver_safely(mailbox,
//                                      session.envelope(), session.message()));
//       case Step::Close:          write(session.take_output()); close.
//     }
// converse() below is that loop, synchronous, for tests and the fuzzer.
//
// Not thread-safe: one driver at a time.

#include "lmtp/lmtp.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lmtp {

struct SessionLimits {
    std::string server_name = "localhost";
    std::size_t max_message_bytes = std::size_t{25} * 1024 * 1024;
    std::size_t max_recipients = 1000;
    std::size_t max_line_bytes = 1000;  // A command line, CRLF included.
    std::size_t max_errors = 10;
};

enum class Step {
    NeedInput,       // Write take_output(), then receive() more bytes.
    CheckRecipient,  // Ask the Mailbox about pending_recipient(), then finish_recipient_check().
    Deliver,         // Hand envelope() and message() to the Mailbox, then finish_delivery().
    Close,           // Write take_output(), then close the connection.
};

class Session {
public:
    // The greeting ("220 NAME LMTP …") is already in the output.
    explicit Session(SessionLimits limits);

    // Appends bytes from the client. Bytes after QUIT or another closing reply are ignored.
    void receive(std::string_view bytes);

    // Processes buffered input until it needs something. After CheckRecipient or Deliver, call the
    // matching finish_…() before next() again (COALITION_ASSERT). Replies pile up in the output
    // in the order of their commands (RFC 2920).
    Step next();

    // Replies produced since the last call, ready to be written.
    std::string take_output();
    bool has_output() const { return !output_.empty(); }

    // True while the message itself is being read (between 354 and the final dot): the server
    // applies the DATA deadline then.
    bool is_reading_message() const { return state_ == State::Data; }
    // True once QUIT, a fatal error or expire() has closed the conversation.
    bool is_closed() const { return state_ == State::Closed; }

    // After Step::CheckRecipient. A 2xx reply adds the recipient to the envelope.
    const std::string& pending_recipient() const;
    void finish_recipient_check(const Reply& reply);

    // After Step::Deliver: the transaction and the message (see Mailbox::deliver).
    const Envelope& envelope() const { return envelope_; }
    std::string_view message() const { return message_; }
    // One reply per envelope recipient, in order (COALITION_ASSERT). Ends the transaction.
    void finish_delivery(const std::vector<Reply>& replies);

    // The server gives up on the client (timeout, shutdown): the output gets `reply` (421) and
    // the session closes.
    void close_with(const Reply& reply);

    static Reply timeout_reply();
    static Reply shutdown_reply();

private:
    enum class State { Start, Ready, Mail, Data, Closed };
    enum class Pending { None, Recipient, Delivery };

    std::optional<Step> process_line(std::string_view line);
    std::optional<Step> process_data();
    void command_lhlo(std::string_view argument);
    void command_mail(std::string_view argument);
    std::optional<Step> command_rcpt(std::string_view argument);
    void command_data(std::string_view argument);
    void end_of_data();
    void append_content(std::string_view content);
    void reply(const Reply& reply);
    void error(const Reply& reply);
    void reset_transaction();

    const SessionLimits limits_;
    State state_ = State::Start;
    Pending pending_ = Pending::None;
    std::string input_;
    std::size_t input_offset_ = 0;  // Bytes of input_ already processed.
    std::string output_;
    std::size_t errors_ = 0;
    bool skipping_long_line_ = false;  // Dropping the rest of a too-long command line.

    Envelope envelope_;
    std::string pending_recipient_;
    std::string message_;
    std::size_t message_bytes_ = 0;   // Counted even after an oversized message is dropped.
    bool message_too_large_ = false;  // Read on to the dot, then 552 for every recipient.
    bool at_line_start_ = true;       // In DATA: the next byte starts a line.
};

// Runs the Mailbox call for a pending step, turning core::Unavailable and other exceptions into
// 451 4.3.0 (other exceptions are logged to stderr, as a bug to fix).
Reply check_recipient_safely(Mailbox& mailbox, std::string_view address);
std::vector<Reply> deliver_safely(Mailbox& mailbox, const Envelope& envelope,
                                  std::string_view message);

// Feeds `input` to `session`, runs the Mailbox calls it asks for on this thread, and returns the
// replies written until it needs more input or closes.
std::string converse(Session& session, Mailbox& mailbox, std::string_view input);

}  // namespace coalition::lmtp
