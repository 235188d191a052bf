#include "accounts/slug.hpp"

#include "core/unavailable.hpp"
#include "i18n/i18n.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

namespace coalition::accounts {
namespace {

bool is_slug_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// ICU transliterators are costly to build and not documented as safe for concurrent use, so one
// instance is shared under a lock.
std::string to_ascii(std::string_view text) {
    static std::mutex mutex;
    static const std::unique_ptr<icu::Transliterator> transliterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> instance(icu::Transliterator::createInstance(
            "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) {
            throw core::Unavailable("ICU transliterator Any-Latin; Latin-ASCII is unavailable");
        }
        return instance;
    }();
    icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    {
        std::lock_guard lock(mutex);
        transliterator->transliterate(unicode);
    }
    std::string out;
    unicode.toUTF8String(out);
    return out;
}

// Cuts `slug` to at most `length` characters, at its last hyphen when that keeps half of it.
std::string shorten(std::string slug, std::size_t length) {
    if (slug.size() <= length) {
        return slug;
    }
    slug.resize(length);
    const auto hyphen = slug.rfind('-');
    if (hyphen != std::string::npos && hyphen >= length / 2) {
        slug.resize(hyphen);
    }
    while (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
    }
    return slug;
}

}  // namespace

core::Result<Slug> Slug::parse(std::string_view input) {
    const auto invalid = [] {
        return core::Error::invalid(
            std::string(i18n::gettext_noop(
                "Use 1 to 64 lower-case letters a–z, digits and single hyphens between them.")),
            "slug");
    };
    if (input.empty() || input.size() > kMaxLength || input.front() == '-' || input.back() == '-' ||
        input.find("--") != std::string_view::npos) {
        return invalid();
    }
    for (char c : input) {
        if (!is_slug_character(c) && c != '-') {
            return invalid();
        }
    }
    return Slug(std::string(input));
}

Slug Slug::derive(std::string_view text) {
    // Bound the work on hostile input: a slug never needs more than the first few hundred bytes.
    std::string_view head = text;
    if (head.size() > 1024) {
        head = head.substr(0, 1024);
        // Drop the code point that the cut may have split.
        while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) {
            head.remove_suffix(1);
        }
        if (!head.empty() && static_cast<unsigned char>(head.back()) >= 0xC0) {
            head.remove_suffix(1);
        }
    }
    std::string slug;
    bool pending_hyphen = false;
    for (char c : to_ascii(head)) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (is_slug_character(c)) {
            if (pending_hyphen && !slug.empty()) {
                slug.push_back('-');
            }
            pending_hyphen = false;
            slug.push_back(c);
        } else if (c != '\'') {  // "People's" becomes "peoples", not "people-s".
            pending_hyphen = true;
        }
    }
    slug = shorten(std::move(slug), kMaxLength);
    if (slug.empty()) {
        slug = "organisation";
    }
    return Slug(std::move(slug));
}

Slug Slug::with_suffix(int number) const {
    const std::string suffix = "-" + std::to_string(number);
    return Slug(shorten(value_, kMaxLength - suffix.size()) + suffix);
}

}  // namespace coalition::accounts
