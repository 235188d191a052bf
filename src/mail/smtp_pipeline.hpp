#pragma once
// mail::SmtpPipeline: an SMTP client session over plain TCP that sends a run of transactions with
// RFC 2920 PIPELINING, one network round trip per message: each write carries the previous
// message's content and final dot together with the next message's MAIL, RCPT and DATA, and one
// read collects their replies (the "content, then commands, DATA last" group of RFC 2920 §3.1,
// as Postfix's own client sends). libcurl sends one command at a time (about five round trips a
// message); for a list's personalised fan-out, one transaction per member, that cost dominated
// (docs/DECISIONS.md). Only what such a fan-out needs to a local relay: no TLS and no AUTH
// (SmtpTransport keeps libcurl for those), SMTPUTF8 and SIZE when offered.

#include "mail/message.hpp"
#include "mail/transport.hpp"

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::mail {

// One message to send: its envelope and its bytes (RFC 5322, CRLF line ends, not dot-stuffed).
struct SmtpTransaction {
    Envelope envelope;
    std::string bytes;
};

// What a relay said in reply to EHLO.
struct SmtpCapabilities {
    bool pipelining = false;
    bool smtputf8 = false;
    bool size = false;
};

class SmtpPipeline {
public:
    // `host` as in a URL (a name, an IPv4 address, or an IPv6 address in brackets).
    SmtpPipeline(std::string host, std::string port, std::string helo_domain, long timeout_seconds);
    ~SmtpPipeline();  // Says QUIT on an open connection.
    SmtpPipeline(const SmtpPipeline&) = delete;
    SmtpPipeline& operator=(const SmtpPipeline&) = delete;

    using NextTransaction = std::function<SmtpTransaction(std::size_t index)>;
    // Called once for every transaction, in index order, with one outcome per recipient.
    using Decided =
        std::function<void(std::size_t index, std::vector<DeliveryOutcome>&& per_recipient)>;

    // Sends transactions 0 … count-1, asking `next` for each just before it is needed (at most
    // two are held at a time). Recipients are judged one by one: a recipient refused at RCPT
    // gets its reply (Failed for 5xx, Retry otherwise); the others get the reply to MAIL, DATA
    // or the final dot. A recipient (every one, for such a sender) needing SMTPUTF8 when the
    // relay lacks it is Failed, never sent. When the connection is lost or the relay answers
    // 421, transactions not yet answered go again on a new connection; a new connection that
    // fails before anything is answered makes every remaining recipient Retry (with
    // relay_unreachable when no connection could be opened at all). A transaction whose final
    // dot was written but not answered may reach its recipient twice (RFC 5321 §6.1).
    void send(std::size_t count, const NextTransaction& next, const Decided& decided);

    // Connects (and greets) when no connection is open. Empty when the relay answered EHLO;
    // otherwise the reason, as a Retry outcome.
    std::optional<DeliveryOutcome> connect();
    // What the relay offered on the current connection (all false before the first connect).
    const SmtpCapabilities& capabilities() const { return capabilities_; }
    // TCP connections opened so far.
    long connections_opened() const { return connections_opened_; }

private:
    struct Connection;
    struct Flight;

    // Transaction `index` from `next`, its recipients needing a missing SMTPUTF8 decided.
    Flight issue(std::size_t index, const NextTransaction& next) const;
    // MAIL (with SMTPUTF8 and SIZE as needed), RCPT for each sendable recipient, DATA.
    void append_commands(std::string& group, const Flight& flight) const;
    // Runs transactions on the open connection, one write and one read of replies a round, until
    // all are decided (true) or the connection is lost (false, its error saying why). `flights`
    // holds the undecided ones, oldest first.
    bool send_on_connection(std::list<Flight>& flights, std::size_t& issued, std::size_t count,
                            const NextTransaction& next, const Decided& decide);
    void close();

    const std::string host_;
    const std::string port_;
    const std::string helo_domain_;
    const long timeout_seconds_;
    std::unique_ptr<Connection> connection_;
    SmtpCapabilities capabilities_;
    long connections_opened_ = 0;
    // A transaction ended early (a refusal before the content): the relay may still hold its
    // sender, so the next one starts with RSET, even in a later send().
    bool needs_rset_ = false;
};

// The reply given to a recipient that needs SMTPUTF8 when the relay does not offer it.
inline constexpr std::string_view kNoSmtputf8Reply =
    "The relay does not offer SMTPUTF8 (RFC 6531), which this address needs; it was not sent.";

// `bytes` dot-stuffed for DATA (RFC 5321 §4.5.2), ending in CRLF, followed by ".\r\n".
void append_data_content(std::string& out, const std::string& bytes);

}  // namespace coalition::mail
