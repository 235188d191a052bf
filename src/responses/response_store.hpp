#pragma once
// The responses module's SQL (migrations/0018_responses_drafts.sql); nobody else touches these
// tables. Writers take the caller's transaction; readers take a Source: the database's reader
// pool, or the connection of a transaction that must see its own writes.

#include "responses/responses.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::responses::response_store {

// Where a read runs. Converts implicitly from both, so readers serve both callers.
class Source {
public:
    Source(store::Database& database)  // NOLINT(google-explicit-constructor)
        : database_(&database) {}
    Source(store::Connection& connection)  // NOLINT(google-explicit-constructor)
        : connection_(&connection) {}
    store::Rows query(std::string_view sql, const store::Params& params = {}) const;

private:
    store::Database* database_ = nullptr;
    store::Connection* connection_ = nullptr;
};

// ---- Responses ----
// With editors, partners and current_version filled.
std::optional<Response> find(Source source, std::string_view slug);
std::vector<Response> all(Source source);  // Newest first.
bool is_slug_taken(store::Connection& connection, const std::string& slug);
ResponseId insert_response(store::Connection& connection, const accounts::Slug& slug,
                           const ResponseFields& fields, std::int64_t now);
// Sets updated_at; on PostgreSQL this also locks the row until the transaction ends, so changes
// to one response's text are serialised.
void touch(store::Connection& connection, ResponseId id, std::int64_t now);
void set_editors(store::Connection& connection, ResponseId id,
                 const std::vector<accounts::UserId>& editors, std::int64_t now);
void set_partners(store::Connection& connection, ResponseId id,
                  const std::vector<accounts::OrganisationId>& partners, std::int64_t now);
// Reserves `count` anchor numbers; returns the first.
std::int64_t take_anchors(store::Connection& connection, ResponseId id, std::int64_t count);

// ---- Text ----
std::int64_t insert_block(store::Connection& connection, ResponseId id, const std::string& anchor,
                          const Block& block, std::int64_t now);
void insert_version(store::Connection& connection, ResponseId id, const Version& version,
                    const std::vector<std::int64_t>& block_ids);
std::vector<Version> versions(Source source, ResponseId id);  // Oldest first.
std::optional<Text> text(Source source, ResponseId id, int number);

// ---- Comments and amendments ----
CommentId insert_comment(store::Connection& connection, ResponseId id, const Comment& comment);
std::optional<Comment> find_comment(Source source, ResponseId id, CommentId comment);
std::vector<Comment> comments(Source source, ResponseId id);  // Flat, oldest first.

AmendmentId insert_amendment(store::Connection& connection, ResponseId id,
                             const Amendment& amendment);
std::optional<Amendment> find_amendment(Source source, ResponseId id, AmendmentId amendment);
std::vector<Amendment> amendments(Source source, ResponseId id);  // Oldest first.
// The counts and newest ids of one response's comments and amendments (version left 0).
DiscussionStamp discussion_stamp(Source source, ResponseId id);
// Closes an open amendment; false when it was not open any more.
bool decide_amendment(store::Connection& connection, AmendmentId amendment, AmendmentState state,
                      const std::string& note, std::optional<accounts::UserId> decided_by,
                      std::int64_t at, std::optional<int> version_number);

}  // namespace coalition::responses::response_store
