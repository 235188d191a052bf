#include "lists/list_mail.hpp"

#include "core/assert.hpp"
#include "i18n/i18n.hpp"

#include <utility>
#include <vector>

namespace coalition::lists::list_mail {
namespace {

using Values = std::vector<std::pair<std::string, std::string>>;

core::Email request_address(const List& list) {
    auto email = list.address(AddressRole::Request).email();
    COALITION_ASSERT(email.has_value(), "a stored list's -request address is an address");
    return std::move(*email);
}

std::string page_url(const Context& context) {
    return std::string(context.base_url) + "/lists/" + context.list.name;
}

Values common_values(const Context& context) {
    return {{"list", context.list.title()},
            {"address", context.list.posting_address().unicode()},
            {"site", std::string(context.site_name)},
            {"page", page_url(context)},
            {"owner", context.list.address(AddressRole::Owner).unicode()},
            {"join", context.list.address(AddressRole::Join).unicode()}};
}

mail::OutgoingMessage message(const Context& context, const core::Email& to,
                              const std::string& display_name, std::string_view language,
                              std::string subject, std::string body) {
    return mail::OutgoingMessage{
        .from = mail::Mailbox{context.list.title(), request_address(context.list)},
        .to = {mail::Mailbox{display_name, to}},
        .subject = std::move(subject),
        .text_body = std::move(body),
        .headers = {{"List-Id", "<" + context.list.list_id_header() + ">"},
                    {"Auto-Submitted", "auto-generated"}},
        .language = std::string(language),
    };
}

}  // namespace

mail::OutgoingMessage confirmation(const Context& context, ConfirmKind kind,
                                   const core::Email& email, const std::string& display_name,
                                   std::string_view language, const std::string& token) {
    Values values = common_values(context);
    values.emplace_back("email", email.unicode());
    values.emplace_back("link", page_url(context) + "/confirm/" + token);
    values.emplace_back("days", "3");
    const bool subscribe = kind == ConfirmKind::Subscribe;
    std::string subject = i18n::translate(
        language, subscribe ? "Confirm your subscription to {list}" : "Confirm leaving {list}",
        values);
    std::string body = i18n::translate(
        language,
        subscribe ? "Hello,\n\n"
                    "Someone, probably you, asked to subscribe {email} to the mailing list "
                    "{list} ({address}).\n\n"
                    "To confirm, open this link and press the button on the page:\n\n"
                    "{link}\n\n"
                    "or simply reply to this message. The link works for {days} days.\n\n"
                    "If you did not ask for this, ignore this message: you will not be "
                    "subscribed.\n"
                  : "Hello,\n\n"
                    "Someone, probably you, asked to unsubscribe {email} from the mailing list "
                    "{list} ({address}).\n\n"
                    "To confirm, open this link and press the button on the page:\n\n"
                    "{link}\n\n"
                    "or simply reply to this message. The link works for {days} days.\n\n"
                    "If you did not ask for this, ignore this message: you stay subscribed.\n",
        values);
    auto out = message(context, email, display_name, language, std::move(subject), std::move(body));
    // Replying confirms: intake reads the token from the NAME-confirm+TOKEN address.
    out.headers.emplace_back(
        "Reply-To", ListAddress::confirm(context.list.name, context.list.domain, token).envelope());
    return out;
}

mail::OutgoingMessage welcome(const Context& context, const Member& member,
                              const MemberLinks& links) {
    Values values = common_values(context);
    values.emplace_back("email", member.email.unicode());
    values.emplace_back("preferences", links.preferences_url);
    std::string body =
        i18n::translate(member.language,
                        "Welcome to the mailing list {list}!\n\n"
                        "To post to the list, write to {address}. The list's page is "
                        "{page}\n\n"
                        "To choose how you receive the list (each message, a digest, or "
                        "no mail) or to unsubscribe, use your personal link:\n\n"
                        "{preferences}\n\n"
                        "Keep this message: anyone who has this link can change your "
                        "subscription. To reach the list's owners, write to {owner}.\n",
                        values);
    if (!context.list.settings.description.empty()) {
        body += "\n" + context.list.settings.description + "\n";
    }
    return message(context, member.email, member.display_name, member.language,
                   i18n::translate(member.language, "Welcome to {list}", values), std::move(body));
}

mail::OutgoingMessage goodbye(const Context& context, const Member& member) {
    Values values = common_values(context);
    values.emplace_back("email", member.email.unicode());
    return message(context, member.email, member.display_name, member.language,
                   i18n::translate(member.language, "You have left {list}", values),
                   i18n::translate(member.language,
                                   "Hello,\n\n"
                                   "{email} is no longer subscribed to the mailing list {list} "
                                   "({address}) and will receive no more mail from it.\n\n"
                                   "To subscribe again, write to {join} or visit {page}\n",
                                   values));
}

mail::OutgoingMessage already_member(const Context& context, const Member& member,
                                     const MemberLinks& links) {
    Values values = common_values(context);
    values.emplace_back("email", member.email.unicode());
    values.emplace_back("preferences", links.preferences_url);
    return message(
        context, member.email, member.display_name, member.language,
        i18n::translate(member.language, "You are already subscribed to {list}", values),
        i18n::translate(member.language,
                        "Hello,\n\n"
                        "Someone, probably you, asked to subscribe {email} to the mailing "
                        "list {list}, but this address is already subscribed, so nothing "
                        "has changed.\n\n"
                        "To choose how you receive the list or to unsubscribe, use your "
                        "personal link:\n\n"
                        "{preferences}\n",
                        values));
}

}  // namespace coalition::lists::list_mail
