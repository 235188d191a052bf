#pragma once
// mail: mail mechanics without policy. Composing a message (GMime), the durable outbox, and the
// transports that hand messages to a relay (SMTP through libcurl) or to files (the default).
// Domain modules build an OutgoingMessage and queue it in their own transaction with
// mail::Outbox::enqueue; the OutboxWorker delivers it. Start reading at outbox.hpp.

#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/random.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::mail {

struct Mailbox {
    std::string display_name;  // UTF-8, may be empty.
    core::Email address;
};

struct OutgoingMessage {
    Mailbox from;
    std::vector<Mailbox> to;
    std::string subject;    // UTF-8; encoded per RFC 2047 when composed.
    std::string text_body;  // UTF-8 plain text; the only body part for now.
    // Extra header fields in order (e.g. List-Unsubscribe); values are UTF-8 and encoded as needed.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string language;  // BCP 47 tag for Content-Language, e.g. "ar"; empty = omitted.
};

// The SMTP envelope: what MAIL FROM and RCPT TO carry.
struct Envelope {
    std::string mail_from;                // Empty for a null reverse-path.
    std::vector<std::string> recipients;  // At least one.
    bool needs_smtputf8 = false;
};

struct ComposedMessage {
    Envelope envelope;
    std::string message_id;  // Without angle brackets.
    std::string bytes;       // RFC 5322, CRLF line ends.
};

// Composes `message` with GMime: RFC 5322 Date (from `clock`), a fresh Message-ID under the
// sender's domain (from `random`), RFC 2047-encoded UTF-8 headers, a UTF-8 text/plain body
// (quoted-printable when it is not ASCII, so it passes any relay). Addresses use A-label domains
// in headers and the envelope; a UTF-8 local part sets Envelope::needs_smtputf8.
ComposedMessage compose(const OutgoingMessage& message, const core::Clock& clock,
                        core::Random& random);

// The same with the Message-ID chosen earlier (a message queued to be composed when it is sent
// keeps the Message-ID it was given when queued).
ComposedMessage compose(const OutgoingMessage& message, const core::Clock& clock,
                        std::string message_id);

// A fresh Message-ID for `message`: random, under the sender's domain, without angle brackets.
std::string new_message_id(const OutgoingMessage& message, core::Random& random);

// What MAIL FROM and RCPT TO carry for `message` (A-label domains; SMTPUTF8 when a local part
// needs it).
Envelope envelope_of(const OutgoingMessage& message);

// `message` as JSON, and back: how a message queued to be composed later is stored. Parsing
// answers nothing for text that is not such JSON or whose addresses no longer parse.
std::string to_json(const OutgoingMessage& message);
std::optional<OutgoingMessage> outgoing_from_json(std::string_view json);

}  // namespace coalition::mail
