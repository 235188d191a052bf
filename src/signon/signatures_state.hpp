#pragma once
// The private state of signon::Signatures and helpers shared by its .cpp files (signatures.cpp:
// signing, confirmation, DNS proof, withdrawal; moderation.cpp: moderation and abuse; erasure
// and re-affirmation; public_list.cpp: the list, its numbers, receipts). Private to signon/.

#include "signon/mails.hpp"
#include "signon/rate_limiter.hpp"
#include "signon/signature_store.hpp"
#include "signon/signon.hpp"
#include "store/transaction.hpp"

#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace coalition::signon {

using store::Rejection;

struct Signatures::State {
    State(store::Database& database_, const core::Clock& clock_, core::Random& random_,
          mail::Outbox& outbox_, TransparencyLog& log_, dns::Resolver& resolver_,
          SignOnSettings settings_);

    // Runs `body(connection)` in one transaction; a Rejection becomes its error.
    template <typename T, typename Body>
    core::Result<T> transact(Body&& body) {
        std::optional<T> out;
        try {
            database.transact(
                [&](store::Connection& connection) { out.emplace(body(connection)); });
        } catch (const Rejection& rejection) {
            return rejection.error();
        }
        return std::move(*out);
    }

    // Composes `message` and queues it in `connection`'s transaction.
    void enqueue(store::Connection& connection, const mail::OutgoingMessage& message);
    void enqueue(store::Connection& connection, const mail::ComposedMessage& message,
                 const std::string& subject);

    // The mail recipient for a stored signature (its address parses back: it was valid).
    mails::Recipient recipient(const Signature& signature, const std::string& campaign_title);

    // Publishes `record` (status checked by the caller): appends its "published" event to the
    // log in `connection`'s transaction and stores the index. Returns the signature as published.
    Signature publish(store::Connection& connection, const signature_store::Record& record);

    // A new token and the key to store for it (time digits, then its hash: signatures.cpp).
    struct NewToken {
        std::string token;
        std::string hash;
    };
    NewToken new_token();

    store::Database& database;
    const core::Clock& clock;
    core::Random& random;
    mail::Outbox& outbox;
    TransparencyLog& log;
    dns::Resolver& resolver;
    const SignOnSettings settings;
    RateLimiter per_address;
    RateLimiter per_domain;

    // Saves `campaign` with the sign-up's transaction when this server has not saved it as it is.
    void remember_campaign(store::Connection& connection, const Campaign& campaign,
                           const std::string& base_url);

    // Counts of the public list by filter, for list(): counting 100,000 rows on every page view
    // costs more than the page. An entry is used while the list's generation is unchanged and
    // it is younger than kCountCacheSeconds (changes made by other servers); a stale entry is
    // recounted by one caller while concurrent ones use the previous count.
    struct CachedCount {
        std::uint64_t generation = 0;
        std::int64_t computed_at = 0;
        std::int64_t count = 0;
        bool recounting = false;  // A caller is counting it again; the others use `count`.
    };
    static constexpr std::int64_t kCountCacheSeconds = 2;
    std::mutex counts_mutex;
    std::unordered_map<std::string, CachedCount> counts;

    std::mutex campaigns_mutex;
    // "key\ntitle\npath\nbase_url" of each campaign saved. Guarded by campaigns_mutex.
    std::unordered_map<std::string, std::string> saved_campaigns;

    std::mutex retry_mutex;
    // Unix time when a client refused by the per-domain limit may retry. Guarded by retry_mutex.
    std::unordered_map<std::string, std::int64_t> domain_retry_at;
};

// Base URL without trailing slashes.
std::string trim_base_url(std::string_view base_url);

}  // namespace coalition::signon
