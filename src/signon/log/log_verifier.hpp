#pragma once
// signon::verify_log: an independent audit of a transparency log through its public JSON API
// (docs/TRANSPARENCY_LOG.md), as `coalition log verify` runs it. It trusts nothing the server
// computed: it recomputes every served leaf's hash, the root from all leaf hashes, checks the
// tree head's Ed25519 signature, checks the server's inclusion proofs against the signed root,
// and, given the head saved by an earlier run, checks that the log only grew (consistency).

#include "core/result.hpp"
#include "signon/log/merkle.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace coalition::signon {

// What a verifier keeps between runs (the --state file), as JSON:
// {"tree_size": N, "timestamp": MS, "root_hash": B64, "signature": B64, "public_key": B64}.
struct VerifiedHead {
    std::uint64_t tree_size = 0;
    std::int64_t timestamp_ms = 0;
    Hash root_hash{};
    std::array<std::uint8_t, 64> signature{};
    std::array<std::uint8_t, 32> public_key{};

    std::string to_json() const;
    static core::Result<VerifiedHead> from_json(const std::string& text);
};

// GETs `path_and_query` ("/api/v1/log/sth") from the log and returns the body of a 200 answer;
// an error (message says why: status, connection) otherwise.
using LogFetch = std::function<core::Result<std::string>(const std::string& path_and_query)>;

struct LogVerifyOptions {
    std::optional<VerifiedHead> previous;  // From the state file, if any.
    // Inclusion proofs checked: every leaf when the log has at most this many, else this many
    // spread evenly over it (always the first and the last).
    std::uint64_t inclusion_checks = 256;
    std::function<void(const std::string&)> progress;  // Optional progress lines.
};

struct LogVerifyResult {
    VerifiedHead head;  // What to save for next time.
    std::uint64_t entries = 0;
    std::uint64_t withheld = 0;
    std::uint64_t proofs_checked = 0;
    std::string summary;  // One line for the user.
};

// Runs the audit. The error's message is one line naming what failed, and the entry index when
// it concerns one ("entry 17: leaf hash does not match its leaf").
core::Result<LogVerifyResult> verify_log(const LogFetch& fetch, const LogVerifyOptions& options);

}  // namespace coalition::signon
