#pragma once
// GET /api/v1/log/…: the transparency log of public signature events, read-only and public, for
// independent verifiers (docs/TRANSPARENCY_LOG.md documents every field and byte). Hashes, keys
// and signatures are padded standard base64. Malformed or out-of-range parameters answer 400 with
// an RFC 9457 problem naming the parameter; a database outage 503 (the router).

#include "web/http.hpp"
#include "web/site.hpp"

#include <cstdint>

namespace coalition::web {

class LogApi {
public:
    // At most this many entries per /entries request; a client pages on from the last index.
    static constexpr std::uint64_t kMaxEntries = 1000;

    explicit LogApi(Site& site) : site_(site) {}
    // {tree_size, timestamp, root_hash, signature}: the newest signed tree head (signing the
    // first one if none was signed yet).
    Response tree_head(Request& request) const;
    // ?start=&end= (inclusive, as RFC 9162 get-entries): {entries: [{index, leaf_hash, leaf}]},
    // leaf null when withheld; at most kMaxEntries, fewer past the end of the log.
    Response entries(Request& request) const;
    // ?index=&tree_size=: {leaf_index, tree_size, audit_path: [...]}.
    Response inclusion_proof(Request& request) const;
    // ?first=&second=: {first, second, consistency_path: [...]}.
    Response consistency_proof(Request& request) const;
    // {public_key, algorithm: "ed25519"}.
    Response key(Request& request) const;

private:
    Site& site_;
};

}  // namespace coalition::web
