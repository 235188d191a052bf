#include "lists/moderation_mail.hpp"

#include "core/assert.hpp"
#include "i18n/i18n.hpp"

#include <utility>
#include <vector>

namespace coalition::lists::moderation_mail {
namespace {

using Values = std::vector<std::pair<std::string, std::string>>;

core::Email owner_address(const List& list) {
    auto email = list.address(AddressRole::Owner).email();
    COALITION_ASSERT(email.has_value(), "a stored list's -owner address is an address");
    return std::move(*email);
}

mail::OutgoingMessage message(const Context& context, std::vector<mail::Mailbox> to,
                              std::string_view language, std::string subject, std::string body) {
    return mail::OutgoingMessage{
        .from = mail::Mailbox{context.list.title(), owner_address(context.list)},
        .to = std::move(to),
        .subject = std::move(subject),
        .text_body = std::move(body),
        .headers = {{"List-Id", "<" + context.list.list_id_header() + ">"},
                    {"Auto-Submitted", "auto-generated"}},
        .language = std::string(language),
    };
}

std::string author_of(const Post& post) {
    std::string address = post.author_email.empty() ? post.envelope_sender : post.author_email;
    if (post.author_name.empty()) {
        return address;
    }
    return post.author_name + " <" + address + ">";
}

}  // namespace

std::optional<mail::OutgoingMessage> held(const Context& context, const Post& post) {
    std::vector<mail::Mailbox> to;
    for (const auto* people : {&context.list.owners, &context.list.moderators}) {
        for (const auto& email : *people) {
            to.push_back(mail::Mailbox{"", email});
        }
    }
    if (to.empty()) {
        return std::nullopt;
    }
    const std::string& language = context.list.settings.preferred_language;
    const Values values = {
        {"list", context.list.title()},
        {"address", context.list.posting_address().unicode()},
        {"author", author_of(post)},
        {"subject", post.subject},
        {"reason", i18n::translate(language, post.hold_detail, {})},
        {"link", std::string(context.base_url) + "/lists/" + context.list.name + "/moderation"},
        {"site", std::string(context.site_name)},
    };
    return message(context, std::move(to), language,
                   i18n::translate(language, "A message to {list} waits for moderation", values),
                   i18n::translate(language,
                                   "Hello,\n\n"
                                   "A message to the mailing list {list} ({address}) is held for a "
                                   "moderator.\n\n"
                                   "From: {author}\n"
                                   "Subject: {subject}\n"
                                   "Why: {reason}\n\n"
                                   "To approve, reject or discard it, open the moderation page:\n\n"
                                   "{link}\n\n"
                                   "-- \n{site}\n",
                                   values));
}

mail::OutgoingMessage rejected(const Context& context, const Post& post, const core::Email& author,
                               std::string_view language, std::string_view reason) {
    const Values values = {
        {"list", context.list.title()},
        {"address", context.list.posting_address().unicode()},
        {"subject", post.subject},
        {"reason", std::string(reason)},
        {"owner", context.list.address(AddressRole::Owner).unicode()},
        {"site", std::string(context.site_name)},
    };
    return message(
        context, {mail::Mailbox{post.author_name, author}}, language,
        i18n::translate(language, "Your message to {list} was not accepted", values),
        i18n::translate(language,
                        "Hello,\n\n"
                        "Your message to the mailing list {list} ({address}) with the "
                        "subject \"{subject}\" was not sent to the list.\n\n"
                        "The reason given:\n\n{reason}\n\n"
                        "If you have questions, write to the list's owners at {owner}.\n\n"
                        "-- \n{site}\n",
                        values));
}

}  // namespace coalition::lists::moderation_mail
