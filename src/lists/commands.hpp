#pragma once
// Mail commands: what people send to NAME-request (subscribe, unsubscribe, help, confirm TOKEN,
// in the Subject or in body lines, as Mailman reads them), NAME-join, NAME-leave and
// NAME-confirm+TOKEN. The parser is pure; MailCommands runs the commands through Subscriptions
// and answers by mail through the outbox. Private to lists/ (intake.cpp calls it).
//
// Answers are never sent to the null sender, to automatic mail (RFC 3834 Auto-Submitted,
// Precedence bulk/junk/list), or to an address of one of our lists, so two robots cannot keep
// answering each other. Subscribing by mail is double opt-in like the web: the confirmation
// mail is the answer.

#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "lists/incoming.hpp"
#include "lists/list.hpp"
#include "mail/outbox.hpp"
#include "store/database.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {

class Lists;
class Subscriptions;

enum class CommandKind { Subscribe, Unsubscribe, Help, Confirm, End };
const char* to_string(CommandKind kind);  // "subscribe", "unsubscribe", "help", "confirm", "end"

struct Command {
    CommandKind kind = CommandKind::Help;
    std::string argument;  // Confirm: the token (lower case); otherwise unused.
};

// One command from one line (a Subject or a body line): the first word, case-insensitively,
// after any "Re:"/"Fwd:" prefixes — subscribe/join, unsubscribe/leave/remove, help/info,
// confirm TOKEN (a confirmation token may also stand anywhere after "confirm", as in a reply's
// "Re: Confirm your subscription … TOKEN"), end/stop/thanks ("--" too: a signature).
// nullopt when the line is not a command.
std::optional<Command> parse_command_line(std::string_view line);

// The commands of a message to NAME-request: the Subject's, then each body line's until "end"
// or the first line that is not a command (Mailman stops there too), at most kMaxCommands, a
// repeated command once.
inline constexpr std::size_t kMaxCommands = 10;
std::vector<Command> parse_commands(std::string_view subject,
                                    const std::vector<std::string>& body_lines);

// What MailCommands did, for the Disposition's reason and the tests.
struct CommandOutcome {
    std::vector<std::string> done;  // "subscribe: confirmation requested", …
    bool answered = false;          // A reply was queued by us (not by Subscriptions).
};

struct CommandContext {
    const List& list;
    const IncomingMessage& message;
    std::string_view envelope_sender;  // "" or "<>" for the null sender.
};

class MailCommands {
public:
    // Every reference must outlive it. Thread-safe when `random` is.
    MailCommands(store::Database& database, const core::Clock& clock, core::Random& random,
                 Lists& lists, Subscriptions& subscriptions, mail::Outbox& outbox,
                 std::string base_url);

    // NAME-request: runs the message's commands; with none, answers with the help text.
    CommandOutcome request(const CommandContext& context);
    // NAME-join / NAME-leave: subscribe or unsubscribe the From address.
    CommandOutcome join(const CommandContext& context);
    CommandOutcome leave(const CommandContext& context);
    // NAME-confirm+TOKEN (or a bare NAME-confirm with the token in the Subject or body).
    CommandOutcome confirm(const CommandContext& context, std::string_view token);

private:
    // The null sender, automatic mail (RFC 3834), or mail from one of our list addresses: its
    // commands are not run and it is never answered.
    bool is_from_a_robot(const CommandContext& context) const;
    // Who the answer goes to: the From address, unless the message must not be answered.
    std::optional<core::Email> answer_address(const CommandContext& context) const;
    void run(const CommandContext& context, const Command& command, CommandOutcome& outcome);
    void reply(const CommandContext& context, const core::Email& to, std::string_view subject,
               std::string body, CommandOutcome& outcome);

    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    Lists& lists_;
    Subscriptions& subscriptions_;
    mail::Outbox& outbox_;
    std::string base_url_;
};

}  // namespace coalition::lists
