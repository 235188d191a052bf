#include "web/pages/process_follow_pages.hpp"

#include "core/email.hpp"
#include "i18n/i18n.hpp"
#include "processes/followers.hpp"
#include "processes/processes.hpp"
#include "web/csrf.hpp"
#include "web/multipart.hpp"
#include "web/page.hpp"
#include "web/pages/process_pages.hpp"
#include "web/problem.hpp"

#include <string>
#include <vector>

namespace coalition::web {
namespace {

// The follow pages' error page, titled for 503 and 410 (an expired link) and otherwise "Page not
// found" (web::error_page titles 403 and 410 differently).
Response follow_error_page(const Site& site, const Request& request, int status) {
    std::string_view title = "Page not found";
    if (status == 503) {
        title = "Service unavailable";
    } else if (status == 410) {
        title = "This link has expired";
    }
    return Response::html(site.pages.render_error_page(page_context(site, request, title), status),
                          status);
}

// The viewer's zone as the process pages remember it (the `tz` cookie), for a new follower.
std::string remembered_zone(const Request& request) {
    if (auto remembered = request.cookie(kZoneCookie);
        remembered && processes::is_known_zone(*remembered)) {
        return std::string(*remembered);
    }
    return "UTC";
}

mstch::array process_items(const std::vector<processes::Process>& selected) {
    mstch::array items;
    for (const auto& process : selected) {
        items.push_back(mstch::map{{"slug", process.slug.value()}, {"name", process.fields.name}});
    }
    return items;
}

std::vector<processes::Process> processes_by_id(const Site& site,
                                                const std::vector<processes::ProcessId>& ids) {
    std::vector<processes::Process> out;
    for (const auto& id : ids) {
        if (auto process = site.processes.find_by_id(id)) {
            out.push_back(std::move(*process));
        }
    }
    return out;
}

}  // namespace

ProcessFollowPages::ProcessFollowPages(Site& site)
    : site_(site),
      follow_(site.pages.require("process_follow")),
      confirm_(site.pages.require("process_follow_confirm")),
      manage_(site.pages.require("process_follow_manage")) {
}

Response ProcessFollowPages::follow(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    const auto& form = request.form();
    std::vector<processes::Process> selected;
    std::vector<processes::ProcessId> ids;
    if (form) {
        for (const auto slug : form->all("process")) {
            if (auto process = site_.processes.find(slug)) {
                ids.push_back(process->id);
                selected.push_back(std::move(*process));
            }
        }
    }
    const std::string language(language_of(request));
    const std::string zone = remembered_zone(request);
    mstch::map data{{"processes", process_items(selected)}, {"sent", false}};
    std::vector<core::Error> errors;
    if (request.visitor.user_id) {
        const auto user = site_.users.find_by_id(accounts::UserId(*request.visitor.user_id));
        if (!user) {
            return follow_error_page(site_, request, 404);
        }
        auto followed =
            site_.followers->follow_verified(user->email, user->id, ids, language, zone);
        if (followed) {
            return Response::redirect_see_other("/processes/manage/" +
                                                site_.followers->links(*followed).manage_token);
        }
        errors.push_back(followed.error());
    } else {
        const std::string address = form_value(request, "email");
        data.insert_or_assign("email", address);
        auto email = core::Email::parse(address);
        if (!email) {
            errors.push_back({core::ErrorCode::Invalid, email.error().message, "email"});
        } else if (auto requested = site_.followers->request_follow(*email, ids, language, zone);
                   !requested) {
            errors.push_back(requested.error());
        } else {
            data.insert_or_assign("sent", true);
            return render(site_, request, follow_, "Follow processes", std::move(data));
        }
    }
    data.emplace("email_error", field_error(site_, request, errors, "email"));
    data.emplace("process_error", field_error(site_, request, errors, "process") +
                                      field_error(site_, request, errors, "time_zone"));
    const int status = errors.front().code == core::ErrorCode::RateLimited ? 429 : 422;
    return render(site_, request, follow_, "Follow processes", std::move(data), status,
                  HasForm::Yes);
}

Response ProcessFollowPages::confirm_form(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    const auto pending = site_.followers->find_confirmation(request.param("token"));
    mstch::map data{{"action", "/processes/follow/confirm/" + std::string(request.param("token"))}};
    if (!pending) {
        data.emplace("expired", translate(site_, request, pending.error().message));
        return render(site_, request, confirm_, "Confirm that you follow these processes",
                      std::move(data), 410);
    }
    data.emplace("email", pending->email.unicode());
    data.emplace("processes", process_items(processes_by_id(site_, pending->process_ids)));
    data.emplace("expires",
                 processes::format_instant(pending->expires_at, "UTC", language_of(request)));
    return render(site_, request, confirm_, "Confirm that you follow these processes",
                  std::move(data), 200, HasForm::Yes);
}

Response ProcessFollowPages::confirm(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    const auto follower = site_.followers->confirm(request.param("token"));
    if (!follower) {
        mstch::map data{{"expired", translate(site_, request, follower.error().message)}};
        return render(site_, request, confirm_, "Confirm that you follow these processes",
                      std::move(data),
                      follower.error().code == core::ErrorCode::Expired ? 410 : 409);
    }
    return Response::redirect_see_other(
        "/processes/manage/" + site_.followers->links(*follower).manage_token + "?confirmed=1");
}

Response ProcessFollowPages::manage_page(Request& request, const processes::Follower& follower,
                                         const processes::FollowerPreferences& shown,
                                         const std::vector<core::Error>& errors, bool saved) const {
    const auto links = site_.followers->links(follower);
    const auto selected = processes_by_id(site_, follower.process_ids);
    mstch::array languages;
    for (const auto& language : i18n::supported_languages()) {
        languages.push_back(select_option(language.tag, language.native_name, shown.language));
    }
    mstch::map data{{"email", follower.email.unicode()},
                    {"action", "/processes/manage/" + links.manage_token},
                    {"processes", process_items(selected)},
                    {"has_processes", !selected.empty()},
                    {"calendar_url", links.calendar_url},
                    {"reminder_days", shown.reminder_days},
                    {"time_zone", shown.time_zone},
                    {"languages", std::move(languages)},
                    {"saved", saved},
                    {"reminder_days_error", field_error(site_, request, errors, "reminder_days")},
                    {"language_error", field_error(site_, request, errors, "language")},
                    {"time_zone_error", field_error(site_, request, errors, "time_zone")}};
    auto response = render(site_, request, manage_, "Your process reminders", std::move(data),
                           errors.empty() ? 200 : 422, HasForm::Yes);
    // The token is the page's secret: never sent on as a Referer, never cached.
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("Cache-Control", "no-store");
    return response;
}

Response ProcessFollowPages::manage(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    const auto follower = site_.followers->by_manage_token(request.param("token"));
    if (!follower) {
        return follow_error_page(site_, request, 404);
    }
    const processes::FollowerPreferences shown{
        .reminder_days = processes::format_reminder_days(follower->reminder_days),
        .language = follower->language,
        .time_zone = follower->time_zone};
    return manage_page(request, *follower, shown, {}, request.query_value("saved").has_value());
}

Response ProcessFollowPages::save(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    const std::string token(request.param("token"));
    const processes::FollowerPreferences preferences{
        .reminder_days = form_value(request, "reminder_days"),
        .language = form_value(request, "language"),
        .time_zone = form_value(request, "time_zone")};
    std::vector<core::Error> errors;
    const auto saved = site_.followers->update_preferences(token, preferences, &errors);
    if (saved) {
        return Response::redirect_see_other("/processes/manage/" + token + "?saved=1");
    }
    if (saved.error().code == core::ErrorCode::NotFound) {
        return follow_error_page(site_, request, 404);
    }
    const auto follower = site_.followers->by_manage_token(token);
    if (!follower) {
        return follow_error_page(site_, request, 404);
    }
    return manage_page(request, *follower, preferences, errors, false);
}

Response ProcessFollowPages::unfollow(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    const std::string token(request.param("token"));
    // RFC 8058: a mail provider's POST, without cookies or CSRF token; it stops every reminder.
    if (is_one_click_unsubscribe(request)) {
        if (!site_.followers->unfollow_all(token)) {
            return follow_error_page(site_, request, 404);
        }
        return Response::text("Unfollowed.\n");
    }
    const auto& form = request.form();
    const auto csrf_token = form ? form->get(csrf::kFieldName) : std::nullopt;
    if (!csrf_token || !csrf::verify(request.visitor, site_.settings.site_secret, *csrf_token)) {
        return follow_error_page(site_, request, 403);
    }
    core::Result<processes::Follower> result = core::Error{core::ErrorCode::NotFound, "", ""};
    if (form_value(request, "all") == "1") {
        result = site_.followers->unfollow_all(token);
    } else if (auto process = site_.processes.find(form_value(request, "process"))) {
        result = site_.followers->unfollow(token, process->id);
    } else {
        result = site_.followers->by_manage_token(token);
    }
    if (!result) {
        return follow_error_page(site_, request, 404);
    }
    return Response::redirect_see_other("/processes/manage/" + token + "?saved=1");
}

Response ProcessFollowPages::calendar(Request& request) const {
    if (site_.followers == nullptr) {
        return follow_error_page(site_, request, 503);
    }
    std::string_view name = request.param("token");
    constexpr std::string_view kSuffix = ".ics";
    if (!name.ends_with(kSuffix)) {
        return follow_error_page(site_, request, 404);
    }
    name.remove_suffix(kSuffix.size());
    const auto follower = site_.followers->by_calendar_token(name);
    if (!follower) {
        return follow_error_page(site_, request, 404);
    }
    auto response = process_calendar_response(
        site_, processes_by_id(site_, follower->process_ids),
        site_.settings.name + ": " + translate(site_, request, "Processes you follow"),
        "followed.ics");
    response.headers.set("Cache-Control", "private, no-store");
    response.headers.set("Referrer-Policy", "no-referrer");
    return response;
}

}  // namespace coalition::web
