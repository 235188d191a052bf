#pragma once
// SQL for list posts and accepted senders (tables list_posts, list_accepted_senders, migration
// 0009). Private to lists/ (intake.cpp and its tests). Bytes of a message (raw, decorated) are
// stored as standard padded base64 (RFC 4648 §4), because mail may hold 8-bit and NUL bytes that
// a PostgreSQL TEXT column refuses (core/base64.hpp, which
// delivery and digests read with); every other text column must be valid UTF-8 without NUL.

#include "lists/posts.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists::post_store {

// Inserts `post` (its id is ignored) and returns the new id.
PostId insert(store::Connection& connection, const Post& post);

// A decision on a post that is in state `from`: sets the state, who decided, why, when, and the
// decorated bytes (when not empty). Returns false, changing nothing, when the post is not (or no
// longer) in state `from`: the caller answers Conflict.
struct Decision {
    PostState state = PostState::Held;
    std::string decided_by;
    std::string decision_reason;
    std::int64_t decided_at = 0;
    std::string decorated;  // Raw bytes; "" leaves the column as it is.
    // The rule and explanation, when they change (a post that cannot be decorated is held).
    std::optional<std::string> hold_reason;
    std::optional<std::string> hold_detail;
};
bool decide(store::Connection& connection, PostId post, PostState from, const Decision& decision);

std::optional<Post> find(store::Connection& connection, PostId post);
std::optional<Post> find(store::Database& database, PostId post);
// Held posts of a list, oldest first.
std::vector<Post> held(store::Database& database, ListId list);
// Accepted posts of a list, newest first.
std::vector<Post> accepted(store::Database& database, ListId list, std::size_t limit,
                           std::size_t offset);

// True when the list already accepted a post with this Message-ID (without angle brackets).
bool has_accepted(store::Connection& connection, ListId list, std::string_view message_id);
// Inside the accepting transaction, before has_accepted(connection, …): makes two transactions
// deciding on the same Message-ID for the same list take turns until the first commits, so that
// the second sees the first's post. SQLite's writer lock already serialises them; PostgreSQL
// (read committed) takes a transaction-scoped advisory lock on (list, hash of the Message-ID).
void serialise_message_id(store::Connection& connection, store::Dialect dialect, ListId list,
                          std::string_view message_id);
bool has_accepted(store::Database& database, ListId list, std::string_view message_id);

// Accepted senders, by canonical address (core::Email::canonical()).
bool is_accepted_sender(store::Database& database, ListId list, std::string_view canonical);
// Adds the sender; nothing happens when it is already there.
void add_accepted_sender(store::Connection& connection, ListId list, std::string_view canonical,
                         std::string_view added_by, std::int64_t now);

}  // namespace coalition::lists::post_store
