#include "lists/rules.hpp"

#include "core/text.hpp"
#include "lists/commands.hpp"

#include <algorithm>
#include <array>

namespace coalition::lists {
namespace {

// Mailman looks for commands in short messages only: a real post may well start with "Help".
constexpr std::size_t kMaxAdministriviaLines = 5;

Verdict hit(Action action, std::string_view rule, std::string detail) {
    return Verdict{action, std::string(rule), std::move(detail)};
}

Action nonmember_action(NonmemberPolicy policy) {
    switch (policy) {
        case NonmemberPolicy::Hold:
            return Action::Hold;
        case NonmemberPolicy::Reject:
            return Action::Reject;
        case NonmemberPolicy::Discard:
            return Action::Discard;
        case NonmemberPolicy::Accept:
            return Action::Accept;
    }
    return Action::Hold;
}

constexpr std::array<Rule, 8> kPostingChain = {{
    {"loop", &rules::loop},
    {"duplicate", &rules::duplicate},
    {"max-size", &rules::max_size},
    {"no-author", &rules::no_author},
    {"administrivia", &rules::administrivia},
    {"emergency", &rules::emergency},
    {"accepted-sender", &rules::accepted_sender},
    {"posting-policy", &rules::posting_policy},
}};

}  // namespace

const char* to_string(Action action) {
    switch (action) {
        case Action::Accept:
            return "accept";
        case Action::Hold:
            return "hold";
        case Action::Reject:
            return "reject";
        case Action::Discard:
            return "discard";
    }
    return "hold";
}

namespace rules {

std::optional<Verdict> loop(const PostFacts& facts) {
    const std::string ours = core::to_lower(facts.list.list_id_header());
    const auto& message = facts.message;
    const bool seen = std::find(message.list_ids.begin(), message.list_ids.end(), ours) !=
                          message.list_ids.end() ||
                      std::find(message.loop_marks.begin(), message.loop_marks.end(), ours) !=
                          message.loop_marks.end();
    if (!seen) {
        return std::nullopt;
    }
    return hit(Action::Discard, "loop", "The message has already been through this list.");
}

std::optional<Verdict> duplicate(const PostFacts& facts) {
    if (!facts.is_duplicate) {
        return std::nullopt;
    }
    return hit(Action::Discard, "duplicate",
               "The list already distributed a message with this Message-ID.");
}

std::optional<Verdict> max_size(const PostFacts& facts) {
    if (facts.size_bytes <= facts.list.settings.max_message_bytes) {
        return std::nullopt;
    }
    return hit(Action::Reject, "max-size",
               "The message is " + std::to_string(facts.size_bytes) +
                   " bytes long; this list accepts messages of up to " +
                   std::to_string(facts.list.settings.max_message_bytes) + " bytes.");
}

std::optional<Verdict> no_author(const PostFacts& facts) {
    if (facts.message.author) {
        return std::nullopt;
    }
    return hit(Action::Hold, "no-author", "The message has no usable From address.");
}

std::optional<Verdict> administrivia(const PostFacts& facts) {
    const auto& message = facts.message;
    bool command = is_administrivia_line(message.subject);
    if (!command && message.text_line_count <= kMaxAdministriviaLines) {
        command = std::any_of(message.text_lines.begin(), message.text_lines.end(),
                              [](const std::string& line) { return is_administrivia_line(line); });
    }
    if (!command) {
        return std::nullopt;
    }
    return hit(Action::Hold, "administrivia",
               "The message looks like a request to subscribe, unsubscribe or get help, sent to "
               "the posting address instead of " +
                   facts.list.address(AddressRole::Request).unicode() + ".");
}

std::optional<Verdict> emergency(const PostFacts& facts) {
    if (!facts.list.settings.emergency_moderation) {
        return std::nullopt;
    }
    return hit(Action::Hold, "emergency", "The list is under emergency moderation.");
}

std::optional<Verdict> accepted_sender(const PostFacts& facts) {
    if (!facts.is_accepted_sender) {
        return std::nullopt;
    }
    return hit(Action::Accept, "accepted-sender",
               "A moderator chose to always accept this sender.");
}

std::optional<Verdict> posting_policy(const PostFacts& facts) {
    switch (facts.list.settings.posting_policy) {
        case PostingPolicy::Anyone:
            return std::nullopt;
        case PostingPolicy::Moderated:
            return hit(Action::Hold, "moderated",
                       "Every message to this list is approved by a moderator.");
        case PostingPolicy::Members:
            break;
    }
    if (facts.is_member || facts.is_moderator) {
        return std::nullopt;
    }
    const Action action = nonmember_action(facts.list.settings.nonmember_policy);
    if (action == Action::Accept) {
        return std::nullopt;
    }
    return hit(action, "nonmember",
               "The sender is not a member of the list, and only members may post.");
}

}  // namespace rules

std::span<const Rule> posting_chain() {
    return kPostingChain;
}

Verdict run_chain(const PostFacts& facts) {
    for (const Rule& rule : posting_chain()) {
        if (auto verdict = rule.check(facts)) {
            return std::move(*verdict);
        }
    }
    return Verdict{Action::Accept, "", ""};
}

bool is_administrivia_line(std::string_view text) {
    const auto command = parse_command_line(text);
    return command.has_value() && command->kind != CommandKind::End;
}

}  // namespace coalition::lists
