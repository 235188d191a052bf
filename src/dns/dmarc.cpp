// dns::DmarcPolicies: RFC 7489 §6.6.3 policy discovery, cached per domain.

#include "core/text.hpp"
#include "core/unavailable.hpp"
#include "dns/dns.hpp"

#include <array>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace coalition::dns {
namespace {

// More domains than this in the cache and expired entries are dropped (all of them when none
// has expired): a cap on memory, not an LRU, since a busy list sees few distinct domains.
constexpr std::size_t kMaxCachedDomains = 10'000;

// Second-level labels that, under a two-letter country-code TLD, form a public suffix of two
// labels (co.uk, com.au, org.nz, ac.jp, gov.br …). A heuristic standing in for the Public
// Suffix List, which Debian packages but which would be one more file to find at run time.
constexpr std::array<std::string_view, 22> kSecondLevelSuffixLabels = {
    "ac", "co",  "com", "edu", "go",  "gob", "gov", "govt", "gv",  "id",   "ltd",
    "me", "mil", "ne",  "net", "nic", "or",  "org", "plc",  "sch", "gouv", "nom"};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim_ascii(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<DmarcPolicy> policy_value(std::string_view value) {
    if (core::equals_ignoring_ascii_case(value, "none")) {
        return DmarcPolicy::None;
    }
    if (core::equals_ignoring_ascii_case(value, "quarantine")) {
        return DmarcPolicy::Quarantine;
    }
    if (core::equals_ignoring_ascii_case(value, "reject")) {
        return DmarcPolicy::Reject;
    }
    return std::nullopt;
}

// A DMARC record's policy tags. `is_dmarc` is false for a TXT record that is not DMARC at all
// (RFC 7489 §6.6.3 step 2 discards those before counting records).
struct Record {
    bool is_dmarc = false;
    std::optional<DmarcPolicy> policy;            // p=, when valid.
    std::optional<DmarcPolicy> subdomain_policy;  // sp=, when present and valid.
    bool has_invalid_tag = false;                 // A p= or sp= with an unknown value.
};

// RFC 7489 §6.4: tag-value pairs separated by ";", white space allowed around tags, "=" and
// values; "v=DMARC1" must come first. Tag names and policy values are read case-insensitively.
Record parse_record(std::string_view text) {
    Record record;
    bool first = true;
    while (!text.empty()) {
        const auto semicolon = text.find(';');
        const std::string_view pair = trim_ascii(text.substr(0, semicolon));
        text =
            semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
        if (pair.empty()) {
            continue;
        }
        const auto equals = pair.find('=');
        const std::string_view tag = trim_ascii(pair.substr(0, equals));
        const std::string_view value = equals == std::string_view::npos
                                           ? std::string_view{}
                                           : trim_ascii(pair.substr(equals + 1));
        if (first) {
            if (!core::equals_ignoring_ascii_case(tag, "v") ||
                !core::equals_ignoring_ascii_case(value, "DMARC1")) {
                return record;
            }
            record.is_dmarc = true;
            first = false;
            continue;
        }
        if (core::equals_ignoring_ascii_case(tag, "p")) {
            record.policy = policy_value(value);
            record.has_invalid_tag = record.has_invalid_tag || !record.policy;
        } else if (core::equals_ignoring_ascii_case(tag, "sp")) {
            record.subdomain_policy = policy_value(value);
            record.has_invalid_tag = record.has_invalid_tag || !record.subdomain_policy;
        }
    }
    return record;
}

// The one DMARC record at `_dmarc.<domain>`: nullopt when there is none, or when there are
// several (RFC 7489 §6.6.3 step 4: discovery then ends with no policy, reported as a record
// without a valid p=). Throws core::Unavailable from the resolver.
std::optional<Record> find_record(Resolver& resolver, const std::string& domain) {
    const auto answer = resolver.txt("_dmarc." + domain);
    if (!answer) {
        return std::nullopt;
    }
    std::optional<Record> found;
    for (const std::string& text : answer->records) {
        Record record = parse_record(text);
        if (!record.is_dmarc) {
            continue;
        }
        if (found) {
            Record several;
            several.is_dmarc = true;
            several.has_invalid_tag = true;
            return several;
        }
        found = record;
    }
    return found;
}

// The registrable domain of an A-label name: its last two labels, or three under a two-label
// public suffix. A name with fewer labels is its own organisational domain.
std::string organisational_domain(const std::string& ascii) {
    std::vector<std::string_view> labels;
    std::string_view rest = ascii;
    while (!rest.empty()) {
        const auto dot = rest.find('.');
        labels.push_back(rest.substr(0, dot));
        rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    }
    std::size_t keep = 2;
    if (labels.size() >= 3 && labels.back().size() == 2) {
        const std::string_view second = labels[labels.size() - 2];
        for (const std::string_view suffix_label : kSecondLevelSuffixLabels) {
            if (core::equals_ignoring_ascii_case(second, suffix_label)) {
                keep = 3;
            }
        }
    }
    if (labels.size() <= keep) {
        return ascii;
    }
    std::string organisational;
    for (std::size_t label_idx = labels.size() - keep; label_idx < labels.size(); ++label_idx) {
        organisational += organisational.empty() ? "" : ".";
        organisational += labels[label_idx];
    }
    return organisational;
}

DmarcPolicy discover(Resolver& resolver, const std::string& domain) {
    if (const auto record = find_record(resolver, domain)) {
        return record->has_invalid_tag || !record->policy ? DmarcPolicy::None : *record->policy;
    }
    const std::string organisational = organisational_domain(domain);
    if (organisational == domain) {
        return DmarcPolicy::None;
    }
    const auto record = find_record(resolver, organisational);
    if (!record || record->has_invalid_tag || !record->policy) {
        return DmarcPolicy::None;
    }
    // RFC 7489 §6.3: sp= is the policy for subdomains; absent, p= applies to them too.
    return record->subdomain_policy.value_or(*record->policy);
}

}  // namespace

struct DmarcPolicies::Cache {
    struct Entry {
        DmarcPolicy policy;
        core::TimePoint expires;
    };
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;  // By A-label domain. Guarded by mutex.
};

DmarcPolicies::DmarcPolicies(Resolver& resolver, const core::Clock& clock, std::chrono::seconds ttl)
    : resolver_(resolver), clock_(clock), ttl_(ttl), cache_(std::make_unique<Cache>()) {
}

DmarcPolicies::~DmarcPolicies() = default;

DmarcPolicy DmarcPolicies::policy_for(const core::Domain& domain) {
    const std::string& key = domain.ascii();
    {
        std::lock_guard lock(cache_->mutex);
        const auto cached = cache_->entries.find(key);
        if (cached != cache_->entries.end() && clock_.now() < cached->second.expires) {
            return cached->second.policy;
        }
    }
    // Looked up outside the lock, so one slow domain does not hold up the others. Unavailable
    // propagates and nothing is cached: the next post asks again.
    const DmarcPolicy policy = discover(resolver_, key);
    const core::TimePoint now = clock_.now();
    std::lock_guard lock(cache_->mutex);
    if (cache_->entries.size() >= kMaxCachedDomains) {
        std::erase_if(cache_->entries,
                      [&](const auto& entry) { return entry.second.expires <= now; });
        if (cache_->entries.size() >= kMaxCachedDomains) {
            cache_->entries.clear();
        }
    }
    cache_->entries.insert_or_assign(key, Cache::Entry{policy, now + ttl_});
    return policy;
}

}  // namespace coalition::dns
