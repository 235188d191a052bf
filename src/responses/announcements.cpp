// Announcements: what an editor may announce now, the mail's wording, posting it through the
// ListPoster and recording it.

#include "responses/announcements.hpp"

#include "core/names.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "processes/processes.hpp"
#include "responses/announcements_store.hpp"
#include "responses/drafting.hpp"
#include "responses/endorsement_store.hpp"
#include "responses/response_store.hpp"
#include "responses/responses.hpp"
#include "store/transaction.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace coalition::responses {

using accounts::Actor;

namespace {

constexpr std::array<std::pair<AnnouncementEvent, std::string_view>, 3> kEventIds = {{
    {AnnouncementEvent::DraftOpened, "draft"},
    {AnnouncementEvent::NewVersion, "version"},
    {AnnouncementEvent::CallForEndorsement, "endorsement"},
}};

constexpr std::array<std::pair<PostOutcome, std::string_view>, 4> kOutcomeIds = {{
    {PostOutcome::Accepted, "accepted"},
    {PostOutcome::Held, "held"},
    {PostOutcome::Rejected, "rejected"},
    {PostOutcome::Discarded, "discarded"},
}};

using Values = std::vector<std::pair<std::string, std::string>>;

std::string valid_language(std::string_view language) {
    return i18n::find_language(language) != nullptr ? std::string(language) : std::string("en");
}

// A subject is one line: a title or a deadline never breaks it.
std::string one_line(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return text;
}

// The events that may be announced now.
std::vector<AnnouncementEvent> offered(const Response& response, const std::optional<Round>& round,
                                       std::int64_t now) {
    std::vector<AnnouncementEvent> events;
    if (response.status == ResponseStatus::Published) {
        return events;
    }
    events.push_back(AnnouncementEvent::DraftOpened);
    if (response.current_version > 1) {
        events.push_back(AnnouncementEvent::NewVersion);
    }
    if (response.status == ResponseStatus::OpenForEndorsement && round &&
        now < round->deadline.utc()) {
        events.push_back(AnnouncementEvent::CallForEndorsement);
    }
    return events;
}

}  // namespace

std::string_view id(AnnouncementEvent event) {
    return core::name_of(kEventIds, event);
}

std::optional<AnnouncementEvent> parse_announcement_event(std::string_view text) {
    return core::value_of(kEventIds, text);
}

std::string_view id(PostOutcome outcome) {
    return core::name_of(kOutcomeIds, outcome);
}

std::optional<PostOutcome> parse_post_outcome(std::string_view text) {
    return core::value_of(kOutcomeIds, text);
}

AnnouncementMail compose_announcement(const AnnouncementText& text, std::string_view language) {
    const std::string lang = valid_language(language);
    const Values values = {{"title", one_line(text.title)},
                           {"version", std::to_string(text.version_number)},
                           {"link", text.link},
                           {"when", one_line(text.deadline)},
                           {"editor", one_line(text.editor)},
                           {"site", text.site_name}};
    AnnouncementMail mail;
    switch (text.event) {
        case AnnouncementEvent::DraftOpened:
            mail.subject = i18n::translate(lang, "Draft open for comments: {title}", values);
            mail.body =
                i18n::translate(lang,
                                "The draft joint response \"{title}\" (version {version}) is "
                                "open for comments by the members of {site}.\n\n"
                                "Read it and comment on any paragraph, or propose an amendment, "
                                "after signing in:\n\n{link}\n",
                                values);
            break;
        case AnnouncementEvent::NewVersion:
            mail.subject =
                i18n::translate(lang, "New version {version} of the draft: {title}", values);
            mail.body =
                i18n::translate(lang,
                                "The editors of the joint response \"{title}\" made version "
                                "{version} of the draft.\n\n"
                                "Read it, and what changed since the previous version, after "
                                "signing in:\n\n{link}\n",
                                values);
            break;
        case AnnouncementEvent::CallForEndorsement:
            mail.subject =
                i18n::translate(lang, "Call for endorsement: {title} (until {when})", values);
            mail.body =
                i18n::translate(lang,
                                "Version {version} of the joint response \"{title}\" is open "
                                "for endorsement until {when}.\n\n"
                                "The representative of each member organisation can endorse "
                                "it, abstain or object here, after signing in:\n\n{link}\n",
                                values);
            break;
    }
    if (!text.note.empty()) {
        // The note is the editor's own plain text: appended after the formatting, so braces in it
        // stay as typed.
        mail.body += "\n" + i18n::translate(lang, "A note from {editor}:", values) + "\n\n" +
                     text.note + "\n";
    }
    return mail;
}

Announcements::Announcements(store::Database& database, const core::Clock& clock,
                             const accounts::Users& users,
                             const accounts::Organisations& organisations, ListPoster& poster,
                             const ResponseSettings& settings)
    : database_(database),
      clock_(clock),
      users_(users),
      organisations_(organisations),
      poster_(poster),
      base_url_(settings.base_url),
      site_name_(settings.site_name) {
}

core::Error Announcements::refuse(const Actor& actor, std::int64_t response_id) {
    const auto now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        accounts::AuditLog::record(connection, now, actor, "response.refused",
                                   audit_subject(ResponseId(response_id)),
                                   drafting::details({{"attempt", "announce"}}));
    });
    return core::Error::forbidden(
        std::string(i18n::gettext_noop("You may not do this with this response.")));
}

core::Result<AnnounceOptions> Announcements::options(const Actor& actor, std::string_view slug) {
    const auto response = response_store::find(database_, slug);
    if (!response) {
        return core::Error::not_found(
            std::string(i18n::gettext_noop("There is no such response.")));
    }
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    if (!viewer.user || drafting::access_of(viewer, *response) < Access::Editor) {
        return refuse(actor, response->id.value());
    }
    AnnounceOptions out;
    out.title = response->title;
    out.current_version = response->current_version;
    out.lists = poster_.lists();
    const auto round = endorsement_store::latest_round(database_, response->id);
    out.events = offered(*response, round, clock_.unix_now());
    if (std::find(out.events.begin(), out.events.end(), AnnouncementEvent::CallForEndorsement) !=
        out.events.end()) {
        out.open_round = round;
    }
    out.history = announcements_store::list(database_, response->id);
    std::map<std::int64_t, std::string> names;
    for (auto& announcement : out.history) {
        const std::int64_t editor = announcement.editor.value();
        if (names.count(editor) == 0) {
            const auto user = users_.find_by_id(announcement.editor);
            names[editor] = user ? user->name() : announcement.editor_name;
        }
        announcement.editor_name = names[editor];
    }
    return out;
}

core::Result<Announcement> Announcements::announce(const Actor& actor, std::string_view slug,
                                                   const AnnouncementInput& input) {
    const auto response = response_store::find(database_, slug);
    if (!response) {
        return core::Error::not_found(
            std::string(i18n::gettext_noop("There is no such response.")));
    }
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    // The post is the editor's own: the command line has no address to post from.
    if (!viewer.user || drafting::access_of(viewer, *response) < Access::Editor) {
        return refuse(actor, response->id.value());
    }
    const auto event = parse_announcement_event(input.event);
    if (!event) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Choose what to announce from the list.")), "event");
    }
    const auto list = core::is_valid_utf8(input.list) && !input.list.empty()
                          ? poster_.find(input.list)
                          : std::nullopt;
    if (!list) {
        return core::Error::invalid(std::string(i18n::gettext_noop("Choose a list from the list.")),
                                    "list");
    }
    auto note = drafting::plain_text(input.note, "note", kMaxAnnouncementNoteCharacters, true);
    if (!note) {
        return note.error();
    }
    const std::int64_t now = clock_.unix_now();
    const auto round = endorsement_store::latest_round(database_, response->id);
    const auto events = offered(*response, round, now);
    if (std::find(events.begin(), events.end(), *event) == events.end()) {
        return core::Error::conflict(
            std::string(i18n::gettext_noop("This cannot be announced now.")), "event");
    }
    const std::string page = base_url_ + "/responses/" + response->slug.value();
    AnnouncementText text{.event = *event,
                          .title = response->title,
                          .version_number = response->current_version,
                          .link = page,
                          .deadline = {},
                          .note = *note,
                          .editor = viewer.user->name(),
                          .site_name = site_name_};
    if (*event == AnnouncementEvent::NewVersion) {
        text.link = page + "/diff?from=" + std::to_string(response->current_version - 1) +
                    "&to=" + std::to_string(response->current_version);
    } else if (*event == AnnouncementEvent::CallForEndorsement) {
        text.version_number = round->version_number;
        text.link = page + "#endorsement";
        const std::string language = valid_language(list->language);
        text.deadline =
            processes::format_instant(round->deadline.utc(), round->deadline.zone(), language) +
            " " + round->deadline.zone();
    }
    const auto mail = compose_announcement(text, list->language);
    auto posted = poster_.post(list->id, viewer.user->email, viewer.user->display_name,
                               mail.subject, mail.body);
    if (!posted) {
        core::Error error = posted.error();
        if (error.code == core::ErrorCode::NotFound) {
            return core::Error::invalid(
                std::string(i18n::gettext_noop("Choose a list from the list.")), "list");
        }
        error.field = "note";
        return error;
    }
    Announcement announcement{.id = 0,
                              .event = *event,
                              .version_number = text.version_number,
                              .list_id = list->id,
                              .list_name = list->name,
                              .post = posted->post,
                              .outcome = posted->outcome,
                              .editor = viewer.user->id,
                              .editor_name = viewer.user->name(),
                              .subject = mail.subject,
                              .announced_at = now};
    const ResponseId response_id = response->id;
    database_.transact([&](store::Connection& connection) {
        announcement.id =
            announcements_store::insert(connection, response_id, announcement, actor.label());
        accounts::AuditLog::record(
            connection, now, actor, "response.announce", audit_subject(response_id),
            drafting::details({{"event", std::string(responses::id(*event))},
                               {"version", std::to_string(announcement.version_number)},
                               {"list", list->name},
                               {"outcome", std::string(responses::id(posted->outcome))},
                               {"post", posted->post ? std::to_string(*posted->post) : ""}}));
    });
    return announcement;
}

}  // namespace coalition::responses
