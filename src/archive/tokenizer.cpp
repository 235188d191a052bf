#include "archive/tokenizer.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace coalition::archive::search {

namespace {

const icu::Normalizer2& fold_normalizer() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
    COALITION_ASSERT(U_SUCCESS(status) && normalizer != nullptr, "ICU has no NFKC_Casefold data");
    return *normalizer;
}

const icu::Normalizer2& nfd_normalizer() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFDInstance(status);
    COALITION_ASSERT(U_SUCCESS(status) && normalizer != nullptr, "ICU has no NFD data");
    return *normalizer;
}

const icu::Normalizer2& nfc_normalizer() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
    COALITION_ASSERT(U_SUCCESS(status) && normalizer != nullptr, "ICU has no NFC data");
    return *normalizer;
}

// One word-break iterator per thread: creating one loads rules and dictionaries.
icu::BreakIterator& word_breaker() {
    thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> created(
            icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        COALITION_ASSERT(U_SUCCESS(status) && created != nullptr, "ICU has no word break rules");
        return created;
    }();
    return *breaker;
}

// Arabic tatweel (U+0640) and harakat (U+064B–U+065F, superscript alef U+0670): optional marks
// that writers add or leave out, so matching ignores them.
bool is_arabic_optional_mark(UChar32 character) {
    return character == 0x0640 || (character >= 0x064B && character <= 0x065F) ||
           character == 0x0670;
}

bool is_token_character(UChar32 character) {
    return (U_GET_GC_MASK(character) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
}

// Most of most mail is ASCII, which needs neither ICU's word breaker (a sixth of an import's
// work) nor its case folding: its words are the runs of letters and digits, lower-cased. ASCII
// whitespace always ends a word, so text is cut there into chunks; a chunk with any other byte
// goes to ICU with the chunks around it that have one too.
bool is_ascii_byte(char c) {
    return static_cast<unsigned char>(c) < 0x80;
}

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The words of `ascii`, which starts at `offset` in the text, each with its own range: for ASCII,
// NFKC case folding is lower-casing, and the token characters are letters and digits.
void add_ascii_words(std::string_view ascii, std::size_t offset, std::vector<Word>& out,
                     std::size_t max_words) {
    std::size_t at = 0;
    while (at < ascii.size() && out.size() < max_words) {
        while (at < ascii.size() && !is_ascii_alnum(ascii[at])) {
            ++at;
        }
        const std::size_t begin = at;
        while (at < ascii.size() && is_ascii_alnum(ascii[at])) {
            ++at;
        }
        if (at > begin && at - begin <= kMaxTokenBytes) {
            out.push_back(
                Word{offset + begin, offset + at, core::to_lower(ascii.substr(begin, at - begin))});
        }
    }
}

// NFKC case folding of `segment`, in UTF-8 without a detour through UTF-16 (which cost a tenth
// of the tokenizer's time). Invalid sequences become U+FFFD first, which separates words.
std::optional<std::string> folded_utf8(std::string_view segment) {
    std::string valid;
    if (!core::is_valid_utf8(segment)) {
        icu::UnicodeString::fromUTF8(
            icu::StringPiece(segment.data(), static_cast<std::int32_t>(segment.size())))
            .toUTF8String(valid);
        segment = valid;
    }
    UErrorCode status = U_ZERO_ERROR;
    std::string folded;
    icu::StringByteSink<std::string> sink(&folded, static_cast<std::int32_t>(segment.size()));
    fold_normalizer().normalizeUTF8(
        0, icu::StringPiece(segment.data(), static_cast<std::int32_t>(segment.size())), sink,
        nullptr, status);
    if (U_FAILURE(status)) {
        return std::nullopt;
    }
    return folded;
}

// Appends the pieces of one ICU word to `out`: the runs of token characters of its folded form.
void add_pieces(std::string_view segment, std::size_t begin, std::size_t end,
                std::vector<Word>& out, std::size_t max_words) {
    if (core::is_ascii(segment)) {
        add_ascii_words(segment, begin, out, max_words);
        return;
    }
    const std::optional<std::string> folded = folded_utf8(segment);
    if (!folded) {
        return;
    }
    std::string piece;
    auto flush = [&] {
        if (!piece.empty() && out.size() < max_words && piece.size() <= kMaxTokenBytes) {
            out.push_back(Word{begin, end, piece});
        }
        piece.clear();
    };
    const auto length = static_cast<std::int32_t>(folded->size());
    for (std::int32_t index = 0; index < length;) {
        const std::int32_t character_begin = index;
        UChar32 character = 0;
        U8_NEXT(folded->data(), index, length, character);
        if (is_arabic_optional_mark(character)) {
            continue;
        }
        if (character >= 0 && is_token_character(character)) {
            piece.append(*folded, static_cast<std::size_t>(character_begin),
                         static_cast<std::size_t>(index - character_begin));
        } else {
            flush();
        }
    }
    flush();
}

// Where the chunk holding `inside` begins: after the last ASCII whitespace in [from, inside).
std::size_t chunk_begin(std::string_view text, std::size_t from, std::size_t inside) {
    std::size_t begin = inside;
    while (begin > from && !is_ascii_space(text[begin - 1])) {
        --begin;
    }
    return begin;
}

// The end of the chunk that holds `at`, and whether the chunk from `at` on has a non-ASCII byte.
std::pair<std::size_t, bool> chunk_end(std::string_view text, std::size_t at) {
    bool other = false;
    for (; at < text.size() && !is_ascii_space(text[at]); ++at) {
        other = other || !is_ascii_byte(text[at]);
    }
    return {at, other};
}

// The end of the chunks from the one holding `inside` (a non-ASCII byte) on, while each next
// chunk has a non-ASCII byte too.
std::size_t non_ascii_run_end(std::string_view text, std::size_t inside) {
    std::size_t end = chunk_end(text, inside).first;
    for (;;) {
        std::size_t next = end;
        while (next < text.size() && is_ascii_space(text[next])) {
            ++next;
        }
        const auto [next_end, has_other] = chunk_end(text, next);
        if (!has_other) {
            return end;
        }
        end = next_end;
    }
}

// The words of text[from, to) by ICU's word breaker (UAX #29, dictionaries for Chinese and
// other scripts written without spaces).
void add_icu_words(std::string_view text, std::size_t from, std::size_t to, std::vector<Word>& out,
                   std::size_t max_words) {
    const std::string_view run = text.substr(from, to - from);
    UErrorCode status = U_ZERO_ERROR;
    UText* utext =
        utext_openUTF8(nullptr, run.data(), static_cast<std::int64_t>(run.size()), &status);
    COALITION_ASSERT(U_SUCCESS(status), "ICU cannot open UTF-8 text");
    std::unique_ptr<UText, decltype(&utext_close)> owned(utext, &utext_close);
    icu::BreakIterator& breaker = word_breaker();
    // With a UTF-8 UText the boundaries are byte offsets into `run`.
    breaker.setText(utext, status);
    COALITION_ASSERT(U_SUCCESS(status), "ICU cannot break the text");
    std::int32_t begin = breaker.first();
    for (std::int32_t end = breaker.next(); end != icu::BreakIterator::DONE;
         begin = end, end = breaker.next()) {
        if (breaker.getRuleStatus() < UBRK_WORD_NONE_LIMIT) {
            continue;  // Spaces, punctuation, symbols.
        }
        const auto word_begin = static_cast<std::size_t>(begin);
        const auto word_end = static_cast<std::size_t>(end);
        add_pieces(run.substr(word_begin, word_end - word_begin), from + word_begin,
                   from + word_end, out, max_words);
        if (out.size() >= max_words) {
            break;
        }
    }
    // The iterator keeps a shallow reference to `utext`: detach it before the UText closes.
    breaker.setText(icu::UnicodeString());
}

struct StemmerDeleter {
    void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};
using Stemmer = std::unique_ptr<sb_stemmer, StemmerDeleter>;

// libstemmer stemmers keep state between calls: one set per thread.
sb_stemmer& stemmer_for(Language language) {
    thread_local std::array<Stemmer, 4> stemmers = [] {
        std::array<Stemmer, 4> created;
        const char* names[] = {"english", "french", "spanish", "russian"};
        for (std::size_t language_idx = 0; language_idx < created.size(); ++language_idx) {
            created[language_idx].reset(sb_stemmer_new(names[language_idx], "UTF_8"));
            COALITION_ASSERT(created[language_idx] != nullptr, "libstemmer lacks a language");
        }
        return created;
    }();
    return *stemmers[static_cast<std::size_t>(language)];
}

std::string without_diacritics(std::string_view text) {
    if (core::is_ascii(text)) {
        return std::string(text);  // ASCII has no combining marks, and is its own NFC.
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString decomposed =
        nfd_normalizer().normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                       text.data(), static_cast<std::int32_t>(text.size()))),
                                   status);
    icu::UnicodeString bare;
    for (std::int32_t index = 0; index < decomposed.length();) {
        const UChar32 character = decomposed.char32At(index);
        index += U16_LENGTH(character);
        if (u_charType(character) != U_NON_SPACING_MARK) {
            bare.append(character);
        }
    }
    const icu::UnicodeString composed = nfc_normalizer().normalize(bare, status);
    std::string out;
    if (U_SUCCESS(status)) {
        composed.toUTF8String(out);
    }
    return out;
}

UScriptCode first_letter_script(std::string_view surface) {
    std::int32_t offset = 0;
    UChar32 character = 0;
    U8_NEXT(surface.data(), offset, static_cast<std::int32_t>(surface.size()), character);
    if (character < 0 || !u_isalpha(character)) {
        return USCRIPT_COMMON;
    }
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(character, &status);
    return U_SUCCESS(status) ? script : USCRIPT_COMMON;
}

using Stopwords = std::unordered_set<std::string_view>;

// Short lists of the most frequent function words: enough to tell the languages apart and to
// refuse a query made of nothing else.
const Stopwords& english_stopwords() {
    static const Stopwords words = {
        "the", "a",     "an",    "and",  "or",  "of",   "to",   "in",    "is",    "are",
        "was", "were",  "be",    "been", "it",  "this", "that", "these", "those", "for",
        "on",  "with",  "as",    "at",   "by",  "from", "we",   "you",   "they",  "he",
        "she", "not",   "but",   "have", "has", "had",  "will", "would", "our",   "their",
        "its", "which", "there", "can",  "all", "if",   "so",   "do",    "i"};
    return words;
}

const Stopwords& french_stopwords() {
    static const Stopwords words = {
        "le",    "la",   "les",  "l",    "un",   "une",  "des", "du",  "de",   "d",  "et",    "ou",
        "est",   "sont", "dans", "pour", "sur",  "avec", "par", "que", "qui",  "ce", "cette", "ces",
        "nous",  "vous", "ils",  "elle", "au",   "aux",  "ne",  "pas", "plus", "se", "sa",    "son",
        "leurs", "leur", "été",  "être", "mais", "il",   "je",  "qu",  "n",    "s",  "c"};
    return words;
}

const Stopwords& spanish_stopwords() {
    static const Stopwords words = {
        "el",    "la",       "los",   "las", "un",   "una", "unos", "unas", "y",       "o",
        "de",    "del",      "al",    "en",  "es",   "son", "para", "por",  "con",     "que",
        "se",    "su",       "sus",   "lo",  "como", "más", "pero", "este", "esta",    "estos",
        "estas", "nosotros", "ellos", "ha",  "han",  "fue", "ser",  "está", "también", "no"};
    return words;
}

const Stopwords& russian_stopwords() {
    static const Stopwords words = {"и",   "в",   "во",  "не", "что",  "он",  "на",   "я",
                                    "с",   "со",  "как", "а",  "то",   "все", "она",  "так",
                                    "его", "но",  "да",  "ты", "к",    "у",   "же",   "вы",
                                    "за",  "бы",  "по",  "от", "из",   "о",   "мы",   "это",
                                    "для", "или", "при", "их", "этот", "эти", "были", "был"};
    return words;
}

// Which languages' lists hold a word, as a mask of the bits below: one look-up a word where
// language detection made four.
constexpr unsigned kEnglish = 1;
constexpr unsigned kFrench = 2;
constexpr unsigned kSpanish = 4;
constexpr unsigned kRussian = 8;

unsigned stopword_languages(std::string_view surface) {
    static const std::unordered_map<std::string_view, unsigned> languages = [] {
        std::unordered_map<std::string_view, unsigned> made;
        const std::array<std::pair<const Stopwords*, unsigned>, 4> lists = {{
            {&english_stopwords(), kEnglish},
            {&french_stopwords(), kFrench},
            {&spanish_stopwords(), kSpanish},
            {&russian_stopwords(), kRussian},
        }};
        for (const auto& [words, language] : lists) {
            for (const std::string_view word : *words) {
                made[word] |= language;
            }
        }
        return made;
    }();
    const auto found = languages.find(surface);
    return found == languages.end() ? 0 : found->second;
}

}  // namespace

std::vector<Word> words(std::string_view text, std::size_t max_words) {
    std::vector<Word> out;
    std::size_t at = 0;
    while (at < text.size() && out.size() < max_words) {
        const auto other = std::find_if(text.begin() + static_cast<std::ptrdiff_t>(at), text.end(),
                                        [](char c) { return !is_ascii_byte(c); });
        if (other == text.end()) {
            add_ascii_words(text.substr(at), at, out, max_words);
            break;
        }
        const auto first_other = static_cast<std::size_t>(other - text.begin());
        const std::size_t run_begin = chunk_begin(text, at, first_other);
        add_ascii_words(text.substr(at, run_begin - at), at, out, max_words);
        const std::size_t run_end = non_ascii_run_end(text, first_other);
        add_icu_words(text, run_begin, run_end, out, max_words);
        at = run_end;
    }
    return out;
}

namespace {

std::string stem_uncached(std::string_view surface, Language language) {
    const UScriptCode script = first_letter_script(surface);
    if (script != USCRIPT_LATIN && script != USCRIPT_CYRILLIC) {
        return {};
    }
    sb_stemmer& stemmer = stemmer_for(language);
    const sb_symbol* stemmed =
        sb_stemmer_stem(&stemmer, reinterpret_cast<const sb_symbol*>(surface.data()),
                        static_cast<int>(surface.size()));
    if (stemmed == nullptr) {
        return {};  // Out of memory inside libstemmer.
    }
    const std::string_view result(reinterpret_cast<const char*>(stemmed),
                                  static_cast<std::size_t>(sb_stemmer_length(&stemmer)));
    return without_diacritics(result);
}

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

// Words recur (a thread's quoted replies, a list's vocabulary): each thread keeps the stems it
// made, per language, since stemming was a tenth of an import's work. Cleared when full.
using StemCache = std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>>;
constexpr std::size_t kMaxCachedStems = 50'000;

}  // namespace

std::string stem(std::string_view surface, Language language) {
    thread_local std::array<StemCache, 4> caches;
    StemCache& cache = caches[static_cast<std::size_t>(language)];
    if (const auto found = cache.find(surface); found != cache.end()) {
        return found->second;
    }
    if (cache.size() >= kMaxCachedStems) {
        cache.clear();
    }
    std::string stemmed = stem_uncached(surface, language);
    cache.emplace(std::string(surface), stemmed);
    return stemmed;
}

Language detect_language(const std::vector<Word>& words) {
    constexpr std::size_t kSampleWords = 300;
    std::size_t cyrillic = 0;
    std::size_t latin = 0;
    std::array<std::size_t, 3> stopword_hits{};  // English, French, Spanish.
    const std::size_t sample = std::min(words.size(), kSampleWords);
    for (std::size_t word_idx = 0; word_idx < sample; ++word_idx) {
        const std::string& surface = words[word_idx].surface;
        const UScriptCode script = first_letter_script(surface);
        cyrillic += script == USCRIPT_CYRILLIC ? 1 : 0;
        if (script != USCRIPT_LATIN) {
            continue;  // The English, French and Spanish stopwords are all Latin.
        }
        ++latin;
        const unsigned languages = stopword_languages(surface);
        stopword_hits[0] += (languages & kEnglish) != 0 ? 1 : 0;
        stopword_hits[1] += (languages & kFrench) != 0 ? 1 : 0;
        stopword_hits[2] += (languages & kSpanish) != 0 ? 1 : 0;
    }
    if (cyrillic > latin) {
        return Language::Russian;
    }
    if (stopword_hits[1] > stopword_hits[0] && stopword_hits[1] >= stopword_hits[2]) {
        return Language::French;
    }
    if (stopword_hits[2] > stopword_hits[0] && stopword_hits[2] > stopword_hits[1]) {
        return Language::Spanish;
    }
    return Language::English;
}

bool is_stopword(std::string_view surface) {
    return stopword_languages(surface) != 0;
}

}  // namespace coalition::archive::search
