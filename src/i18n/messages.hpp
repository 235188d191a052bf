#pragma once
// Messages shown far from where they are defined (flash messages, field errors, titles), marked
// for scripts/update-po and translated where they are shown:
//   catalog.translate(language, messages::kSignInLinkSent)
// Placeholders in braces are filled with i18n::format after translating. Page text lives in the
// templates ({{#_}}…{{/_}}), not here.

#include "i18n/i18n.hpp"

#include <string_view>

namespace coalition::i18n {

// A message with a singular and a plural form, for Catalog::translate_plural.
struct PluralMessage {
    std::string_view singular;
    std::string_view plural;
};
constexpr PluralMessage ngettext_noop(std::string_view singular, std::string_view plural) {
    return {singular, plural};
}

namespace messages {

// Flash messages. {email}: an e-mail address.
inline constexpr std::string_view kSignInLinkSent =
    gettext_noop("We sent a sign-in link to {email}. Check your inbox.");
inline constexpr std::string_view kSignedIn = gettext_noop("You are signed in.");
inline constexpr std::string_view kSignedOut = gettext_noop("You are signed out.");
inline constexpr std::string_view kSignInLinkExpired =
    gettext_noop("This sign-in link has expired or was already used. Ask for a new one.");
inline constexpr std::string_view kChangesSaved = gettext_noop("Your changes have been saved.");

// Field labels and errors.
inline constexpr std::string_view kEmailLabel = gettext_noop("E-mail address");
inline constexpr std::string_view kEmailHint =
    gettext_noop("We will send a sign-in link to this address.");
inline constexpr std::string_view kEmailMissing = gettext_noop("Enter your e-mail address");
inline constexpr std::string_view kEmailInvalid =
    gettext_noop("Enter an e-mail address in the right format, like name@example.org");
inline constexpr std::string_view kFieldTooLong = gettext_noop("This is too long");
inline constexpr std::string_view kSessionExpired =
    gettext_noop("Your session has expired. Please submit the form again.");

// Page titles (the <title> and the layout's heading come from PageContext::title).
inline constexpr std::string_view kHomeTitle = gettext_noop("Home");
inline constexpr std::string_view kSignInTitle = gettext_noop("Sign in");
inline constexpr std::string_view kSignInSentTitle = gettext_noop("Check your e-mail");
inline constexpr std::string_view kForbiddenTitle = gettext_noop("Access denied");
inline constexpr std::string_view kNotFoundTitle = gettext_noop("Page not found");
inline constexpr std::string_view kTooLargeTitle = gettext_noop("Too much data");
inline constexpr std::string_view kServerErrorTitle = gettext_noop("Something went wrong");
inline constexpr std::string_view kUnavailableTitle = gettext_noop("Service unavailable");

// The six languages' names, to name a language in the reader's own ("الإنجليزية", not "English").
struct LanguageName {
    std::string_view tag;
    std::string_view msgid;
};
inline constexpr LanguageName kLanguageNames[] = {
    {"ar", gettext_noop("Arabic")},  {"zh", gettext_noop("Chinese")},
    {"en", gettext_noop("English")}, {"fr", gettext_noop("French")},
    {"ru", gettext_noop("Russian")}, {"es", gettext_noop("Spanish")},
};
// The msgid naming the language `tag`; "" for another tag.
constexpr std::string_view language_name(std::string_view tag) {
    for (const auto& name : kLanguageNames) {
        if (name.tag == tag) {
            return name.msgid;
        }
    }
    return {};
}

// Counts. {count}: the number.
inline constexpr PluralMessage kOrganisationCount =
    ngettext_noop("{count} organisation", "{count} organisations");
inline constexpr PluralMessage kSignatureCount =
    ngettext_noop("{count} signature", "{count} signatures");
inline constexpr PluralMessage kHiddenSignatories =
    ngettext_noop("{count} more person signed without showing their name.",
                  "{count} more people signed without showing their name.");

}  // namespace messages
}  // namespace coalition::i18n
