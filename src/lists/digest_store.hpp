#pragma once
// SQL for digests (tables list_digests, list_digest_posts of migration 0012) and the reading of
// accepted posts they need from list_posts. Private to lists/ (digests.cpp and its test).

#include "lists/list.hpp"
#include "lists/posts.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists::digest_store {

struct DigestRecord {
    std::int64_t id = 0;
    int volume = 0;
    int issue = 0;
    std::int64_t last_post_id = 0;
    int post_count = 0;
    std::int64_t sent_at = 0;
};

// The list's most recent digest, if it ever had one.
std::optional<DigestRecord> last(store::Database& database, ListId list);
// The highest issue of `volume` for the list (0 when none).
int last_issue(store::Database& database, ListId list, int volume);

// Accepted posts of the list in no digest yet, oldest first (by acceptance, then id), with raw
// and decorated bytes decoded. Only posts accepted at or after `accepted_since` are looked at
// (the caller passes a margin before the last digest, so the scan stays short).
std::vector<Post> undigested(store::Database& database, ListId list, std::int64_t accepted_since);

// When the post was accepted (decided_at, else received_at), for the period's start.
std::int64_t accepted_at(const Post& post);

// Records a digest and the posts it carries. Throws store::ConstraintViolation when the issue
// was taken or a post was digested meanwhile (another server won the race).
std::int64_t insert(store::Connection& connection, ListId list, const DigestRecord& digest,
                    const std::vector<PostId>& posts, std::int64_t size_bytes, int recipients);

// Stores one edition of a digest (its bytes as every member on `delivery_mode` gets them, before
// the personal headers); returns its id for the delivery job.
std::int64_t insert_edition(store::Connection& connection, std::int64_t digest,
                            const std::string& delivery_mode, std::string_view bytes,
                            std::int64_t now);

// How many members of the list would receive an edition for `delivery_mode` now (subscribed,
// delivery not disabled by bounces).
std::int64_t count_receiving(store::Database& database, ListId list,
                             const std::string& delivery_mode);

}  // namespace coalition::lists::digest_store
