#include "signon/signature_store.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"

#include <atomic>

namespace coalition::signon::signature_store {
namespace {

constexpr std::string_view kColumns =
    "id, campaign, version_hash, kind, status, verification, name, email, country, region, "
    "affiliation, show_publicly, title, organisation_name, organisation_domain, "
    "stakeholder_group, language, client_address, created_at, confirmed_at, published_at, "
    "log_index, moderation_note, dedup_key, email_domain, organisation_domain_ascii, "
    "dns_challenge, notices_sent";

std::string_view purpose_name(TokenPurpose purpose) {
    switch (purpose) {
        case TokenPurpose::Confirm:
            return "confirm";
        case TokenPurpose::Withdraw:
            return "withdraw";
        case TokenPurpose::Dns:
            return "dns";
    }
    COALITION_ASSERT(false, "unknown token purpose");
    return {};
}

Record from_row(const store::Row& row) {
    Record record;
    Signature& s = record.signature;
    s.id = row.integer(0);
    s.campaign = row.text(1);
    s.version_hash = row.text(2);
    s.kind = parse_kind(row.text(3)).value_or(SignatoryKind::Individual);
    s.status = parse_status(row.text(4)).value_or(SignatureStatus::Pending);
    s.verification = parse_verification(row.text(5)).value_or(Verification::None);
    s.name = row.text(6);
    s.email = row.text(7);
    s.country = row.text(8);
    s.region = row.text(9);
    s.affiliation = row.text(10);
    s.show_publicly = row.boolean(11);
    s.title = row.text(12);
    s.organisation_name = row.text(13);
    s.organisation_domain = row.text(14);
    s.stakeholder_group = row.text(15);
    s.language = row.text(16);
    s.client_address = row.text(17);
    s.created_at = row.integer(18);
    s.confirmed_at = row.optional_integer(19);
    s.published_at = row.optional_integer(20);
    if (const auto index = row.optional_integer(21)) {
        s.log_index = static_cast<std::uint64_t>(*index);
    }
    s.moderation_note = row.text(22);
    record.dedup_key = row.text(23);
    record.email_domain = row.text(24);
    record.organisation_domain_ascii = row.text(25);
    record.dns_challenge = row.text(26);
    record.notices_sent = row.integer(27);
    return record;
}

std::string select_sql(std::string_view tail) {
    return "SELECT " + std::string(kColumns) + " FROM signatures " + std::string(tail);
}

// What the list shows as the name, lower-cased for sorting, and the text searched.
std::string shown_name(SignatoryKind kind, const std::string& name,
                       const std::string& organisation_name) {
    return kind == SignatoryKind::Organisation ? organisation_name : name;
}

}  // namespace

store::Rows ReadConnection::query(std::string_view sql, const store::Params& params) {
    return database_.query(sql, params);
}

std::int64_t ReadConnection::execute(std::string_view, const store::Params&) {
    COALITION_ASSERT(false, "ReadConnection cannot write");
    return 0;
}

void ReadConnection::execute_script(std::string_view) {
    COALITION_ASSERT(false, "ReadConnection cannot write");
}

void save_campaign(store::Connection& connection, const Campaign& campaign,
                   const std::string& base_url, std::int64_t now) {
    connection.execute(
        "INSERT INTO signature_campaigns (campaign, title, path, base_url, updated_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign) DO UPDATE SET title = $2, path = $3, "
        "base_url = $4, updated_at = $5",
        {campaign.key, campaign.title, campaign.path, base_url, now});
}

CampaignLinks find_campaign(store::Connection& connection, const std::string& campaign) {
    const auto row = connection.query_one(
        "SELECT title, path, base_url FROM signature_campaigns WHERE campaign = $1", {campaign});
    if (!row) {
        return {Campaign{.key = campaign, .title = campaign, .path = "/" + campaign}, ""};
    }
    return {Campaign{.key = campaign, .title = row->text(0), .path = row->text(1)}, row->text(2)};
}

store::Params pending_row(const Signatory& signatory, const std::string& campaign,
                          const std::string& version_hash, const std::string& client_address,
                          std::int64_t now) {
    const std::string shown =
        shown_name(signatory.kind, signatory.name, signatory.organisation_name);
    std::string search = shown;
    if (signatory.kind == SignatoryKind::Organisation) {
        search += "\n" + signatory.name;
    } else if (!signatory.affiliation.empty()) {
        search += "\n" + signatory.affiliation;
    }
    return {
        campaign,
        version_hash,
        std::string(to_string(signatory.kind)),
        signatory.name,
        signatory.email.unicode(),
        signatory.dedup_key,
        signatory.email.domain().ascii(),
        signatory.country,
        signatory.region,
        signatory.affiliation,
        std::int64_t{signatory.show_publicly ? 1 : 0},
        signatory.title,
        signatory.organisation_name,
        signatory.organisation_domain ? signatory.organisation_domain->unicode() : std::string(),
        signatory.organisation_domain ? signatory.organisation_domain->ascii() : std::string(),
        signatory.stakeholder_group,
        signatory.language,
        client_address,
        now,
        core::to_lower(shown),
        core::to_lower(search)};
}

std::optional<std::int64_t> insert_pending(store::Connection& connection,
                                           const store::Params& pending_row) {
    return connection.insert_returning_id(
        "INSERT INTO signatures (campaign, version_hash, kind, status, verification, name, email, "
        "dedup_key, email_domain, country, region, affiliation, show_publicly, title, "
        "organisation_name, organisation_domain, organisation_domain_ascii, stakeholder_group, "
        "language, client_address, created_at, sort_name, search_text) VALUES ($1, $2, $3, "
        "'pending', 'none', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$19, $20, $21) ON CONFLICT (dedup_key, campaign, version_hash) DO NOTHING",
        pending_row);
}

std::optional<std::int64_t> insert_copy(store::Connection& connection, std::int64_t from,
                                        const std::string& version_hash, std::int64_t now) {
    const auto row = connection.query_one(
        "INSERT INTO signatures (campaign, version_hash, kind, status, verification, name, email, "
        "dedup_key, email_domain, country, region, affiliation, show_publicly, title, "
        "organisation_name, organisation_domain, organisation_domain_ascii, stakeholder_group, "
        "language, client_address, created_at, sort_name, search_text) "
        "SELECT campaign, CAST($2 AS TEXT), kind, 'pending', 'none', name, email, dedup_key, "
        "email_domain, "
        "country, region, affiliation, show_publicly, title, organisation_name, "
        "organisation_domain, organisation_domain_ascii, stakeholder_group, language, "
        "client_address, CAST($3 AS BIGINT), sort_name, search_text FROM signatures WHERE id = $1 "
        "ON CONFLICT (dedup_key, campaign, version_hash) DO NOTHING RETURNING id",
        {from, version_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return row->integer(0);
}

std::optional<Record> find(store::Connection& connection, std::int64_t id) {
    const auto row = connection.query_one(select_sql("WHERE id = $1"), {id});
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::optional<Record> find_by_key(store::Connection& connection, const std::string& campaign,
                                  const std::string& version_hash, const std::string& dedup_key) {
    const auto row = connection.query_one(
        select_sql("WHERE dedup_key = $1 AND campaign = $2 AND version_hash = $3"),
        {dedup_key, campaign, version_hash});
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::vector<Record> find_by_dedup_key(store::Connection& connection, const std::string& dedup_key) {
    return find_where(connection, "dedup_key = $1 AND status <> 'erased'", {dedup_key}, 100000);
}

std::vector<Record> find_where(store::Connection& connection, const std::string& where,
                               const store::Params& params, std::int64_t limit) {
    std::vector<Record> records;
    for (const auto& row : connection.query(
             select_sql("WHERE " + where + " ORDER BY id LIMIT " + std::to_string(limit)),
             params)) {
        records.push_back(from_row(row));
    }
    return records;
}

bool count_notice(store::Connection& connection, std::int64_t id, int cap) {
    return connection.execute(
               "UPDATE signatures SET notices_sent = notices_sent + 1 "
               "WHERE id = $1 AND notices_sent < $2",
               {id, std::int64_t{cap}}) > 0;
}

void insert_token(store::Connection& connection, std::int64_t signature_id,
                  const std::string& token_hash, TokenPurpose purpose, std::int64_t now,
                  std::optional<std::int64_t> expires_at) {
    connection.execute(
        "INSERT INTO signature_tokens (token_hash, signature_id, purpose, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {token_hash, signature_id, std::string(purpose_name(purpose)), now,
         store::nullable(expires_at)});
}

std::optional<TokenState> find_token(store::Connection& connection, const std::string& token_hash,
                                     TokenPurpose purpose, std::int64_t now) {
    const auto row = connection.query_one(
        "SELECT signature_id, used_at, expires_at FROM signature_tokens "
        "WHERE token_hash = $1 AND purpose = $2",
        {token_hash, std::string(purpose_name(purpose))});
    if (!row) {
        return std::nullopt;
    }
    const auto expires_at = row->optional_integer(2);
    return TokenState{.signature_id = row->integer(0),
                      .used = !row->is_null(1),
                      .expired = expires_at && *expires_at <= now};
}

std::optional<std::int64_t> use_token(store::Connection& connection, const std::string& token_hash,
                                      std::int64_t now) {
    const auto row = connection.query_one(
        "UPDATE signature_tokens SET used_at = $2 WHERE token_hash = $1 AND purpose = 'confirm' "
        "AND used_at IS NULL AND expires_at > $2 RETURNING signature_id",
        {token_hash, now});
    if (!row) {
        return std::nullopt;
    }
    return row->integer(0);
}

void delete_tokens(store::Connection& connection, std::int64_t signature_id) {
    connection.execute("DELETE FROM signature_tokens WHERE signature_id = $1", {signature_id});
}

bool mark_confirmed(store::Connection& connection, std::int64_t id, Verification verification,
                    std::int64_t now, const std::string& dns_challenge) {
    return connection.execute(
               "UPDATE signatures SET status = 'confirmed', verification = $2, confirmed_at = $3, "
               "dns_challenge = $4 WHERE id = $1 AND status = 'pending'",
               {id, std::string(to_string(verification)), now, dns_challenge}) > 0;
}

namespace {
std::atomic<std::uint64_t> list_generation{0};
void touch_public_list() {
    list_generation.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

std::uint64_t public_list_generation() {
    return list_generation.load(std::memory_order_relaxed);
}

namespace {

// The signatures of one signer ($1, the dedup key) for one campaign ($2), through the unique
// index (dedup_key, campaign, version_hash). Written as a subquery on purpose: given the status
// as well, SQLite chose the index on (campaign, status, …) and read every published signature of
// the campaign, at each confirmation (169 confirmations/s at 3,000 published, worse with more).
constexpr const char* kSameSigner =
    "id IN (SELECT id FROM signatures WHERE dedup_key = $1 AND campaign = $2)";

}  // namespace

void mark_published(store::Connection& connection, const Record& record, std::int64_t now,
                    std::uint64_t log_index) {
    touch_public_list();
    const Signature& s = record.signature;
    const bool listed = s.kind == SignatoryKind::Organisation || s.show_publicly;
    connection.execute(
        "UPDATE signatures SET status = 'published', published_at = $2, log_index = $3, "
        "listed = $4, superseded = 0 WHERE id = $1",
        {s.id, now, static_cast<std::int64_t>(log_index), std::int64_t{listed ? 1 : 0}});
    connection.execute(std::string("UPDATE signatures SET listed = 0, superseded = 1 WHERE ") +
                           kSameSigner +
                           " AND id <> $3 AND status = 'published' AND superseded = 0",
                       {record.dedup_key, s.campaign, s.id});
}

void set_status(store::Connection& connection, std::int64_t id, SignatureStatus status,
                const std::optional<std::string>& note) {
    COALITION_ASSERT(status != SignatureStatus::Published, "mark_published() publishes");
    touch_public_list();
    // Off the public list, and a receipt is no longer due.
    if (note) {
        connection.execute(
            "UPDATE signatures SET status = $2, listed = 0, receipt_sent = 1, "
            "moderation_note = $3 WHERE id = $1",
            {id, std::string(to_string(status)), *note});
    } else {
        connection.execute(
            "UPDATE signatures SET status = $2, listed = 0, receipt_sent = 1 WHERE id = $1",
            {id, std::string(to_string(status))});
    }
}

void set_verification(store::Connection& connection, std::int64_t id, Verification verification) {
    touch_public_list();
    connection.execute("UPDATE signatures SET verification = $2 WHERE id = $1",
                       {id, std::string(to_string(verification))});
}

bool mark_receipt_sent(store::Connection& connection, std::int64_t id) {
    return connection.execute(
               "UPDATE signatures SET receipt_sent = 1 WHERE id = $1 AND receipt_sent = 0", {id}) >
           0;
}

void erase_personal_data(store::Connection& connection, std::int64_t id) {
    touch_public_list();
    connection.execute(
        "UPDATE signatures SET status = 'erased', name = '', email = '', dedup_key = $2, "
        "email_domain = '', country = '', region = '', affiliation = '', title = '', "
        "organisation_name = '', organisation_domain = '', organisation_domain_ascii = '', "
        "stakeholder_group = '', client_address = '', moderation_note = '', dns_challenge = '', "
        "sort_name = '', search_text = '', listed = 0, receipt_sent = 1 WHERE id = $1",
        {id, "erased:" + std::to_string(id)});
    delete_tokens(connection, id);
}

bool has_published_other_version(store::Connection& connection, const Record& record) {
    const Signature& s = record.signature;
    return connection
        .query_one(std::string("SELECT 1 FROM signatures WHERE ") + kSameSigner +
                       " AND id <> $3 AND status = 'published' AND kind = $4 AND "
                       "organisation_domain_ascii = $5 LIMIT 1",
                   {record.dedup_key, s.campaign, s.id, std::string(to_string(s.kind)),
                    record.organisation_domain_ascii})
        .has_value();
}

}  // namespace coalition::signon::signature_store
