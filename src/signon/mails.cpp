#include "signon/mails.hpp"

#include "i18n/i18n.hpp"

#include <utility>
#include <vector>

namespace coalition::signon::mails {
namespace {

using i18n::gettext_noop;
using Values = std::vector<std::pair<std::string, std::string>>;

std::string tr(const Recipient& to, std::string_view msgid, const Values& values) {
    return i18n::translate(to.language, msgid, values);
}

Values base_values(const SignOnSettings& settings, const Recipient& to) {
    return {{"name", to.mailbox.display_name},
            {"title", i18n::Catalog::embedded().translate(to.language, to.campaign_title)},
            {"site", settings.site_name}};
}

mail::OutgoingMessage message(const SignOnSettings& settings, const Recipient& to,
                              std::string subject, std::string body) {
    return mail::OutgoingMessage{
        .from = settings.sender,
        .to = {to.mailbox},
        .subject = std::move(subject),
        .text_body = std::move(body),
        .headers = {},
        .language = to.language,
    };
}

std::string signature_line(const SignOnSettings& settings) {
    return "\n-- \n" + settings.site_name + "\n";
}

}  // namespace

mail::OutgoingMessage confirmation(const SignOnSettings& settings, const Recipient& to,
                                   const std::string& link, std::int64_t lifetime_days) {
    auto values = base_values(settings, to);
    values.emplace_back("link", link);
    values.emplace_back("days", std::to_string(lifetime_days));
    return message(settings, to, tr(to, gettext_noop("Confirm your signature of {title}"), values),
                   tr(to,
                      gettext_noop("Hello {name},\n\n"
                                   "Thank you for signing {title}. To confirm your signature, "
                                   "open this link and press the button on the page:\n\n"
                                   "{link}\n\n"
                                   "The link works within {days} days. If you did not sign, "
                                   "ignore this message: nothing is published unless the link "
                                   "is used.\n"),
                      values) +
                       signature_line(settings));
}

mail::OutgoingMessage duplicate_notice(const SignOnSettings& settings, const Recipient& to) {
    const auto values = base_values(settings, to);
    return message(settings, to, tr(to, gettext_noop("You have already signed {title}"), values),
                   tr(to,
                      gettext_noop("Hello {name},\n\n"
                                   "Someone, perhaps you, tried to sign {title} again with this "
                                   "address. Your earlier signature stands and nothing was "
                                   "changed. If this was not you, you may ignore this message.\n"),
                      values) +
                       signature_line(settings));
}

mail::OutgoingMessage confirmed(const SignOnSettings& settings, const Recipient& to,
                                ConfirmedState state, const std::string& withdraw_link,
                                const std::string& verify_link,
                                const std::string& organisation_domain) {
    auto values = base_values(settings, to);
    values.emplace_back("withdraw_link", withdraw_link);
    values.emplace_back("verify_link", verify_link);
    values.emplace_back("domain", organisation_domain);
    std::string body = tr(to, gettext_noop("Hello {name},\n\n"), values);
    switch (state) {
        case ConfirmedState::Published:
            body += tr(to,
                       gettext_noop("Thank you: your signature of {title} is confirmed and now "
                                    "appears on the list of signatories.\n"),
                       values);
            break;
        case ConfirmedState::PublishedHidden:
            body += tr(to,
                       gettext_noop("Thank you: your signature of {title} is confirmed and "
                                    "counted. As you asked, your name is not shown.\n"),
                       values);
            break;
        case ConfirmedState::AwaitingModeration:
            body += tr(to,
                       gettext_noop("Thank you: your signature of {title} is confirmed. An "
                                    "administrator will review it before it appears on the list "
                                    "of signatories; you will get a message then.\n"),
                       values);
            break;
    }
    if (!verify_link.empty()) {
        body += "\n" + tr(to,
                          gettext_noop("Your organisation can also prove that it controls "
                                       "{domain} by publishing a DNS record. This page explains "
                                       "how:\n\n{verify_link}\n"),
                          values);
    }
    body += "\n" + tr(to,
                      gettext_noop("To withdraw your signature at any time, open this link:\n\n"
                                   "{withdraw_link}\n"),
                      values);
    return message(settings, to,
                   tr(to, gettext_noop("Your signature of {title} is confirmed"), values),
                   body + signature_line(settings));
}

mail::OutgoingMessage approved(const SignOnSettings& settings, const Recipient& to) {
    const auto values = base_values(settings, to);
    return message(settings, to,
                   tr(to, gettext_noop("Your signature of {title} is published"), values),
                   tr(to,
                      gettext_noop("Hello {name},\n\n"
                                   "An administrator approved your signature of {title}. It now "
                                   "appears on the list of signatories. Thank you.\n"),
                      values) +
                       signature_line(settings));
}

mail::OutgoingMessage rejected(const SignOnSettings& settings, const Recipient& to,
                               const std::string& reason) {
    auto values = base_values(settings, to);
    values.emplace_back("reason", reason);
    return message(settings, to,
                   tr(to, gettext_noop("Your signature of {title} was not accepted"), values),
                   tr(to,
                      gettext_noop("Hello {name},\n\n"
                                   "An administrator reviewed your signature of {title} and did "
                                   "not accept it, for this reason:\n\n{reason}\n"),
                      values) +
                       signature_line(settings));
}

mail::OutgoingMessage information_requested(const SignOnSettings& settings, const Recipient& to,
                                            const std::string& question) {
    auto values = base_values(settings, to);
    values.emplace_back("question", question);
    return message(settings, to,
                   tr(to, gettext_noop("A question about your signature of {title}"), values),
                   tr(to,
                      gettext_noop("Hello {name},\n\n"
                                   "Before your signature of {title} can be published, an "
                                   "administrator needs to know more:\n\n{question}\n\n"
                                   "Please answer by writing to the coalition's secretariat.\n"),
                      values) +
                       signature_line(settings));
}

mail::OutgoingMessage reaffirmation(const SignOnSettings& settings, const Recipient& to,
                                    const std::string& link) {
    auto values = base_values(settings, to);
    values.emplace_back("link", link);
    return message(
        settings, to,
        tr(to, gettext_noop("A new version of {title}: please re-affirm your signature"), values),
        tr(to,
           gettext_noop("Hello {name},\n\n"
                        "You signed an earlier version of {title}. A new version has "
                        "been published. To sign the new version as well, open this "
                        "link and press the button on the page:\n\n{link}\n\n"
                        "Your earlier signature stays on record whatever you do.\n"),
           values) +
            signature_line(settings));
}

mail::OutgoingMessage receipt(const SignOnSettings& settings, const Recipient& to,
                              std::uint64_t index, const std::string& leaf,
                              const std::string& tree_head_json, const std::string& base_url) {
    auto values = base_values(settings, to);
    values.emplace_back("index", std::to_string(index));
    values.emplace_back("leaf", leaf);
    values.emplace_back("tree_head", tree_head_json);
    values.emplace_back("proof_link", base_url + "/api/v1/log/proof/inclusion?index=" +
                                          std::to_string(index) + "&tree_size=");
    return message(
        settings, to, tr(to, gettext_noop("Receipt for your signature of {title}"), values),
        tr(to,
           gettext_noop("Hello {name},\n\n"
                        "Your signature of {title} is entry {index} of the public transparency "
                        "log. Keep this message: with it you can show at any time that your "
                        "signature is in the log, and that the log was not rewritten.\n\n"
                        "Entry (leaf index): {index}\n\n"
                        "Leaf (the exact bytes hashed into the log):\n{leaf}\n\n"
                        "Signed tree head that includes it:\n{tree_head}\n\n"
                        "An inclusion proof for this entry: {proof_link} followed by the tree "
                        "size above.\n"),
           values) +
            signature_line(settings));
}

}  // namespace coalition::signon::mails
