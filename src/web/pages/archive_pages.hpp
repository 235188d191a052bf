#pragma once
// The list archives on the web (issue #7): a list's threads by latest activity and by month, a
// thread's tree, each message's permalink (/lists/NAME/m/ID) with its raw source and its
// attachments as downloads, /r/MESSAGE-ID redirecting to the permalink, search in a list and
// across the lists the viewer may read, mbox exports (list, month, thread) and Atom feeds (new
// threads, new messages). The archive itself is archive::Archive (site.archive); who may read it
// is decided here, from the list's archive_visibility, by can_read below.
//
// Visibility, one rule for every path: Public → anyone; Members → subscribed members (by the
// account's address), the list's owners and moderators, and site admins; None → owners,
// moderators and admins. A visitor who may not read gets 404 (the archive's existence is not
// confirmed), except an anonymous visitor on a Members archive in a browser path (pages,
// downloads), who is sent to sign in (303 /signin?next=…). Feeds and the API answer 404.
//
// A thread's messages (the costly part of its page: every message read, threaded, split into
// quotes and rendered) are kept rendered per thread, language and address obscuring, stamped
// with the list's archive revision (archive::Archive::revision: one row read per request, raised
// by any server that archives a message in the list), at most kKeptThreadBytes, least recently
// used dropped first. Who may read is decided before anything kept is looked at; the layout
// around it (signed-in name, CSRF token) and the milestones (viewer's zone, today) are made per
// request.

#include "archive/archive.hpp"
#include "lists/lists.hpp"
#include "web/http.hpp"
#include "web/render_cache.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

namespace archive_access {

// What a request may do with one list's archive.
struct Viewer {
    bool can_read = false;
    // Members, moderators and admins see full addresses; visitors of a public archive see
    // "a…@example.org".
    bool full_addresses = false;
    bool is_anonymous = true;
};
Viewer viewer_of(const Site& site, const Request& request, const lists::List& list);

// The lists whose archive the request may read, by name.
std::vector<lists::List> readable_lists(const Site& site, const Request& request);

// The answer when `viewer` may not read `list`'s archive on a browser path: the sign-in page for
// an anonymous visitor of a Members archive, 404 otherwise.
Response denied(const Site& site, const Request& request, const lists::List& list,
                const Viewer& viewer);

}  // namespace archive_access

// A message or thread id, or a page number, from a path or query: decimal digits without a
// leading zero, at most 18 of them, above zero; nullopt otherwise.
std::optional<std::int64_t> parse_id(std::string_view text);

class ArchivePages {
public:
    explicit ArchivePages(Site& site);
    ~ArchivePages();
    Response index(Request& request) const;          // GET /lists/:name/archive[?page=N]
    Response month(Request& request) const;          // GET /lists/:name/archive/:month
    Response thread(Request& request) const;         // GET /lists/:name/t/:thread
    Response message(Request& request) const;        // GET /lists/:name/m/:id
    Response raw(Request& request) const;            // GET /lists/:name/m/:id/raw
    Response attachment(Request& request) const;     // GET /lists/:name/m/:id/attachments/:index
    Response redirect(Request& request) const;       // GET /r/*id
    Response search(Request& request) const;         // GET /lists/:name/search?q=…
    Response site_search(Request& request) const;    // GET /archive/search?q=…
    Response export_list(Request& request) const;    // GET /lists/:name/export.mbox[?month=]
    Response export_thread(Request& request) const;  // GET /lists/:name/t/:thread/export.mbox
    Response feed_threads(Request& request) const;   // GET /lists/:name/feeds/threads.atom
    Response feed_messages(Request& request) const;  // GET /lists/:name/feeds/messages.atom

    // The budget of kept thread bodies. A thread of 50 messages renders to about 100 kB, so this
    // keeps a few hundred of the most read threads.
    static constexpr std::size_t kKeptThreadBytes = std::size_t{32} << 20;
    // Months of a few thousand lists.
    static constexpr std::size_t kKeptMonthsBytes = std::size_t{1} << 20;

private:
    struct KeptThread;
    struct Found {
        lists::List list;
        archive_access::Viewer viewer;
    };
    // The list named in the path when the archive is wired, the list exists and the viewer may
    // read it; otherwise the answer to give (503, 404 or the sign-in page).
    std::optional<Response> find(const Request& request, std::optional<Found>& found,
                                 bool browser) const;
    Response threads_page(Request& request, const Found& found, const std::string& month) const;
    // The thread's summary and rendered tree for this viewer: the kept one when the list's archive
    // has not changed since it was rendered, else read, rendered and kept. nullptr when the list
    // has no such thread.
    std::shared_ptr<const KeptThread> thread_part(const Request& request, const Found& found,
                                                  std::int64_t thread_id) const;
    // The list's months with their message counts: kept until the list's archive changes, since
    // counting them reads every message of the list (14 ms at 10,000, most of an index page).
    std::shared_ptr<const std::vector<archive::MonthCount>> months_of(
        const lists::List& list) const;
    Response search_page(Request& request, const std::vector<lists::List>& lists,
                         const lists::List* list) const;

    Site& site_;
    TemplateRef index_;
    TemplateRef thread_;
    TemplateRef thread_tree_;
    TemplateRef message_;
    TemplateRef search_;
    std::unique_ptr<RenderCache<KeptThread>> kept_threads_;
    std::unique_ptr<RenderCache<std::vector<archive::MonthCount>>> kept_months_;
};

}  // namespace coalition::web
