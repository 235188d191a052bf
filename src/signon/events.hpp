#pragma once
// The leaves of the transparency log: canonical JSON of one public signature event (keys
// sorted, no white space, UTF-8), each with its own random salt so that a withheld leaf cannot
// be guessed back from its hash. docs/SIGNATURE_EVENTS.md documents the format. Private to
// signon/.

#include "core/random.hpp"
#include "signon/signon.hpp"

#include <cstdint>
#include <string>

namespace coalition::signon {

// "signature.published": organisations with their name, domain, country, stakeholder group and
// representative; individuals shown publicly with name, country and affiliation; hidden
// individuals with their kind only (no personal data). `signature` must be published.
std::string published_event(const Signature& signature, core::Random& random);

// "signature.withdrawn": the published entry `entry` left the list, by the signer or (`by` =
// "administrator") by a bulk cancellation.
std::string withdrawn_event(const std::string& campaign, std::uint64_t entry, std::string_view by,
                            std::int64_t at, core::Random& random);

// "signature.erased": the published entry `entry` was erased; its leaf is withheld.
std::string erased_event(const std::string& campaign, std::uint64_t entry, std::int64_t at,
                         core::Random& random);

// "response.endorsed" (joint responses' endorsers at publication): endorsement_event, declared in
// signon.hpp so that responses/ can write it.

// Standard base64 (with padding) of 16 random bytes.
std::string random_salt(core::Random& random);

}  // namespace coalition::signon
