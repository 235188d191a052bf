#include "web/pages/response_announce_pages.hpp"

#include "i18n/i18n.hpp"
#include "processes/processes.hpp"
#include "web/forms.hpp"
#include "web/layout.hpp"
#include "web/page.hpp"
#include "web/pages/response_pages.hpp"
#include "web/problem.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace coalition::web {
namespace {

using responses::AnnouncementEvent;
using responses::PostOutcome;

std::string announce_path(std::string_view slug) {
    return "/responses/" + std::string(slug) + "/announce";
}

std::string_view event_msgid(AnnouncementEvent event) {
    switch (event) {
        case AnnouncementEvent::DraftOpened:
            return "The draft is open for comments (version {version})";
        case AnnouncementEvent::NewVersion:
            return "New version: version {version}";
        case AnnouncementEvent::CallForEndorsement:
            return "Call for endorsement of version {version}";
    }
    return "";
}

// What the page says after a post, by outcome (the query names one of these ids, nothing else).
struct OutcomeNotice {
    PostOutcome outcome;
    std::string_view msgid;
};
constexpr OutcomeNotice kNotices[] = {
    {PostOutcome::Accepted,
     "The announcement was posted: the list delivers it to its members and archives it."},
    {PostOutcome::Held,
     "The list holds the announcement for a moderator: it goes out once a moderator approves it."},
    {PostOutcome::Rejected, "The list's rules did not let the announcement through."},
    {PostOutcome::Discarded, "The list's rules did not let the announcement through."},
};

std::string_view outcome_note(PostOutcome outcome) {
    switch (outcome) {
        case PostOutcome::Accepted:
            return "";
        case PostOutcome::Held:
            return "held for a moderator";
        case PostOutcome::Rejected:
        case PostOutcome::Discarded:
            return "not let through by the list";
    }
    return "";
}

// The status of the form shown again after `error`.
int form_error_status(const core::Error& error) {
    return error.code == core::ErrorCode::Invalid ? 422 : http_status(error.code);
}

}  // namespace

ResponseAnnouncePages::ResponseAnnouncePages(Site& site)
    : site_(site), template_(site.pages.require("response_announce")) {
}

Response ResponseAnnouncePages::form(Request& request) const {
    return page(request, {}, {}, 200);
}

Response ResponseAnnouncePages::page(Request& request, const responses::AnnouncementInput& input,
                                     const std::vector<core::Error>& errors, int status) const {
    if (site_.announcements == nullptr) {
        return error_page(site_, request, 503);
    }
    const std::string slug(request.param("slug"));
    auto options = site_.announcements->options(member_actor(request), slug);
    if (!options) {
        return error_page(site_, request, http_status(options.error().code));
    }
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    auto error = [&](std::string_view field) { return field_error(site_, request, errors, field); };
    const std::string version = std::to_string(options->current_version);

    // The events offered now, as radio buttons; the first is chosen unless the form chose one.
    mstch::array events;
    for (const auto event : options->events) {
        const std::string value(responses::id(event));
        std::string event_label = i18n::format(
            label(event_msgid(event)),
            {{"version", event == AnnouncementEvent::CallForEndorsement && options->open_round
                             ? std::to_string(options->open_round->version_number)
                             : version}});
        std::string hint;
        if (event == AnnouncementEvent::CallForEndorsement && options->open_round) {
            hint = i18n::format(label("Answers are open until {when}."),
                                {{"when", deadline_text(request, options->open_round->deadline)}});
        }
        const bool checked = input.event.empty() ? events.empty() : input.event == value;
        events.push_back(mstch::map{{"value", value},
                                    {"label", std::move(event_label)},
                                    {"hint", std::move(hint)},
                                    {"id", "event-" + value},
                                    {"checked", checked}});
    }

    auto data = form_data({
        Field{.name = "list",
              .label = label("List"),
              .value = input.list,
              .hint = label("The announcement is posted as you, through the list's usual rules."),
              .error = error("list"),
              .required = true},
        Field{.name = "note",
              .label = label("A note from you (optional)"),
              .value = input.note,
              .hint = label("Plain text, at most 2,000 characters, added after the link."),
              .error = error("note"),
              .type = "textarea"},
    });
    mstch::array list_options{select_option("", label("Choose a list"), input.list)};
    for (const auto& list : options->lists) {
        std::string text = list.title + " (" + list.address + ")";
        if (list.holds_every_post) {
            text += " — " + label("every post waits for a moderator");
        }
        list_options.push_back(select_option(list.name, std::move(text), input.list));
    }
    set_select_options(data, "list", std::move(list_options));

    mstch::array history;
    for (const auto& announcement : options->history) {
        // The list's archive, where an accepted announcement is (a post id is not an archive id).
        const std::string list_path = "/lists/" + announcement.list_name + "/archive";
        history.push_back(mstch::map{
            {"event", i18n::format(label(event_msgid(announcement.event)),
                                   {{"version", std::to_string(announcement.version_number)}})},
            {"list", announcement.list_name},
            {"list_path", list_path},
            {"editor", announcement.editor_name},
            {"when",
             processes::format_instant(announcement.announced_at, "UTC", language_of(request))},
            {"subject", announcement.subject},
            {"outcome", outcome_note(announcement.outcome).empty()
                            ? std::string()
                            : label(outcome_note(announcement.outcome))}});
    }

    std::string notice;
    if (const auto shown = request.query_value("outcome")) {
        if (const auto outcome = responses::parse_post_outcome(*shown)) {
            const auto found = std::find_if(std::begin(kNotices), std::end(kNotices),
                                            [&](const auto& n) { return n.outcome == *outcome; });
            notice = label(found->msgid);
        }
    }
    if (const auto found = std::find_if(errors.begin(), errors.end(),
                                        [](const core::Error& e) { return e.field == "event"; });
        found != errors.end()) {
        data.emplace("event_error", label(found->message));
    }
    data.emplace("title", options->title);
    data.emplace("response_path", "/responses/" + slug);
    data.emplace("action", announce_path(slug));
    data.emplace("events", std::move(events));
    data.emplace("can_announce", !options->events.empty());
    data.emplace("has_lists", !options->lists.empty());
    data.emplace("history", std::move(history));
    data.emplace("has_history", !options->history.empty());
    data.emplace("notice", std::move(notice));
    return render(site_, request, template_, "Announce on a list", std::move(data), status,
                  HasForm::Yes);
}

Response ResponseAnnouncePages::announce(Request& request) const {
    if (site_.announcements == nullptr) {
        return error_page(site_, request, 503);
    }
    const auto& form = request.form();
    responses::AnnouncementInput input{.list = form ? form->value("list") : "",
                                       .event = form ? form->value("event") : "",
                                       .note = form ? form->value("note") : ""};
    const std::string slug(request.param("slug"));
    auto announced = site_.announcements->announce(member_actor(request), slug, input);
    if (announced) {
        return Response::redirect_see_other(
            announce_path(slug) + "?outcome=" + std::string(responses::id(announced->outcome)));
    }
    const auto& error = announced.error();
    if (error.code == core::ErrorCode::Forbidden || error.code == core::ErrorCode::NotFound) {
        return error_page(site_, request, http_status(error.code));
    }
    core::Error shown = error;
    if (shown.field.empty()) {
        shown.field = "note";
    }
    return page(request, input, {shown}, form_error_status(error));
}

}  // namespace coalition::web
