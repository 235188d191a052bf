// SQL for responses, written once for SQLite and PostgreSQL.

#include "responses/response_store.hpp"

#include "core/assert.hpp"

#include <map>
#include <utility>

namespace coalition::responses::response_store {
namespace {

constexpr std::string_view kResponseColumns =
    "id, slug, title, milestone_id, deadline_date, deadline_time, deadline_zone, link, status, "
    "created_at, updated_at";

Response response_from(const store::Row& row) {
    auto slug = accounts::Slug::parse(row.text(1));
    COALITION_ASSERT(slug.has_value(), "a stored response slug is valid");
    Response response{.id = ResponseId(row.integer(0)), .slug = *slug};
    response.title = row.text(2);
    if (auto milestone = row.optional_integer(3)) {
        response.milestone = processes::MilestoneId(*milestone);
    }
    if (!row.is_null(4)) {
        auto moment =
            processes::Moment::date_time(row.text(4), row.text(5), row.text(6), "deadline");
        if (moment) {
            response.deadline = *moment;
        }
    }
    response.link = row.text(7);
    response.status = parse_response_status(row.text(8)).value_or(ResponseStatus::Draft);
    response.created_at = row.integer(9);
    response.updated_at = row.integer(10);
    return response;
}

// Fills editors, partners and the current version of `responses` (all of them, or one).
void complete(Source source, std::vector<Response>& responses,
              std::optional<ResponseId> only = std::nullopt) {
    std::map<std::int64_t, Response*> by_id;
    for (auto& response : responses) {
        by_id[response.id.value()] = &response;
    }
    const std::string where = only ? " WHERE response_id = $1" : "";
    store::Params params;
    if (only) {
        params.emplace_back(only->value());
    }
    for (const auto& row : source.query(
             "SELECT response_id, user_id FROM response_editors" + where + " ORDER BY user_id",
             params)) {
        if (auto found = by_id.find(row.integer(0)); found != by_id.end()) {
            found->second->editors.emplace_back(row.integer(1));
        }
    }
    for (const auto& row :
         source.query("SELECT response_id, organisation_id FROM response_partners" + where +
                          " ORDER BY organisation_id",
                      params)) {
        if (auto found = by_id.find(row.integer(0)); found != by_id.end()) {
            found->second->partners.emplace_back(row.integer(1));
        }
    }
    for (const auto& row : source.query("SELECT response_id, MAX(number) FROM response_versions" +
                                            where + " GROUP BY response_id",
                                        params)) {
        if (auto found = by_id.find(row.integer(0)); found != by_id.end()) {
            found->second->current_version = static_cast<int>(row.integer(1));
        }
    }
}

constexpr std::string_view kCommentColumns =
    "id, anchor, version_number, parent_id, author_user_id, body, created_at";

Comment comment_from(const store::Row& row) {
    Comment comment;
    comment.id = CommentId(row.integer(0));
    comment.anchor = row.text(1);
    comment.version_number = static_cast<int>(row.integer(2));
    if (auto parent = row.optional_integer(3)) {
        comment.parent = CommentId(*parent);
    }
    comment.author = accounts::UserId(row.integer(4));
    comment.body = row.text(5);
    comment.created_at = row.integer(6);
    return comment;
}

constexpr std::string_view kAmendmentColumns =
    "id, anchor, base_block_id, wording, reason, author_user_id, state, editor_note, decided_by, "
    "decided_at, version_number, created_at";

Amendment amendment_from(const store::Row& row) {
    Amendment amendment;
    amendment.id = AmendmentId(row.integer(0));
    amendment.anchor = row.text(1);
    amendment.base_block_id = row.integer(2);
    amendment.wording = row.text(3);
    amendment.reason = row.text(4);
    amendment.author = accounts::UserId(row.integer(5));
    amendment.state = parse_amendment_state(row.text(6)).value_or(AmendmentState::Open);
    amendment.editor_note = row.text(7);
    if (auto decided_by = row.optional_integer(8)) {
        amendment.decided_by = accounts::UserId(*decided_by);
    }
    amendment.decided_at = row.optional_integer(9);
    if (auto number = row.optional_integer(10)) {
        amendment.version_number = static_cast<int>(*number);
    }
    amendment.created_at = row.integer(11);
    return amendment;
}

}  // namespace

store::Rows Source::query(std::string_view sql, const store::Params& params) const {
    return connection_ != nullptr ? connection_->query(sql, params) : database_->query(sql, params);
}

std::optional<Response> find(Source source, std::string_view slug) {
    auto rows =
        source.query("SELECT " + std::string(kResponseColumns) + " FROM responses WHERE slug = $1",
                     {std::string(slug)});
    if (rows.empty()) {
        return std::nullopt;
    }
    std::vector<Response> found{response_from(rows.front())};
    complete(source, found, found.front().id);
    return std::move(found.front());
}

std::vector<Response> all(Source source) {
    std::vector<Response> out;
    for (const auto& row : source.query("SELECT " + std::string(kResponseColumns) +
                                        " FROM responses ORDER BY created_at DESC, id DESC")) {
        out.push_back(response_from(row));
    }
    complete(source, out);
    return out;
}

bool is_slug_taken(store::Connection& connection, const std::string& slug) {
    return connection.query_one("SELECT 1 FROM responses WHERE slug = $1", {slug}).has_value();
}

ResponseId insert_response(store::Connection& connection, const accounts::Slug& slug,
                           const ResponseFields& fields, std::int64_t now) {
    store::Value date = nullptr;
    store::Value time = nullptr;
    store::Value zone = nullptr;
    store::Value utc = nullptr;
    if (fields.deadline) {
        date = fields.deadline->date();
        time = fields.deadline->time();
        zone = fields.deadline->zone();
        utc = fields.deadline->utc();
    }
    store::Value milestone = nullptr;
    if (fields.milestone) {
        milestone = fields.milestone->value();
    }
    const auto row = connection.query_one(
        "INSERT INTO responses (slug, title, milestone_id, deadline_date, deadline_time, "
        "deadline_zone, deadline_utc, link, status, next_anchor, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10) RETURNING id",
        {slug.value(), fields.title, milestone, date, time, zone, utc, fields.link,
         std::string(id(ResponseStatus::Draft)), now});
    return ResponseId(row->integer(0));
}

void touch(store::Connection& connection, ResponseId id, std::int64_t now) {
    connection.execute("UPDATE responses SET updated_at = $2 WHERE id = $1", {id.value(), now});
}

void set_editors(store::Connection& connection, ResponseId id,
                 const std::vector<accounts::UserId>& editors, std::int64_t now) {
    connection.execute("DELETE FROM response_editors WHERE response_id = $1", {id.value()});
    for (const auto& editor : editors) {
        connection.execute(
            "INSERT INTO response_editors (response_id, user_id, added_at) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            {id.value(), editor.value(), now});
    }
}

void set_partners(store::Connection& connection, ResponseId id,
                  const std::vector<accounts::OrganisationId>& partners, std::int64_t now) {
    connection.execute("DELETE FROM response_partners WHERE response_id = $1", {id.value()});
    for (const auto& partner : partners) {
        connection.execute(
            "INSERT INTO response_partners (response_id, organisation_id, added_at) "
            "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            {id.value(), partner.value(), now});
    }
}

std::int64_t take_anchors(store::Connection& connection, ResponseId id, std::int64_t count) {
    const auto row = connection.query_one(
        "UPDATE responses SET next_anchor = next_anchor + $2 WHERE id = $1 RETURNING next_anchor",
        {id.value(), count});
    COALITION_ASSERT(row.has_value(), "anchors are taken for an existing response");
    return row->integer(0) - count + 1;
}

std::int64_t insert_block(store::Connection& connection, ResponseId id, const std::string& anchor,
                          const Block& block, std::int64_t now) {
    const auto row = connection.query_one(
        "INSERT INTO response_blocks (response_id, anchor, kind, level, body, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {id.value(), anchor, std::string(responses::id(block.kind)),
         static_cast<std::int64_t>(block.level), block.text, now});
    return row->integer(0);
}

void insert_version(store::Connection& connection, ResponseId id, const Version& version,
                    const std::vector<std::int64_t>& block_ids) {
    store::Value amendment = nullptr;
    if (version.amendment) {
        amendment = version.amendment->value();
    }
    store::Value author = nullptr;
    if (version.author) {
        author = version.author->value();
    }
    const auto row = connection.query_one(
        "INSERT INTO response_versions (response_id, number, hash, reason, amendment_id, actor, "
        "author_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {id.value(), static_cast<std::int64_t>(version.number), version.hash, version.reason,
         amendment, version.actor, author, version.created_at});
    const std::int64_t version_id = row->integer(0);
    for (std::size_t position = 0; position < block_ids.size(); ++position) {
        connection.execute(
            "INSERT INTO response_version_blocks (version_id, position, block_id) "
            "VALUES ($1, $2, $3)",
            {version_id, static_cast<std::int64_t>(position), block_ids[position]});
    }
}

std::vector<Version> versions(Source source, ResponseId id) {
    std::vector<Version> out;
    for (const auto& row : source.query(
             "SELECT number, hash, reason, amendment_id, actor, author_user_id, created_at "
             "FROM response_versions WHERE response_id = $1 ORDER BY number",
             {id.value()})) {
        Version version;
        version.number = static_cast<int>(row.integer(0));
        version.hash = row.text(1);
        version.reason = row.text(2);
        if (auto amendment = row.optional_integer(3)) {
            version.amendment = AmendmentId(*amendment);
        }
        version.actor = row.text(4);
        if (auto author = row.optional_integer(5)) {
            version.author = accounts::UserId(*author);
        }
        version.created_at = row.integer(6);
        out.push_back(std::move(version));
    }
    return out;
}

std::optional<Text> text(Source source, ResponseId id, int number) {
    const auto rows = source.query(
        "SELECT v.hash, v.reason, v.amendment_id, v.actor, v.author_user_id, v.created_at, "
        "b.id, b.anchor, b.kind, b.level, b.body "
        "FROM response_versions v "
        "JOIN response_version_blocks vb ON vb.version_id = v.id "
        "JOIN response_blocks b ON b.id = vb.block_id "
        "WHERE v.response_id = $1 AND v.number = $2 ORDER BY vb.position",
        {id.value(), static_cast<std::int64_t>(number)});
    if (rows.empty()) {
        return std::nullopt;
    }
    Text out;
    const auto& first = rows.front();
    out.version.number = number;
    out.version.hash = first.text(0);
    out.version.reason = first.text(1);
    if (auto amendment = first.optional_integer(2)) {
        out.version.amendment = AmendmentId(*amendment);
    }
    out.version.actor = first.text(3);
    if (auto author = first.optional_integer(4)) {
        out.version.author = accounts::UserId(*author);
    }
    out.version.created_at = first.integer(5);
    out.paragraphs.reserve(rows.size());
    for (const auto& row : rows) {
        out.paragraphs.push_back(
            Paragraph{.anchor = row.text(7),
                      .kind = parse_block_kind(row.text(8)).value_or(BlockKind::Paragraph),
                      .level = static_cast<int>(row.integer(9)),
                      .text = row.text(10),
                      .block_id = row.integer(6)});
    }
    return out;
}

CommentId insert_comment(store::Connection& connection, ResponseId id, const Comment& comment) {
    store::Value parent = nullptr;
    if (comment.parent) {
        parent = comment.parent->value();
    }
    const auto row = connection.query_one(
        "INSERT INTO response_comments (response_id, anchor, version_number, parent_id, "
        "author_user_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {id.value(), comment.anchor, static_cast<std::int64_t>(comment.version_number), parent,
         comment.author.value(), comment.body, comment.created_at});
    return CommentId(row->integer(0));
}

std::optional<Comment> find_comment(Source source, ResponseId id, CommentId comment) {
    auto rows = source.query("SELECT " + std::string(kCommentColumns) +
                                 " FROM response_comments WHERE response_id = $1 AND id = $2",
                             {id.value(), comment.value()});
    if (rows.empty()) {
        return std::nullopt;
    }
    return comment_from(rows.front());
}

std::vector<Comment> comments(Source source, ResponseId id) {
    std::vector<Comment> out;
    for (const auto& row : source.query("SELECT " + std::string(kCommentColumns) +
                                            " FROM response_comments WHERE response_id = $1 "
                                            "ORDER BY id",
                                        {id.value()})) {
        out.push_back(comment_from(row));
    }
    return out;
}

AmendmentId insert_amendment(store::Connection& connection, ResponseId id,
                             const Amendment& amendment) {
    const auto row = connection.query_one(
        "INSERT INTO response_amendments (response_id, anchor, base_block_id, wording, reason, "
        "author_user_id, state, editor_note, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8) RETURNING id",
        {id.value(), amendment.anchor, amendment.base_block_id, amendment.wording, amendment.reason,
         amendment.author.value(), std::string(responses::id(amendment.state)),
         amendment.created_at});
    return AmendmentId(row->integer(0));
}

std::optional<Amendment> find_amendment(Source source, ResponseId id, AmendmentId amendment) {
    auto rows = source.query("SELECT " + std::string(kAmendmentColumns) +
                                 " FROM response_amendments WHERE response_id = $1 AND id = $2",
                             {id.value(), amendment.value()});
    if (rows.empty()) {
        return std::nullopt;
    }
    return amendment_from(rows.front());
}

std::vector<Amendment> amendments(Source source, ResponseId id) {
    std::vector<Amendment> out;
    for (const auto& row : source.query("SELECT " + std::string(kAmendmentColumns) +
                                            " FROM response_amendments WHERE response_id = $1 "
                                            "ORDER BY id",
                                        {id.value()})) {
        out.push_back(amendment_from(row));
    }
    return out;
}

DiscussionStamp discussion_stamp(Source source, ResponseId id) {
    // Each subquery walks the (response_id, id) index only, but for the open count.
    const auto rows = source.query(
        "SELECT (SELECT COUNT(*) FROM response_comments WHERE response_id = $1), "
        "(SELECT COALESCE(MAX(id), 0) FROM response_comments WHERE response_id = $1), "
        "(SELECT COUNT(*) FROM response_amendments WHERE response_id = $1), "
        "(SELECT COALESCE(MAX(id), 0) FROM response_amendments WHERE response_id = $1), "
        "(SELECT COUNT(*) FROM response_amendments WHERE response_id = $1 AND state = 'open')",
        {id.value()});
    const auto& row = rows.front();
    return DiscussionStamp{.comments = row.integer(0),
                           .last_comment = row.integer(1),
                           .amendments = row.integer(2),
                           .last_amendment = row.integer(3),
                           .open_amendments = row.integer(4)};
}

bool decide_amendment(store::Connection& connection, AmendmentId amendment, AmendmentState state,
                      const std::string& note, std::optional<accounts::UserId> decided_by,
                      std::int64_t at, std::optional<int> version_number) {
    store::Value by = nullptr;
    if (decided_by) {
        by = decided_by->value();
    }
    store::Value version = nullptr;
    if (version_number) {
        version = static_cast<std::int64_t>(*version_number);
    }
    return connection.execute(
               "UPDATE response_amendments SET state = $2, editor_note = $3, decided_by = $4, "
               "decided_at = $5, version_number = $6 WHERE id = $1 AND state = 'open'",
               {amendment.value(), std::string(responses::id(state)), note, by, at, version}) == 1;
}

}  // namespace coalition::responses::response_store
