#pragma once
// mail::Transport: hands one composed message to the world (an SMTP relay, or files). The
// OutboxWorker turns each DeliveryOutcome into mark_sent / mark_retry / mark_failed.

#include "mail/message.hpp"

#include <string>

namespace coalition::mail {

struct DeliveryOutcome {
    enum class Kind {
        Sent,    // The relay took responsibility (250 after DATA) or the file is written.
        Retry,   // Try again later: a 4xx reply, the relay unreachable, a timeout, an I/O error.
        Failed,  // Never try again: a 5xx reply. `reply` says why.
    };
    Kind kind = Kind::Retry;
    std::string reply;  // The relay's reply or a description of the failure; never a password.
    // Retry because no relay answered at all (refused, unresolvable, no reply before the
    // timeout): every other message would fare the same, so the worker pauses the whole queue.
    bool relay_unreachable = false;
};

// One transport is used by one worker thread at a time (implementations may hold a
// connection). deliver() never throws for a delivery problem: it returns Retry or Failed.
class Transport {
public:
    virtual ~Transport() = default;
    // Delivers `bytes` (RFC 5322, CRLF line ends) to `envelope.recipients`, all or none: a
    // 4xx or 5xx for any one recipient means nobody got the message.
    virtual DeliveryOutcome deliver(const Envelope& envelope, const std::string& bytes) = 0;
    // Where messages go, without credentials ("smtp://relay.example:587", "files in var/mail").
    virtual std::string describe() const = 0;
};

}  // namespace coalition::mail
