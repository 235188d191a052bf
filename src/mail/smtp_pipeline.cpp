#include "mail/smtp_pipeline.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <string_view>
#include <utility>

namespace coalition::mail {

namespace {

constexpr std::size_t kMaxReplyLine = 4096;  // RFC 5321 §4.5.3.1.5 allows 512; be lenient.
constexpr std::size_t kKeptLineLength = 512;
constexpr std::size_t kMaxReplyLines = 64;

struct Reply {
    int code = 0;
    std::vector<std::string> lines;  // Each cut at kKeptLineLength; at most kMaxReplyLines.
    const std::string& last() const { return lines.back(); }
};

DeliveryOutcome outcome_of(const Reply& reply) {
    if (reply.code >= 200 && reply.code <= 299) {
        return {DeliveryOutcome::Kind::Sent, reply.last()};
    }
    // 503 (bad sequence of commands) is this client's mistake, never the mailbox's: a member
    // must not collect a bounce for it.
    const bool permanent = reply.code >= 500 && reply.code <= 599 && reply.code != 503;
    return {permanent ? DeliveryOutcome::Kind::Failed : DeliveryOutcome::Kind::Retry, reply.last()};
}

DeliveryOutcome retry(std::string reason, bool unreachable = false) {
    DeliveryOutcome outcome{DeliveryOutcome::Kind::Retry, std::move(reason)};
    outcome.relay_unreachable = unreachable;
    return outcome;
}

std::string system_error(std::string_view what, int error) {
    return std::string(what) + ": " + std::strerror(error);
}

std::string upper_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    });
    return text;
}

}  // namespace

void append_data_content(std::string& out, const std::string& bytes) {
    out.reserve(out.size() + bytes.size() + bytes.size() / 64 + 8);
    bool line_start = true;
    for (const char c : bytes) {
        if (line_start && c == '.') {
            out += '.';
        }
        out += c;
        line_start = c == '\n';
    }
    if (!bytes.empty() && !bytes.ends_with("\r\n")) {
        out += "\r\n";
    }
    out += ".\r\n";
}

// A TCP connection with a read buffer; every wait is bounded by the timeout.
struct SmtpPipeline::Connection {
    int fd = -1;
    std::string buffer;
    std::size_t consumed = 0;
    std::chrono::milliseconds timeout;
    std::string error;  // Why the last failed call failed.

    explicit Connection(long timeout_seconds) : timeout(timeout_seconds * 1000) {}
    ~Connection() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool wait_for(short events) {
        pollfd entry{fd, events, 0};
        while (true) {
            const int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
            if (ready > 0) {
                return true;
            }
            if (ready == 0) {
                error = "The relay did not answer in time.";
                return false;
            }
            if (errno != EINTR) {
                error = system_error("poll", errno);
                return false;
            }
        }
    }

    bool write_all(std::string_view data) {
        while (!data.empty()) {
            const ssize_t written = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (written > 0) {
                data.remove_prefix(static_cast<std::size_t>(written));
            } else if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait_for(POLLOUT)) {
                    return false;
                }
            } else if (written < 0 && errno == EINTR) {
                continue;
            } else {
                error = system_error("The connection to the relay was lost", errno);
                return false;
            }
        }
        return true;
    }

    // One line without its CRLF (a bare LF is accepted too), or nullopt.
    std::optional<std::string> read_line() {
        while (true) {
            const std::size_t end = buffer.find('\n', consumed);
            if (end != std::string::npos) {
                std::string line = buffer.substr(consumed, end - consumed);
                consumed = end + 1;
                if (!line.empty() && line.back() == '\r') {
                    line.pop_back();
                }
                return line;
            }
            if (buffer.size() - consumed > kMaxReplyLine) {
                error = "The relay sent a reply line longer than " + std::to_string(kMaxReplyLine) +
                        " bytes.";
                return std::nullopt;
            }
            buffer.erase(0, consumed);
            consumed = 0;
            char chunk[16384];
            const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
            if (got > 0) {
                buffer.append(chunk, static_cast<std::size_t>(got));
            } else if (got == 0) {
                error = "The relay closed the connection.";
                return std::nullopt;
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!wait_for(POLLIN)) {
                    return std::nullopt;
                }
            } else if (errno != EINTR) {
                error = system_error("The connection to the relay was lost", errno);
                return std::nullopt;
            }
        }
    }

    // RFC 5321 §4.2.1: "NNN-text" lines, then a last "NNN text" (or "NNN").
    std::optional<Reply> read_reply() {
        Reply reply;
        while (true) {
            auto line = read_line();
            if (!line) {
                return std::nullopt;
            }
            const bool well_formed = line->size() >= 3 &&
                                     std::all_of(line->begin(), line->begin() + 3,
                                                 [](char c) { return c >= '0' && c <= '9'; }) &&
                                     (line->size() == 3 || (*line)[3] == ' ' || (*line)[3] == '-');
            if (!well_formed || (*line)[0] < '2' || (*line)[0] > '5') {
                error = "The relay sent something that is not an SMTP reply.";
                return std::nullopt;
            }
            const int code = std::stoi(line->substr(0, 3));
            if (reply.code != 0 && code != reply.code) {
                error = "The relay changed its reply code within one reply.";
                return std::nullopt;
            }
            reply.code = code;
            if (reply.lines.size() < kMaxReplyLines) {
                reply.lines.push_back(line->substr(0, kKeptLineLength));
            }
            if (line->size() == 3 || (*line)[3] == ' ') {
                return reply;
            }
        }
    }
};

// A transaction on its way: issued by `next`, not yet decided.
struct SmtpPipeline::Flight {
    enum class State { ToSend, Started, AwaitingContent };
    std::size_t index = 0;
    SmtpTransaction transaction;
    State state = State::ToSend;
    std::vector<std::optional<DeliveryOutcome>> outcomes;  // Per recipient; set = decided.
    std::vector<std::size_t> sendable;                     // Recipients to name in RCPT.
    std::vector<std::size_t> accepted;                     // Of those, the ones taken.
    std::optional<DeliveryOutcome> mail_refused;

    // Back to the start, for a new connection.
    void restart() {
        state = State::ToSend;
        accepted.clear();
        mail_refused.reset();
    }
    // Every recipient not yet decided gets `outcome`.
    void decide_rest(const DeliveryOutcome& outcome) {
        for (auto& slot : outcomes) {
            if (!slot) {
                slot = outcome;
            }
        }
    }
    std::vector<DeliveryOutcome> take_outcomes() {
        std::vector<DeliveryOutcome> result;
        result.reserve(outcomes.size());
        for (auto& slot : outcomes) {
            COALITION_ASSERT(slot.has_value(), "every recipient is decided");
            result.push_back(std::move(*slot));
        }
        return result;
    }
};

SmtpPipeline::SmtpPipeline(std::string host, std::string port, std::string helo_domain,
                           long timeout_seconds)
    : host_(std::move(host)),
      port_(std::move(port)),
      helo_domain_(helo_domain.empty() ? "localhost" : std::move(helo_domain)),
      timeout_seconds_(timeout_seconds) {
}

SmtpPipeline::~SmtpPipeline() {
    if (connection_) {
        // Best effort: a relay that does not answer QUIT in time is left as it is.
        connection_->timeout = std::chrono::milliseconds(1000);
        if (connection_->write_all("QUIT\r\n")) {
            connection_->read_reply();
        }
    }
}

void SmtpPipeline::close() {
    connection_.reset();
}

std::optional<DeliveryOutcome> SmtpPipeline::connect() {
    if (connection_) {
        return std::nullopt;
    }
    capabilities_ = {};
    std::string host = host_;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int resolved = ::getaddrinfo(host.c_str(), port_.c_str(), &hints, &found);
    if (resolved != 0) {
        return retry(
            "The relay's name could not be resolved: " + std::string(::gai_strerror(resolved)),
            true);
    }
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
    auto connection = std::make_unique<Connection>(timeout_seconds_);
    std::string failure = "The relay could not be reached.";
    for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
        const int fd =
            ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                     address->ai_protocol);
        if (fd < 0) {
            failure = system_error("socket", errno);
            continue;
        }
        connection->fd = fd;
        if (::connect(fd, address->ai_addr, address->ai_addrlen) == 0 ||
            (errno == EINPROGRESS && connection->wait_for(POLLOUT))) {
            int error = 0;
            socklen_t length = sizeof error;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error == 0) {
                break;
            }
            failure = system_error("The relay refused the connection", error);
        } else {
            failure = errno == EINPROGRESS ? connection->error
                                           : system_error("The relay could not be reached", errno);
        }
        ::close(fd);
        connection->fd = -1;
    }
    if (connection->fd < 0) {
        return retry(failure, true);
    }
    ++connections_opened_;
    needs_rset_ = false;
    const int on = 1;
    ::setsockopt(connection->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    const auto greeting = connection->read_reply();
    if (!greeting || greeting->code != 220) {
        return retry(greeting ? "The relay did not greet: " + greeting->last() : connection->error);
    }
    if (!connection->write_all("EHLO " + helo_domain_ + "\r\n")) {
        return retry(connection->error);
    }
    const auto ehlo = connection->read_reply();
    if (!ehlo) {
        return retry(connection->error);
    }
    if (ehlo->code != 250) {
        // A relay without ESMTP cannot pipeline: the caller uses another client.
        return std::nullopt;
    }
    for (std::size_t idx = 1; idx < ehlo->lines.size(); ++idx) {
        const std::string keyword =
            upper_ascii(ehlo->lines[idx].substr(4, ehlo->lines[idx].find(' ', 4) - 4));
        capabilities_.pipelining = capabilities_.pipelining || keyword == "PIPELINING";
        capabilities_.smtputf8 = capabilities_.smtputf8 || keyword == "SMTPUTF8";
        capabilities_.size = capabilities_.size || keyword == "SIZE";
    }
    connection_ = std::move(connection);
    return std::nullopt;
}

SmtpPipeline::Flight SmtpPipeline::issue(std::size_t index, const NextTransaction& next) const {
    Flight flight;
    flight.index = index;
    flight.transaction = next(index);
    const Envelope& envelope = flight.transaction.envelope;
    flight.outcomes.resize(envelope.recipients.size());
    const bool sender_needs = !core::is_ascii(envelope.mail_from);
    for (std::size_t position = 0; position < envelope.recipients.size(); ++position) {
        if (!capabilities_.smtputf8 &&
            (sender_needs || !core::is_ascii(envelope.recipients[position]))) {
            flight.outcomes[position] =
                DeliveryOutcome{DeliveryOutcome::Kind::Failed, std::string(kNoSmtputf8Reply)};
        } else {
            flight.sendable.push_back(position);
        }
    }
    return flight;
}

void SmtpPipeline::append_commands(std::string& group, const Flight& flight) const {
    const Envelope& envelope = flight.transaction.envelope;
    bool needs_smtputf8 = !core::is_ascii(envelope.mail_from);
    for (const std::size_t position : flight.sendable) {
        needs_smtputf8 = needs_smtputf8 || !core::is_ascii(envelope.recipients[position]);
    }
    group += "MAIL FROM:<" + envelope.mail_from + ">";
    if (needs_smtputf8) {
        group += " SMTPUTF8";
    }
    if (capabilities_.size) {
        group += " SIZE=" + std::to_string(flight.transaction.bytes.size());
    }
    group += "\r\n";
    for (const std::size_t position : flight.sendable) {
        group += "RCPT TO:<" + envelope.recipients[position] + ">\r\n";
    }
    group += "DATA\r\n";
}

bool SmtpPipeline::send_on_connection(std::list<Flight>& flights, std::size_t& issued,
                                      std::size_t count, const NextTransaction& next,
                                      const Decided& decide) {
    Connection& link = *connection_;
    enum class Expect { Dot, Discarded, Rset, Mail, Rcpt, Data };
    struct Expected {
        Expect kind;
        Flight* flight = nullptr;
        std::size_t position = 0;
    };
    bool discard_pending = false;  // A 354 came without a transaction to send: end it empty.
    const auto finish = [&](Flight& flight) {
        decide(flight.index, flight.take_outcomes());
        flights.remove_if([&](const Flight& other) { return &other == &flight; });
    };
    std::string group;
    std::vector<Expected> expected;
    while (true) {
        group.clear();
        expected.clear();
        if (discard_pending) {
            group += ".\r\n";
            expected.push_back({Expect::Discarded});
            discard_pending = false;
        }
        if (!flights.empty() && flights.front().state == Flight::State::AwaitingContent) {
            append_data_content(group, flights.front().transaction.bytes);
            expected.push_back({Expect::Dot, &flights.front()});
        }
        Flight* starting = nullptr;
        for (auto& flight : flights) {
            if (flight.state == Flight::State::ToSend) {
                starting = &flight;
                break;
            }
        }
        while (starting == nullptr && issued < count) {
            Flight flight = issue(issued++, next);
            if (flight.sendable.empty()) {
                decide(flight.index, flight.take_outcomes());
                continue;
            }
            flights.push_back(std::move(flight));
            starting = &flights.back();
        }
        if (starting != nullptr) {
            if (needs_rset_) {
                group += "RSET\r\n";
                expected.push_back({Expect::Rset});
                needs_rset_ = false;
            }
            append_commands(group, *starting);
            starting->state = Flight::State::Started;
            expected.push_back({Expect::Mail, starting});
            for (const std::size_t position : starting->sendable) {
                expected.push_back({Expect::Rcpt, starting, position});
            }
            expected.push_back({Expect::Data, starting});
        }
        if (group.empty()) {
            return true;
        }
        if (!link.write_all(group)) {
            return false;
        }
        for (const Expected& expect : expected) {
            const auto reply = link.read_reply();
            if (!reply) {
                return false;
            }
            if (reply->code == 421) {
                // RFC 5321 §3.8: the relay is closing; what it has not answered goes again.
                link.error = reply->last();
                return false;
            }
            Flight* flight = expect.flight;
            switch (expect.kind) {
                case Expect::Discarded:
                case Expect::Rset:
                    break;
                case Expect::Dot:
                    flight->decide_rest(outcome_of(*reply));
                    finish(*flight);
                    break;
                case Expect::Mail:
                    if (reply->code / 100 != 2) {
                        flight->mail_refused = outcome_of(*reply);
                        needs_rset_ = true;
                    }
                    break;
                case Expect::Rcpt:
                    if (flight->mail_refused) {
                        break;
                    }
                    if (reply->code / 100 == 2) {
                        flight->accepted.push_back(expect.position);
                    } else {
                        flight->outcomes[expect.position] = outcome_of(*reply);
                    }
                    break;
                case Expect::Data:
                    if (reply->code == 354 && !flight->mail_refused && !flight->accepted.empty()) {
                        flight->state = Flight::State::AwaitingContent;
                        break;
                    }
                    if (reply->code == 354) {
                        discard_pending = true;
                    } else {
                        needs_rset_ = true;
                    }
                    flight->decide_rest(flight->mail_refused.value_or(outcome_of(*reply)));
                    finish(*flight);
                    break;
            }
        }
    }
}

void SmtpPipeline::send(std::size_t count, const NextTransaction& next, const Decided& decided) {
    std::list<Flight> flights;  // Issued, not yet decided: sent again after a lost connection.
    std::size_t issued = 0;
    std::size_t decided_count = 0;
    const Decided counting = [&](std::size_t index, std::vector<DeliveryOutcome>&& outcomes) {
        ++decided_count;
        decided(index, std::move(outcomes));
    };
    const auto give_up = [&](const DeliveryOutcome& failure) {
        for (auto& flight : flights) {
            flight.decide_rest(failure);
            counting(flight.index, flight.take_outcomes());
        }
        flights.clear();
        for (; issued < count; ++issued) {
            const std::size_t recipients = next(issued).envelope.recipients.size();
            counting(issued, std::vector<DeliveryOutcome>(recipients, failure));
        }
    };
    bool fresh = false;
    while (issued < count || !flights.empty()) {
        if (!connection_) {
            if (auto failure = connect()) {
                give_up(*failure);
                return;
            }
            if (!connection_) {
                give_up(retry("The relay does not speak ESMTP."));
                return;
            }
            fresh = true;
        }
        const std::size_t decided_before = decided_count;
        if (send_on_connection(flights, issued, count, next, counting)) {
            continue;
        }
        // Lost: go again on a new connection, unless a new one was lost with nothing answered.
        const std::string reason = connection_->error;
        close();
        for (auto& flight : flights) {
            flight.restart();
        }
        if (fresh && decided_count == decided_before) {
            give_up(retry(reason));
            return;
        }
    }
}

}  // namespace coalition::mail
