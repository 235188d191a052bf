#include "publications/publications.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "publications/publication_store.hpp"
#include "store/transaction.hpp"

#include <cmark-gfm.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <utility>

namespace coalition::publications {
namespace {

using store::Rejection;
using store::run_transaction;

core::Error invalid(std::string_view message, std::string_view field) {
    return core::Error::invalid(std::string(message), std::string(field));
}

enum class Lines { One, Many };

// Text from a form field: valid UTF-8, no control characters (line breaks only with Lines::Many),
// NFC with "\n" line ends, trimmed, at most `limit` characters.
core::Result<std::string> clean_text(std::string_view input, std::string_view field, Lines lines,
                                     std::size_t limit) {
    if (!core::is_valid_utf8(input) || core::has_control_characters(input)) {
        return invalid(i18n::gettext_noop("Use plain text without control characters."), field);
    }
    if (lines == Lines::One && input.find_first_of("\t\r\n") != std::string_view::npos) {
        return invalid(i18n::gettext_noop("Use one line of plain text."), field);
    }
    std::string unified;
    unified.reserve(input.size());
    for (std::size_t index = 0; index < input.size(); ++index) {
        if (input[index] == '\r') {
            unified += '\n';
            if (index + 1 < input.size() && input[index + 1] == '\n') {
                ++index;
            }
        } else {
            unified += input[index];
        }
    }
    std::string out = core::trim(core::to_nfc(unified));
    if (core::character_count(out) > limit) {
        return invalid(i18n::gettext_noop("This is too long."), field);
    }
    return out;
}

bool is_http_url(std::string_view url) {
    const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
    const std::size_t host = url.find("://") + 3;
    return scheme && url.size() > host && url[host] != '/' && url.size() <= kMaxUrlCharacters &&
           url.find_first_of(" \t\r\n\"'<>\\") == std::string_view::npos;
}

bool is_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    const char* begin = text.data();
    if (std::from_chars(begin, begin + 4, year).ptr != begin + 4 ||
        std::from_chars(begin + 5, begin + 7, month).ptr != begin + 7 ||
        std::from_chars(begin + 8, begin + 10, day).ptr != begin + 10) {
        return false;
    }
    return std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month),
                                       std::chrono::day(day))
        .ok();
}

std::optional<std::int64_t> positive_number(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

template <typename T>
void take(core::Result<T> result, T& into, accounts::FieldErrors& errors) {
    if (result) {
        into = std::move(result).value();
    } else {
        errors.push_back(result.error());
    }
}

std::string audit_details(const Publication& publication) {
    return nlohmann::json{{"slug", publication.slug.value()},
                          {"title", publication.fields.title},
                          {"revision", publication.revision}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string subject(PublicationId id) {
    return "publication:" + std::to_string(id.value());
}

Entry entry_of(const Publication& publication) {
    return Entry{
        .kind = std::string(id(publication.fields.kind)),
        .title = publication.fields.title,
        .path = "/publications/" + publication.slug.value(),
        .summary = publication.fields.summary,
        .language = publication.fields.language,
        .process_slug = publication.fields.process_slug,
        .published_at = publication.published_at.value_or(0),
        .updated_at = publication.edited_at.value_or(publication.published_at.value_or(0))};
}

core::Error not_found() {
    return core::Error::not_found(std::string(i18n::gettext_noop("There is no such publication.")));
}

// Paths under /publications/ and /admin/publications/ that are not publications.
bool is_reserved(std::string_view slug) {
    return slug == "delivered" || slug == "new" || slug == "feed";
}

// The first free slug: `base`, else base-2, base-3, …
accounts::Slug free_slug(store::Connection& connection, const accounts::Slug& base) {
    if (!is_reserved(base.value()) && !publication_store::is_slug_taken(connection, base.value())) {
        return base;
    }
    for (int number = 2;; ++number) {
        auto candidate = base.with_suffix(number);
        if (!publication_store::is_slug_taken(connection, candidate.value())) {
            return candidate;
        }
    }
}

core::Error slug_taken() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("Another publication already has this slug.")), "slug");
}

}  // namespace

std::string_view id(Kind kind) {
    return kind == Kind::News ? "news" : "position-paper";
}

std::string_view label(Kind kind) {
    return kind == Kind::News ? "News" : "Position paper";
}

std::optional<Kind> parse_kind(std::string_view text) {
    for (const auto kind : all_kinds()) {
        if (id(kind) == text) {
            return kind;
        }
    }
    return std::nullopt;
}

std::vector<Kind> all_kinds() {
    return {Kind::News, Kind::PositionPaper};
}

accounts::Validated<PublicationFields> validate(const PublicationDraft& draft) {
    accounts::FieldErrors errors;
    PublicationFields fields;
    if (auto kind = parse_kind(draft.kind)) {
        fields.kind = *kind;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Choose news or position paper."), "kind"));
    }
    take(clean_text(draft.title, "title", Lines::One, kMaxTitleCharacters), fields.title, errors);
    if (errors.empty() || errors.back().field != "title") {
        if (fields.title.empty()) {
            errors.push_back(invalid(i18n::gettext_noop("Give the publication a title."), "title"));
        }
    }
    if (!draft.slug.empty()) {
        if (auto slug = accounts::Slug::parse(draft.slug); slug && !is_reserved(draft.slug)) {
            fields.slug = *slug;
        } else {
            errors.push_back(invalid(i18n::gettext_noop("Use lower-case letters, digits and "
                                                        "single hyphens, at most 64 characters."),
                                     "slug"));
        }
    }
    const auto* language = draft.language.size() <= 16 && core::is_valid_utf8(draft.language)
                               ? i18n::find_language(core::trim(draft.language))
                               : nullptr;
    if (language != nullptr) {
        fields.language = language->tag;
    } else {
        errors.push_back(
            invalid(i18n::gettext_noop("Choose one of the six UN languages."), "language"));
    }
    if (!draft.process.empty()) {
        if (accounts::Slug::parse(draft.process)) {
            fields.process_slug = draft.process;
        } else {
            errors.push_back(
                invalid(i18n::gettext_noop("Choose a process from the list."), "process"));
        }
    }
    take(clean_text(draft.summary, "summary", Lines::Many, kMaxSummaryCharacters), fields.summary,
         errors);
    take(clean_text(draft.markdown, "markdown", Lines::Many, kMaxMarkdownCharacters),
         fields.markdown, errors);
    if ((errors.empty() || errors.back().field != "markdown") && fields.markdown.empty()) {
        errors.push_back(invalid(i18n::gettext_noop("Write the text."), "markdown"));
    }
    if (!errors.empty()) {
        return errors;
    }
    fields.markdown += '\n';
    return fields;
}

PublicationDraft Publication::to_draft() const {
    return PublicationDraft{.kind = std::string(publications::id(fields.kind)),
                            .title = fields.title,
                            .slug = slug.value(),
                            .language = fields.language,
                            .process = fields.process_slug,
                            .summary = fields.summary,
                            .markdown = fields.markdown};
}

Listing list_entries(std::vector<Entry> entries, const Filter& filter) {
    std::erase_if(entries, [&filter](const Entry& entry) {
        return (!filter.kind.empty() && entry.kind != filter.kind) ||
               (!filter.process.empty() && entry.process_slug != filter.process);
    });
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& left, const Entry& right) {
        if (left.published_at != right.published_at) {
            return left.published_at > right.published_at;
        }
        return left.title < right.title;
    });
    Listing out;
    const auto per_page = static_cast<std::size_t>(std::max(1, filter.per_page));
    out.total = entries.size();
    out.pages =
        static_cast<int>(std::max<std::size_t>(1, (entries.size() + per_page - 1) / per_page));
    out.page = std::max(1, filter.page);
    const std::size_t first = static_cast<std::size_t>(out.page - 1) * per_page;
    if (first < entries.size()) {
        const std::size_t last = std::min(entries.size(), first + per_page);
        out.entries.assign(std::make_move_iterator(entries.begin() + static_cast<long>(first)),
                           std::make_move_iterator(entries.begin() + static_cast<long>(last)));
    }
    return out;
}

std::string plain_text(std::string_view markdown) {
    struct NodeDeleter {
        void operator()(cmark_node* node) const { cmark_node_free(node); }
    };
    // cmark's own plain-text renderer over the same parse the HTML comes from; width 0 keeps
    // each paragraph on one line, as consultation forms expect.
    const std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parse_document(
        markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8));
    char* rendered = cmark_render_plaintext(document.get(), CMARK_OPT_DEFAULT, 0);
    std::string out(rendered);
    free(rendered);  // NOLINT(cppcoreguidelines-no-malloc): cmark allocates with malloc.
    return out;
}

Publications::Publications(store::Database& database, const core::Clock& clock,
                           const processes::Processes& processes,
                           const accounts::Organisations& organisations)
    : database_(database), clock_(clock), processes_(processes), organisations_(organisations) {
}

core::Result<void> Publications::check_process(const PublicationFields& fields) const {
    if (!fields.process_slug.empty() && !processes_.find(fields.process_slug)) {
        return invalid(i18n::gettext_noop("Choose a process from the list."), "process");
    }
    return {};
}

core::Result<Publication> Publications::create(const accounts::Actor& actor,
                                               const PublicationFields& fields) {
    if (auto checked = check_process(fields); !checked) {
        return checked.error();
    }
    const std::int64_t now = clock_.unix_now();
    return run_transaction<Publication>(database_, slug_taken(), [&](store::Connection& db) {
        Publication publication;
        publication.fields = fields;
        if (fields.slug) {
            if (publication_store::is_slug_taken(db, fields.slug->value())) {
                throw Rejection(slug_taken());
            }
            publication.slug = *fields.slug;
        } else {
            publication.slug = free_slug(db, accounts::Slug::derive(fields.title));
        }
        publication.fields.slug = publication.slug;
        publication.revision = 1;
        publication.created_at = now;
        publication.updated_at = now;
        publication.id = publication_store::insert(db, publication);
        publication_store::insert_revision(db, publication.id,
                                           Revision{.number = 1,
                                                    .title = fields.title,
                                                    .summary = fields.summary,
                                                    .markdown = fields.markdown,
                                                    .actor = actor.label(),
                                                    .saved_at = now});
        accounts::AuditLog::record(db, now, actor, "publication.create", subject(publication.id),
                                   audit_details(publication));
        return publication;
    });
}

core::Result<Publication> Publications::update(const accounts::Actor& actor, PublicationId id,
                                               const PublicationFields& fields) {
    if (auto checked = check_process(fields); !checked) {
        return checked.error();
    }
    const std::int64_t now = clock_.unix_now();
    return run_transaction<Publication>(database_, slug_taken(), [&](store::Connection& db) {
        auto publication = publication_store::find_by_id(db, id);
        if (!publication) {
            throw Rejection(not_found());
        }
        if (fields.slug && *fields.slug != publication->slug) {
            if (publication_store::is_slug_taken(db, fields.slug->value())) {
                throw Rejection(slug_taken());
            }
            publication->slug = *fields.slug;
        }
        const bool text_changed = fields.title != publication->fields.title ||
                                  fields.summary != publication->fields.summary ||
                                  fields.markdown != publication->fields.markdown;
        publication->fields = fields;
        publication->fields.slug = publication->slug;
        publication->updated_at = now;
        if (text_changed) {
            publication->revision += 1;
            if (publication->is_published()) {
                publication->edited_at = now;
            }
            publication_store::insert_revision(db, id,
                                               Revision{.number = publication->revision,
                                                        .title = fields.title,
                                                        .summary = fields.summary,
                                                        .markdown = fields.markdown,
                                                        .actor = actor.label(),
                                                        .saved_at = now});
        }
        publication_store::update(db, *publication);
        accounts::AuditLog::record(db, now, actor, "publication.update", subject(id),
                                   audit_details(*publication));
        return *publication;
    });
}

core::Result<Publication> Publications::publish(const accounts::Actor& actor, PublicationId id) {
    const std::int64_t now = clock_.unix_now();
    return run_transaction<Publication>(database_, not_found(), [&](store::Connection& db) {
        auto publication = publication_store::find_by_id(db, id);
        if (!publication) {
            throw Rejection(not_found());
        }
        if (publication->is_published()) {
            throw Rejection(core::Error::conflict(
                std::string(i18n::gettext_noop("This publication is already published."))));
        }
        publication->published_at = now;
        publication->edited_at.reset();
        publication->updated_at = now;
        publication_store::update(db, *publication);
        accounts::AuditLog::record(db, now, actor, "publication.publish", subject(id),
                                   audit_details(*publication));
        return *publication;
    });
}

core::Result<Publication> Publications::unpublish(const accounts::Actor& actor, PublicationId id) {
    const std::int64_t now = clock_.unix_now();
    return run_transaction<Publication>(database_, not_found(), [&](store::Connection& db) {
        auto publication = publication_store::find_by_id(db, id);
        if (!publication) {
            throw Rejection(not_found());
        }
        if (!publication->is_published()) {
            throw Rejection(core::Error::conflict(
                std::string(i18n::gettext_noop("This publication is not published."))));
        }
        publication->published_at.reset();
        publication->edited_at.reset();
        publication->updated_at = now;
        publication_store::update(db, *publication);
        accounts::AuditLog::record(db, now, actor, "publication.unpublish", subject(id),
                                   audit_details(*publication));
        return *publication;
    });
}

core::Result<Publication> Publications::ensure_published(const accounts::Actor& actor,
                                                         const PublicationFields& fields) {
    COALITION_ASSERT(fields.slug.has_value(), "ensure_published needs a slug");
    if (auto found = find(fields.slug->value())) {
        return *found;
    }
    auto created = create(actor, fields);
    if (!created) {
        return created.error();
    }
    return publish(actor, created->id);
}

std::optional<Publication> Publications::find(std::string_view slug) const {
    return publication_store::find_by_slug(database_, std::string(slug));
}

std::optional<Publication> Publications::find_by_id(PublicationId id) const {
    return publication_store::find_by_id(database_, id);
}

std::optional<Publication> Publications::find_published(std::string_view slug) const {
    auto found = find(slug);
    if (!found || !found->is_published()) {
        return std::nullopt;
    }
    return found;
}

std::vector<Publication> Publications::all() const {
    return publication_store::list(database_, publication_store::Which::All);
}

std::vector<Publication> Publications::published() const {
    return publication_store::list(database_, publication_store::Which::PublishedOnly);
}

std::vector<Entry> Publications::entries() const {
    std::vector<Entry> out;
    for (const auto& publication : published()) {
        out.push_back(entry_of(publication));
    }
    return out;
}

std::vector<Entry> Publications::entries_for_process(std::string_view process_slug) const {
    auto out = entries();
    std::erase_if(out, [&](const Entry& entry) { return entry.process_slug != process_slug; });
    return out;
}

std::vector<Revision> Publications::revisions(PublicationId id) const {
    return publication_store::revisions(database_, id);
}

accounts::Validated<Delivery> Publications::validate_delivery(
    const DeliveryDraft& draft, const std::vector<ResponseChoice>& responses) const {
    accounts::FieldErrors errors;
    Delivery delivery;
    if (auto publication = find(draft.publication)) {
        delivery.publication_id = publication->id;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Choose the publication that was delivered."),
                                 "publication"));
    }
    take(clean_text(draft.speaker, "speaker", Lines::One, kMaxSpeakerCharacters), delivery.speaker,
         errors);
    if ((errors.empty() || errors.back().field != "speaker") && delivery.speaker.empty()) {
        errors.push_back(invalid(i18n::gettext_noop("Give the speaker's name."), "speaker"));
    }
    if (!draft.organisation.empty()) {
        if (auto organisation = organisations_.find_by_slug(draft.organisation)) {
            delivery.organisation_id = organisation->id;
        } else {
            errors.push_back(invalid(i18n::gettext_noop("Choose an organisation from the list."),
                                     "organisation"));
        }
    }
    if (!draft.milestone.empty()) {
        const auto number = positive_number(draft.milestone);
        if (number && processes_.find_milestone(processes::MilestoneId(*number))) {
            delivery.milestone_id = processes::MilestoneId(*number);
        } else {
            errors.push_back(
                invalid(i18n::gettext_noop("Choose a meeting from the list."), "milestone"));
        }
    }
    take(clean_text(draft.meeting, "meeting", Lines::One, kMaxMeetingCharacters), delivery.meeting,
         errors);
    if (delivery.meeting.empty() && !delivery.milestone_id && draft.milestone.empty() &&
        (errors.empty() || errors.back().field != "meeting")) {
        errors.push_back(
            invalid(i18n::gettext_noop("Choose the meeting from the list or name it."), "meeting"));
    }
    if (is_date(draft.date)) {
        delivery.date = draft.date;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Give the date as YYYY-MM-DD."), "date"));
    }
    if (!draft.link.empty()) {
        if (core::is_valid_utf8(draft.link) && is_http_url(draft.link)) {
            delivery.link = draft.link;
        } else {
            errors.push_back(invalid(
                i18n::gettext_noop("Give the address of the recording or transcript (https://…)."),
                "link"));
        }
    }
    if (!draft.response.empty()) {
        const auto chosen = std::find_if(
            responses.begin(), responses.end(),
            [&](const ResponseChoice& choice) { return choice.slug == draft.response; });
        if (chosen != responses.end()) {
            delivery.response_slug = chosen->slug;
            delivery.response_title = chosen->title;
        } else {
            errors.push_back(
                invalid(i18n::gettext_noop("Choose a published joint response from the list."),
                        "response"));
        }
    }
    if (!errors.empty()) {
        return errors;
    }
    describe(delivery);
    return delivery;
}

core::Result<Delivery> Publications::record_delivery(const accounts::Actor& actor,
                                                     const Delivery& delivery) {
    const std::int64_t now = clock_.unix_now();
    auto recorded = run_transaction<Delivery>(database_, not_found(), [&](store::Connection& db) {
        if (!publication_store::find_by_id(db, delivery.publication_id)) {
            throw Rejection(not_found());
        }
        Delivery out = delivery;
        out.created_at = now;
        out.id = publication_store::insert_delivery(db, out);
        accounts::AuditLog::record(
            db, now, actor, "publication.delivered", subject(delivery.publication_id),
            nlohmann::json{{"delivery", out.id.value()},
                           {"speaker", out.speaker},
                           {"date", out.date},
                           {"response", out.response_slug}}
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return out;
    });
    if (recorded) {
        describe(*recorded);
    }
    return recorded;
}

std::vector<Delivery> Publications::deliveries(std::optional<PublicationId> publication_id) const {
    auto out = publication_store::deliveries(database_, publication_id);
    for (auto& delivery : out) {
        describe(delivery);
    }
    return out;
}

void Publications::describe(Delivery& delivery) const {
    if (auto publication = find_by_id(delivery.publication_id)) {
        delivery.publication_slug = publication->slug.value();
        delivery.publication_title = publication->fields.title;
    }
    if (delivery.organisation_id) {
        if (auto organisation = organisations_.find_by_id(*delivery.organisation_id)) {
            delivery.organisation_name = organisation->name;
        }
    }
    if (delivery.milestone_id) {
        if (auto milestone = processes_.find_milestone(*delivery.milestone_id)) {
            if (delivery.meeting.empty()) {
                delivery.meeting = milestone->fields.title;
            }
            if (auto process = processes_.find_by_id(milestone->process_id)) {
                delivery.process_slug = process->slug.value();
            }
        }
    }
}

}  // namespace coalition::publications
