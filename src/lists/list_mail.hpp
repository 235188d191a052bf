#pragma once
// The administrative mail of a list — confirmation requests, welcome, goodbye, "already a
// member" — in the recipient's language. Private to lists/. Each comes From the list's
// NAME-request address (as Mailman's do), carries List-Id and Auto-Submitted: auto-generated
// (RFC 3834, so autoresponders stay quiet), and is composed by Subscriptions with the return path
// NAME-bounces@DOMAIN.

#include "lists/list.hpp"
#include "lists/member.hpp"
#include "mail/message.hpp"

#include <string>
#include <string_view>

namespace coalition::lists::list_mail {

struct Context {
    const List& list;
    std::string_view base_url;  // Without a trailing slash.
    std::string_view site_name;
};

enum class ConfirmKind { Subscribe, Unsubscribe };

// Asks `email` to confirm; the link opens <base_url>/lists/NAME/confirm/TOKEN, and replies go to
// NAME-confirm+TOKEN@DOMAIN (Reply-To).
mail::OutgoingMessage confirmation(const Context& context, ConfirmKind kind,
                                   const core::Email& email, const std::string& display_name,
                                   std::string_view language, const std::string& token);
mail::OutgoingMessage welcome(const Context& context, const Member& member,
                              const MemberLinks& links);
mail::OutgoingMessage goodbye(const Context& context, const Member& member);
// To an address that asked to subscribe but already is a member.
mail::OutgoingMessage already_member(const Context& context, const Member& member,
                                     const MemberLinks& links);

}  // namespace coalition::lists::list_mail
