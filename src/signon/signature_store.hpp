#pragma once
// signon's SQL: the only code that touches the signatures and signature_tokens tables
// (migrations/0005_signon_signatures.sql). Every function runs on the caller's connection, inside
// its transaction; reads outside a transaction go through ReadConnection. Private to signon/.

#include "signon/signatory.hpp"
#include "signon/signon.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::signon::signature_store {

// A signature with the columns the public type does not carry.
struct Record {
    Signature signature;
    std::string dedup_key;
    std::string email_domain;               // A-label.
    std::string organisation_domain_ascii;  // A-label.
    std::string dns_challenge;
    std::int64_t notices_sent = 0;
};

enum class TokenPurpose { Confirm, Withdraw, Dns };

// Read-only statements on the Database's reader connections, through the Connection interface
// (so one query function serves both). execute() and execute_script() are bugs here.
class ReadConnection final : public store::Connection {
public:
    explicit ReadConnection(store::Database& database) : database_(database) {}
    store::Rows query(std::string_view sql, const store::Params& params = {}) override;
    std::int64_t execute(std::string_view sql, const store::Params& params = {}) override;
    void execute_script(std::string_view sql) override;
    store::Dialect dialect() const override { return database_.dialect(); }

private:
    store::Database& database_;
};

// Records how `campaign` is named and linked (an upsert).
void save_campaign(store::Connection& connection, const Campaign& campaign,
                   const std::string& base_url, std::int64_t now);
struct CampaignLinks {
    Campaign campaign;
    std::string base_url;
};
// As saved; a campaign never saved reads as its key, with path "/" + key and no base URL.
CampaignLinks find_campaign(store::Connection& connection, const std::string& campaign);

// The values of a new pending signature's row, built before the transaction: lower-casing and
// copying them are not work for SQLite's one writer thread.
store::Params pending_row(const Signatory& signatory, const std::string& campaign,
                          const std::string& version_hash, const std::string& client_address,
                          std::int64_t now);
// Inserts a pending signature; nullopt when the signer already signed this campaign's version
// (same dedup key).
std::optional<std::int64_t> insert_pending(store::Connection& connection,
                                           const store::Params& pending_row);

// A copy of published signature `from` for `version_hash`, pending; nullopt when the signer
// already has a signature of that version.
std::optional<std::int64_t> insert_copy(store::Connection& connection, std::int64_t from,
                                        const std::string& version_hash, std::int64_t now);

std::optional<Record> find(store::Connection& connection, std::int64_t id);
std::optional<Record> find_by_key(store::Connection& connection, const std::string& campaign,
                                  const std::string& version_hash, const std::string& dedup_key);
// Every signature (any campaign) whose dedup key is `dedup_key`, except erased ones.
std::vector<Record> find_by_dedup_key(store::Connection& connection, const std::string& dedup_key);
// Signatures with `where` (SQL over the columns, parameters from $1), in id order.
std::vector<Record> find_where(store::Connection& connection, const std::string& where,
                               const store::Params& params, std::int64_t limit);

// Raises notices_sent by one when it is below `cap`; false when the cap was reached.
bool count_notice(store::Connection& connection, std::int64_t id, int cap);

void insert_token(store::Connection& connection, std::int64_t signature_id,
                  const std::string& token_hash, TokenPurpose purpose, std::int64_t now,
                  std::optional<std::int64_t> expires_at);

struct TokenState {
    std::int64_t signature_id = 0;
    bool used = false;
    bool expired = false;
};
// The token with `token_hash` and `purpose`, used or not, expired or not.
std::optional<TokenState> find_token(store::Connection& connection, const std::string& token_hash,
                                     TokenPurpose purpose, std::int64_t now);
// Marks an unused, unexpired confirm token used and returns its signature; nullopt otherwise.
std::optional<std::int64_t> use_token(store::Connection& connection, const std::string& token_hash,
                                      std::int64_t now);
void delete_tokens(store::Connection& connection, std::int64_t signature_id);

// Pending → confirmed (or still pending when `publish` follows): the verification level, the
// confirmation time, the DNS challenge value. Applies only to a pending signature; false when it
// is not pending any more.
bool mark_confirmed(store::Connection& connection, std::int64_t id, Verification verification,
                    std::int64_t now, const std::string& dns_challenge);
// → published with its log index; listed when shown; older published signatures of the same
// signer in the campaign are superseded (they leave the list and the totals).
void mark_published(store::Connection& connection, const Record& record, std::int64_t now,
                    std::uint64_t log_index);
// Any status change that takes the signature off the list (withdrawn, rejected, cancelled, …).
void set_status(store::Connection& connection, std::int64_t id, SignatureStatus status,
                const std::optional<std::string>& note);
void set_verification(store::Connection& connection, std::int64_t id, Verification verification);
// Marks the receipt sent; false when it already was.
bool mark_receipt_sent(store::Connection& connection, std::int64_t id);

// A counter that every change to the public list (publication, status, verification, erasure)
// in this process increments, so cached counts of the list know when they are stale. Changes
// made by other servers are not seen here: callers also bound a cached value's age.
std::uint64_t public_list_generation();
// Deletes every personal field of the signature and sets it erased.
void erase_personal_data(store::Connection& connection, std::int64_t id);
// True when the signer (dedup key, kind, organisation domain) has a published signature of
// another version of `campaign`: an approval that carries over to a re-affirmation.
bool has_published_other_version(store::Connection& connection, const Record& record);

}  // namespace coalition::signon::signature_store
