#pragma once
// i18n: the six UN languages, their text direction, and the gettext-style message catalog
// (po/<lang>.po, compiled by msgfmt at build time and embedded in the binary; read with
// Boost.Locale). A base module: web pages and domain mails (sign-in links, confirmations)
// translate through the same catalog. English is the source language, so an untranslated
// message shows in English.

#include <string>
#include <string_view>
#include <vector>

namespace coalition::i18n {

enum class Direction { Ltr, Rtl };

struct Language {
    std::string tag;          // BCP 47: "ar", "zh", "en", "fr", "ru", "es".
    std::string native_name;  // "العربية", "中文", "English", "Français", "Русский", "Español".
    Direction direction = Direction::Ltr;
};

// The six UN languages, in the UN's order (Arabic, Chinese, English, French, Russian, Spanish).
const std::vector<Language>& supported_languages();

// The supported language for `tag` ("fr", "fr-CA" and "FR" all give French); nullptr if none.
const Language* find_language(std::string_view tag);

// The best supported language for an Accept-Language header value, honouring q-values;
// "en" when nothing matches.
std::string negotiate(std::string_view accept_language);

// Thread-safe after construction; one instance for the process (see embedded()).
class Catalog {
public:
    // The catalogs compiled into this binary.
    static const Catalog& embedded();

    // `msgid` translated into `language` (a supported tag); `msgid` itself when untranslated.
    std::string translate(std::string_view language, std::string_view msgid) const;
    // Plural-aware: picks the form for `count` by the language's plural rules.
    std::string translate_plural(std::string_view language, std::string_view singular,
                                 std::string_view plural, long count) const;
    virtual ~Catalog() = default;
};

// Replaces "{name}" placeholders in `pattern` with values: format("Hello {who}", {{"who", "Ana"}}).
std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace coalition::i18n
