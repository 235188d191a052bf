// Catalog on Boost.Locale's gettext reader. The .mo bytes come from memory through
// messages_info::callback, so the binary reads no files at run time.

#include "core/unavailable.hpp"
#include "i18n/i18n.hpp"

#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include <exception>
#include <locale>
#include <map>

namespace coalition::i18n {

// Generated at build time from po/*.po (src/i18n/CMakeLists.txt): (file name, .mo bytes).
std::vector<std::pair<std::string_view, std::string_view>> embedded_catalog_files();

namespace {

constexpr const char* kDomain = "coalition";

using MessageFacet = boost::locale::message_format<char>;

std::locale make_locale(const std::string& language, std::string_view mo_bytes) {
    boost::locale::gnu_gettext::messages_info info;
    info.language = language;
    info.encoding = "UTF-8";
    info.paths.push_back("embedded");
    info.domains.push_back(boost::locale::gnu_gettext::messages_info::domain(kDomain));
    const std::string wanted =
        "embedded/" + language + "/LC_MESSAGES/" + std::string(kDomain) + ".mo";
    info.callback = [wanted, mo_bytes](const std::string& file_name, const std::string&) {
        if (file_name != wanted) {
            return std::vector<char>();
        }
        return std::vector<char>(mo_bytes.begin(), mo_bytes.end());
    };
    try {
        // The locale takes ownership of the facet (reference count 0).
        return std::locale(std::locale::classic(),
                           boost::locale::gnu_gettext::create_messages_facet<char>(info));
    } catch (const std::exception& error) {
        throw core::StartupError("i18n: the catalog for '" + language +
                                 "' does not parse: " + error.what());
    }
}

}  // namespace

struct Catalog::Impl {
    struct Entry {
        std::locale locale;
        const MessageFacet* facet = nullptr;  // Owned by `locale`.
    };
    std::map<std::string, Entry, std::less<>> languages;

    const MessageFacet* facet(std::string_view language) const {
        auto found = languages.find(language);
        return found == languages.end() ? nullptr : found->second.facet;
    }
};

const Catalog& Catalog::embedded() {
    static const Catalog catalog([] {
        std::vector<std::pair<std::string, std::string_view>> files;
        for (const auto& [name, bytes] : embedded_catalog_files()) {
            // "fr.mo" -> "fr".
            files.emplace_back(std::string(name.substr(0, name.find('.'))), bytes);
        }
        return files;
    }());
    return catalog;
}

std::string translate(std::string_view language, std::string_view msgid,
                      const std::vector<std::pair<std::string, std::string>>& values) {
    return format(Catalog::embedded().translate(language, msgid), values);
}

Catalog::Catalog(const std::vector<std::pair<std::string, std::string_view>>& mo_files)
    : impl_(std::make_unique<Impl>()) {
    for (const auto& [language, bytes] : mo_files) {
        Impl::Entry entry{make_locale(language, bytes), nullptr};
        entry.facet = &std::use_facet<MessageFacet>(entry.locale);
        impl_->languages.emplace(language, std::move(entry));
    }
}

Catalog::~Catalog() = default;
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;

std::string Catalog::translate(std::string_view language, std::string_view msgid) const {
    const MessageFacet* facet = impl_->facet(language);
    // A NUL would cut the C-string lookup short and match another msgid.
    if (facet == nullptr || msgid.empty() || msgid.find('\0') != std::string_view::npos) {
        return std::string(msgid);
    }
    const std::string key(msgid);
    const char* translated = facet->get(0, nullptr, key.c_str());
    return translated == nullptr ? key : std::string(translated);
}

std::string Catalog::translate_plural(std::string_view language, std::string_view singular,
                                      std::string_view plural, long count) const {
    const MessageFacet* facet = impl_->facet(language);
    if (facet != nullptr && !singular.empty() && singular.find('\0') == std::string_view::npos) {
        const std::string key(singular);
        // Boost.Locale takes an int; plural rules only look at the last digits, so a count
        // beyond int keeps its form when reduced modulo a power of ten.
        int n = count > 1'000'000'000L || count < -1'000'000'000L
                    ? static_cast<int>(count % 1'000'000'000L)
                    : static_cast<int>(count);
        const char* translated = facet->get(0, nullptr, key.c_str(), n);
        if (translated != nullptr) {
            return translated;
        }
    }
    return std::string(count == 1 ? singular : plural);
}

}  // namespace coalition::i18n
