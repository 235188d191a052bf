#include "lists/digest_store.hpp"

#include "core/base64.hpp"

namespace coalition::lists::digest_store {
namespace {

constexpr const char* kPostColumns =
    "id, list_id, message_id, message_id_assigned, envelope_sender, author_email, author_name, "
    "subject, size_bytes, raw, decorated, source, state, hold_reason, hold_detail, decided_by, "
    "decision_reason, received_at, decided_at";

PostSource parse_source(const std::string& text) {
    if (text == "inject") {
        return PostSource::Inject;
    }
    return text == "web" ? PostSource::Web : PostSource::Lmtp;
}

Post post_from(const store::Row& row) {
    Post post;
    post.id = PostId(row.integer(0));
    post.list_id = ListId(row.integer(1));
    post.message_id = row.text(2);
    post.message_id_assigned = row.boolean(3);
    post.envelope_sender = row.text(4);
    post.author_email = row.text(5);
    post.author_name = row.text(6);
    post.subject = row.text(7);
    post.size_bytes = row.integer(8);
    post.raw = core::decode_base64(row.text(9)).value_or("");
    post.decorated = core::decode_base64(row.text(10)).value_or("");
    post.source = parse_source(row.text(11));
    const auto state = parse_post_state(row.text(12));
    post.state = state ? *state : PostState::Accepted;
    post.hold_reason = row.text(13);
    post.hold_detail = row.text(14);
    post.decided_by = row.text(15);
    post.decision_reason = row.text(16);
    post.received_at = row.integer(17);
    post.decided_at = row.optional_integer(18);
    return post;
}

DigestRecord record_from(const store::Row& row) {
    return {row.integer(0), static_cast<int>(row.integer(1)), static_cast<int>(row.integer(2)),
            row.integer(3), static_cast<int>(row.integer(4)), row.integer(5)};
}

}  // namespace

std::optional<DigestRecord> last(store::Database& database, ListId list) {
    auto row = database.query_one(
        "SELECT id, volume, issue, last_post_id, post_count, sent_at FROM list_digests "
        "WHERE list_id = $1 ORDER BY sent_at DESC, id DESC LIMIT 1",
        {list.value()});
    if (!row) {
        return std::nullopt;
    }
    return record_from(*row);
}

int last_issue(store::Database& database, ListId list, int volume) {
    auto row = database.query_one(
        "SELECT COALESCE(MAX(issue), 0) FROM list_digests WHERE list_id = $1 AND volume = $2",
        {list.value(), std::int64_t{volume}});
    return row ? static_cast<int>(row->integer(0)) : 0;
}

std::vector<Post> undigested(store::Database& database, ListId list, std::int64_t accepted_since) {
    const auto rows = database.query(
        std::string("SELECT ") + kPostColumns +
            " FROM list_posts p WHERE p.list_id = $1 AND p.state = 'accepted' "
            "AND COALESCE(p.decided_at, p.received_at) >= $2 "
            "AND NOT EXISTS (SELECT 1 FROM list_digest_posts d WHERE d.post_id = p.id) "
            "ORDER BY COALESCE(p.decided_at, p.received_at), p.id",
        {list.value(), accepted_since});
    std::vector<Post> posts;
    posts.reserve(rows.size());
    for (const auto& row : rows) {
        posts.push_back(post_from(row));
    }
    return posts;
}

std::int64_t accepted_at(const Post& post) {
    return post.decided_at.value_or(post.received_at);
}

std::int64_t insert(store::Connection& connection, ListId list, const DigestRecord& digest,
                    const std::vector<PostId>& posts, std::int64_t size_bytes, int recipients) {
    const auto row = connection.query_one(
        "INSERT INTO list_digests (list_id, volume, issue, last_post_id, post_count, size_bytes, "
        "recipients, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {list.value(), std::int64_t{digest.volume}, std::int64_t{digest.issue}, digest.last_post_id,
         static_cast<std::int64_t>(posts.size()), size_bytes, std::int64_t{recipients},
         digest.sent_at});
    const std::int64_t id = row->integer(0);
    for (const auto& post : posts) {
        connection.execute("INSERT INTO list_digest_posts (post_id, digest_id) VALUES ($1, $2)",
                           {post.value(), id});
    }
    return id;
}

std::int64_t insert_edition(store::Connection& connection, std::int64_t digest,
                            const std::string& delivery_mode, std::string_view bytes,
                            std::int64_t now) {
    return connection
        .query_one(
            "INSERT INTO list_digest_editions (digest_id, delivery_mode, bytes, created_at) "
            "VALUES ($1, $2, $3, $4) RETURNING id",
            {digest, delivery_mode, core::encode_base64(bytes), now})
        ->integer(0);
}

std::int64_t count_receiving(store::Database& database, ListId list,
                             const std::string& delivery_mode) {
    const auto row = database.query_one(
        "SELECT COUNT(*) FROM list_members m LEFT JOIN list_bounce_scores b ON b.member_id = m.id "
        "WHERE m.list_id = $1 AND m.state = 'subscribed' AND m.delivery_mode = $2 "
        "AND COALESCE(b.delivery_disabled, 0) = 0",
        {list.value(), delivery_mode});
    return row ? row->integer(0) : 0;
}

}  // namespace coalition::lists::digest_store
