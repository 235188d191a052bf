#include "lmtp/session.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "core/unavailable.hpp"
#include "lmtp/command.hpp"
#include "lmtp/replies.hpp"

#include <iostream>
#include <limits>

namespace coalition::lmtp {

namespace {

// Input already processed is dropped once it is this large (and most of the buffer).
constexpr std::size_t kCompactAfter = std::size_t{64} * 1024;
// A delivered message's buffer is given back when it was larger than this.
constexpr std::size_t kKeepMessageCapacity = std::size_t{1024} * 1024;

Reply ok_reply() {
    return {250, "2.0.0", "OK"};
}

// RFC 1870 §3: size-value = 1*20DIGIT. A value past size_t saturates (and is then too large).
std::optional<std::size_t> parse_size(std::string_view text) {
    if (text.empty() || text.size() > 20) {
        return std::nullopt;
    }
    std::size_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        const auto digit = static_cast<std::size_t>(c - '0');
        if (value > (std::numeric_limits<std::size_t>::max() - digit) / 10) {
            value = std::numeric_limits<std::size_t>::max();
        } else {
            value = value * 10 + digit;
        }
    }
    return value;
}

bool is_valid_reply(const Reply& reply) {
    return reply.code >= 200 && reply.code <= 599;
}

}  // namespace

Session::Session(SessionLimits limits) : limits_(std::move(limits)) {
    reply({220, "", limits_.server_name + " LMTP server ready"});
}

Reply Session::timeout_reply() {
    return {421, "4.4.2", "Timeout, closing connection"};
}

Reply Session::shutdown_reply() {
    return {421, "4.3.2", "Server shutting down, try again later"};
}

void Session::receive(std::string_view bytes) {
    if (state_ != State::Closed) {
        input_.append(bytes);
    }
}

std::string Session::take_output() {
    std::string out;
    out.swap(output_);
    return out;
}

const std::string& Session::pending_recipient() const {
    COALITION_ASSERT(pending_ == Pending::Recipient, "pending_recipient() after CheckRecipient");
    return pending_recipient_;
}

Step Session::next() {
    COALITION_ASSERT(pending_ == Pending::None, "finish the Mailbox call before next()");
    for (;;) {
        if (state_ == State::Closed) {
            input_.clear();
            input_offset_ = 0;
            return Step::Close;
        }
        if (state_ == State::Data) {
            if (auto step = process_data()) {
                return *step;
            }
            continue;
        }
        std::string_view rest(input_);
        rest.remove_prefix(input_offset_);
        const std::size_t line_feed = rest.find('\n');
        if (skipping_long_line_) {
            if (line_feed == std::string_view::npos) {
                input_.clear();
                input_offset_ = 0;
                return Step::NeedInput;
            }
            input_offset_ += line_feed + 1;
            skipping_long_line_ = false;
            continue;
        }
        if (line_feed == std::string_view::npos) {
            if (rest.size() >= limits_.max_line_bytes) {
                // RFC 5321 §4.5.3.1.4: 500 for a line that is too long. The rest of it is dropped.
                error({500, "5.5.2", "Line too long"});
                skipping_long_line_ = true;
                input_.clear();
                input_offset_ = 0;
                continue;
            }
            if (input_offset_ > 0) {
                input_.erase(0, input_offset_);
                input_offset_ = 0;
            }
            return Step::NeedInput;
        }
        input_offset_ += line_feed + 1;
        if (line_feed + 1 > limits_.max_line_bytes) {
            error({500, "5.5.2", "Line too long"});
            continue;
        }
        std::string_view line = rest.substr(0, line_feed);
        // CRLF ends a line; a bare LF is tolerated.
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (auto step = process_line(line)) {
            return *step;
        }
    }
}

std::optional<Step> Session::process_line(std::string_view line) {
    const Command command = parse_command(line);
    switch (command.verb) {
        case Verb::Lhlo:
            command_lhlo(command.argument);
            break;
        case Verb::Helo:
        case Verb::Ehlo:
            error({500, "5.5.1", "This is LMTP: say LHLO"});
            break;
        case Verb::Mail:
            command_mail(command.argument);
            break;
        case Verb::Rcpt:
            return command_rcpt(command.argument);
        case Verb::Data:
            command_data(command.argument);
            break;
        case Verb::Rset:
            if (!command.argument.empty()) {
                error({501, "5.5.4", "Syntax: RSET"});
                break;
            }
            reset_transaction();
            reply(ok_reply());
            break;
        case Verb::Noop:
            reply(ok_reply());
            break;
        case Verb::Quit:
            reply({221, "2.0.0", limits_.server_name + " closing connection"});
            state_ = State::Closed;
            break;
        case Verb::Vrfy:
            if (command.argument.empty()) {
                error({501, "5.5.4", "Syntax: VRFY address"});
                break;
            }
            // RFC 5321 §3.5.3: 252 when the server will not verify but will accept mail.
            reply({252, "2.5.0", "Cannot VRFY an address, but will accept mail for valid ones"});
            break;
        case Verb::Expn:
            reply({502, "5.5.1", "EXPN is not supported"});
            break;
        case Verb::Help:
            reply({214, "2.0.0", "Commands: LHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP"});
            break;
        case Verb::Unknown:
            error({500, "5.5.1", "Command not recognised"});
            break;
    }
    return std::nullopt;
}

void Session::command_lhlo(std::string_view argument) {
    if (argument.empty()) {
        error({501, "5.5.4", "Syntax: LHLO hostname"});
        return;
    }
    // RFC 5321 §4.1.4: a second greeting resets the transaction, as RSET does.
    reset_transaction();
    state_ = State::Ready;
    output_ +=
        format_multiline(250, {limits_.server_name, "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME",
                               "SMTPUTF8", "SIZE " + std::to_string(limits_.max_message_bytes)});
}

void Session::command_mail(std::string_view argument) {
    if (state_ == State::Start) {
        error({503, "5.5.1", "Say LHLO first"});
        return;
    }
    if (state_ == State::Mail) {
        error({503, "5.5.1", "Nested MAIL command"});
        return;
    }
    auto path = parse_path_argument(argument, "FROM");
    if (!path) {
        if (path.error().field == "address") {
            error({501, "5.1.7", "Bad sender address: " + path.error().message});
        } else {
            error({501, "5.5.4", path.error().message});
        }
        return;
    }
    Envelope envelope;
    envelope.mail_from = std::move(path->address);
    bool has_body = false;
    for (const Parameter& parameter : path->parameters) {
        if (parameter.keyword == "SIZE") {
            auto size = parse_size(parameter.value);
            if (!size || envelope.declared_size) {
                error({501, "5.5.4", "Syntax: SIZE=octets"});
                return;
            }
            envelope.declared_size = *size;
        } else if (parameter.keyword == "BODY") {
            const bool eight_bit = core::equals_ignoring_ascii_case(parameter.value, "8BITMIME");
            if (has_body ||
                (!eight_bit && !core::equals_ignoring_ascii_case(parameter.value, "7BIT"))) {
                error({501, "5.5.4", "Syntax: BODY=7BIT or BODY=8BITMIME"});
                return;
            }
            has_body = true;
            envelope.eight_bit = eight_bit;
        } else if (parameter.keyword == "SMTPUTF8") {
            if (!parameter.value.empty() || envelope.smtputf8) {
                error({501, "5.5.4", "Syntax: SMTPUTF8 takes no value"});
                return;
            }
            envelope.smtputf8 = true;
        } else {
            // RFC 5321 §4.1.1.11: 555 for a parameter that is not recognised.
            error({555, "5.5.4", "Unsupported parameter " + parameter.keyword});
            return;
        }
    }
    if (!envelope.smtputf8 && has_non_ascii(envelope.mail_from)) {
        // RFC 6531 §3.5 and RFC 6533: a UTF-8 address needs the SMTPUTF8 parameter.
        error({553, "5.6.7", "A non-ASCII sender address needs SMTPUTF8"});
        return;
    }
    if (envelope.declared_size && *envelope.declared_size > limits_.max_message_bytes) {
        // RFC 1870 §6.1.
        reply({552, "5.3.4",
               "Message size exceeds the fixed maximum of " +
                   std::to_string(limits_.max_message_bytes) + " octets"});
        return;
    }
    envelope_ = std::move(envelope);
    state_ = State::Mail;
    reply({250, "2.1.0", "Sender OK"});
}

std::optional<Step> Session::command_rcpt(std::string_view argument) {
    if (state_ != State::Mail) {
        error({503, "5.5.1", "Need MAIL before RCPT"});
        return std::nullopt;
    }
    auto path = parse_path_argument(argument, "TO");
    if (!path) {
        if (path.error().field == "address") {
            error({501, "5.1.3", "Bad recipient address: " + path.error().message});
        } else {
            error({501, "5.5.4", path.error().message});
        }
        return std::nullopt;
    }
    if (path->address.empty()) {
        error({501, "5.1.3", "Bad recipient address: <> is for senders only"});
        return std::nullopt;
    }
    if (!path->parameters.empty()) {
        error({555, "5.5.4", "Unsupported parameter " + path->parameters.front().keyword});
        return std::nullopt;
    }
    if (!envelope_.smtputf8 && has_non_ascii(path->address)) {
        error({553, "5.6.7", "A non-ASCII recipient address needs SMTPUTF8 at MAIL"});
        return std::nullopt;
    }
    if (envelope_.recipients.size() >= limits_.max_recipients) {
        // RFC 5321 §4.5.3.1.10: 452 for too many recipients; the client sends them later.
        reply({452, "4.5.3", "Too many recipients"});
        return std::nullopt;
    }
    pending_recipient_ = std::move(path->address);
    pending_ = Pending::Recipient;
    return Step::CheckRecipient;
}

void Session::finish_recipient_check(const Reply& result) {
    COALITION_ASSERT(pending_ == Pending::Recipient,
                     "finish_recipient_check() after CheckRecipient");
    pending_ = Pending::None;
    if (result.is_positive()) {
        envelope_.recipients.push_back(std::move(pending_recipient_));
    }
    pending_recipient_.clear();
    reply(result);
}

void Session::command_data(std::string_view argument) {
    if (state_ != State::Mail) {
        error({503, "5.5.1", "Need MAIL and RCPT before DATA"});
        return;
    }
    if (envelope_.recipients.empty()) {
        // RFC 2033 §4.2: DATA fails with 503 when no RCPT succeeded.
        error({503, "5.5.1", "No valid recipients"});
        return;
    }
    if (!argument.empty()) {
        error({501, "5.5.4", "Syntax: DATA"});
        return;
    }
    reply({354, "", "Start mail input; end with <CRLF>.<CRLF>"});
    state_ = State::Data;
    message_.clear();
    message_bytes_ = 0;
    message_too_large_ = false;
    at_line_start_ = true;
}

std::optional<Step> Session::process_data() {
    std::string_view rest(input_);
    rest.remove_prefix(input_offset_);
    std::size_t consumed = 0;
    bool ended = false;
    for (;;) {
        std::string_view chunk = rest.substr(consumed);
        if (at_line_start_) {
            if (chunk.empty()) {
                break;
            }
            if (chunk.front() == '.') {
                // RFC 5321 §4.1.1.4: "." alone on a line ends the data; CRLF or a bare LF.
                if (chunk.size() < 2 || (chunk[1] == '\r' && chunk.size() < 3)) {
                    break;
                }
                if (chunk[1] == '\n' || (chunk[1] == '\r' && chunk[2] == '\n')) {
                    consumed += chunk[1] == '\n' ? 2 : 3;
                    ended = true;
                    break;
                }
                // RFC 5321 §4.5.2: a line starting with "." had one more added by the client.
                ++consumed;
                chunk.remove_prefix(1);
            }
            at_line_start_ = false;
        }
        const std::size_t line_feed = chunk.find('\n');
        if (line_feed == std::string_view::npos) {
            // A trailing CR may be the first half of a CRLF: keep it for the next read.
            std::size_t take = chunk.size();
            if (take > 0 && chunk[take - 1] == '\r') {
                --take;
            }
            append_content(chunk.substr(0, take));
            consumed += take;
            break;
        }
        std::size_t content_end = line_feed;
        if (content_end > 0 && chunk[content_end - 1] == '\r') {
            --content_end;
        }
        append_content(chunk.substr(0, content_end));
        append_content("\r\n");
        consumed += line_feed + 1;
        at_line_start_ = true;
    }
    input_offset_ += consumed;
    if (input_offset_ == input_.size()) {
        input_.clear();
        input_offset_ = 0;
    } else if (input_offset_ > kCompactAfter) {
        input_.erase(0, input_offset_);
        input_offset_ = 0;
    }
    if (!ended) {
        return Step::NeedInput;
    }
    state_ = State::Mail;
    if (!message_too_large_) {
        pending_ = Pending::Delivery;
        return Step::Deliver;
    }
    // RFC 1870 §6.2 and RFC 2033 §4.3: the message was read to its end; every recipient is told.
    for (std::size_t recipient_idx = 0; recipient_idx < envelope_.recipients.size();
         ++recipient_idx) {
        reply({552, "5.3.4",
               "Message size exceeds the fixed maximum of " +
                   std::to_string(limits_.max_message_bytes) + " octets"});
    }
    reset_transaction();
    return std::nullopt;
}

void Session::append_content(std::string_view content) {
    message_bytes_ += content.size();
    if (message_too_large_) {
        return;
    }
    if (message_bytes_ > limits_.max_message_bytes) {
        message_too_large_ = true;
        message_.clear();
        message_.shrink_to_fit();
        return;
    }
    message_.append(content);
}

void Session::finish_delivery(const std::vector<Reply>& replies) {
    COALITION_ASSERT(pending_ == Pending::Delivery, "finish_delivery() after Deliver");
    COALITION_ASSERT(replies.size() == envelope_.recipients.size(),
                     "deliver() gives one reply per recipient");
    pending_ = Pending::None;
    for (const Reply& result : replies) {
        reply(result);
    }
    reset_transaction();
}

void Session::close_with(const Reply& result) {
    if (state_ == State::Closed) {
        return;
    }
    reply(result);
    state_ = State::Closed;
    pending_ = Pending::None;
}

void Session::reply(const Reply& result) {
    output_ += format_reply(result);
}

void Session::error(const Reply& result) {
    reply(result);
    if (++errors_ >= limits_.max_errors) {
        reply({421, "4.7.0", "Too many errors, closing connection"});
        state_ = State::Closed;
    }
}

void Session::reset_transaction() {
    envelope_ = Envelope{};
    message_.clear();
    if (message_.capacity() > kKeepMessageCapacity) {
        message_.shrink_to_fit();
    }
    message_bytes_ = 0;
    message_too_large_ = false;
    if (state_ == State::Mail || state_ == State::Data) {
        state_ = State::Ready;
    }
}

Reply check_recipient_safely(Mailbox& mailbox, std::string_view address) {
    try {
        Reply result = mailbox.check_recipient(address);
        if (is_valid_reply(result)) {
            return result;
        }
        std::cerr << "coalition: lmtp: check_recipient gave reply code " << result.code
                  << " (a bug)" << std::endl;
    } catch (const core::Unavailable&) {
        return unavailable_reply();
    } catch (const std::exception& failure) {
        std::cerr << "coalition: lmtp: check_recipient failed: " << failure.what() << std::endl;
    }
    return unavailable_reply();
}

std::vector<Reply> deliver_safely(Mailbox& mailbox, const Envelope& envelope,
                                  std::string_view message) {
    try {
        std::vector<Reply> replies = mailbox.deliver(envelope, message);
        bool valid = replies.size() == envelope.recipients.size();
        for (const Reply& result : replies) {
            valid = valid && is_valid_reply(result);
        }
        if (valid) {
            return replies;
        }
        // Which recipients were committed is unknown: 451 makes the MTA retry all of them, which
        // may duplicate but never loses the message.
        std::cerr << "coalition: lmtp: deliver gave " << replies.size() << " replies for "
                  << envelope.recipients.size() << " recipients or a bad code (a bug)" << std::endl;
    } catch (const core::Unavailable&) {
        // Falls through: every recipient gets 451 4.3.0.
    } catch (const std::exception& failure) {
        std::cerr << "coalition: lmtp: deliver failed: " << failure.what() << std::endl;
    }
    return std::vector<Reply>(envelope.recipients.size(), unavailable_reply());
}

std::string converse(Session& session, Mailbox& mailbox, std::string_view input) {
    session.receive(input);
    std::string out;
    for (;;) {
        switch (session.next()) {
            case Step::NeedInput:
            case Step::Close:
                out += session.take_output();
                return out;
            case Step::CheckRecipient:
                session.finish_recipient_check(
                    check_recipient_safely(mailbox, session.pending_recipient()));
                break;
            case Step::Deliver:
                session.finish_delivery(
                    deliver_safely(mailbox, session.envelope(), session.message()));
                break;
        }
    }
}

}  // namespace coalition::lmtp
