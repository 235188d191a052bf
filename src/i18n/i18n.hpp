#pragma once
// i18n: the six UN languages, their text direction, and the gettext-style message catalog
// (po/<lang>.po, compiled by msgfmt at build time and embedded in the binary; read with
// Boost.Locale). A base module: web pages and domain mails (sign-in links, confirmations)
// translate through the same catalog. English is the source language, so an untranslated
// message shows in English. Start with Catalog::embedded(); scripts/update-po refreshes po/.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::i18n {

enum class Direction { Ltr, Rtl };

struct Language {
    std::string tag;  // BCP 47: "ar", "zh", "en", "fr", "ru", "es".
    std::string native_name;  // "العربية", "中文", "English", "Français", "Русский", "Español".
    Direction direction = Direction::Ltr;
};

// The six UN languages, in the UN's order (Arabic, Chinese, English, French, Russian, Spanish).
const std::vector<Language>& supported_languages();

// The index in supported_languages() of the language whose tag is exactly `tag`; English's when
// none is (for tables kept per language).
std::size_t language_index(std::string_view tag);

// The supported language for `tag` ("fr", "fr-CA", "fr_CA" and "FR" all give French); nullptr
// if none. Only the primary subtag counts, so "zh-Hant-TW" gives Chinese.
const Language* find_language(std::string_view tag);

// The best supported language for an Accept-Language header value (RFC 9110 §12.5.4), honouring
// q-values (q=0 excludes); ties keep the header's order. "en" when nothing matches or the value
// is malformed. Reads at most the first 64 entries.
std::string negotiate(std::string_view accept_language);

// "ltr" or "rtl", for the HTML dir attribute.
std::string_view direction_name(Direction direction);

// Marks a string for extraction by scripts/update-po without translating it here; translate it
// later with Catalog::translate. Use for msgids defined far from where they are shown.
constexpr std::string_view gettext_noop(std::string_view msgid) {
    return msgid;
}

// The compiled catalogs, one cached std::locale per language. Immutable after construction and
// safe to use from any thread.
class Catalog {
public:
    // The catalogs compiled into this binary (po/*.po), built once on first use.
    static const Catalog& embedded();

    // Builds a catalog from compiled .mo files, given as (language tag, file bytes); the bytes
    // must outlive the catalog. Throws core::StartupError when a file does not parse.
    explicit Catalog(const std::vector<std::pair<std::string, std::string_view>>& mo_files);
    ~Catalog();
    Catalog(Catalog&&) noexcept;
    Catalog& operator=(Catalog&&) noexcept;

    // `msgid` translated into `language` (a supported tag; an unknown tag gives English);
    // `msgid` itself when untranslated or marked fuzzy.
    std::string translate(std::string_view language, std::string_view msgid) const;
    // Plural-aware: picks the form for `count` by the language's Plural-Forms rule (Arabic has
    // six forms, Russian three). Untranslated: `singular` when count == 1, else `plural`.
    std::string translate_plural(std::string_view language, std::string_view singular,
                                 std::string_view plural, long count) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Replaces "{name}" placeholders in `pattern` with values: format("Hello {who}", {{"who", "Ana"}}).
// Unknown placeholders and unmatched braces stay as they are. Values are inserted verbatim (no
// HTML escaping; templates escape).
std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& values);

// `msgid` translated into `language` by the embedded catalog, with its placeholders filled in:
// the text of a mail or a message that domain code composes for one reader.
std::string translate(std::string_view language, std::string_view msgid,
                      const std::vector<std::pair<std::string, std::string>>& values = {});

}  // namespace coalition::i18n
