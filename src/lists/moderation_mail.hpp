#pragma once
// The mail of moderation: to the owners and moderators when a post is held (with the link to the
// moderation page), and to the author when a post is rejected (with the reason). English msgids
// translated through i18n; both come From the list's NAME-owner address, so a reply reaches a
// person, and carry List-Id and Auto-Submitted: auto-generated (RFC 3834). Private to lists/.

#include "lists/list.hpp"
#include "lists/posts.hpp"
#include "mail/message.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace coalition::lists::moderation_mail {

struct Context {
    const List& list;
    std::string_view base_url;  // Without a trailing slash.
    std::string_view site_name;
};

// To every owner and moderator, in the list's preferred language: who wrote, the subject, why it
// is held, and <base_url>/lists/NAME/moderation. nullopt when the list has nobody to tell.
std::optional<mail::OutgoingMessage> held(const Context& context, const Post& post);

// To `author` in `language`: the post (subject, date) was not accepted, because `reason`.
mail::OutgoingMessage rejected(const Context& context, const Post& post, const core::Email& author,
                               std::string_view language, std::string_view reason);

}  // namespace coalition::lists::moderation_mail
