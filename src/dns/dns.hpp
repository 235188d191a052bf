#pragma once
// dns: looking names up in the DNS, for checks that depend on what a domain publishes: the
// `_coalition-challenge` TXT proof of a signing organisation (signon/) and the DMARC policy of a
// list post's author (lists/). A base module like mail/: it uses core only. The interface is
// small so that domain code can be tested against a real local DNS server (tests start one) or a
// fake, and the one implementation wraps libunbound.

#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/result.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::dns {

// The TXT records at one name. Each record's character-strings are joined (RFC 7208 §3.3 style),
// so a long token split over several strings reads as one.
struct TxtAnswer {
    std::vector<std::string> records;
    bool secure = false;  // The answer validated with DNSSEC (the AD-equivalent from unbound).
};

// Thread-safe: every implementation may be called from any thread at once.
class Resolver {
public:
    virtual ~Resolver() = default;
    // The TXT records at `name` (an ASCII name: A-labels, no trailing dot needed).
    // NotFound when the name does not exist or has no TXT records; an answer that fails DNSSEC
    // validation (bogus) is also NotFound, with a message saying so. Throws core::Unavailable
    // when no answer could be had (timeout, SERVFAIL, resolver unreachable).
    virtual core::Result<TxtAnswer> txt(std::string_view name) = 0;
};

struct ResolverSettings {
    // Where to send queries: "" uses the system's /etc/resolv.conf; otherwise one address with
    // an optional port, "127.0.0.1@5353" (unbound's notation), queried as a forwarder.
    std::string forward_to;
    // A trust anchor file (DS or DNSKEY records, as unbound's auto-trust-anchor-file or
    // trust-anchor-file reads it). Empty: the root's key from Debian's dns-root-data when present.
    // Without any anchor nothing validates and `secure` is always false.
    std::string trust_anchor_file;
    std::chrono::milliseconds timeout{5000};
};

// libunbound. Throws core::StartupError when the settings are unusable (a malformed address, a
// trust anchor file that cannot be read).
std::unique_ptr<Resolver> make_unbound_resolver(const ResolverSettings& settings);

// What a domain asks receivers to do with mail that fails DMARC (RFC 7489 `p=`).
enum class DmarcPolicy { None, Quarantine, Reject };

// DMARC policies, cached per domain for `ttl` (a list post from a busy domain looks it up once).
// Looks up `_dmarc.<domain>`, then `_dmarc.<organisational domain>` (the registrable domain:
// the last two labels, or three under a two-label public suffix such as co.uk/com.au/org.nz).
// A domain without a record, or with a malformed one, is DmarcPolicy::None; `sp=` applies to
// subdomains found through the organisational domain. Thread-safe.
class DmarcPolicies {
public:
    DmarcPolicies(Resolver& resolver, const core::Clock& clock,
                  std::chrono::seconds ttl = std::chrono::hours(1));
    ~DmarcPolicies();
    // Throws core::Unavailable when the DNS cannot answer (the caller decides: lists/ munges
    // From when in doubt).
    DmarcPolicy policy_for(const core::Domain& domain);

private:
    struct Cache;
    Resolver& resolver_;
    const core::Clock& clock_;
    std::chrono::seconds ttl_;
    std::unique_ptr<Cache> cache_;
};

}  // namespace coalition::dns
