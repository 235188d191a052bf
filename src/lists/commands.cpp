#include "lists/commands.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "lists/lists.hpp"
#include "mail/message.hpp"

#include <algorithm>
#include <utility>

namespace coalition::lists {
namespace {

using Values = std::vector<std::pair<std::string, std::string>>;

// Our confirmation tokens: 32 characters of lower-case base32 (subscriptions.hpp).
bool is_token(std::string_view word) {
    return word.size() == 32 && std::all_of(word.begin(), word.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
           });
}

std::vector<std::string> words_of(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : line) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
        } else {
            word += c;
        }
    }
    if (!word.empty()) {
        words.push_back(std::move(word));
    }
    return words;
}

// Drops "Re:", "Fwd:", "AW:" … prefixes, however many.
std::vector<std::string> without_reply_prefixes(std::vector<std::string> words) {
    static constexpr std::array<std::string_view, 6> kPrefixes = {
        "re:", "fw:", "fwd:", "aw:", "sv:", "tr:"};
    std::size_t first = 0;
    while (first < words.size() &&
           std::find(kPrefixes.begin(), kPrefixes.end(), words[first]) != kPrefixes.end()) {
        ++first;
    }
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(first));
    return words;
}

// A command word and how many arguments it takes (Mailman's EMAIL_COMMANDS limits, so a
// subject such as "Help with the WSIS+20 text" is a post, not a command).
struct Keyword {
    std::string_view word;
    CommandKind kind;
    std::size_t max_arguments;
};
constexpr std::array<Keyword, 11> kKeywords = {{
    {"subscribe", CommandKind::Subscribe, 3},
    {"join", CommandKind::Subscribe, 3},
    {"unsubscribe", CommandKind::Unsubscribe, 1},
    {"leave", CommandKind::Unsubscribe, 1},
    {"remove", CommandKind::Unsubscribe, 1},
    {"help", CommandKind::Help, 0},
    {"info", CommandKind::Help, 0},
    {"end", CommandKind::End, 0},
    {"stop", CommandKind::End, 0},
    {"thanks", CommandKind::End, 0},
    {"--", CommandKind::End, 0},
}};

std::string request_help(std::string_view language, const Values& values) {
    return i18n::format(
        i18n::Catalog::embedded().translate(
            language,
            "This is the command address of the mailing list {list}. Write one command in the "
            "subject or on a line of its own in the body:\n\n"
            "    subscribe      join the list (we send you a confirmation first)\n"
            "    unsubscribe    leave the list (we send you a confirmation first)\n"
            "    help           this message\n\n"
            "You can also write to {join} to join and to {leave} to leave. To post, write to "
            "{address}. To reach the list's owners, write to {owner}. The list's page is "
            "{page}\n"),
        values);
}

}  // namespace

const char* to_string(CommandKind kind) {
    switch (kind) {
        case CommandKind::Subscribe:
            return "subscribe";
        case CommandKind::Unsubscribe:
            return "unsubscribe";
        case CommandKind::Help:
            return "help";
        case CommandKind::Confirm:
            return "confirm";
        case CommandKind::End:
            return "end";
    }
    return "help";
}

std::optional<Command> parse_command_line(std::string_view line) {
    std::vector<std::string> words = without_reply_prefixes(words_of(core::to_lower(line)));
    if (words.empty()) {
        return std::nullopt;
    }
    const std::string& first = words.front();
    if (first == "confirm" || first == "confirm:") {
        // The token as the argument, or anywhere later in a reply's subject.
        for (std::size_t word_idx = 1; word_idx < words.size(); ++word_idx) {
            if (is_token(words[word_idx])) {
                return Command{CommandKind::Confirm, words[word_idx]};
            }
        }
        return std::nullopt;
    }
    for (const auto& keyword : kKeywords) {
        if (first == keyword.word && words.size() - 1 <= keyword.max_arguments) {
            return Command{keyword.kind, {}};
        }
    }
    return std::nullopt;
}

std::vector<Command> parse_commands(std::string_view subject,
                                    const std::vector<std::string>& body_lines) {
    std::vector<Command> commands;
    const auto add = [&](const Command& command) {
        const bool seen = std::any_of(commands.begin(), commands.end(), [&](const Command& each) {
            return each.kind == command.kind && each.argument == command.argument;
        });
        if (!seen && commands.size() < kMaxCommands) {
            commands.push_back(command);
        }
    };
    if (auto command = parse_command_line(subject); command && command->kind != CommandKind::End) {
        add(*command);
    }
    for (const auto& line : body_lines) {
        const auto command = parse_command_line(line);
        if (!command || command->kind == CommandKind::End) {
            break;
        }
        add(*command);
    }
    return commands;
}

MailCommands::MailCommands(store::Database& database, const core::Clock& clock,
                           core::Random& random, Lists& lists, Subscriptions& subscriptions,
                           mail::Outbox& outbox, std::string base_url)
    : database_(database),
      clock_(clock),
      random_(random),
      lists_(lists),
      subscriptions_(subscriptions),
      outbox_(outbox),
      base_url_(std::move(base_url)) {
    while (!base_url_.empty() && base_url_.back() == '/') {
        base_url_.pop_back();
    }
}

bool MailCommands::is_from_a_robot(const CommandContext& context) const {
    const std::string sender = core::trim(context.envelope_sender);
    if (sender.empty() || sender == "<>" || context.message.is_automatic) {
        return true;
    }
    // One of our own list addresses (of any list): no mail loops between robots.
    const auto& author = context.message.author;
    return author && (lists_.resolve(author->unicode()).has_value() ||
                      lists_.resolve(author->envelope()).has_value());
}

std::optional<core::Email> MailCommands::answer_address(const CommandContext& context) const {
    if (is_from_a_robot(context)) {
        return std::nullopt;
    }
    return context.message.author;
}

void MailCommands::reply(const CommandContext& context, const core::Email& to,
                         std::string_view subject, std::string body, CommandOutcome& outcome) {
    const List& list = context.list;
    auto from = list.address(AddressRole::Request).email();
    if (!from) {
        return;
    }
    mail::OutgoingMessage message{
        .from = mail::Mailbox{list.title(), *from},
        .to = {mail::Mailbox{context.message.author_name, to}},
        .subject = std::string(subject),
        .text_body = std::move(body),
        .headers = {{"List-Id", "<" + list.list_id_header() + ">"},
                    {"Auto-Submitted", "auto-replied"}},
        .language = list.settings.preferred_language,
    };
    if (!context.message.message_id.empty()) {
        message.headers.emplace_back("In-Reply-To", "<" + context.message.message_id + ">");
    }
    auto composed = mail::compose(message, clock_, random_);
    composed.envelope.mail_from = list.address(AddressRole::Bounces).envelope();
    database_.transact([&](store::Connection& connection) {
        outbox_.enqueue(connection, composed, message.subject);
    });
    outcome.answered = true;
}

void MailCommands::run(const CommandContext& context, const Command& command,
                       CommandOutcome& outcome) {
    const List& list = context.list;
    const auto& author = context.message.author;
    const std::string language = list.settings.preferred_language;
    if (command.kind != CommandKind::End && is_from_a_robot(context)) {
        // An autoresponder answering a confirmation mail must not confirm it (RFC 3834 §2).
        outcome.done.emplace_back(std::string(to_string(command.kind)) +
                                  ": ignored, automatic mail");
        return;
    }
    switch (command.kind) {
        case CommandKind::Subscribe: {
            if (!author) {
                outcome.done.emplace_back("subscribe: no From address");
                return;
            }
            const auto requested = subscriptions_.request_subscription(
                list, SubscriptionRequest{.email = *author,
                                          .display_name = context.message.author_name,
                                          .language = language,
                                          .source = MemberSource::Mail});
            if (!requested && requested.error().field == "display_name") {
                // A From name the web form would refuse must not stop a subscription by mail.
                const auto plain = subscriptions_.request_subscription(
                    list, SubscriptionRequest{.email = *author,
                                              .display_name = "",
                                              .language = language,
                                              .source = MemberSource::Mail});
                outcome.done.emplace_back(plain ? "subscribe: confirmation requested"
                                                : "subscribe: " + plain.error().message);
                return;
            }
            outcome.done.emplace_back(requested ? "subscribe: confirmation requested"
                                                : "subscribe: " + requested.error().message);
            return;
        }
        case CommandKind::Unsubscribe: {
            if (!author) {
                outcome.done.emplace_back("unsubscribe: no From address");
                return;
            }
            const auto requested = subscriptions_.request_unsubscription(list, *author, language);
            outcome.done.emplace_back(requested ? "unsubscribe: confirmation requested"
                                                : "unsubscribe: " + requested.error().message);
            return;
        }
        case CommandKind::Confirm: {
            const auto found = subscriptions_.find_confirmation(command.argument);
            if (!found || found->list.id != list.id) {
                outcome.done.emplace_back("confirm: unknown or expired token");
                if (auto to = answer_address(context)) {
                    reply(context, *to,
                          i18n::Catalog::embedded().translate(language,
                                                              "Your confirmation did not work"),
                          i18n::format(i18n::Catalog::embedded().translate(
                                           language,
                                           "Hello,\n\nThe confirmation you sent to {list} is "
                                           "unknown, already used or expired. Nothing has "
                                           "changed. To try again, write \"subscribe\" or "
                                           "\"unsubscribe\" to {request}.\n"),
                                       {{"list", list.title()},
                                        {"request", list.address(AddressRole::Request).unicode()}}),
                          outcome);
                }
                return;
            }
            const auto confirmed = subscriptions_.confirm(command.argument);
            outcome.done.emplace_back(confirmed
                                          ? std::string("confirm: ") + to_string(confirmed->action)
                                          : "confirm: " + confirmed.error().message);
            return;
        }
        case CommandKind::Help: {
            outcome.done.emplace_back("help");
            if (auto to = answer_address(context)) {
                const Values values = {{"list", list.title()},
                                       {"address", list.posting_address().unicode()},
                                       {"join", list.address(AddressRole::Join).unicode()},
                                       {"leave", list.address(AddressRole::Leave).unicode()},
                                       {"owner", list.address(AddressRole::Owner).unicode()},
                                       {"page", base_url_ + "/lists/" + list.name}};
                reply(context, *to,
                      i18n::format(i18n::Catalog::embedded().translate(language, "Help for {list}"),
                                   values),
                      request_help(language, values), outcome);
            }
            return;
        }
        case CommandKind::End:
            return;
    }
}

CommandOutcome MailCommands::request(const CommandContext& context) {
    CommandOutcome outcome;
    auto commands = parse_commands(context.message.subject, context.message.text_lines);
    if (commands.empty()) {
        // No command at all: the help text says what would have worked.
        commands.push_back(Command{CommandKind::Help, {}});
    }
    for (const auto& command : commands) {
        run(context, command, outcome);
    }
    return outcome;
}

CommandOutcome MailCommands::join(const CommandContext& context) {
    CommandOutcome outcome;
    run(context, Command{CommandKind::Subscribe, {}}, outcome);
    return outcome;
}

CommandOutcome MailCommands::leave(const CommandContext& context) {
    CommandOutcome outcome;
    run(context, Command{CommandKind::Unsubscribe, {}}, outcome);
    return outcome;
}

CommandOutcome MailCommands::confirm(const CommandContext& context, std::string_view token) {
    CommandOutcome outcome;
    if (!token.empty()) {
        run(context, Command{CommandKind::Confirm, core::to_lower(token)}, outcome);
        return outcome;
    }
    for (const auto& command :
         parse_commands(context.message.subject, context.message.text_lines)) {
        if (command.kind == CommandKind::Confirm) {
            run(context, command, outcome);
            return outcome;
        }
    }
    outcome.done.emplace_back("confirm: no token");
    return outcome;
}

}  // namespace coalition::lists
