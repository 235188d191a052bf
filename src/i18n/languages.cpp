#include "core/text.hpp"
#include "i18n/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace coalition::i18n {

namespace {

constexpr std::size_t kMaxAcceptLanguageEntries = 64;

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ). Anything
// else is malformed and counts as 0, so the entry is ignored rather than preferred.
double parse_quality(std::string_view text) {
    if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) {
        return 0.0;
    }
    double value = 0.0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0.0 || value > 1.0) {
        return 0.0;
    }
    return value;
}

}  // namespace

const std::vector<Language>& supported_languages() {
    static const std::vector<Language> languages = {
        {"ar", "العربية", Direction::Rtl}, {"zh", "中文", Direction::Ltr},
        {"en", "English", Direction::Ltr}, {"fr", "Français", Direction::Ltr},
        {"ru", "Русский", Direction::Ltr}, {"es", "Español", Direction::Ltr},
    };
    return languages;
}

std::size_t language_index(std::string_view tag) {
    const auto& languages = supported_languages();
    std::size_t english = 0;
    for (std::size_t index = 0; index < languages.size(); ++index) {
        if (languages[index].tag == tag) {
            return index;
        }
        english = languages[index].tag == "en" ? index : english;
    }
    return english;
}

const Language* find_language(std::string_view tag) {
    std::string_view primary = tag.substr(0, tag.find_first_of("-_"));
    for (const Language& language : supported_languages()) {
        if (core::equals_ignoring_ascii_case(primary, language.tag)) {
            return &language;
        }
    }
    return nullptr;
}

std::string negotiate(std::string_view accept_language) {
    const Language* best = nullptr;
    double best_quality = 0.0;
    std::size_t entry_count = 0;
    while (!accept_language.empty() && entry_count < kMaxAcceptLanguageEntries) {
        ++entry_count;
        std::size_t comma = accept_language.find(',');
        std::string_view entry = accept_language.substr(0, comma);
        accept_language = comma == std::string_view::npos ? std::string_view{}
                                                          : accept_language.substr(comma + 1);

        std::size_t semicolon = entry.find(';');
        std::string_view range = trim_spaces(entry.substr(0, semicolon));
        double quality = 1.0;
        if (semicolon != std::string_view::npos) {
            std::string_view parameter = trim_spaces(entry.substr(semicolon + 1));
            if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') ||
                parameter[1] != '=') {
                continue;
            }
            quality = parse_quality(trim_spaces(parameter.substr(2)));
        }
        const Language* language = find_language(range);
        if (language != nullptr && quality > best_quality) {
            best = language;
            best_quality = quality;
        }
    }
    return best == nullptr ? std::string("en") : best->tag;
}

std::string_view direction_name(Direction direction) {
    return direction == Direction::Rtl ? "rtl" : "ltr";
}

std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& values) {
    std::string out;
    out.reserve(pattern.size());
    std::size_t position = 0;
    while (position < pattern.size()) {
        std::size_t open = pattern.find('{', position);
        if (open == std::string_view::npos) {
            break;
        }
        std::size_t close = pattern.find('}', open + 1);
        if (close == std::string_view::npos) {
            break;
        }
        std::string_view name = pattern.substr(open + 1, close - open - 1);
        auto value = std::find_if(values.begin(), values.end(),
                                  [&](const auto& pair) { return pair.first == name; });
        out.append(pattern.substr(position, open - position));
        if (value != values.end() && name.find('{') == std::string_view::npos) {
            out.append(value->second);
            position = close + 1;
        } else {
            out.push_back('{');
            position = open + 1;
        }
    }
    out.append(pattern.substr(position));
    return out;
}

}  // namespace coalition::i18n
