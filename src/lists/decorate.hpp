#pragma once
// Decoration: turning an accepted post into what members receive. Pure functions (GMime inside),
// no database. decorate() runs once per post (when it is accepted); personalise() runs once per
// recipient at delivery and must stay cheap (string splicing, no MIME parsing): 100,000
// recipients per post.

#include "core/result.hpp"
#include "lists/list.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace coalition::lists {

// The header decorate() adds with the list's List-Id value (list_id_header()): intake's loop
// rule discards a message that already carries it for this list, so a post that comes back to
// the list (an auto-forward, a member's mailbox rule) is never sent out again.
inline constexpr std::string_view kLoopHeader = "X-Coalition-Loop";

// What the author's domain publishes in DMARC (from dns::DmarcPolicies; intake looks it up).
enum class AuthorDmarc { None, Quarantine, Reject, Unknown /* DNS failed: treated as Reject */ };

struct DecorationContext {
    std::string base_url;     // https://coalition.example — List-Archive, List-Help pages.
    std::string archive_url;  // <base_url>/lists/NAME (List-Archive)
    std::string permalink;    // <base_url>/lists/NAME/m/ID (Archived-At); "" when not archived
    std::string message_id;   // The post's Message-ID (assigned ones are added as a header).
    bool add_message_id = false;
    AuthorDmarc author_dmarc = AuthorDmarc::None;
};

// The list's changes, as Mailman makes them: the subject prefix once (no "Re: [x] Re: [x]"),
// RFC 2369 and RFC 2919 headers (List-Id, List-Post, List-Help, List-Subscribe, List-Archive,
// Archived-At; List-Unsubscribe is personal: see personalise), our loop header, Reply-To as the
// list's policy says, Precedence: list, the footer added MIME-correctly (a text part appended to
// a multipart/mixed; a signed or encrypted message wrapped, never altered inside), and the DMARC
// mitigation of the list's settings ("Name via LIST <NAME@DOMAIN>", the author in Reply-To or Cc).
// DKIM-Signature headers of the original are removed (they can no longer verify). Invalid when
// `raw` cannot be parsed as a message (GMime finds no header field).
// Details: a reply's subject reads "Re: [x] hi" (the prefix after one "Re: "); a message without
// a subject gets "[x] (no subject)". Reply-To List/Explicit replaces the author's Reply-To. With
// From munged, the author is added to Reply-To when the policy is None, else to Cc (Mailman 3's
// munge_from). Header URIs are ASCII (A-label domains; other bytes percent-encoded) and every
// setting is made header-safe, so no setting can add a header line. The output has CRLF line
// ends; parts that are not changed keep their bytes (8-bit bodies, a signed part).
core::Result<std::string> decorate(const List& list, std::string_view raw,
                                   const DecorationContext& context);

struct PersonalHeaders {
    std::string unsubscribe_url;     // https one-click (RFC 8058)
    std::string unsubscribe_mailto;  // mailto:NAME-leave@DOMAIN
};

// `decorated` with List-Unsubscribe (both URIs) and List-Unsubscribe-Post: List-Unsubscribe=
// One-Click prepended to the header block. Cheap: no parsing.
std::string personalise(std::string_view decorated, const PersonalHeaders& headers);

// The same headers as one string (for callers that write the two parts themselves).
std::string personal_header_block(const PersonalHeaders& headers);

}  // namespace coalition::lists
