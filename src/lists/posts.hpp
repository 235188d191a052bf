#pragma once
// lists::Post: a message that reached a list (table list_posts, migration 0009). Intake stores
// it before the LMTP 250 and the rules decide its state; delivery, digests and the archive read
// accepted posts. Values only; intake.hpp and the store functions in post_store.hpp keep them.

#include "core/id.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::lists {

struct PostTag {};
using PostId = core::Id<PostTag>;

enum class PostState {
    Held,       // Waiting for a moderator.
    Accepted,   // Decorated; delivery scheduled; archived.
    Rejected,   // Refused (by a rule or a moderator); the author was told why.
    Discarded,  // Dropped silently (a rule or a moderator).
};
enum class PostSource { Lmtp, Inject, Web };

const char* to_string(PostState value);   // "held", "accepted", "rejected", "discarded"
const char* to_string(PostSource value);  // "lmtp", "inject", "web"
core::Result<PostState> parse_post_state(std::string_view text);

struct Post {
    PostId id;
    ListId list_id;
    std::string message_id;  // Without angle brackets.
    bool message_id_assigned = false;
    std::string envelope_sender;  // "" for the null sender.
    std::string author_email;     // The From: address as written; "" when it has none.
    std::string author_name;
    std::string subject;  // Decoded, NFC.
    std::int64_t size_bytes = 0;
    std::string raw;        // The original bytes (decoded from storage).
    std::string decorated;  // The bytes as delivered; "" unless accepted.
    PostSource source = PostSource::Lmtp;
    PostState state = PostState::Held;
    std::string hold_reason;  // The rule that held, rejected or discarded it ("nonmember", …).
    std::string hold_detail;  // Its human explanation (English; shown to moderators).
    std::string decided_by;   // A moderator's address, or "rules".
    std::string decision_reason;
    std::int64_t received_at = 0;
    std::optional<std::int64_t> decided_at;
};

}  // namespace coalition::lists
