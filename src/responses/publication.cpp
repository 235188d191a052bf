// Publishing a response after its endorsement deadline (endorsers into signon's transparency
// log), reading a published response, its exports, and the publications index's list.

#include "core/clock.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "responses/drafting.hpp"
#include "responses/endorsement.hpp"
#include "responses/endorsement_store.hpp"
#include "responses/response_store.hpp"
#include "responses/responses.hpp"
#include "store/transaction.hpp"

#include <cmark-gfm.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>

namespace coalition::responses {

using accounts::Actor;

namespace {

std::string country_name(const std::string& code, std::string_view language) {
    const auto country = accounts::Country::parse(code);
    return country ? country->name(language) : code;
}

std::string group_label(const std::string& group, std::string_view language) {
    const auto parsed = accounts::parse_stakeholder_group(group);
    return parsed ? i18n::translate(language, accounts::label(*parsed)) : group;
}

// "Name (Country, stakeholder group)".
std::string endorser_line(const Endorser& endorser, std::string_view language,
                          const std::string& name) {
    return name + " (" + country_name(endorser.country, language) + ", " +
           group_label(endorser.stakeholder_group, language) + ")";
}

// Backslash-escapes the characters that would make a name Markdown (CommonMark §2.4).
std::string markdown_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (std::string_view("\\`*_{}[]()<>#+-.!|~").find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string published_line(const Publication& publication, std::string_view language) {
    const std::string date = processes::format_day(
        processes::civil_from_days(publication.published_at / core::kSecondsPerDay),
        processes::DatePrecision::Day, language);
    return i18n::translate(language, "Published on {date}.", {{"date", date}});
}

std::string consultation_line(const Publication& publication, std::string_view language) {
    if (publication.consultation_url.empty()) {
        return {};
    }
    const std::string name = publication.milestone_title.empty()
                                 ? publication.consultation_url
                                 : publication.process_name + " — " + publication.milestone_title;
    return i18n::translate(language, "In answer to: {consultation}",
                           {{"consultation", name + " <" + publication.consultation_url + ">"}});
}

std::string version_line(const Publication& publication, std::string_view language) {
    return i18n::translate(language, "Text version {version}, SHA-256 {hash}",
                           {{"version", std::to_string(publication.version_number)},
                            {"hash", publication.version_hash}});
}

}  // namespace

std::string plain_block(std::string_view markdown) {
    // Soft line breaks become spaces (CMARK_OPT_NOBREAKS), so a paragraph is one line, as a
    // consultation form's text box wants it.
    cmark_node* document =
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_NOBREAKS);
    char* rendered = cmark_render_plaintext(document, CMARK_OPT_NOBREAKS, 0);
    std::string out = core::trim(rendered == nullptr ? "" : rendered);
    cmark_get_default_mem_allocator()->free(rendered);
    cmark_node_free(document);
    return out;
}

std::string publication_markdown(const Publication& publication, std::string_view language) {
    std::string out = "# " + markdown_escape(publication.title) + "\n\n";
    for (const auto& block : publication.blocks) {
        out += block + "\n\n";
    }
    out += "## " + i18n::translate(language, "Endorsing organisations") + "\n\n";
    for (const auto& endorser : publication.endorsers) {
        out += "- " + endorser_line(endorser, language, markdown_escape(endorser.name)) + "\n";
    }
    if (publication.endorsers.empty()) {
        out += i18n::translate(language, "No organisation endorsed this response.") + "\n";
    }
    out += "\n" + published_line(publication, language) + "\n";
    if (const auto consultation = consultation_line(publication, language); !consultation.empty()) {
        out += "\n" + markdown_escape(consultation) + "\n";
    }
    out += "\n" + version_line(publication, language) + "\n\n<" + publication.url + ">\n";
    return out;
}

std::string publication_text(const Publication& publication, std::string_view language) {
    std::string out = publication.title + "\n" +
                      std::string(core::character_count(publication.title), '=') + "\n\n";
    for (const auto& block : publication.blocks) {
        out += plain_block(block) + "\n\n";
    }
    out += i18n::translate(language, "Endorsing organisations") + ":\n\n";
    for (const auto& endorser : publication.endorsers) {
        out += "- " + endorser_line(endorser, language, endorser.name) + "\n";
    }
    if (publication.endorsers.empty()) {
        out += i18n::translate(language, "No organisation endorsed this response.") + "\n";
    }
    out += "\n" + published_line(publication, language) + "\n";
    if (const auto consultation = consultation_line(publication, language); !consultation.empty()) {
        out += consultation + "\n";
    }
    out += version_line(publication, language) + "\n" + publication.url + "\n";
    return out;
}

std::string publication_paragraphs(const Publication& publication, std::string_view language) {
    std::vector<std::string> paragraphs;
    for (const auto& block : publication.blocks) {
        if (auto text = plain_block(block); !text.empty()) {
            paragraphs.push_back(std::move(text));
        }
    }
    if (!publication.endorsers.empty()) {
        std::string names;
        for (std::size_t endorser_idx = 0; endorser_idx < publication.endorsers.size();
             ++endorser_idx) {
            if (endorser_idx > 0) {
                names += "; ";
            }
            names += publication.endorsers[endorser_idx].name;
        }
        paragraphs.push_back(
            i18n::translate(language, "Endorsed by: {names}.", {{"names", names}}));
    }
    std::string out;
    for (const auto& paragraph : paragraphs) {
        out += (out.empty() ? "" : "\n\n") + paragraph;
    }
    return out + "\n";
}

core::Result<Publication> Endorsements::publish(const Actor& actor, std::string_view slug) {
    const auto response = editable(actor, slug, "publish");
    if (!response) {
        return response.error();
    }
    const ResponseId id = response->id;
    const core::Error already = core::Error::conflict(
        std::string(i18n::gettext_noop("This response is already published.")));
    // Read before the transaction: a transaction body may use only its own connection.
    std::map<std::int64_t, accounts::Organisation> organisations;
    for (auto& organisation : organisations_.list()) {
        organisations.emplace(organisation.id.value(), std::move(organisation));
    }
    auto published =
        store::run_transaction<bool>(database_, already, [&](store::Connection& connection) {
            const auto now = clock_.unix_now();
            response_store::touch(connection, id, now);
            const auto current = response_store::find(connection, slug);
            COALITION_ASSERT(current.has_value(), "a response is never deleted");
            if (current->status == ResponseStatus::Published) {
                throw store::Rejection(already);
            }
            const auto round = endorsement_store::latest_round(connection, id);
            if (current->status != ResponseStatus::OpenForEndorsement || !round) {
                throw store::Rejection(core::Error::conflict(
                    std::string(i18n::gettext_noop("This response is not open for endorsement."))));
            }
            if (now < round->deadline.utc()) {
                throw store::Rejection(core::Error::conflict(std::string(i18n::gettext_noop(
                    "The endorsement period is still open: publish after the deadline."))));
            }
            int count = 0;
            for (const auto& answer : endorsement_store::answers(connection, id)) {
                if (answer.kind != AnswerKind::Endorse ||
                    answer.version_hash != round->version_hash) {
                    continue;
                }
                const auto found = organisations.find(answer.organisation.value());
                if (found == organisations.end()) {
                    continue;
                }
                const accounts::Organisation* organisation = &found->second;
                Endorser endorser{
                    .organisation = organisation->id,
                    .name = organisation->name,
                    .slug = organisation->slug.value(),
                    .country = organisation->country.code(),
                    .stakeholder_group = std::string(accounts::id(organisation->stakeholder_group)),
                    .log_index = 0,
                    .position = 0};
                endorser.log_index = log_.append(
                    connection,
                    signon::endorsement_event({.response = current->slug.value(),
                                               .version_hash = round->version_hash,
                                               .organisation_name = endorser.name,
                                               .country = endorser.country,
                                               .stakeholder_group = endorser.stakeholder_group,
                                               .time = now},
                                              random_));
                endorsement_store::insert_endorser(connection, id, endorser);
                ++count;
            }
            endorsement_store::insert_publication(connection, id,
                                                  {.version_number = round->version_number,
                                                   .version_hash = round->version_hash,
                                                   .published_at = now},
                                                  actor.label());
            endorsement_store::set_status(connection, id, ResponseStatus::Published, now);
            accounts::AuditLog::record(
                connection, now, actor, "response.publish", audit_subject(id),
                drafting::details({{"version", std::to_string(round->version_number)},
                                   {"hash", round->version_hash},
                                   {"endorsers", std::to_string(count)}}));
            return true;
        });
    if (!published) {
        return published.error();
    }
    auto out = publication(slug, "en");
    COALITION_ASSERT(out.has_value(), "a response just published is readable");
    return std::move(*out);
}

std::optional<Publication> Endorsements::publication(std::string_view slug,
                                                     std::string_view language) const {
    const auto response = response_store::find(database_, slug);
    if (!response || response->status != ResponseStatus::Published) {
        return std::nullopt;
    }
    const auto row = endorsement_store::publication(database_, response->id);
    if (!row) {
        return std::nullopt;
    }
    const auto text = response_store::text(database_, response->id, row->version_number);
    if (!text) {
        return std::nullopt;
    }
    Publication out;
    out.slug = response->slug.value();
    out.title = response->title;
    out.url = base_url_ + "/responses/" + out.slug;
    out.link = response->link;
    out.consultation_url = response->link;
    out.milestone = response->milestone;
    if (response->milestone) {
        if (const auto milestone = processes_.find_milestone(*response->milestone)) {
            out.milestone_title = milestone->fields.title;
            if (const auto process = processes_.find_by_id(milestone->process_id)) {
                out.process_slug = process->slug.value();
                out.process_name = process->fields.name;
                out.consultation_url = base_url_ + "/processes/" + out.process_slug +
                                       "#milestone-" + std::to_string(milestone->id.value());
            }
        }
    }
    out.version_number = row->version_number;
    out.version_hash = row->version_hash;
    out.published_at = row->published_at;
    for (const auto& paragraph : text->paragraphs) {
        out.blocks.push_back(paragraph.text);
    }
    out.endorsers = endorsement_store::endorsers(database_, response->id);
    // By default alphabetical as readers of `language` expect: accounts' ICU collation of the
    // organisations' names; an organisation deleted since comes last, by its stored name. The
    // editors' positions, when they chose some, come first.
    std::map<std::int64_t, std::size_t> rank;
    for (const auto& organisation : organisations_.list({}, language)) {
        rank.emplace(organisation.id.value(), rank.size());
    }
    auto rank_of = [&](const Endorser& endorser) {
        const auto found = rank.find(endorser.organisation.value());
        return found == rank.end() ? rank.size() : found->second;
    };
    auto position_of = [](const Endorser& endorser) {
        return endorser.position > 0 ? endorser.position : std::numeric_limits<int>::max();
    };
    std::stable_sort(out.endorsers.begin(), out.endorsers.end(),
                     [&](const Endorser& left, const Endorser& right) {
                         return std::pair(position_of(left), rank_of(left)) <
                                std::pair(position_of(right), rank_of(right));
                     });
    out.editors_order = std::any_of(out.endorsers.begin(), out.endorsers.end(),
                                    [](const Endorser& endorser) { return endorser.position > 0; });
    return out;
}

core::Result<void> Endorsements::order_endorsers(
    const Actor& actor, std::string_view slug, const std::vector<accounts::OrganisationId>& order) {
    const auto response = editable(actor, slug, "order_endorsers");
    if (!response) {
        return response.error();
    }
    if (response->status != ResponseStatus::Published) {
        return core::Error::conflict(
            std::string(i18n::gettext_noop("This response is not published yet.")));
    }
    const ResponseId id = response->id;
    const auto endorsers = endorsement_store::endorsers(database_, id);
    std::vector<std::int64_t> expected(endorsers.size());
    std::vector<std::int64_t> given(order.size());
    std::transform(endorsers.begin(), endorsers.end(), expected.begin(),
                   [](const Endorser& endorser) { return endorser.organisation.value(); });
    std::transform(order.begin(), order.end(), given.begin(),
                   [](accounts::OrganisationId organisation) { return organisation.value(); });
    std::sort(expected.begin(), expected.end());
    std::sort(given.begin(), given.end());
    if (!order.empty() && given != expected) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop(
                "List every endorsing organisation once, each with its own place.")),
            "order");
    }
    std::string listed;  // "12,3,7" for the audit row.
    for (const auto organisation : order) {
        listed += (listed.empty() ? "" : ",") + std::to_string(organisation.value());
    }
    return store::run_transaction_void(
        database_,
        core::Error::conflict(
            std::string(i18n::gettext_noop("This response changed meanwhile: please try again."))),
        [&](store::Connection& connection) {
            endorsement_store::set_endorser_order(connection, id, order);
            accounts::AuditLog::record(
                connection, clock_.unix_now(), actor, "response.order_endorsers", audit_subject(id),
                drafting::details(
                    {{"order", order.empty() ? std::string("alphabetical") : listed}}));
        });
}

core::Result<std::vector<PublishedResponse>> Responses::published(std::size_t limit) const {
    return endorsement_store::published(database_, limit);
}

}  // namespace coalition::responses
