#pragma once
// lists::Member: one address's relation to one list, in one of three states. A row is kept after
// unsubscription, so the roster shows who left and when.

#include "core/email.hpp"
#include "core/id.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::lists {

struct MemberTag {};
using MemberId = core::Id<MemberTag>;

enum class MemberState {
    Pending,       // Asked to subscribe; waiting for the confirmation. Receives nothing.
    Subscribed,    // A member.
    Unsubscribed,  // Left or was removed. Receives nothing.
};
enum class DeliveryMode {
    Regular,      // Each post as it is accepted.
    Digest,       // The list's digest, as MIME (each post a message/rfc822 part).
    PlainDigest,  // The list's digest as one plain-text message (RFC 1153), for simple readers.
    None,         // Nothing (a member who only posts, or is away).
};
// How the member came: the web form, a mail to NAME-join / NAME-request, or an admin.
enum class MemberSource { Web, Mail, Admin };

const char* to_string(MemberState value);   // "pending", "subscribed", "unsubscribed"
const char* to_string(DeliveryMode value);  // "regular", "digest", "digest-plain", "none"
const char* to_string(MemberSource value);  // "web", "mail", "admin"
core::Result<DeliveryMode> parse_delivery_mode(std::string_view text);
// Digest or PlainDigest.
bool receives_digests(DeliveryMode mode);

struct Member {
    MemberId id;
    ListId list_id;
    core::Email email;
    std::string display_name;
    MemberState state = MemberState::Pending;
    DeliveryMode delivery_mode = DeliveryMode::Regular;
    std::string language = "en";  // A supported i18n tag: mail to this member is in it.
    MemberSource source = MemberSource::Web;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> subscribed_at;
    std::optional<std::int64_t> unsubscribed_at;
};

// The member's personal links (https), for the welcome mail, the List-Unsubscribe header of each
// delivered post (RFC 8058) and the preferences page. Neither expires; both change when the member
// unsubscribes and comes back.
struct MemberLinks {
    std::string unsubscribe_token;  // [a-z2-7]{32}
    std::string preferences_token;
    std::string unsubscribe_url;  // <base_url>/lists/NAME/unsubscribe/TOKEN (POST = one click)
    std::string preferences_url;  // <base_url>/lists/NAME/preferences/TOKEN
};

}  // namespace coalition::lists
