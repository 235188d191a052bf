#include "accounts/accounts.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "statement/statement.hpp"
#include "statement/statement_store.hpp"
#include "store/transaction.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

namespace coalition::statement {
namespace {

using store::Rejection;
using store::run_transaction;

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

core::Result<std::string> valid_language(std::string_view tag) {
    const std::string trimmed = core::is_valid_utf8(tag) ? core::trim(tag) : std::string();
    const auto* language = trimmed.size() <= 16 ? i18n::find_language(trimmed) : nullptr;
    if (language == nullptr) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Choose one of the six UN languages.")), "language");
    }
    return language->tag;
}

// The first `limit` characters of valid UTF-8 `text`.
std::string first_characters(const std::string& text, std::size_t limit) {
    std::size_t count = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
        if ((static_cast<unsigned char>(text[index]) & 0xC0) != 0x80 && count++ == limit) {
            return text.substr(0, index);
        }
    }
    return text;
}

enum class TitleRequired { Yes, No };

// A one-line title, NFC and trimmed; empty becomes the first heading of `canonical`.
core::Result<std::string> valid_title(std::string_view title, const std::string& canonical,
                                      TitleRequired required) {
    if (!core::is_valid_utf8(title) || core::has_control_characters(title) ||
        title.find_first_of("\t\r\n") != std::string_view::npos) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("The title must be one line of plain text.")), "title");
    }
    std::string out = core::trim(core::to_nfc(title));
    if (out.empty() && !canonical.empty()) {
        out = first_characters(first_heading(canonical), kMaxTitleCharacters);
    }
    if (out.empty() && required == TitleRequired::Yes) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Give the text a title, or start it with a heading.")),
            "title");
    }
    if (core::character_count(out) > kMaxTitleCharacters) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("The title is too long: use at most 200 characters.")),
            "title");
    }
    return out;
}

bool is_hex_hash(std::string_view hash) {
    return hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char character) {
               return (character >= '0' && character <= '9') ||
                      (character >= 'a' && character <= 'f');
           });
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& character : out) {
        if (character >= 'A' && character <= 'F') {
            character = static_cast<char>(character - 'A' + 'a');
        }
    }
    return out;
}

core::Error unknown_version() {
    return core::Error::not_found(
        std::string(i18n::gettext_noop("No published version has this hash.")));
}

core::Error race_conflict() {
    return core::Error::conflict(std::string(i18n::gettext_noop(
        "Someone else published a version at the same moment. Reload the page and try again.")));
}

// Position of `tag` among the UN languages, for a stable order of translations.
std::size_t language_rank(const std::string& tag) {
    const auto& languages = i18n::supported_languages();
    for (std::size_t index = 0; index < languages.size(); ++index) {
        if (languages[index].tag == tag) {
            return index;
        }
    }
    return languages.size();
}

// The authoritative text first, then the UN order; the version's title and text filled in.
void complete(Version& version) {
    std::sort(version.translations.begin(), version.translations.end(),
              [](const Translation& lhs, const Translation& rhs) {
                  if (lhs.authoritative != rhs.authoritative) {
                      return lhs.authoritative;
                  }
                  return language_rank(lhs.language) < language_rank(rhs.language);
              });
    for (const auto& translation : version.translations) {
        if (translation.authoritative) {
            version.title = translation.title;
            version.markdown = translation.markdown;
        }
    }
}

}  // namespace

Statements::Statements(store::Database& database, const core::Clock& clock)
    : database_(database), clock_(clock) {
}

std::shared_ptr<const std::vector<Version>> Statements::load() {
    const auto revision = statement_store::revision(database_);
    {
        std::lock_guard lock(mutex_);
        if (revision && cached_revision_ == revision && cached_) {
            return cached_;
        }
    }
    // Read after the revision: what is loaded is at least as new as the revision it is kept
    // under, so a later change always moves the revision past it.
    auto versions = statement_store::all_versions(database_);
    for (auto& version : versions) {
        complete(version);
    }
    auto loaded = std::make_shared<const std::vector<Version>>(std::move(versions));
    std::lock_guard lock(mutex_);
    if (revision) {
        cached_revision_ = revision;
        cached_ = loaded;
    }
    return loaded;
}

std::optional<Draft> Statements::draft() {
    return statement_store::draft(database_);
}

core::Result<Draft> Statements::save_draft(const accounts::Actor& actor, const Draft& input) {
    auto language = valid_language(input.language);
    if (!language) {
        return language.error();
    }
    std::string markdown;
    if (core::is_valid_utf8(input.markdown) && core::trim(input.markdown).empty()) {
        markdown.clear();
    } else {
        auto canonical = canonical_text(input.markdown);
        if (!canonical) {
            return canonical.error();
        }
        markdown = std::move(*canonical);
    }
    auto title = valid_title(input.title, "", TitleRequired::No);
    if (!title) {
        return title.error();
    }
    Draft draft{.title = std::move(*title),
                .markdown = std::move(markdown),
                .language = std::move(*language),
                .saved_at = clock_.unix_now()};
    return run_transaction<Draft>(database_, race_conflict(), [&](store::Connection& connection) {
        statement_store::save_draft(connection, draft);
        accounts::AuditLog::record(connection, draft.saved_at, actor, "statement.save_draft",
                                   "statement:draft",
                                   dump({{"title", draft.title},
                                         {"language", draft.language},
                                         {"characters", core::character_count(draft.markdown)}}));
        return draft;
    });
}

core::Result<Version> Statements::publish(const accounts::Actor& actor, std::string_view title,
                                          std::string_view markdown, std::string_view language) {
    auto canonical = canonical_text(markdown);
    if (!canonical) {
        return canonical.error();
    }
    auto tag = valid_language(language);
    if (!tag) {
        return tag.error();
    }
    auto valid = valid_title(title, *canonical, TitleRequired::Yes);
    if (!valid) {
        return valid.error();
    }
    const std::int64_t now = clock_.unix_now();
    Version version{.number = 0,
                    .hash = version_hash(*canonical),
                    .language = std::move(*tag),
                    .title = std::move(*valid),
                    .markdown = std::move(*canonical),
                    .published_at = now,
                    .translations = {}};
    return run_transaction<Version>(database_, race_conflict(), [&](store::Connection& connection) {
        if (statement_store::find_version(connection, version.hash)) {
            const auto current = statement_store::current_version(connection);
            const bool is_current = current && current->second == version.hash;
            throw Rejection(core::Error::conflict(
                std::string(
                    is_current ? i18n::gettext_noop("This text is already the current version.")
                               : i18n::gettext_noop("This text was already published as an earlier "
                                                    "version.")),
                "markdown"));
        }
        version.number = statement_store::next_number(connection);
        statement_store::insert_version(connection, version);
        statement_store::raise_revision(connection);
        if (auto draft = statement_store::draft(connection);
            draft && draft->markdown == version.markdown) {
            statement_store::delete_draft(connection);
        }
        accounts::AuditLog::record(connection, now, actor, "statement.publish",
                                   "statement:" + std::to_string(version.number),
                                   dump({{"number", version.number},
                                         {"hash", version.hash},
                                         {"language", version.language},
                                         {"title", version.title}}));
        version.translations = {Translation{.language = version.language,
                                            .title = version.title,
                                            .markdown = version.markdown,
                                            .authoritative = true,
                                            .added_at = now}};
        return version;
    });
}

core::Result<Version> Statements::translate(const accounts::Actor& actor, std::string_view hash,
                                            std::string_view language, std::string_view title,
                                            std::string_view markdown) {
    const std::string key = lower_ascii(hash);
    if (!is_hex_hash(key)) {
        return unknown_version();
    }
    auto tag = valid_language(language);
    if (!tag) {
        return tag.error();
    }
    auto canonical = canonical_text(markdown);
    if (!canonical) {
        return canonical.error();
    }
    auto valid = valid_title(title, *canonical, TitleRequired::Yes);
    if (!valid) {
        return valid.error();
    }
    const std::int64_t now = clock_.unix_now();
    const Translation translation{.language = std::move(*tag),
                                  .title = std::move(*valid),
                                  .markdown = std::move(*canonical),
                                  .authoritative = false,
                                  .added_at = now};
    auto done =
        run_transaction<bool>(database_, race_conflict(), [&](store::Connection& connection) {
            const auto version = statement_store::find_version(connection, key);
            if (!version) {
                throw Rejection(unknown_version());
            }
            if (version->language == translation.language) {
                throw Rejection(core::Error::invalid(
                    std::string(i18n::gettext_noop(
                        "This is the version's authoritative language: its text cannot change. "
                        "Publish a new version instead.")),
                    "language"));
            }
            const bool replaced =
                statement_store::upsert_text(connection, version->id, translation);
            statement_store::raise_revision(connection);
            accounts::AuditLog::record(connection, now, actor, "statement.translate",
                                       "statement:" + std::to_string(version->number),
                                       dump({{"hash", key},
                                             {"language", translation.language},
                                             {"title", translation.title},
                                             {"replaced", replaced}}));
            return replaced;
        });
    if (!done) {
        return done.error();
    }
    auto found = find(key);
    COALITION_ASSERT(found.has_value(), "a translated version is not found");
    return std::move(*found);
}

std::optional<Version> Statements::current() {
    const auto versions = load();
    if (versions->empty()) {
        return std::nullopt;
    }
    return versions->front();
}

std::optional<Version> Statements::find(std::string_view hash) {
    const std::string key = lower_ascii(hash);
    if (!is_hex_hash(key)) {
        return std::nullopt;
    }
    const auto versions = load();  // Held: the loop must not outlive the kept versions.
    for (const auto& version : *versions) {
        if (version.hash == key) {
            return version;
        }
    }
    return std::nullopt;
}

std::vector<Version> Statements::versions() {
    return *load();
}

std::optional<Reading> Statements::read(std::string_view language) {
    auto version = current();
    if (!version) {
        return std::nullopt;
    }
    const auto* wanted = i18n::find_language(language);
    const std::string tag = wanted != nullptr ? wanted->tag : std::string(language);
    for (const auto& translation : version->translations) {
        if (translation.language == tag) {
            Translation text = translation;
            return Reading{.version = std::move(*version), .text = std::move(text)};
        }
    }
    COALITION_ASSERT(!version->translations.empty(), "a version without its text");
    Translation text = version->translations.front();  // The authoritative one (complete()).
    return Reading{.version = std::move(*version), .text = std::move(text), .fell_back = true};
}

}  // namespace coalition::statement
