#pragma once
// The process tracker's pages: /processes (every process, its status and next milestone, and the
// "open now / closing soon" panel, also shown on the home page), /processes/SLUG (description,
// an accessible SVG timeline with the milestones as a list, the history of changes), the month
// calendar, the iCalendar feeds (/calendar.ics, /processes/SLUG/calendar.ics), the Atom feed of
// changes, the JSON API and the admin forms. Dates with a time are shown in the viewer's zone
// (?tz=, remembered in the `tz` cookie; UTC by default) with the original zone in a title.
// Handlers parse input, call site.processes once and render; the rules live in processes/.

#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <mstch/mstch.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

// Admins and moderators keep the processes, milestones and documents (issue #6); the routes
// under /admin/processes and /admin/milestones admit exactly them.
bool may_edit_processes(const Request& request);

// The cookie that remembers the viewer's time zone (an IANA name such as "Europe/Paris").
inline constexpr std::string_view kZoneCookie = "tz";

// The process's page, /processes/SLUG.
std::string process_path(const processes::Process& process);

// The milestone id in the path (:id): positive decimal digits; nullopt otherwise.
std::optional<processes::MilestoneId> milestone_id_of(const Request& request);

// The milestones linking any of a thread's messages (`archive_message_ids`), for the archive's
// thread page: [{title, kind_label, process_name, url (the process page's milestone anchor),
// when, datetime}] in the viewer's zone and language, by start.
mstch::array milestones_about_thread(const Site& site, const Request& request,
                                     const std::vector<std::int64_t>& archive_message_ids);

// The iCalendar answer (text/calendar) for the day-precise milestones of `selected`: the feeds
// here and a follower's personal calendar (process_follow_pages.cpp).
Response process_calendar_response(const Site& site,
                                   const std::vector<processes::Process>& selected,
                                   const std::string& name, const std::string& filename);

class ProcessPages {
public:
    explicit ProcessPages(Site& site);
    ~ProcessPages();
    ProcessPages(const ProcessPages&) = delete;
    ProcessPages& operator=(const ProcessPages&) = delete;
    // The list's body is rendered once per revision of the processes, language, zone and admin
    // flag, and kept until the next instant it would change (processes::next_outlook_change).
    Response list(Request& request) const;  // GET /processes[?tz=]
    // GET /: the `home` template (site_name, outlook), kept like the list's body.
    Response home(Request& request, TemplateRef home) const;
    Response process(Request& request) const;   // GET /processes/:slug
    Response calendar(Request& request) const;  // GET /processes/calendar[?month=YYYY-MM&tz=]
    // The feeds are rendered once per revision of the processes (processes::Snapshot) and kept
    // with their gzip representation (web/compression.hpp): gzip when Accept-Encoding allows it,
    // each representation with its own ETag, Vary: Accept-Encoding, Last-Modified,
    // Cache-Control: no-cache, and 304 to an If-None-Match naming the representation's ETag.
    Response ics_all(Request& request) const;           // GET /calendar.ics
    Response ics_process(Request& request) const;       // GET /processes/:slug/calendar.ics
    Response feed(Request& request) const;              // GET /processes/feed.atom
    Response api_list(Request& request) const;          // GET /api/v1/processes
    Response api_find(Request& request) const;          // GET /api/v1/processes/:slug
    Response new_process(Request& request) const;       // GET /admin/processes/new
    Response create_process(Request& request) const;    // POST /admin/processes
    Response edit_process(Request& request) const;      // GET /admin/processes/:slug/edit
    Response update_process(Request& request) const;    // POST /admin/processes/:slug
    Response new_milestone(Request& request) const;     // GET /admin/processes/:slug/milestones/new
    Response create_milestone(Request& request) const;  // POST /admin/processes/:slug/milestones
    Response edit_milestone(Request& request) const;    // GET /admin/milestones/:id/edit
    Response update_milestone(Request& request) const;  // POST /admin/milestones/:id

private:
    struct FeedCache;
    struct ListCache;
    using OutlookData = std::function<mstch::map(const std::vector<processes::Process>& all,
                                                 const std::string& zone, std::int64_t at)>;
    // `body_template` rendered alone from data_of(processes, zone, now) inside the layout; the
    // body kept in list_cache_ under key_prefix + the list's key (see list()).
    Response outlook_page(Request& request, TemplateRef body_template, std::string_view title,
                          std::string_view key_prefix, const OutlookData& data_of) const;

    Site& site_;
    std::unique_ptr<FeedCache> feed_cache_;
    std::unique_ptr<ListCache> list_cache_;
    TemplateRef list_;
    TemplateRef prerendered_;
    TemplateRef page_;
    TemplateRef calendar_;
    TemplateRef process_form_;
    TemplateRef milestone_form_;
};

}  // namespace coalition::web
