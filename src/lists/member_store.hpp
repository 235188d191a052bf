#pragma once
// SQL for members, confirmations and the mail rate limit (tables list_members,
// list_confirmations, list_mail_requests). Private to lists/. Tokens are never stored: only
// core::hash_token of them.

#include "lists/member.hpp"
#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace coalition::lists::member_store {

// A member row with what only this module sees.
struct MemberRow {
    Member member;
    std::string token_salt;
};

// The salt and the hashes of the personal tokens derived from it.
struct TokenSet {
    std::string salt;
    std::string unsubscribe_hash;
    std::string preferences_hash;
};

std::optional<MemberRow> find(store::Database& database, ListId list,
                              const std::string& email_canonical);
std::optional<MemberRow> find(store::Connection& connection, MemberId id);
std::optional<MemberRow> find(store::Database& database, MemberId id);
std::optional<MemberRow> find_by_token_hash(store::Database& database, const char* column,
                                            const std::string& token_hash);
std::vector<MemberRow> all(store::Database& database, ListId list,
                           const std::optional<MemberState>& state);
std::vector<MemberRow> receiving(store::Database& database, ListId list, DeliveryMode mode);
// The token salts of those of `members` that are rows of `list`, by member id. One query for each
// kSaltChunk members (a fixed-size IN list, the last one padded, so a backend prepares it once).
inline constexpr std::size_t kSaltChunk = 100;
std::unordered_map<std::int64_t, std::string> token_salts(store::Database& database, ListId list,
                                                          const std::vector<MemberId>& members);

struct StateCount {
    MemberState state;
    DeliveryMode mode;
    std::int64_t count;
};
std::vector<StateCount> counts(store::Database& database, ListId list);

// Makes `member` pending (inserting it, or updating a row that is not subscribed; an unsubscribed
// row gets `tokens`, a pending one keeps its own). Returns the row's id and whether it was already
// subscribed (then nothing changed).
struct Upserted {
    MemberId id;
    bool was_subscribed = false;
};
Upserted upsert_pending(store::Connection& connection, const Member& member, const TokenSet& tokens,
                        std::int64_t now);

// Makes `member` subscribed unless it already is (then nullopt), with `tokens` (a pending or
// unsubscribed row gets them too: a fresh start). Returns the id.
std::optional<MemberId> upsert_subscribed(store::Connection& connection, const Member& member,
                                          const TokenSet& tokens, std::int64_t now);

// pending → subscribed; false when the member was not pending.
bool mark_subscribed(store::Connection& connection, MemberId id, std::int64_t now);
// subscribed or pending → unsubscribed; false when already unsubscribed (or no such member).
bool mark_unsubscribed(store::Connection& connection, MemberId id, std::int64_t now);
// By address; returns the id when a row changed.
std::optional<MemberId> mark_unsubscribed(store::Connection& connection, ListId list,
                                          const std::string& email_canonical, std::int64_t now);
// The member whose unsubscribe token hash this is → unsubscribed; its id when a row changed.
std::optional<MemberId> unsubscribe_by_token(store::Connection& connection,
                                             const std::string& unsubscribe_hash, std::int64_t now);
// Only for a subscribed member whose preferences token hash this still is; false otherwise.
bool set_preferences(store::Connection& connection, const std::string& preferences_hash,
                     DeliveryMode mode, const std::string& language, std::int64_t now);

// Confirmations.
void insert_confirmation(store::Connection& connection, const std::string& token_hash, ListId list,
                         MemberId member, const std::string& action, std::int64_t now,
                         std::int64_t expires_at);
struct ConfirmationRow {
    ListId list;
    MemberId member;
    std::string action;
    std::int64_t expires_at = 0;
};
// The unused, unexpired confirmation `token_hash`.
std::optional<ConfirmationRow> find_confirmation(store::Database& database,
                                                 const std::string& token_hash, std::int64_t now);
// Marks it used in one statement (two requests never both use it) and returns it.
std::optional<ConfirmationRow> use_confirmation(store::Connection& connection,
                                                const std::string& token_hash, std::int64_t now);

// The rate limit: deletes requests older than `since`, then counts the rest.
std::int64_t count_recent_mail(store::Connection& connection, ListId list,
                               const std::string& email_canonical, std::int64_t since);
void insert_mail_request(store::Connection& connection, ListId list,
                         const std::string& email_canonical, std::int64_t now);

}  // namespace coalition::lists::member_store
