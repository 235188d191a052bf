#pragma once
// lmtp/: the mail edge. An LMTP listener (RFC 2033) that an MTA (Postfix `lmtp:`, Exim) hands list
// mail to. It owns the protocol (session.hpp: a pure state machine, fuzzed) and the socket side
// (Server below, on standalone Asio); what a recipient is and where a message goes belongs to the
// Mailbox it is given. It may use the domain and base modules; a domain never includes lmtp/.
// Start reading at Mailbox, then session.hpp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lmtp {

// One reply line: `250 2.1.5 Recipient OK`. `enhanced` is the RFC 3463 status code (empty only
// for 220 and 354); `text` must not hold CR or LF (Session replaces control characters).
struct Reply {
    int code = 250;
    std::string enhanced;
    std::string text;

    bool is_positive() const { return code >= 200 && code < 300; }
    bool operator==(const Reply&) const = default;
};

// One mail transaction as the client declared it.
struct Envelope {
    std::string mail_from;                     // Empty for the null sender `<>` (bounces).
    std::vector<std::string> recipients;       // Accepted RCPT addresses, in order, as sent.
    std::optional<std::size_t> declared_size;  // MAIL … SIZE=n (RFC 1870), if given.
    bool smtputf8 = false;                     // MAIL … SMTPUTF8 (RFC 6531).
    bool eight_bit = false;                    // MAIL … BODY=8BITMIME (RFC 6152).
};

// What the listener asks of the list manager. lists/ may not include lmtp/ (STYLE.md §2), so the
// implementation is an adapter in lmtp/ (or app/) over lists::Intake that maps its Results to
// replies with reply_for() (replies.hpp). Addresses arrive exactly as the client wrote them
// between the angle brackets (source route removed); they are well-formed UTF-8 without control
// characters, at most 256 octets, and contain '@' (except the bare `postmaster`).
//
// Both calls run on the server's worker threads, never on its I/O thread, possibly several at
// once (one per connection): implementations must be thread-safe. They may block on the database.
// Throwing core::Unavailable answers 451 4.3.0 (the MTA retries later); any other exception is
// logged and answered the same way.
class Mailbox {
public:
    virtual ~Mailbox() = default;

    // Whether mail to `address` is accepted: a 2xx reply accepts the recipient (250 2.1.5),
    // anything else is passed to the client as it is (550 5.1.1 for an unknown address).
    virtual Reply check_recipient(std::string_view address) = 0;

    // Takes `message` for every recipient of `envelope` (all of them passed check_recipient).
    // Returns exactly one reply per recipient, in order. A 2xx reply promises that the message is
    // committed durably for that recipient: it must never be lost afterwards. `message` is the
    // DATA content, dot-unstuffed, every line ending in CRLF (bare LFs from the client are
    // turned into CRLF); it is not parsed or checked here (no Message-ID or header checks) and may
    // hold any bytes, 8-bit and NUL included. Both arguments live only until the call returns.
    virtual std::vector<Reply> deliver(const Envelope& envelope, std::string_view message) = 0;
};

struct ServerSettings {
    std::string host = "127.0.0.1";         // An IP address or host name to bind to.
    std::uint16_t port = 8024;              // 0: the kernel picks one; read it from Server::port().
    std::string server_name = "localhost";  // Named in the greeting and the LHLO reply.
    std::size_t max_connections = 64;       // Beyond it: 421 4.3.2 and close.
    std::size_t max_message_bytes = std::size_t{25} * 1024 * 1024;  // Advertised as SIZE.
    std::size_t max_recipients = 1000;  // Per transaction; beyond it 452 4.5.3.
    std::size_t max_line_bytes = 1000;  // A command line, CRLF included (RFC 5321 §4.5.3.1.4).
    std::size_t max_errors = 10;        // Protocol errors before 421 and close.
    // RFC 5321 §4.5.3.2 suggests 5 minutes for a command and 10 for the whole DATA.
    std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};   // For each read and write.
    std::chrono::milliseconds data_timeout{std::chrono::minutes(10)};  // DATA, 354 to final dot.
    std::size_t worker_threads = 2;  // Run the Mailbox calls; they bound the database work.
};

// The listener: one I/O thread runs every connection (accepting, reading, writing, timeouts);
// Mailbox calls go to a pool of worker_threads, so a slow database never stalls other clients.
// A client silent for idle_timeout, or still in DATA after data_timeout, gets 421 4.4.2 and is
// disconnected; so is one sending more than max_errors bad commands.
class Server {
public:
    // `mailbox` must outlive the server.
    Server(Mailbox& mailbox, ServerSettings settings);
    // Stops the server if it is running.
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds, listens and starts the threads; returns once connections are accepted. Throws
    // core::StartupError naming host and port when binding fails. Call once.
    void start();

    // The port actually bound (the chosen one when settings.port was 0); 0 before start().
    std::uint16_t port() const;

    // Stops accepting, tells idle clients 421 4.3.2 and closes them, lets transactions whose
    // Mailbox call is running finish and their replies be written (up to idle_timeout), then
    // joins the threads. Safe to call more than once and from any thread but the server's own.
    // Installs no signal handlers: the application calls stop() from its own.
    void stop();

    // Connections open now (for tests and metrics). Thread-safe.
    std::size_t connection_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace coalition::lmtp
