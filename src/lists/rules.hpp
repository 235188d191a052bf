#pragma once
// The posting rules and the chain that runs them, in Mailman 3's style: each rule only inspects a
// post (the facts intake gathered) and either misses or hits with a verdict — an action and the
// reason — and the chain is one visible ordered table: the first hit decides, and a post no rule
// stops is accepted. Pure: no database, no mail; intake.cpp gathers the facts and acts on the
// verdict. Private to lists/.

#include "core/email.hpp"
#include "lists/incoming.hpp"
#include "lists/list.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace coalition::lists {

enum class Action { Accept, Hold, Reject, Discard };
const char* to_string(Action action);  // "accept", "hold", "reject", "discard"

// What the chain decided and why.
struct Verdict {
    Action action = Action::Accept;
    std::string rule;    // The rule that hit ("loop", "nonmember", …); "" when none did.
    std::string detail;  // English, for moderators and for the author on reject.
};

// Everything the rules may look at.
struct PostFacts {
    const List& list;
    const IncomingMessage& message;
    std::int64_t size_bytes = 0;
    bool is_member = false;           // The author is a subscribed member.
    bool is_moderator = false;        // An owner or moderator of the list.
    bool is_accepted_sender = false;  // On the list's accepted senders.
    bool is_duplicate = false;        // The list already accepted this Message-ID.
};

struct Rule {
    std::string_view name;
    std::optional<Verdict> (*check)(const PostFacts& facts);
};

// Each rule: its verdict when it hits, nullopt when it misses.
namespace rules {
// The message already carries this list's List-Id or our loop header for it → discard.
std::optional<Verdict> loop(const PostFacts& facts);
// The list already accepted a post with this Message-ID → discard.
std::optional<Verdict> duplicate(const PostFacts& facts);
// Larger than the list's max_message_bytes → reject (intake answers TooLarge).
std::optional<Verdict> max_size(const PostFacts& facts);
// No usable From address → hold (nobody to check the policies against or to answer).
std::optional<Verdict> no_author(const PostFacts& facts);
// A "subscribe"/"unsubscribe"/"help" sent to the posting address instead of NAME-request → hold.
std::optional<Verdict> administrivia(const PostFacts& facts);
// The list's emergency moderation holds every post → hold.
std::optional<Verdict> emergency(const PostFacts& facts);
// A sender a moderator chose to always accept → accept.
std::optional<Verdict> accepted_sender(const PostFacts& facts);
// Moderated lists hold every post; on members-only lists a nonmember meets the nonmember policy.
std::optional<Verdict> posting_policy(const PostFacts& facts);
}  // namespace rules

// The chain, in order: loop, duplicate, max-size, no-author, administrivia, emergency,
// accepted-sender, posting-policy.
std::span<const Rule> posting_chain();

// Runs the chain; Accept with an empty rule when nothing hit.
Verdict run_chain(const PostFacts& facts);

// True when `text` (a Subject or one body line) is a mail command for NAME-request: a command
// word (subscribe, unsubscribe, join, leave, help, remove, …), alone or with arguments, after any
// "Re:" prefixes.
bool is_administrivia_line(std::string_view text);

}  // namespace coalition::lists
