#include "lists/post_store.hpp"

#include "core/base64.hpp"
#include "core/email.hpp"
#include "lists/digest_store.hpp"

#include <utility>

namespace coalition::lists::post_store {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, list_id, message_id, message_id_assigned, envelope_sender, author_email, "
    "author_name, subject, size_bytes, raw, decorated, source, state, hold_reason, hold_detail, "
    "decided_by, decision_reason, received_at, decided_at FROM list_posts ";

PostSource parse_source(const std::string& text) {
    for (auto source : {PostSource::Lmtp, PostSource::Inject, PostSource::Web}) {
        if (text == to_string(source)) {
            return source;
        }
    }
    return PostSource::Lmtp;
}

Post from_row(const store::Row& row) {
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
    post.raw = core::decode_base64(row.text(9)).value_or(std::string());
    post.decorated = core::decode_base64(row.text(10)).value_or(std::string());
    post.source = parse_source(row.text(11));
    post.state = parse_post_state(row.text(12)).has_value() ? *parse_post_state(row.text(12))
                                                            : PostState::Held;
    post.hold_reason = row.text(13);
    post.hold_detail = row.text(14);
    post.decided_by = row.text(15);
    post.decision_reason = row.text(16);
    post.received_at = row.integer(17);
    post.decided_at = row.optional_integer(18);
    return post;
}

std::vector<Post> from_rows(const store::Rows& rows) {
    std::vector<Post> posts;
    posts.reserve(rows.size());
    for (const auto& row : rows) {
        posts.push_back(from_row(row));
    }
    return posts;
}

std::string select(std::string_view rest) {
    return std::string(kColumns) + std::string(rest);
}

// The canonical form of the author's address, for look-ups; "" when it does not parse.
std::string canonical(const std::string& author_email) {
    auto email = core::Email::parse(author_email);
    return email ? email->canonical() : std::string();
}

constexpr std::string_view kHasAccepted =
    "SELECT 1 FROM list_posts WHERE list_id = $1 AND message_id = $2 AND state = 'accepted'";

}  // namespace

PostId insert(store::Connection& connection, const Post& post) {
    const auto row = connection.query_one(
        "INSERT INTO list_posts (list_id, message_id, message_id_assigned, envelope_sender, "
        "author_email, author_canonical, author_name, subject, size_bytes, raw, decorated, "
        "source, state, hold_reason, hold_detail, decided_by, decision_reason, received_at, "
        "decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, $17, $18, $19) RETURNING id",
        {post.list_id.value(), post.message_id, std::int64_t{post.message_id_assigned ? 1 : 0},
         post.envelope_sender, post.author_email, canonical(post.author_email), post.author_name,
         post.subject, post.size_bytes, core::encode_base64(post.raw),
         core::encode_base64(post.decorated), std::string(to_string(post.source)),
         std::string(to_string(post.state)), post.hold_reason, post.hold_detail, post.decided_by,
         post.decision_reason, post.received_at, store::nullable(post.decided_at)});
    return PostId(row->integer(0));
}

bool decide(store::Connection& connection, PostId post, PostState from, const Decision& decision) {
    std::string sql =
        "UPDATE list_posts SET state = $3, decided_by = $4, decision_reason = $5, decided_at = $6";
    store::Params params = {
        post.value(),        std::string(to_string(from)), std::string(to_string(decision.state)),
        decision.decided_by, decision.decision_reason,     decision.decided_at};
    const auto set = [&](std::string_view column, store::Value value) {
        params.push_back(std::move(value));
        sql += ", " + std::string(column) + " = $" + std::to_string(params.size());
    };
    if (!decision.decorated.empty()) {
        set("decorated", core::encode_base64(decision.decorated));
    }
    if (decision.hold_reason) {
        set("hold_reason", *decision.hold_reason);
    }
    if (decision.hold_detail) {
        set("hold_detail", *decision.hold_detail);
    }
    sql += " WHERE id = $1 AND state = $2";
    return connection.execute(sql, params) == 1;
}

std::optional<Post> find(store::Connection& connection, PostId post) {
    const auto row = connection.query_one(select("WHERE id = $1"), {post.value()});
    return row ? std::optional<Post>(from_row(*row)) : std::nullopt;
}

std::optional<Post> find(store::Database& database, PostId post) {
    const auto row = database.query_one(select("WHERE id = $1"), {post.value()});
    return row ? std::optional<Post>(from_row(*row)) : std::nullopt;
}

std::vector<Post> held(store::Database& database, ListId list) {
    return from_rows(database.query(
        select("WHERE list_id = $1 AND state = 'held' ORDER BY received_at, id"), {list.value()}));
}

std::vector<Post> accepted(store::Database& database, ListId list, std::size_t limit,
                           std::size_t offset) {
    return from_rows(database.query(
        select("WHERE list_id = $1 AND state = 'accepted' ORDER BY "
               "COALESCE(decided_at, received_at) DESC, id DESC "
               "LIMIT $2 OFFSET $3"),
        {list.value(), static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)}));
}

bool has_accepted(store::Connection& connection, ListId list, std::string_view message_id) {
    return connection.query_one(kHasAccepted, {list.value(), std::string(message_id)}).has_value();
}

void serialise_message_id(store::Connection& connection, store::Dialect dialect, ListId list,
                          std::string_view message_id) {
    if (dialect != store::Dialect::Postgresql) {
        return;
    }
    // hashtext() is computed by the server, so every server process agrees on the key; the list
    // id's low 31 bits pick the lock space (a collision only makes two posts wait for each other).
    connection.query("SELECT pg_advisory_xact_lock(CAST($1 AS INTEGER), hashtext($2))",
                     {list.value() & 0x7fffffff, std::string(message_id)});
}

bool has_accepted(store::Database& database, ListId list, std::string_view message_id) {
    return database.query_one(kHasAccepted, {list.value(), std::string(message_id)}).has_value();
}

bool is_accepted_sender(store::Database& database, ListId list, std::string_view canonical) {
    return database
        .query_one(
            "SELECT 1 FROM list_accepted_senders WHERE list_id = $1 AND "
            "email_canonical = $2",
            {list.value(), std::string(canonical)})
        .has_value();
}

void add_accepted_sender(store::Connection& connection, ListId list, std::string_view canonical,
                         std::string_view added_by, std::int64_t now) {
    connection.execute(
        "INSERT INTO list_accepted_senders (list_id, email_canonical, added_by, added_at) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (list_id, email_canonical) DO NOTHING",
        {list.value(), std::string(canonical), std::string(added_by), now});
}

}  // namespace coalition::lists::post_store
