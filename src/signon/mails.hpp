#pragma once
// The mails signon sends, in the signer's language (English msgids translated through the i18n
// catalog; an untranslated message reads in English). Each function only builds the message;
// the caller composes it and queues it in its own transaction. Private to signon/.

#include "mail/message.hpp"
#include "signon/signon.hpp"

#include <cstdint>
#include <string>

namespace coalition::signon::mails {

// Who the mail goes to, and the words it needs.
struct Recipient {
    mail::Mailbox mailbox;
    std::string language;        // A supported tag.
    std::string campaign_title;  // Campaign::title, an English msgid ("the Statement of Purpose").
};

// "Confirm your signature": the link opens the page whose button confirms.
mail::OutgoingMessage confirmation(const SignOnSettings& settings, const Recipient& to,
                                   const std::string& link, std::int64_t lifetime_days);
// A duplicate submission: the earlier signature stands, nothing changed.
mail::OutgoingMessage duplicate_notice(const SignOnSettings& settings, const Recipient& to);

enum class ConfirmedState { Published, PublishedHidden, AwaitingModeration };
// After confirmation: what happens next, the withdrawal link, and for organisations the link to
// the DNS-proof page (empty `verify_link` for individuals).
mail::OutgoingMessage confirmed(const SignOnSettings& settings, const Recipient& to,
                                ConfirmedState state, const std::string& withdraw_link,
                                const std::string& verify_link,
                                const std::string& organisation_domain);

mail::OutgoingMessage approved(const SignOnSettings& settings, const Recipient& to);
mail::OutgoingMessage rejected(const SignOnSettings& settings, const Recipient& to,
                               const std::string& reason);
mail::OutgoingMessage information_requested(const SignOnSettings& settings, const Recipient& to,
                                            const std::string& question);
mail::OutgoingMessage reaffirmation(const SignOnSettings& settings, const Recipient& to,
                                    const std::string& link);
// The receipt: the leaf index, the leaf and the signed tree head (JSON, base64 fields).
mail::OutgoingMessage receipt(const SignOnSettings& settings, const Recipient& to,
                              std::uint64_t index, const std::string& leaf,
                              const std::string& tree_head_json, const std::string& base_url);

}  // namespace coalition::signon::mails
