#pragma once
// archive (private to search): the one tokenizer in front of both search backends. Words come
// from ICU's word boundaries (dictionaries segment Chinese and Japanese), each folded (NFKC case
// fold), Arabic tatweel and harakat removed, and split at anything that is not a letter, number
// or mark, so the result never holds ASCII punctuation or spaces (FTS5's 'ascii' tokenizer and a
// PostgreSQL tsvector literal keep such tokens exactly). Stems are Snowball's (libstemmer) for
// English, French, Spanish and Russian, with diacritics removed. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::archive::search {

enum class Language { English, French, Spanish, Russian };
inline constexpr Language kStemmedLanguages[] = {Language::English, Language::French,
                                                 Language::Spanish, Language::Russian};

// Stems are indexed with this prefix, so a stem never equals a surface form (the prefix is no
// letter, so no surface form contains it).
inline constexpr std::string_view kStemMarker = "\u00a7";

// Longer tokens (base64, long URLs) are dropped on both sides.
inline constexpr std::size_t kMaxTokenBytes = 120;

struct Word {
    std::size_t begin = 0;  // Byte range of the ICU word in the text it came from.
    std::size_t end = 0;
    std::string surface;  // Normalised; several Words share a range when the word was split.
};

// The words of `text` (UTF-8; invalid sequences act as separators), at most `max_words`.
std::vector<Word> words(std::string_view text, std::size_t max_words = SIZE_MAX);

// The stem of a normalised surface form in `language`, diacritics removed; "" for a word whose
// first letter is neither Latin nor Cyrillic (nothing to stem: numbers, Arabic, Chinese, …).
std::string stem(std::string_view surface, Language language);

// Cyrillic-majority text is Russian; otherwise the language whose stopwords occur most among
// the first words (English, French, Spanish); English when none does.
Language detect_language(const std::vector<Word>& words);

// True for a common function word of English, French, Spanish or Russian.
bool is_stopword(std::string_view surface);

}  // namespace coalition::archive::search
