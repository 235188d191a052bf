#pragma once
// mail::SmtpTransport: delivers through an SMTP relay with libcurl's SMTP client, keeping one
// connection open across messages. libcurl offers SMTPUTF8 by itself when the relay advertises
// it and an address needs it.

#include "core/result.hpp"
#include "mail/smtp_pipeline.hpp"
#include "mail/transport.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::mail {

// Where and how to reach the relay.
struct SmtpRelay {
    std::string url;            // "smtp://host:port" or "smtps://host:port", no credentials.
    bool starttls = false;      // smtp:// only: require STARTTLS (CURLUSESSL_ALL), never plain.
    std::string username;       // AUTH when not empty.
    std::string password;       // Never logged, never in describe().
    std::string helo_domain;    // The EHLO name; empty lets libcurl choose.
    long timeout_seconds = 30;  // To connect, and for each reply and each stall in the upload.

    // Parses the relay setting: "smtp://[user[:password]@]host[:port][/][?starttls]" or
    // "smtps://[user[:password]@]host[:port][/]". Credentials in the URL are percent-decoded
    // into username/password and removed from `url`; "?starttls" sets starttls. The port
    // defaults to 25 (smtp) or 465 (smtps). Fails with Invalid (field "relay") for another
    // scheme, no host, a path, another query, a fragment, or control characters; the message
    // never repeats a password.
    static core::Result<SmtpRelay> parse(std::string_view text);

    // "smtp://relay.example:587 (STARTTLS, AUTH as alice)": for logs; no password.
    std::string describe() const;
};

class SmtpTransport final : public Transport {
public:
    explicit SmtpTransport(SmtpRelay relay);
    ~SmtpTransport() override;
    SmtpTransport(const SmtpTransport&) = delete;
    SmtpTransport& operator=(const SmtpTransport&) = delete;

    // mail::Transport
    // One SMTP transaction on the kept connection (opened when needed). Outcomes: Sent after
    // 250 to the end of DATA; Failed for a 5xx reply (to MAIL, any RCPT or DATA), with that
    // reply; Retry for a 4xx reply, a refused or lost connection, a timeout, a TLS failure,
    // or refused credentials (a relay setting to fix, not a bad message). Thread-safe
    // (deliveries are serialised), but meant for one worker.
    DeliveryOutcome deliver(const Envelope& envelope, const std::string& bytes) override;
    std::string describe() const override;

    // One transaction on the kept connection whose recipients are judged one by one (libcurl's
    // CURLOPT_MAIL_RCPT_ALLOWFAILS): a recipient refused at RCPT gets its own reply, Failed for
    // 5xx and Retry for 4xx, while the others still get the message; a failure at MAIL, DATA or
    // of the connection is every recipient's outcome, as in deliver(). An address with a
    // non-ASCII local part (`envelope.mail_from` or a recipient) needs SMTPUTF8: when the relay
    // does not offer it, such recipients (every one, for such a sender) are Failed with a reply
    // saying so and are never sent. Returns one outcome per recipient, in envelope order.
    std::vector<DeliveryOutcome> deliver_each(const Envelope& envelope, const std::string& bytes);

    // A run of transactions with recipients judged one by one, as deliver_each() judges them,
    // each asked of `next` just before it is sent and reported to `decided` (not necessarily
    // in order). To a plain smtp:// relay (no STARTTLS, no AUTH) that offers PIPELINING, they
    // go pipelined by SmtpPipeline, one round trip a message; otherwise one deliver_each()
    // after the other.
    void deliver_sequence(std::size_t count, const SmtpPipeline::NextTransaction& next,
                          const SmtpPipeline::Decided& decided);

    // TCP connections opened so far (libcurl's CURLINFO_NUM_CONNECTS, summed): stays 1 while
    // the connection is reused.
    long connections_opened() const;

private:
    struct Session;  // libcurl's easy handle; keeps curl.h out of this header.
    struct Performed;
    // One curl_easy_perform (and one immediate retry on a stale kept connection). Needs mutex_.
    Performed perform(const std::string& mail_from, const std::vector<std::string>& recipients,
                      const std::string& bytes, bool allow_fails, bool require_smtputf8);
    std::vector<DeliveryOutcome> deliver_each_locked(const Envelope& envelope,
                                                     const std::string& bytes);
    // The pipelined session when this relay can have one. Needs mutex_.
    SmtpPipeline* pipeline();

    const SmtpRelay relay_;
    mutable std::mutex mutex_;
    std::unique_ptr<Session> session_;        // Guarded by mutex_.
    long connections_opened_ = 0;             // Guarded by mutex_.
    std::unique_ptr<SmtpPipeline> pipeline_;  // Guarded by mutex_.
    bool relay_cannot_pipeline_ = false;      // Its EHLO lacked PIPELINING. Guarded by mutex_.
};

}  // namespace coalition::mail
