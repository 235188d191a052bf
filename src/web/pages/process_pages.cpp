#include "web/pages/process_pages.hpp"

#include "archive/archive.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "processes/icalendar.hpp"
#include "processes/processes.hpp"
#include "responses/responses.hpp"
#include "statement/statement.hpp"
#include "web/compression.hpp"
#include "web/forms.hpp"
#include "web/page.hpp"
#include "web/pages/archive_pages.hpp"
#include "web/pages/process_document_pages.hpp"
#include "web/problem.hpp"
#include "web/svg_chart.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace coalition::web {

bool may_edit_processes(const Request& request) {
    return request.visitor.role == "admin" || request.visitor.role == "moderator";
}

std::string process_path(const processes::Process& process) {
    return "/processes/" + process.slug.value();
}

std::optional<processes::MilestoneId> milestone_id_of(const Request& request) {
    const auto value = positive_integer(request.param("id"));
    return value ? std::optional(processes::MilestoneId(*value)) : std::nullopt;
}

namespace {

using processes::DatePrecision;
using processes::Milestone;
using processes::MilestoneKind;
using processes::Moment;
using processes::Process;

constexpr std::int64_t kOutlookHorizon = 30 * core::kSecondsPerDay;
constexpr int kHistoryOnPage = 50;
constexpr int kProcessFeedEntries = 50;

std::int64_t now() {
    static const core::SystemClock clock;
    return clock.unix_now();
}

// The viewer's time zone: ?tz= when it names a known zone, else the `tz` cookie, else UTC.
std::string viewer_zone(const Request& request) {
    if (auto chosen = request.query_value("tz"); chosen && processes::is_known_zone(*chosen)) {
        return std::string(*chosen);
    }
    if (auto remembered = request.cookie(kZoneCookie);
        remembered && processes::is_known_zone(*remembered)) {
        return std::string(*remembered);
    }
    return "UTC";
}

// Remembers a zone chosen with ?tz= for a year, as ?lang= is remembered.
void remember_zone(const Site& site, const Request& request, Response& response) {
    if (auto chosen = request.query_value("tz"); chosen && processes::is_known_zone(*chosen)) {
        auto options = cookie_options(site);
        options.max_age = std::chrono::seconds(365 * core::kSecondsPerDay);
        response.set_cookie(kZoneCookie, *chosen, options);
    }
}

std::string host_of(const std::string& base_url) {
    std::string_view rest = base_url;
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
        rest.remove_prefix(scheme + 3);
    }
    return std::string(rest.substr(0, rest.find_first_of("/:")));
}

// When a moment happens, for a reader in `zone`: a whole day as its date, a time converted.
std::string when_text(const Moment& moment, DatePrecision precision, std::string_view zone,
                      std::string_view language) {
    if (moment.is_date()) {
        return processes::format_day(moment.date(), precision, language);
    }
    return processes::format_instant(moment.utc(), zone, language);
}

// The moment as written, for the title attribute: "23:59 America/New_York (UTC−05:00)".
std::string original_text(const Moment& moment, std::string_view language) {
    if (moment.is_date()) {
        return "";
    }
    return processes::format_instant(moment.utc(), moment.zone(), language) + " " + moment.zone();
}

// The machine-readable value of a <time> element.
std::string datetime_attribute(const Moment& moment) {
    return moment.is_date() ? moment.date() : core::format_rfc3339(moment.utc());
}

mstch::array links_data(const std::vector<processes::Link>& links) {
    mstch::array out;
    for (const auto& link : links) {
        out.push_back(
            mstch::map{{"url", link.url}, {"title", link.title.empty() ? link.url : link.title}});
    }
    return out;
}

mstch::map milestone_data(const Site& site, const Request& request, const Process& process,
                          const Milestone& milestone, std::string_view zone, std::int64_t at) {
    const auto language = language_of(request);
    const auto& fields = milestone.fields;
    std::string when = when_text(fields.start, fields.precision, zone, language);
    std::string original = original_text(fields.start, language);
    if (fields.end) {
        when += " – " + when_text(*fields.end, fields.precision, zone, language);
        if (!fields.end->is_date()) {
            original += " – " + original_text(*fields.end, language);
        }
    }
    std::string location;
    if (fields.location_kind != processes::LocationKind::None) {
        location = translate(site, request, processes::label(fields.location_kind));
        if (!fields.location.empty()) {
            location += ": " + fields.location;
        }
    }
    const bool is_past = milestone.ends_at() <= at;
    return mstch::map{
        {"id", std::to_string(milestone.id.value())},
        {"title", fields.title},
        {"kind", text(processes::id(fields.kind))},
        {"kind_label", translate(site, request, processes::label(fields.kind))},
        {"is_deadline", fields.kind == MilestoneKind::Deadline},
        {"when", when},
        {"when_original", original},
        {"datetime", datetime_attribute(fields.start)},
        {"is_past", is_past},
        {"is_tentative", fields.tentative},
        {"location", location},
        {"links", links_data(fields.links)},
        {"has_links", !fields.links.empty()},
        {"notes", fields.notes},
        {"process_name",
         process.fields.short_name.empty() ? process.fields.name : process.fields.short_name},
        {"process_path", process_path(process)},
        {"url", process_path(process) + "#milestone-" + std::to_string(milestone.id.value())},
    };
}

mstch::array dated_data(const Site& site, const Request& request,
                        const std::vector<processes::DatedMilestone>& items, std::string_view zone,
                        std::int64_t at) {
    mstch::array out;
    for (const auto& item : items) {
        out.push_back(milestone_data(site, request, *item.process, *item.milestone, zone, at));
    }
    return out;
}

mstch::map outlook_map(const Site& site, const Request& request, const std::vector<Process>& all,
                       std::string_view zone, std::int64_t at) {
    const auto view = processes::outlook(all, at, kOutlookHorizon);
    return mstch::map{
        {"open_now", dated_data(site, request, view.open_now, zone, at)},
        {"closing_soon", dated_data(site, request, view.closing_soon, zone, at)},
        {"coming_up", dated_data(site, request, view.coming_up, zone, at)},
        {"has_open_now", !view.open_now.empty()},
        {"has_closing_soon", !view.closing_soon.empty()},
        {"has_coming_up", !view.coming_up.empty()},
        {"zone", std::string(zone)},
    };
}

mstch::map zone_data(const Request& request, std::string_view zone, std::string_view action) {
    const auto local = processes::local_time(now(), zone);
    return mstch::map{{"zone", std::string(zone)},
                      {"zone_offset", processes::format_offset(local.offset_minutes)},
                      {"zone_action", std::string(action)},
                      {"zone_month", std::string(request.query_value("month").value_or(""))}};
}

// The timeline: one mark per milestone on a time axis, past hollow and future filled, deadlines
// as diamonds, today a labelled line; time runs right to left in Arabic. The list of milestones
// next to it is its text alternative and holds the links (an image has no focusable parts).
std::string timeline_svg(const Site& site, const Request& request, const Process& process,
                         std::int64_t at) {
    if (process.milestones.empty()) {
        return "";
    }
    constexpr double kWidth = 800;
    constexpr double kLeft = 20;
    constexpr double kRight = 780;
    constexpr double kAxis = 60;
    std::int64_t first = std::min(at, process.milestones.front().fields.start.utc());
    std::int64_t last = at;
    for (const auto& milestone : process.milestones) {
        first = std::min(first, milestone.fields.start.utc());
        last = std::max(last, milestone.ends_at());
    }
    const std::int64_t pad = std::max<std::int64_t>((last - first) / 40, core::kSecondsPerDay);
    first -= pad;
    last += pad;
    const auto language = language_of(request);
    const i18n::Language* shown = i18n::find_language(language);
    const bool rtl = shown != nullptr && shown->direction == i18n::Direction::Rtl;
    const auto x_of = [&](std::int64_t t) {
        const double offset =
            (kRight - kLeft) * static_cast<double>(t - first) / static_cast<double>(last - first);
        return rtl ? kRight - offset : kLeft + offset;
    };
    const auto number = [](double value) { return std::to_string(std::lround(value)); };
    const std::string id = "timeline-" + process.slug.value();
    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" "
        "viewBox=\"0 0 " +
        number(kWidth) + " 110\" aria-labelledby=\"" + id + "-title " + id +
        "-desc\"><title id=\"" + id + "-title\">" +
        svg::escape_xml(translate(site, request, "Timeline")) + "</title><desc id=\"" + id +
        "-desc\">" +
        svg::escape_xml(
            translate(site, request,
                      "Milestones on a time axis: hollow marks are past, filled marks are to "
                      "come, diamonds are deadlines. The list below gives each one.")) +
        "</desc>";
    svg += "<line x1=\"" + number(kLeft) + "\" y1=\"" + number(kAxis) + "\" x2=\"" +
           number(kRight) + "\" y2=\"" + number(kAxis) +
           "\" stroke=\"#505a5f\" stroke-width=\"2\"/>";
    // A tick and a label at each 1 January in range.
    const int first_year =
        std::stoi(processes::civil_from_days(first / core::kSecondsPerDay).substr(0, 4)) + 1;
    const int last_year =
        std::stoi(processes::civil_from_days(last / core::kSecondsPerDay).substr(0, 4));
    const int step = last_year - first_year > 12 ? 5 : 1;
    for (int year = first_year; year <= last_year; year += step) {
        const double x = x_of(processes::days_from_civil(year, 1, 1) * core::kSecondsPerDay);
        svg += "<line x1=\"" + number(x) + "\" y1=\"" + number(kAxis - 6) + "\" x2=\"" + number(x) +
               "\" y2=\"" + number(kAxis + 6) + "\" stroke=\"#505a5f\"/><text x=\"" + number(x) +
               "\" y=\"" + number(kAxis + 24) +
               "\" text-anchor=\"middle\" font-size=\"13\" fill=\"#0b0c0c\">" +
               std::to_string(year) + "</text>";
    }
    for (const auto& milestone : process.milestones) {
        const double x = x_of(milestone.fields.start.utc());
        const bool past = milestone.ends_at() <= at;
        const std::string fill = past ? "#ffffff" : "#1d70b8";
        const std::string label = processes::format_day(milestone.fields.start.date(),
                                                        milestone.fields.precision, language) +
                                  ": " + milestone.fields.title;
        svg += "<g><title>" + svg::escape_xml(label) + "</title>";
        if (milestone.fields.end) {
            svg += "<line x1=\"" + number(x) + "\" y1=\"" + number(kAxis) + "\" x2=\"" +
                   number(x_of(milestone.ends_at())) + "\" y2=\"" + number(kAxis) +
                   "\" stroke=\"#1d70b8\" stroke-width=\"6\" stroke-opacity=\"0.5\"/>";
        }
        if (milestone.fields.kind == MilestoneKind::Deadline) {
            svg += "<polygon points=\"" + number(x) + "," + number(kAxis - 8) + " " +
                   number(x + 8) + "," + number(kAxis) + " " + number(x) + "," + number(kAxis + 8) +
                   " " + number(x - 8) + "," + number(kAxis) + "\" fill=\"" + fill +
                   "\" stroke=\"#1d70b8\" stroke-width=\"2\"/>";
        } else {
            svg += "<circle cx=\"" + number(x) + "\" cy=\"" + number(kAxis) + "\" r=\"6\" fill=\"" +
                   fill + "\" stroke=\"" + (past ? "#505a5f" : "#1d70b8") +
                   "\" stroke-width=\"2\"/>";
        }
        svg += "</g>";
    }
    const double today = x_of(at);
    svg +=
        "<line x1=\"" + number(today) + "\" y1=\"22\" x2=\"" + number(today) + "\" y2=\"" +
        number(kAxis + 10) + "\" stroke=\"#d4351c\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>" +
        "<text x=\"" + number(today) + "\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" " +
        "fill=\"#d4351c\">" +
        svg::escape_xml(translate(site, request, "Today") + " " +
                        processes::format_day(processes::civil_from_days(at / core::kSecondsPerDay),
                                              DatePrecision::Day, language)) +
        "</text></svg>";
    return svg;
}

std::string action_label(const Site& site, const Request& request, std::string_view action) {
    if (action == "process.create") {
        return translate(site, request, "Process added");
    }
    if (action == "process.update") {
        return translate(site, request, "Process changed");
    }
    if (action == "milestone.create") {
        return translate(site, request, "Milestone added");
    }
    if (action == "milestone.update") {
        return translate(site, request, "Milestone changed");
    }
    if (action == "document.create") {
        return translate(site, request, "Document added");
    }
    if (action == "document.revision") {
        return translate(site, request, "New revision");
    }
    return std::string(action);
}

// "start: 2026-01-15 23:59 America/New_York → 2026-01-22 23:59 America/New_York; status: …".
std::string changes_text(const std::string& changes_json) {
    const auto changes = nlohmann::json::parse(changes_json, nullptr, false);
    if (!changes.is_object()) {
        return "";
    }
    std::string out;
    for (const auto& [field, change] : changes.items()) {
        out += out.empty() ? "" : "; ";
        out += field;
        if (change.is_array() && change.size() == 2 && change[0].is_string() &&
            change[1].is_string()) {
            const auto old_value = change[0].get<std::string>();
            const auto new_value = change[1].get<std::string>();
            out += ": " + (old_value.empty() ? "—" : old_value) + " → " +
                   (new_value.empty() ? "—" : new_value);
        }
    }
    return out;
}

std::string actor_name(const Site& site, const Request& request, const std::string& actor) {
    if (actor.rfind("user:", 0) == 0) {
        std::int64_t user_id = 0;
        const std::string_view digits = std::string_view(actor).substr(5);
        if (std::from_chars(digits.data(), digits.data() + digits.size(), user_id).ec ==
            std::errc()) {
            if (auto user = site.users.find_by_id(accounts::UserId(user_id))) {
                return user->name();
            }
        }
    }
    return translate(site, request, "The secretariat");
}

// ---- iCalendar, Atom, JSON ----

processes::icalendar::Event ics_event(const Site& site, const Process& process,
                                      const Milestone& milestone) {
    processes::icalendar::Event event;
    event.uid = milestone.uid + "@" + host_of(site.settings.base_url);
    event.stamp = milestone.updated_at;
    event.last_modified = milestone.updated_at;
    event.start = milestone.fields.start;
    event.end = milestone.fields.end;
    const std::string short_name =
        process.fields.short_name.empty() ? process.fields.name : process.fields.short_name;
    event.summary = short_name + ": " + milestone.fields.title;
    std::string description =
        std::string(processes::label(milestone.fields.kind)) + " — " + process.fields.name;
    if (!milestone.fields.notes.empty()) {
        description += "\n\n" + milestone.fields.notes;
    }
    for (const auto& link : milestone.fields.links) {
        description += "\n" + (link.title.empty() ? link.url : link.title + ": " + link.url);
    }
    event.description = description;
    event.location = milestone.fields.location.empty() &&
                             milestone.fields.location_kind == processes::LocationKind::Online
                         ? "Online"
                         : milestone.fields.location;
    event.url = site.settings.base_url + process_path(process) + "#milestone-" +
                std::to_string(milestone.id.value());
    event.categories = {std::string(processes::label(milestone.fields.kind)), short_name};
    event.tentative = milestone.fields.tentative;
    return event;
}

std::string ics_body(const Site& site, const std::vector<Process>& selected,
                     const std::string& name) {
    processes::icalendar::Calendar calendar{
        .product_id = "-//" + site.settings.name + "//Process tracker//EN",
        .name = name,
        .events = {}};
    for (const auto& process : selected) {
        for (const auto& milestone : process.milestones) {
            // Facts known only to the month or year have no day to put in a calendar.
            if (milestone.fields.precision == DatePrecision::Day) {
                calendar.events.push_back(ics_event(site, process, milestone));
            }
        }
    }
    return processes::icalendar::serialise(calendar);
}

Response ics_response(const Site& site, const std::vector<Process>& selected,
                      const std::string& name, const std::string& filename) {
    auto response = Response::text(ics_body(site, selected, name));
    response.headers.set("Content-Type", "text/calendar; charset=utf-8");
    response.headers.set("Content-Disposition", "inline; filename=\"" + filename + "\"");
    return response;
}

// An IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT", whatever the C locale.
std::string http_date(std::int64_t unix_seconds) {
    static constexpr std::string_view kWeekdays[] = {"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto seconds = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  kWeekdays[utc.tm_wday % 7].data(), utc.tm_mday, kMonths[utc.tm_mon % 12].data(),
                  utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return text;
}

// A public feed from its kept body: the representation the request accepts (gzip or identity),
// its ETag, Vary and Cache-Control: no-cache (web/compression.hpp), Last-Modified.
Response feed_response(const Request& request, const EncodedBody& body, std::int64_t last_modified,
                       std::string_view content_type, const std::string& filename) {
    auto response = encoded_response(request, body);
    if (last_modified > 0) {
        response.headers.set("Last-Modified", http_date(last_modified));
    }
    if (response.status == 304) {
        return response;
    }
    response.headers.set("Content-Type", std::string(content_type));
    if (!filename.empty()) {
        response.headers.set("Content-Disposition", "inline; filename=\"" + filename + "\"");
    }
    return response;
}

nlohmann::json moment_json(const Moment& moment) {
    if (moment.is_date()) {
        return {{"date", moment.date()}};
    }
    return {{"date", moment.date()},
            {"time", moment.time()},
            {"zone", moment.zone()},
            {"utc", core::format_rfc3339(moment.utc())}};
}

nlohmann::json links_json(const std::vector<processes::Link>& links) {
    auto out = nlohmann::json::array();
    for (const auto& link : links) {
        out.push_back({{"title", link.title}, {"url", link.url}});
    }
    return out;
}

nlohmann::json process_json(const Site& site, const Process& process, std::int64_t at) {
    auto milestones = nlohmann::json::array();
    for (const auto& milestone : process.milestones) {
        const auto& fields = milestone.fields;
        milestones.push_back({
            {"id", milestone.id.value()},
            {"uid", milestone.uid},
            {"kind", processes::id(fields.kind)},
            {"title", fields.title},
            {"start", moment_json(fields.start)},
            {"end", fields.end ? moment_json(*fields.end) : nlohmann::json(nullptr)},
            {"precision", processes::id(fields.precision)},
            {"tentative", fields.tentative},
            {"location_kind", processes::id(fields.location_kind)},
            {"location", fields.location},
            {"links", links_json(fields.links)},
            {"notes", fields.notes},
            {"past", milestone.ends_at() <= at},
        });
    }
    return {{"slug", process.slug.value()},
            {"name", process.fields.name},
            {"short_name", process.fields.short_name},
            {"kind", processes::id(process.fields.kind)},
            {"convenor", process.fields.convenor},
            {"description", process.fields.description},
            {"links", links_json(process.fields.links)},
            {"status", processes::id(process.fields.status)},
            {"url", site.settings.base_url + process_path(process)},
            {"updated_at", core::format_rfc3339(process.updated_at)},
            {"milestones", std::move(milestones)}};
}

// ---- Admin forms ----

processes::ProcessDraft process_draft_from(const Request& request) {
    return processes::ProcessDraft{.name = form_value(request, "name"),
                                   .short_name = form_value(request, "short_name"),
                                   .slug = form_value(request, "slug"),
                                   .kind = form_value(request, "kind"),
                                   .convenor = form_value(request, "convenor"),
                                   .description = form_value(request, "description"),
                                   .links = form_value(request, "links"),
                                   .status = form_value(request, "status")};
}

processes::MilestoneDraft milestone_draft_from(const Request& request) {
    processes::MilestoneDraft draft;
    draft.kind = form_value(request, "kind");
    draft.title = form_value(request, "title");
    draft.start_date = form_value(request, "start_date");
    draft.start_time = form_value(request, "start_time");
    draft.start_zone = form_value(request, "start_zone");
    draft.end_date = form_value(request, "end_date");
    draft.end_time = form_value(request, "end_time");
    draft.end_zone = form_value(request, "end_zone");
    draft.precision = form_value(request, "precision");
    draft.tentative = form_value(request, "tentative");
    draft.location_kind = form_value(request, "location_kind");
    draft.location = form_value(request, "location");
    draft.links = form_value(request, "links");
    draft.notes = form_value(request, "notes");
    return draft;
}

mstch::map process_form_data(const Site& site, const Request& request,
                             const processes::ProcessDraft& draft,
                             const std::vector<core::Error>& errors) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    const std::vector<Field> fields = {
        Field{.name = "name",
              .label = label("Name"),
              .value = draft.name,
              .error = error("name"),
              .required = true},
        Field{.name = "short_name",
              .label = label("Short name (optional)"),
              .value = draft.short_name,
              .hint = label("For example WSIS+20 or IGF."),
              .error = error("short_name")},
        Field{.name = "slug",
              .label = label("Slug (optional)"),
              .value = draft.slug,
              .hint = label("The address of the process page, /processes/slug: lower-case "
                            "letters, digits and single hyphens. Leave it empty to make one."),
              .error = error("slug")},
        Field{.name = "kind", .label = label("Kind"), .error = error("kind"), .required = true},
        Field{.name = "convenor",
              .label = label("Convenor (optional)"),
              .value = draft.convenor,
              .error = error("convenor")},
        Field{
            .name = "status", .label = label("Status"), .error = error("status"), .required = true},
        Field{.name = "description",
              .label = label("Description (optional)"),
              .value = draft.description,
              .hint = label("Markdown: **bold**, *italic*, [links](https://…), lists. No HTML."),
              .error = error("description"),
              .type = "textarea"},
        Field{.name = "links",
              .label = label("Links (optional)"),
              .value = draft.links,
              .hint = label("One a line: the address first, then an optional title."),
              .error = error("links"),
              .type = "textarea"},
    };
    auto data = form_data(fields);
    mstch::array kinds;
    for (const auto kind : processes::all_process_kinds()) {
        kinds.push_back(
            select_option(processes::id(kind), label(processes::label(kind)), draft.kind));
    }
    set_select_options(data, "kind", std::move(kinds));
    mstch::array statuses;
    for (const auto status : processes::all_process_statuses()) {
        statuses.push_back(select_option(processes::id(status), label(processes::label(status)),
                                         draft.status.empty() ? "active" : draft.status));
    }
    set_select_options(data, "status", std::move(statuses));
    return data;
}

mstch::map milestone_form_data(const Site& site, const Request& request,
                               const processes::MilestoneDraft& draft, const std::string& threads,
                               const std::vector<core::Error>& errors) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    const std::string zone_hint = label(
        "An IANA time zone such as America/New_York, Europe/Geneva or Pacific/Auckland. "
        "Needed with a time.");
    const std::vector<Field> fields = {
        Field{.name = "kind", .label = label("Kind"), .error = error("kind"), .required = true},
        Field{.name = "title",
              .label = label("Title"),
              .value = draft.title,
              .error = error("title"),
              .required = true},
        Field{.name = "start_date",
              .label = label("Start date"),
              .value = draft.start_date,
              .hint = label("YYYY-MM-DD."),
              .error = error("start_date"),
              .type = "date",
              .required = true},
        Field{.name = "start_time",
              .label = label("Start time (optional)"),
              .value = draft.start_time,
              .hint = label("HH:MM on a 24-hour clock; leave empty for the whole day."),
              .error = error("start_time"),
              .type = "time"},
        Field{.name = "start_zone",
              .label = label("Time zone of the start"),
              .value = draft.start_zone,
              .hint = zone_hint,
              .error = error("start_zone")},
        Field{.name = "end_date",
              .label = label("End date (optional)"),
              .value = draft.end_date,
              .error = error("end_date"),
              .type = "date"},
        Field{.name = "end_time",
              .label = label("End time (optional)"),
              .value = draft.end_time,
              .error = error("end_time"),
              .type = "time"},
        Field{.name = "end_zone",
              .label = label("Time zone of the end"),
              .value = draft.end_zone,
              .hint = zone_hint,
              .error = error("end_zone")},
        Field{.name = "precision",
              .label = label("How precise is the date"),
              .error = error("precision")},
        Field{.name = "tentative", .label = label("Confirmation"), .error = error("tentative")},
        Field{.name = "location_kind", .label = label("Where"), .error = error("location_kind")},
        Field{.name = "location",
              .label = label("City or venue (optional)"),
              .value = draft.location,
              .error = error("location")},
        Field{.name = "links",
              .label = label("Documents and sources (optional)"),
              .value = draft.links,
              .hint = label("One a line: the address first, then an optional title."),
              .error = error("links"),
              .type = "textarea"},
        Field{.name = "notes",
              .label = label("Notes (optional)"),
              .value = draft.notes,
              .error = error("notes"),
              .type = "textarea"},
        Field{.name = "threads",
              .label = label("List threads about this milestone (optional)"),
              .value = threads,
              .hint = label("One a line: an archive address (/lists/NAME/m/ID), an /r/ address "
                            "or a Message-ID."),
              .error = error("threads"),
              .type = "textarea"},
    };
    auto data = form_data(fields);
    mstch::array kinds;
    for (const auto kind : processes::all_milestone_kinds()) {
        kinds.push_back(
            select_option(processes::id(kind), label(processes::label(kind)), draft.kind));
    }
    set_select_options(data, "kind", std::move(kinds));
    const std::string precision = draft.precision.empty() ? "day" : draft.precision;
    set_select_options(data, "precision",
                       mstch::array{select_option("day", label("The day is known"), precision),
                                    select_option("month", label("Only the month"), precision),
                                    select_option("year", label("Only the year"), precision)});
    const std::string tentative = draft.tentative.empty() ? "" : "1";
    set_select_options(data, "tentative",
                       mstch::array{select_option("", label("Confirmed"), tentative),
                                    select_option("1", label("Not yet confirmed"), tentative)});
    mstch::array places;
    for (const auto kind : processes::all_location_kinds()) {
        places.push_back(select_option(processes::id(kind), label(processes::label(kind)),
                                       draft.location_kind.empty() ? "none" : draft.location_kind));
    }
    set_select_options(data, "location_kind", std::move(places));
    return data;
}

// ---- List threads linked to milestones ----

constexpr i18n::PluralMessage kThreadMessages =
    i18n::ngettext_noop("{count} message", "{count} messages");

core::Error thread_error(std::string message) {
    return core::Error::invalid(std::move(message), "threads");
}

// The archived messages the form's "threads" field names, as links to keep: each must be in a
// list whose archive `request`'s visitor may read (others are unknown, as on the archive pages).
core::Result<std::vector<processes::ThreadLink>> resolve_threads(const Site& site,
                                                                 const Request& request,
                                                                 std::string_view text) {
    auto references = processes::parse_thread_references(text);
    if (!references) {
        return references.error();
    }
    std::vector<processes::ThreadLink> links;
    if (references->empty()) {
        return links;
    }
    if (site.archive == nullptr || site.lists == nullptr) {
        return thread_error("The list archive is not available on this server.");
    }
    const auto readable = [&](const lists::List& list) {
        return archive_access::viewer_of(site, request, list).can_read;
    };
    for (const auto& reference : *references) {
        std::optional<archive::ArchivedMessage> message;
        if (reference.archive_message_id != 0) {
            const auto list = site.lists->find_by_name(reference.list_name);
            if (list && readable(*list)) {
                message = site.archive->message(archive::MessageId(reference.archive_message_id));
                if (message && message->list_id != list->id.value()) {
                    message.reset();
                }
            }
        } else {
            for (const auto& found : site.archive->find_by_message_id(reference.message_id)) {
                const auto list = site.lists->find(lists::ListId(found.list_id));
                if (list && readable(*list)) {
                    message = site.archive->message(found.id);
                    break;
                }
            }
        }
        if (!message) {
            return thread_error(
                "A line names no thread in the list archives: check the address or Message-ID.");
        }
        links.push_back(processes::ThreadLink{.list_id = message->list_id,
                                              .archive_message_id = message->id.value(),
                                              .message_id = message->message_id});
    }
    return links;
}

// The links as the form shows them: permalinks, or the Message-ID when the list is gone.
std::string threads_text(const Site& site, const std::vector<processes::ThreadLink>& links) {
    std::string text;
    for (const auto& link : links) {
        const auto list =
            site.lists != nullptr ? site.lists->find(lists::ListId(link.list_id)) : std::nullopt;
        text +=
            list ? archive::permalink_path(list->name, archive::MessageId(link.archive_message_id))
                 : "<" + link.message_id + ">";
        text += "\n";
    }
    return text;
}

// The linked threads one request may see, each list's visibility decided once.
class ThreadViews {
public:
    ThreadViews(const Site& site, const Request& request, std::string_view zone)
        : site_(site), request_(request), zone_(zone) {}

    // [{subject, list, url, messages, latest, latest_iso}] for the threads of `links` whose list
    // archive the viewer may read (public / members / none: archive_access); a thread named by
    // two links once.
    mstch::array data(const std::vector<processes::ThreadLink>& links) {
        mstch::array out;
        if (site_.archive == nullptr || site_.lists == nullptr) {
            return out;
        }
        std::vector<std::int64_t> shown;
        for (const auto& link : links) {
            const lists::List* list = readable_list(link.list_id);
            if (list == nullptr) {
                continue;
            }
            const auto message =
                site_.archive->message(archive::MessageId(link.archive_message_id));
            if (!message || message->list_id != link.list_id) {
                continue;
            }
            const auto thread = site_.archive->thread(message->thread);
            if (!thread ||
                std::find(shown.begin(), shown.end(), thread->id.value()) != shown.end()) {
                continue;
            }
            shown.push_back(thread->id.value());
            const auto language = language_of(request_);
            out.push_back(mstch::map{
                {"subject", thread->subject.empty() ? translate(site_, request_, "(no subject)")
                                                    : thread->subject},
                {"list", list->title()},
                {"url", "/lists/" + percent_encode(list->name) + "/t/" +
                            std::to_string(thread->id.value())},
                {"messages", translate_count(site_, request_, kThreadMessages,
                                             static_cast<long>(thread->message_count))},
                {"latest", processes::format_instant(thread->last_activity, zone_, language)},
                {"latest_iso", core::format_rfc3339(thread->last_activity)},
            });
        }
        return out;
    }

private:
    const lists::List* readable_list(std::int64_t list_id) {
        auto found = lists_.find(list_id);
        if (found == lists_.end()) {
            auto list = site_.lists->find(lists::ListId(list_id));
            if (list && !archive_access::viewer_of(site_, request_, *list).can_read) {
                list.reset();
            }
            found = lists_.emplace(list_id, std::move(list)).first;
        }
        return found->second ? &*found->second : nullptr;
    }

    const Site& site_;
    const Request& request_;
    std::string zone_;
    std::map<std::int64_t, std::optional<lists::List>> lists_;  // Readable ones; nullopt: not.
};

// "2026-11" → the first day's number; nullopt when malformed.
std::optional<std::int64_t> month_start(std::string_view month) {
    if (month.size() != 7 || month[4] != '-') {
        return std::nullopt;
    }
    const auto day = processes::Moment::date(std::string(month) + "-01", "month");
    if (!day) {
        return std::nullopt;
    }
    return day->day_number();
}

}  // namespace

mstch::array milestones_about_thread(const Site& site, const Request& request,
                                     const std::vector<std::int64_t>& archive_message_ids) {
    const auto snapshot = site.processes.snapshot();
    const std::string zone = viewer_zone(request);
    const std::int64_t at = now();
    mstch::array out;
    for (const auto& linked : snapshot->milestones_linking(archive_message_ids)) {
        out.push_back(milestone_data(site, request, *linked.process, *linked.milestone, zone, at));
    }
    return out;
}

// The feeds (/calendar.ics, each /processes/SLUG/calendar.ics, /processes/feed.atom) as one
// revision of the processes made them, each kept with its gzip representation until a newer
// revision is asked for. The whole calendar is about 10 MB (+ 1 MB gzip) at 500 processes × 40
// milestones; one process's about 25 kB.
struct ProcessPages::FeedCache {
    static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;
    RevisionCache bodies{kMaxBytes};

    // The kept body for `key` when the snapshot has a revision; else made for this request alone
    // (without the counter nothing tells when it goes stale).
    std::shared_ptr<const EncodedBody> get(const processes::Snapshot& snapshot,
                                           const std::string& key,
                                           const std::function<std::string()>& render) {
        if (!snapshot.revision()) {
            return EncodedBody::make(render());
        }
        return bodies.get(*snapshot.revision(), key, render);
    }
};

// The body of /processes (templates/process_list.mustache: it reads only its own data, so
// rendering it alone gives the same HTML as rendering it in the page) by revision and key, each
// kept until the instant it would change. Bodies are about 0.5 kB a process; kMaxBytes bounds
// what a crawler of every zone can make it hold (past it the cache starts again).
struct ProcessPages::ListCache {
    static constexpr std::size_t kMaxBytes = std::size_t{16} << 20;

    struct Body {
        std::shared_ptr<const std::string> html;
        std::int64_t valid_from = 0;   // When it was made.
        std::int64_t valid_until = 0;  // Exclusive.
    };

    std::shared_ptr<const std::string> find(std::int64_t wanted, const std::string& key,
                                            std::int64_t at) {
        std::lock_guard lock(mutex);
        if (revision != wanted) {
            // Revisions only grow: a request holding an older snapshot leaves the newer alone.
            if (!revision || *revision < wanted) {
                bodies.clear();
                bytes = 0;
                revision = wanted;
            }
            return nullptr;
        }
        const auto found = bodies.find(key);
        if (found == bodies.end() || at < found->second.valid_from ||
            at >= found->second.valid_until) {
            return nullptr;
        }
        return found->second.html;
    }

    void keep(std::int64_t rendered_at, const std::string& key, Body body) {
        std::lock_guard lock(mutex);
        if (revision != rendered_at) {
            return;
        }
        if (const auto found = bodies.find(key); found != bodies.end()) {
            bytes -= found->second.html->size();
            bodies.erase(found);
        }
        if (bytes + body.html->size() > kMaxBytes) {
            bodies.clear();
            bytes = 0;
        }
        bytes += body.html->size();
        bodies.emplace(key, std::move(body));
    }

    std::mutex mutex;
    std::optional<std::int64_t> revision;             // Guarded by mutex.
    std::map<std::string, Body, std::less<>> bodies;  // Guarded by mutex.
    std::size_t bytes = 0;                            // Guarded by mutex.
};

ProcessPages::~ProcessPages() = default;

ProcessPages::ProcessPages(Site& site)
    : site_(site),
      feed_cache_(std::make_unique<FeedCache>()),
      list_cache_(std::make_unique<ListCache>()),
      list_(site.pages.require("process_list")),
      prerendered_(site.pages.require("prerendered")),
      page_(site.pages.require("process_page")),
      calendar_(site.pages.require("process_calendar")),
      process_form_(site.pages.require("process_form")),
      milestone_form_(site.pages.require("process_milestone_form")) {
}

namespace {

// The data of templates/process_list.mustache at `at`.
mstch::map process_list_data(const Site& site, const Request& request,
                             const std::vector<Process>& all, const std::string& zone,
                             std::int64_t at) {
    mstch::array items;
    for (const auto& process : all) {
        mstch::map item{
            {"name", process.fields.name},
            {"short_name", process.fields.short_name},
            {"path", process_path(process)},
            {"kind_label", translate(site, request, processes::label(process.fields.kind))},
            {"status", text(processes::id(process.fields.status))},
            {"status_label", translate(site, request, processes::label(process.fields.status))},
            {"convenor", process.fields.convenor},
        };
        if (const Milestone* next = process.next_milestone(at)) {
            item.emplace("next", milestone_data(site, request, process, *next, zone, at));
        }
        items.push_back(std::move(item));
    }
    mstch::map data = zone_data(request, zone, "/processes");
    data.emplace("processes", std::move(items));
    data.emplace("has_processes", !all.empty());
    data.emplace("outlook", outlook_map(site, request, all, zone, at));
    data.emplace("can_edit", may_edit_processes(request));
    return data;
}

// The list's cache key: everything its body depends on besides the processes and the time; nullopt
// when it must not be kept (an unsupported language, or a ?month= that the zone form echoes).
std::optional<std::string> list_cache_key(const Request& request, std::string_view zone) {
    const std::string_view language = language_of(request);
    const auto& languages = i18n::supported_languages();
    const bool is_supported =
        std::any_of(languages.begin(), languages.end(),
                    [&](const i18n::Language& supported) { return supported.tag == language; });
    if (!is_supported || request.query_value("month")) {
        return std::nullopt;
    }
    // The zone's offset now is shown ("Now UTC+13:00") and changes with daylight saving time.
    const auto offset = processes::local_time(now(), zone).offset_minutes;
    return std::string(language) + ' ' + std::string(zone) + ' ' + std::to_string(offset) + ' ' +
           (may_edit_processes(request) ? "editor" : "");
}

}  // namespace

Response ProcessPages::list(Request& request) const {
    return outlook_page(request, list_, "Processes", "",
                        [this, &request](const std::vector<Process>& all, const std::string& zone,
                                         std::int64_t at) {
                            return process_list_data(site_, request, all, zone, at);
                        });
}

Response ProcessPages::home(Request& request, TemplateRef home) const {
    return outlook_page(request, home, "Home", "home ",
                        [this, &request](const std::vector<Process>& all, const std::string& zone,
                                         std::int64_t at) {
                            return mstch::map{
                                {"site_name", site_.settings.name},
                                {"outlook", outlook_map(site_, request, all, zone, at)}};
                        });
}

Response ProcessPages::outlook_page(Request& request, TemplateRef body_template,
                                    std::string_view title, std::string_view key_prefix,
                                    const OutlookData& data_of) const {
    const std::int64_t at = now();
    const std::string zone = viewer_zone(request);
    const auto snapshot = site_.processes.snapshot();
    const auto& all = snapshot->processes();
    const auto key = snapshot->revision() ? list_cache_key(request, zone) : std::nullopt;
    if (!key) {
        auto response = render(site_, request, body_template, title, data_of(all, zone, at));
        remember_zone(site_, request, response);
        return response;
    }
    const std::string cache_key = std::string(key_prefix) + *key;
    auto body = list_cache_->find(*snapshot->revision(), cache_key, at);
    if (!body) {
        const mstch::node data = data_of(all, zone, at);
        body = std::make_shared<const std::string>(
            site_.pages.templates().render(body_template, data, language_of(request)));
        list_cache_->keep(*snapshot->revision(), cache_key,
                          ListCache::Body{.html = body,
                                          .valid_from = at,
                                          .valid_until = processes::next_outlook_change(
                                              all, at, kOutlookHorizon)});
    }
    auto response =
        render(site_, request, prerendered_, title, mstch::map{{"content_html", *body}});
    remember_zone(site_, request, response);
    // Not gzip'd: the page (268 kB at 500 processes, 33 kB gzip'd) is wrapped in the layout per
    // request, and gzip per request (compress_for, level 1) took its p99 from 9 to 27 ms under
    // bench/processes.sh. TODO(#6): keep the body's deflate blocks and stitch the layout around.
    return response;
}

namespace {

// The coalition's joint responses about each milestone (issue #5), by milestone id: published
// ones for everybody, drafts and open calls for endorsement only for the members who may read
// them (Responses::list applies the drafts' access rules).
std::map<std::int64_t, mstch::array> responses_by_milestone(const Site& site,
                                                            const Request& request) {
    std::map<std::int64_t, mstch::array> found;
    if (site.responses == nullptr) {
        return found;
    }
    constexpr std::size_t kPublishedShown = 1000;
    std::set<std::string> seen;
    if (auto published = site.responses->published(kPublishedShown)) {
        for (const auto& response : *published) {
            if (response.milestone && seen.insert(response.slug).second) {
                found[response.milestone->value()].push_back(
                    mstch::map{{"title", response.title},
                               {"path", "/responses/" + response.slug},
                               {"state", translate(site, request, "published")}});
            }
        }
    }
    if (!request.visitor.user_id) {
        return found;
    }
    const auto actor = accounts::Actor::user(accounts::UserId(*request.visitor.user_id));
    if (auto drafts = site.responses->list(actor)) {
        for (const auto& response : *drafts) {
            if (response.milestone && seen.insert(response.slug.value()).second) {
                const bool open = response.status == responses::ResponseStatus::OpenForEndorsement;
                found[response.milestone->value()].push_back(
                    mstch::map{{"title", response.title},
                               {"path", "/responses/" + response.slug.value()},
                               {"state", translate(site, request,
                                                   open ? "open for endorsement, members only"
                                                        : "draft, members only")}});
            }
        }
    }
    return found;
}

}  // namespace

Response ProcessPages::process(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    const std::int64_t at = now();
    const std::string zone = viewer_zone(request);
    mstch::array milestones;
    bool marked_today = false;
    ThreadViews thread_views(site_, request, zone);
    auto responses = responses_by_milestone(site_, request);
    for (const auto& milestone : found->milestones) {
        auto item = milestone_data(site_, request, *found, milestone, zone, at);
        if (auto about = responses.find(milestone.id.value()); about != responses.end()) {
            item.emplace("has_responses", true);
            item.emplace("responses", std::move(about->second));
        }
        if (!milestone.threads.empty()) {
            auto threads = thread_views.data(milestone.threads);
            item.emplace("has_threads", !threads.empty());
            item.emplace("threads", std::move(threads));
        }
        // The list shows where today falls: before the first milestone not yet over.
        if (!marked_today && milestone.ends_at() > at) {
            item.emplace("today_before", true);
            marked_today = true;
        }
        milestones.push_back(std::move(item));
    }
    mstch::array history;
    for (const auto& entry : site_.processes.history(found->id, kHistoryOnPage)) {
        history.push_back(mstch::map{
            {"id", std::to_string(entry.id)},
            {"when", processes::format_instant(entry.at, zone, language_of(request))},
            {"datetime", core::format_rfc3339(entry.at)},
            {"who", actor_name(site_, request, entry.actor)},
            {"action", action_label(site_, request, entry.action)},
            {"summary", entry.summary},
            {"changes", changes_text(entry.changes)},
        });
    }
    mstch::map data = zone_data(request, zone, process_path(*found));
    data.emplace("name", found->fields.name);
    data.emplace("short_name", found->fields.short_name);
    data.emplace("slug", found->slug.value());
    data.emplace("path", process_path(*found));
    data.emplace("kind_label", translate(site_, request, processes::label(found->fields.kind)));
    data.emplace("status", text(processes::id(found->fields.status)));
    data.emplace("status_label", translate(site_, request, processes::label(found->fields.status)));
    data.emplace("convenor", found->fields.convenor);
    data.emplace("description_html", statement::render_markdown(found->fields.description));
    data.emplace("links", links_data(found->fields.links));
    data.emplace("has_links", !found->fields.links.empty());
    data.emplace("milestones", std::move(milestones));
    data.emplace("has_milestones", !found->milestones.empty());
    data.emplace("all_past", !marked_today && !found->milestones.empty());
    data.emplace("today",
                 processes::format_day(processes::civil_from_days(at / core::kSecondsPerDay),
                                       DatePrecision::Day, language_of(request)));
    data.emplace("timeline_html", timeline_svg(site_, request, *found, at));
    data.emplace("history", std::move(history));
    data.emplace("document_section", process_documents_data(site_, request, *found));
    data.emplace("can_edit", may_edit_processes(request));
    data.emplace("signed_in", request.visitor.is_signed_in());
    // HasForm::Yes: the Follow form needs an anonymous visitor's CSRF secret.
    auto response =
        render(site_, request, page_, found->fields.name, std::move(data), 200, HasForm::Yes);
    remember_zone(site_, request, response);
    return response;
}

Response ProcessPages::calendar(Request& request) const {
    const std::int64_t at = now();
    const std::string zone = viewer_zone(request);
    const auto language = language_of(request);
    std::int64_t first_day = 0;
    if (auto month = request.query_value("month")) {
        const auto parsed = month_start(*month);
        if (!parsed) {
            return error_page(site_, request, 404);
        }
        first_day = *parsed;
    } else {
        const auto today = processes::local_time(at, zone).date;
        first_day = *month_start(today.substr(0, 7));
    }
    const std::string first_date = processes::civil_from_days(first_day);
    const int year = std::stoi(first_date.substr(0, 4));
    const int month = std::stoi(first_date.substr(5, 2));
    const std::int64_t next_first = month == 12 ? processes::days_from_civil(year + 1, 1, 1)
                                                : processes::days_from_civil(year, month + 1, 1);
    const std::int64_t previous_first = month == 1 ? processes::days_from_civil(year - 1, 12, 1)
                                                   : processes::days_from_civil(year, month - 1, 1);
    // Each milestone on every day it covers, in the viewer's zone.
    const auto snapshot = site_.processes.snapshot();
    const auto& all = snapshot->processes();
    std::map<std::int64_t, mstch::array> by_day;
    for (const auto& process : all) {
        for (const auto& milestone : process.milestones) {
            if (milestone.fields.precision != DatePrecision::Day) {
                continue;
            }
            const auto& start = milestone.fields.start;
            const std::int64_t from = start.is_date()
                                          ? start.day_number()
                                          : processes::local_time(start.utc(), zone).day_number;
            std::int64_t to = from;
            if (const auto& end = milestone.fields.end) {
                to = end->is_date() ? end->day_number()
                                    : processes::local_time(end->utc(), zone).day_number;
            }
            for (std::int64_t day = std::max(from, first_day); day <= to && day < next_first;
                 ++day) {
                auto item = milestone_data(site_, request, process, milestone, zone, at);
                if (!start.is_date() && day == from) {
                    item.emplace("time", processes::local_time(start.utc(), zone).time);
                }
                by_day[day].push_back(std::move(item));
            }
        }
    }
    static constexpr std::string_view kWeekdays[] = {"Mon", "Tue", "Wed", "Thu",
                                                     "Fri", "Sat", "Sun"};
    mstch::array weekdays;
    for (const auto weekday : kWeekdays) {
        weekdays.push_back(mstch::map{{"name", translate(site_, request, weekday)}});
    }
    const std::int64_t today = processes::local_time(at, zone).day_number;
    // Weeks start on Monday; 1970-01-01 was a Thursday.
    const std::int64_t lead = (first_day + 3) % 7;
    mstch::array weeks;
    mstch::array cells;
    bool any = false;
    for (std::int64_t day = first_day - lead; day < next_first || cells.size() % 7 != 0; ++day) {
        mstch::map cell;
        if (day >= first_day && day < next_first) {
            auto found = by_day.find(day);
            const bool has = found != by_day.end();
            any = any || has;
            cell = mstch::map{{"in_month", true},
                              {"day", std::to_string(day - first_day + 1)},
                              {"date", processes::civil_from_days(day)},
                              {"is_today", day == today},
                              {"has_items", has},
                              {"items", has ? found->second : mstch::array{}}};
        } else {
            cell = mstch::map{{"in_month", false}};
        }
        cells.push_back(std::move(cell));
        if (cells.size() == 7) {
            weeks.push_back(mstch::map{{"days", std::move(cells)}});
            cells = mstch::array{};
        }
    }
    mstch::map data = zone_data(request, zone, "/processes/calendar");
    data["zone_month"] = first_date.substr(0, 7);
    data.emplace("month_label", processes::format_day(first_date, DatePrecision::Month, language));
    data.emplace("previous_month", processes::civil_from_days(previous_first).substr(0, 7));
    data.emplace("next_month", processes::civil_from_days(next_first).substr(0, 7));
    data.emplace("weekdays", std::move(weekdays));
    data.emplace("weeks", std::move(weeks));
    data.emplace("is_empty", !any);
    auto response = render(site_, request, calendar_, "Calendar", std::move(data));
    remember_zone(site_, request, response);
    return response;
}

namespace {

// The Atom feed of the newest changes (RFC 4287), as of `snapshot`.
std::string atom_body(const Site& site, const processes::Snapshot& snapshot,
                      const std::vector<processes::HistoryEntry>& entries) {
    const std::string& base = site.settings.base_url;
    const std::string updated = core::format_rfc3339(entries.empty() ? 0 : entries.front().at);
    // RFC 4287: id, title, updated and an author on the feed; id, title, updated on each entry.
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>" +
        svg::escape_xml(base + "/processes/feed.atom") + "</id>\n<title>" +
        svg::escape_xml(site.settings.name + ": process changes") + "</title>\n<updated>" +
        updated + "</updated>\n<author><name>" + svg::escape_xml(site.settings.name) +
        "</name></author>\n" + "<link rel=\"self\" href=\"" +
        svg::escape_xml(base + "/processes/feed.atom") + "\"/>\n<link href=\"" +
        svg::escape_xml(base + "/processes") + "\"/>\n";
    for (const auto& entry : entries) {
        const Process* process = snapshot.find(entry.process_id);
        if (process == nullptr) {
            continue;
        }
        const std::string link =
            base + process_path(*process) +
            (entry.milestone_id  ? "#milestone-" + std::to_string(entry.milestone_id->value())
             : entry.document_id ? std::string("#documents")
                                 : std::string());
        std::string verb = "changed";
        if (entry.action == "process.create") {
            verb = "Process added";
        } else if (entry.action == "process.update") {
            verb = "Process changed";
        } else if (entry.action == "milestone.create") {
            verb = "New milestone";
        } else if (entry.action == "milestone.update") {
            verb = "Milestone changed";
        } else if (entry.action == "document.create") {
            verb = "New document";
        } else if (entry.action == "document.revision") {
            verb = "New revision";
        }
        const std::string& short_name =
            process->fields.short_name.empty() ? process->fields.name : process->fields.short_name;
        const std::string summary = changes_text(entry.changes);
        xml += "<entry>\n<id>";
        xml += svg::escape_xml(base + "/processes/history/" + std::to_string(entry.id));
        xml += "</id>\n<title>";
        std::string title = short_name;
        title += " — ";
        title += verb;
        title += ": ";
        title += entry.summary;
        xml += svg::escape_xml(title);
        xml += "</title>\n<updated>";
        xml += core::format_rfc3339(entry.at);
        xml += "</updated>\n<link href=\"";
        xml += svg::escape_xml(link);
        xml += "\"/>\n<summary type=\"text\">";
        xml += svg::escape_xml(summary.empty() ? entry.summary : summary);
        xml += "</summary>\n</entry>\n";
    }
    xml += "</feed>\n";
    return xml;
}

}  // namespace

Response ProcessPages::ics_all(Request& request) const {
    const auto snapshot = site_.processes.snapshot();
    const auto body = feed_cache_->get(*snapshot, "calendar", [&] {
        return ics_body(site_, snapshot->processes(), site_.settings.name + " — processes");
    });
    return feed_response(request, *body, snapshot->changed_at(), "text/calendar; charset=utf-8",
                         "processes.ics");
}

Response ProcessPages::ics_process(Request& request) const {
    const auto snapshot = site_.processes.snapshot();
    const Process* found = snapshot->find(request.param("slug"));
    if (found == nullptr) {
        return Response::text("There is no such process.\n", 404);
    }
    const auto body = feed_cache_->get(*snapshot, "process " + found->slug.value(), [&] {
        return ics_body(site_, std::vector<Process>{*found}, found->fields.name);
    });
    std::int64_t last_modified = found->updated_at;
    for (const auto& milestone : found->milestones) {
        last_modified = std::max(last_modified, milestone.updated_at);
    }
    // A deleted milestone changes no updated_at: the newest change anywhere covers it.
    last_modified = std::max(last_modified, snapshot->changed_at());
    return feed_response(request, *body, last_modified, "text/calendar; charset=utf-8",
                         found->slug.value() + ".ics");
}

Response ProcessPages::feed(Request& request) const {
    // The snapshot first: history rows are written in the transaction that raises the revision,
    // so rows read after it are at least as new as the revision the body is kept under.
    const auto snapshot = site_.processes.snapshot();
    const auto body = feed_cache_->get(*snapshot, "atom", [&] {
        return atom_body(site_, *snapshot,
                         site_.processes.history(std::nullopt, kProcessFeedEntries));
    });
    return feed_response(request, *body, snapshot->changed_at(),
                         "application/atom+xml; charset=utf-8", "");
}

Response ProcessPages::api_list(Request&) const {
    const std::int64_t at = now();
    auto items = nlohmann::json::array();
    const auto snapshot = site_.processes.snapshot();
    for (const auto& process : snapshot->processes()) {
        items.push_back(process_json(site_, process, at));
    }
    return json_response(nlohmann::json{{"processes", std::move(items)}});
}

Response ProcessPages::api_find(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return problem_response(404, "There is no process with this slug.");
    }
    return json_response(process_json(site_, *found, now()));
}

Response ProcessPages::new_process(Request& request) const {
    auto data = process_form_data(site_, request, processes::ProcessDraft{}, {});
    data.emplace("is_new", true);
    data.emplace("action", std::string("/admin/processes"));
    return render(site_, request, process_form_, "Add a process", std::move(data), 200,
                  HasForm::Yes);
}

Response ProcessPages::create_process(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto draft = process_draft_from(request);
    std::vector<core::Error> errors;
    if (auto fields = processes::validate(draft); !fields) {
        errors = fields.errors();
    } else if (auto created = site_.processes.create(*actor, *fields); !created) {
        errors = {created.error()};
    } else {
        return Response::redirect_see_other(process_path(*created));
    }
    auto data = process_form_data(site_, request, draft, errors);
    data.emplace("is_new", true);
    data.emplace("action", std::string("/admin/processes"));
    return render(site_, request, process_form_, "Add a process", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response ProcessPages::edit_process(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    auto data = process_form_data(site_, request, found->to_draft(), {});
    data.emplace("is_new", false);
    data.emplace("action", "/admin/processes/" + found->slug.value());
    data.emplace("path", process_path(*found));
    return render(site_, request, process_form_, "Edit a process", std::move(data), 200,
                  HasForm::Yes);
}

Response ProcessPages::update_process(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    const auto draft = process_draft_from(request);
    std::vector<core::Error> errors;
    if (auto fields = processes::validate(draft); !fields) {
        errors = fields.errors();
    } else if (auto updated = site_.processes.update(*actor, found->id, *fields); !updated) {
        if (updated.error().code == core::ErrorCode::NotFound) {
            return error_page(site_, request, 404);
        }
        errors = {updated.error()};
    } else {
        return Response::redirect_see_other(process_path(*updated));
    }
    auto data = process_form_data(site_, request, draft, errors);
    data.emplace("is_new", false);
    data.emplace("action", "/admin/processes/" + found->slug.value());
    data.emplace("path", process_path(*found));
    return render(site_, request, process_form_, "Edit a process", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response ProcessPages::new_milestone(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    auto data = milestone_form_data(site_, request, processes::MilestoneDraft{}, "", {});
    data.emplace("is_new", true);
    data.emplace("action", "/admin/processes/" + found->slug.value() + "/milestones");
    data.emplace("process_name", found->fields.name);
    data.emplace("path", process_path(*found));
    return render(site_, request, milestone_form_, "Add a milestone", std::move(data), 200,
                  HasForm::Yes);
}

Response ProcessPages::create_milestone(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    const auto draft = milestone_draft_from(request);
    const std::string threads = form_value(request, "threads");
    const auto fields = processes::validate(draft);
    const auto links = resolve_threads(site_, request, threads);
    std::vector<core::Error> errors;
    if (!fields) {
        errors = fields.errors();
    }
    if (!links) {
        errors.push_back(links.error());
    }
    if (errors.empty()) {
        auto added = site_.processes.add_milestone(*actor, found->id, *fields, *links);
        if (added) {
            return Response::redirect_see_other(process_path(*found) + "#milestone-" +
                                                std::to_string(added->id.value()));
        }
        errors = {added.error()};
    }
    auto data = milestone_form_data(site_, request, draft, threads, errors);
    data.emplace("is_new", true);
    data.emplace("action", "/admin/processes/" + found->slug.value() + "/milestones");
    data.emplace("process_name", found->fields.name);
    data.emplace("path", process_path(*found));
    return render(site_, request, milestone_form_, "Add a milestone", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response ProcessPages::edit_milestone(Request& request) const {
    const auto milestone_id = milestone_id_of(request);
    const auto milestone =
        milestone_id ? site_.processes.find_milestone(*milestone_id) : std::nullopt;
    if (!milestone) {
        return error_page(site_, request, 404);
    }
    const auto process = site_.processes.find_by_id(milestone->process_id);
    auto data = milestone_form_data(site_, request, milestone->to_draft(),
                                    threads_text(site_, milestone->threads), {});
    data.emplace("is_new", false);
    data.emplace("action", "/admin/milestones/" + std::to_string(milestone->id.value()));
    data.emplace("process_name", process ? process->fields.name : std::string());
    data.emplace("path", process ? process_path(*process) : std::string("/processes"));
    return render(site_, request, milestone_form_, "Edit a milestone", std::move(data), 200,
                  HasForm::Yes);
}

Response ProcessPages::update_milestone(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto milestone_id = milestone_id_of(request);
    const auto milestone =
        milestone_id ? site_.processes.find_milestone(*milestone_id) : std::nullopt;
    if (!milestone) {
        return error_page(site_, request, 404);
    }
    const auto process = site_.processes.find_by_id(milestone->process_id);
    const std::string path = process ? process_path(*process) : std::string("/processes");
    const auto draft = milestone_draft_from(request);
    const std::string threads = form_value(request, "threads");
    const auto fields = processes::validate(draft);
    const auto links = resolve_threads(site_, request, threads);
    std::vector<core::Error> errors;
    if (!fields) {
        errors = fields.errors();
    }
    if (!links) {
        errors.push_back(links.error());
    }
    if (errors.empty()) {
        auto updated = site_.processes.update_milestone(*actor, milestone->id, *fields, *links);
        if (updated) {
            return Response::redirect_see_other(path + "#milestone-" +
                                                std::to_string(milestone->id.value()));
        }
        errors = {updated.error()};
    }
    auto data = milestone_form_data(site_, request, draft, threads, errors);
    data.emplace("is_new", false);
    data.emplace("action", "/admin/milestones/" + std::to_string(milestone->id.value()));
    data.emplace("process_name", process ? process->fields.name : std::string());
    data.emplace("path", path);
    return render(site_, request, milestone_form_, "Edit a milestone", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response process_calendar_response(const Site& site,
                                   const std::vector<processes::Process>& selected,
                                   const std::string& name, const std::string& filename) {
    return ics_response(site, selected, name, filename);
}

}  // namespace coalition::web
