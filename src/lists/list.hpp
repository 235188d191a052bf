#pragma once
// lists::List and its settings: what a list is and how it behaves. Values only; the Lists service
// (lists.hpp) stores them. Each setting enum has to_string (as stored, and for the CLI and
// JSON) and a parse_* that fails with Invalid naming the field.

#include "core/domain.hpp"
#include "core/email.hpp"
#include "core/id.hpp"
#include "core/result.hpp"
#include "lists/list_address.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {

struct ListTag {};
using ListId = core::Id<ListTag>;

// Who may post without being held.
enum class PostingPolicy {
    Members,    // Members post; nonmembers meet the nonmember policy.
    Anyone,     // Anyone posts (an open list; still subject to size, loop and duplicate rules).
    Moderated,  // Every post is held for a moderator (an announcement list).
};
// What happens to a post from a nonmember when posting_policy is Members.
enum class NonmemberPolicy { Hold, Reject, Discard, Accept };
enum class ArchiveVisibility { Public, Members, None };
enum class DigestPeriod { Daily, Weekly, Monthly };
enum class ReplyToPolicy {
    None,      // Reply-To is left as the author set it.
    List,      // Reply-To: the posting address.
    Explicit,  // Reply-To: ListSettings::reply_to_address.
};
// DMARC mitigation, as Mailman's dmarc_mitigate_action + from_is_list.
enum class DmarcMitigation {
    MungeFromWhenNeeded,  // "Name via LIST" when the author's domain publishes p=reject/quarantine.
    MungeFromAlways,
    Never,
};

const char* to_string(PostingPolicy value);
const char* to_string(NonmemberPolicy value);
const char* to_string(ArchiveVisibility value);
const char* to_string(DigestPeriod value);
const char* to_string(ReplyToPolicy value);
const char* to_string(DmarcMitigation value);  // "munge-when-needed", "munge-always", "never"

core::Result<PostingPolicy> parse_posting_policy(std::string_view text);
core::Result<NonmemberPolicy> parse_nonmember_policy(std::string_view text);
core::Result<ArchiveVisibility> parse_archive_visibility(std::string_view text);
core::Result<DigestPeriod> parse_digest_period(std::string_view text);
core::Result<ReplyToPolicy> parse_reply_to_policy(std::string_view text);
core::Result<DmarcMitigation> parse_dmarc_mitigation(std::string_view text);

struct ListSettings {
    static constexpr std::int64_t kDefaultMaxMessageBytes = std::int64_t{1024} * 1024;
    static constexpr std::int64_t kMinMaxMessageBytes = 1024;
    static constexpr std::int64_t kMaxMaxMessageBytes = std::int64_t{64} * 1024 * 1024;
    static constexpr std::int64_t kDefaultDigestSizeThreshold =
        std::int64_t{30} * 1024;  // Mailman's 30 KB.

    std::string display_name;  // Up to 100 characters; "" shows the name.
    std::string description;   // Up to 2000 characters.
    PostingPolicy posting_policy = PostingPolicy::Members;
    NonmemberPolicy nonmember_policy = NonmemberPolicy::Hold;
    std::string subject_prefix;  // Up to 64 characters; "" = none. Lists::create sets "[name]".
    std::string footer;          // Up to 4000 characters of text, lines separated by LF.
    std::int64_t max_message_bytes = kDefaultMaxMessageBytes;
    ArchiveVisibility archive_visibility = ArchiveVisibility::Members;
    bool digest_enabled = true;
    DigestPeriod digest_period = DigestPeriod::Daily;
    std::int64_t digest_size_threshold_bytes = kDefaultDigestSizeThreshold;
    ReplyToPolicy reply_to_policy = ReplyToPolicy::None;
    std::optional<core::Email> reply_to_address;  // Set exactly when reply_to_policy is Explicit.
    bool emergency_moderation = false;            // Hold every post, members' too.
    DmarcMitigation dmarc_mitigation = DmarcMitigation::MungeFromWhenNeeded;
    std::string preferred_language = "en";  // For mail to members whose language is unknown.

    // Normalises the text fields (NFC, trimmed; the footer's CRLF become LF) and checks every
    // field. Returns each problem with its field name ("subject_prefix", "footer", …), so a form
    // can show them all; empty when valid.
    std::vector<core::Error> normalise_and_check();
};

struct List {
    ListId id;
    std::string name;     // "coalition-discuss"
    core::Domain domain;  // U-label kept; compared by A-label.
    ListSettings settings;
    std::vector<core::Email> owners;
    std::vector<core::Email> moderators;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;

    // NAME@DOMAIN (U-label): what people write to.
    core::Email posting_address() const;
    ListAddress address(AddressRole role) const { return ListAddress::of(name, domain, role); }
    // The RFC 2919 List-Id value without angle brackets: "name.a-label.domain".
    std::string list_id_header() const;
    // settings.display_name, or the name when that is empty.
    std::string title() const;
    // True when `email` is an owner or a moderator (compared canonically).
    bool is_moderator(const core::Email& email) const;
    bool is_owner(const core::Email& email) const;
};

}  // namespace coalition::lists
