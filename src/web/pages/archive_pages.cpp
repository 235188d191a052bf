// The list archives on the web (see the header).

#include "web/pages/archive_pages.hpp"

#include "archive/archive.hpp"
#include "archive/import.hpp"
#include "archive/search.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "web/atom.hpp"
#include "web/forms.hpp"
#include "web/page.hpp"
#include "web/pages/archive_view.hpp"
#include "web/pages/list_pages.hpp"
#include "web/pages/process_pages.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <string>
#include <utility>

namespace coalition::web {
namespace archive_access {

Viewer viewer_of(const Site& site, const Request& request, const lists::List& list) {
    Viewer viewer;
    viewer.is_anonymous = !request.visitor.is_signed_in();
    const auto visibility = list.settings.archive_visibility;
    if (viewer.is_anonymous) {
        viewer.can_read = visibility == lists::ArchiveVisibility::Public;
        return viewer;
    }
    const auto role = list_pages::role_of(site, request, list);
    bool is_member = false;
    if (role.email && site.subscriptions != nullptr) {
        const auto member = site.subscriptions->find_member(list.id, *role.email);
        is_member = member && member->state == lists::MemberState::Subscribed;
    }
    const bool is_staff = role.is_moderator || role.is_site_admin;
    switch (visibility) {
        case lists::ArchiveVisibility::Public:
            viewer.can_read = true;
            break;
        case lists::ArchiveVisibility::Members:
            viewer.can_read = is_member || is_staff;
            break;
        case lists::ArchiveVisibility::None:
            viewer.can_read = is_staff;
            break;
    }
    viewer.full_addresses = is_member || is_staff;
    return viewer;
}

std::vector<lists::List> readable_lists(const Site& site, const Request& request) {
    std::vector<lists::List> readable;
    if (site.lists == nullptr) {
        return readable;
    }
    for (auto& list : site.lists->all()) {
        if (viewer_of(site, request, list).can_read) {
            readable.push_back(std::move(list));
        }
    }
    return readable;
}

Response denied(const Site& site, const Request& request, const lists::List& list,
                const Viewer& viewer) {
    if (viewer.is_anonymous &&
        list.settings.archive_visibility == lists::ArchiveVisibility::Members) {
        return Response::redirect_see_other("/signin?next=" + percent_encode(request.raw_target));
    }
    return list_pages::error(site, request, 404);
}

}  // namespace archive_access

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t value = 0;
    if (text.empty() || text.size() > 18 || text.front() == '0') {
        return std::nullopt;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

namespace {

using archive_access::Viewer;

constexpr std::size_t kThreadsPerPage = 50;
constexpr std::size_t kHitsPerPage = 20;
constexpr std::size_t kArchiveFeedEntries = 30;
constexpr std::size_t kMaxArchivePage = 10000;

constexpr i18n::PluralMessage kMessages =
    i18n::ngettext_noop("{count} message", "{count} messages");
constexpr i18n::PluralMessage kParticipants =
    i18n::ngettext_noop("{count} participant", "{count} participants");
constexpr i18n::PluralMessage kQuotedLines =
    i18n::ngettext_noop("Quoted text ({count} line)", "Quoted text ({count} lines)");
constexpr i18n::PluralMessage kResults = i18n::ngettext_noop("{count} result", "{count} results");

// The 1-based page of `?page=`; 1 when absent or malformed.
std::size_t page_of(const Request& request) {
    const auto value = parse_id(request.query_value("page").value_or(""));
    return value && static_cast<std::size_t>(*value) <= kMaxArchivePage
               ? static_cast<std::size_t>(*value)
               : 1;
}

std::string author_of(std::string_view name, std::string_view email, const Viewer& viewer) {
    if (!name.empty()) {
        return std::string(name);
    }
    return viewer.full_addresses ? std::string(email) : archive_view::obscure_address(email);
}

mstch::map time_data(std::int64_t at) {
    return mstch::map{{"iso", core::format_rfc3339(at)}, {"text", list_pages::format_time(at)}};
}

std::string size_text(std::size_t bytes) {
    if (bytes < 1024) {
        return std::to_string(bytes) + " B";
    }
    constexpr std::size_t kMegabyte = std::size_t{1024} * 1024;
    if (bytes < kMegabyte) {
        return std::to_string((bytes + 1023) / 1024) + " KB";
    }
    return std::to_string((bytes + kMegabyte - 1) / kMegabyte) + " MB";
}

mstch::map message_data(const Site& site, const Request& request, const lists::List& list,
                        const Viewer& viewer, const archive::ArchivedMessage& message) {
    const std::string url = archive::permalink_path(list.name, message.id);
    mstch::array blocks;
    const std::string text =
        viewer.full_addresses ? message.text : archive_view::obscure_addresses(message.text);
    for (auto& block : archive_view::text_blocks(text)) {
        const auto kind = block.kind;
        blocks.push_back(mstch::map{
            {"is_text", kind == archive_view::TextBlock::Kind::Text},
            {"is_quote", kind == archive_view::TextBlock::Kind::Quote},
            {"is_signature", kind == archive_view::TextBlock::Kind::Signature},
            {"text", std::move(block.text)},
            {"quote_label",
             translate_count(site, request, kQuotedLines, static_cast<long>(block.lines))},
        });
    }
    mstch::array attachments;
    for (const auto& attachment : message.attachments) {
        attachments.push_back(mstch::map{
            {"url", url + "/attachments/" + std::to_string(attachment.index)},
            {"filename", archive_view::safe_filename(attachment.filename, attachment.index)},
            {"content_type", attachment.content_type},
            {"size", size_text(attachment.size)},
        });
    }
    const bool has_attachments = !attachments.empty();
    const bool has_text = !blocks.empty();
    return mstch::map{
        {"id", std::to_string(message.id.value())},
        {"anchor", "m" + std::to_string(message.id.value())},
        {"url", url},
        {"raw_url", url + "/raw"},
        {"thread_url", list_pages::list_url(list) + "/t/" + std::to_string(message.thread.value())},
        {"subject", message.subject},
        {"author", author_of(message.author_name, message.author_email, viewer)},
        {"address", viewer.full_addresses ? message.author_email
                                          : archive_view::obscure_address(message.author_email)},
        {"date", time_data(message.date)},
        {"date_is_fallback", message.date_is_fallback},
        {"blocks", std::move(blocks)},
        {"has_text", has_text},
        {"attachments", std::move(attachments)},
        {"has_attachments", has_attachments},
        {"reply_url", archive_view::reply_mailto(list.posting_address().unicode(),
                                                 message.message_id, message.subject)},
        {"unparseable", !message.parseable},
    };
}

// Markup that closes and opens the nested lists between two tree items, so the template can
// write a real <ul>/<li> hierarchy from a flat, depth-annotated list (constant tags only).
struct Nesting {
    std::size_t depth = 0;
    bool first = true;

    std::string before(std::size_t wanted) {
        std::string html;
        if (first) {
            first = false;
            wanted = 0;  // The first item of a tree is a root whatever its stored depth.
        } else if (wanted > depth) {
            wanted = depth + 1;
            html = "<ul>";
        } else {
            html = "</li>";
            for (std::size_t level = wanted; level < depth; ++level) {
                html += "</ul></li>";
            }
        }
        depth = wanted;
        return html;
    }
    std::string after() const {
        if (first) {
            return "";
        }
        std::string html = "</li>";
        for (std::size_t level = 0; level < depth; ++level) {
            html += "</ul></li>";
        }
        return html;
    }
};

mstch::map archive_list_data(const lists::List& list) {
    const std::string url = list_pages::list_url(list);
    return mstch::map{
        {"name", list.name},
        {"title", list.title()},
        {"url", url},
        {"archive_url", url + "/archive"},
        {"search_url", url + "/search"},
        {"address", list.posting_address().unicode()},
        {"export_url", url + "/export.mbox"},
        {"threads_feed", url + "/feeds/threads.atom"},
        {"messages_feed", url + "/feeds/messages.atom"},
    };
}

// The key of a thread's kept part: everything its HTML depends on besides the list's archive
// revision (the list's name and posting address are in its links). nullopt for a language that
// is not supported, so made-up tags cannot grow the cache.
std::optional<std::string> thread_key(const Request& request, const lists::List& list,
                                      const Viewer& viewer, std::int64_t thread_id) {
    const std::string_view language = language_of(request);
    const auto& languages = i18n::supported_languages();
    const bool is_supported =
        std::any_of(languages.begin(), languages.end(),
                    [&](const i18n::Language& supported) { return supported.tag == language; });
    if (!is_supported) {
        return std::nullopt;
    }
    return std::to_string(list.id.value()) + ' ' + std::to_string(thread_id) + ' ' +
           std::string(language) + ' ' + (viewer.full_addresses ? "full" : "obscured") + ' ' +
           list.name + ' ' + list.posting_address().unicode();
}

Response download(std::string body, std::string_view content_type, std::string_view filename) {
    auto response = file_download(std::move(body), content_type, filename);
    response.headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
    return response;
}

}  // namespace

// What a thread page keeps per thread and viewer kind (see the header).
struct ArchivePages::KeptThread {
    archive::ThreadSummary summary;
    std::string tree_html;                  // templates/archive_thread_tree.mustache.
    std::vector<std::int64_t> message_ids;  // For the milestones about this thread (processes).

    std::size_t bytes() const {
        std::size_t total = sizeof(KeptThread) + tree_html.size() + summary.subject.size() +
                            summary.first_author.size() + message_ids.size() * sizeof(std::int64_t);
        for (const auto& name : summary.participants) {
            total += name.size();
        }
        return total;
    }
};

ArchivePages::ArchivePages(Site& site)
    : site_(site),
      index_(site.pages.require("archive_index")),
      thread_(site.pages.require("archive_thread")),
      thread_tree_(site.pages.require("archive_thread_tree")),
      message_(site.pages.require("archive_message")),
      search_(site.pages.require("archive_search")),
      kept_threads_(std::make_unique<RenderCache<KeptThread>>(kKeptThreadBytes)),
      kept_months_(
          std::make_unique<RenderCache<std::vector<archive::MonthCount>>>(kKeptMonthsBytes)) {
}

ArchivePages::~ArchivePages() = default;

std::optional<Response> ArchivePages::find(const Request& request, std::optional<Found>& found,
                                           bool browser) const {
    if (site_.lists == nullptr || site_.archive == nullptr) {
        return browser ? list_pages::error(site_, request, 503)
                       : Response::text("The archive is not available.\n", 503);
    }
    auto list = site_.lists->find_by_name(request.param("name"));
    if (!list) {
        return browser ? list_pages::error(site_, request, 404)
                       : Response::text("There is no such list.\n", 404);
    }
    const Viewer viewer = archive_access::viewer_of(site_, request, *list);
    if (!viewer.can_read) {
        return browser ? archive_access::denied(site_, request, *list, viewer)
                       : Response::text("There is no such list.\n", 404);
    }
    found = Found{.list = std::move(*list), .viewer = viewer};
    return std::nullopt;
}

Response ArchivePages::index(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    return threads_page(request, *found, "");
}

Response ArchivePages::month(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    const auto month = archive_view::parse_month(request.param("month"));
    if (!month) {
        return list_pages::error(site_, request, 404);
    }
    return threads_page(request, *found, *month);
}

Response ArchivePages::threads_page(Request& request, const Found& found,
                                    const std::string& month) const {
    const auto& list = found.list;
    const std::size_t page = page_of(request);
    const std::size_t total = site_.archive->thread_count(list.id.value(), month);
    const auto threads = site_.archive->threads(list.id.value(), month, kThreadsPerPage,
                                                (page - 1) * kThreadsPerPage);
    const std::string base = list_pages::list_url(list);
    mstch::array rows;
    for (const auto& thread : threads) {
        std::string participants;
        for (const auto& name : thread.participants) {
            participants +=
                (participants.empty() ? "" : ", ") +
                (found.viewer.full_addresses ? name : archive_view::obscure_addresses(name));
        }
        rows.push_back(mstch::map{
            {"url", base + "/t/" + std::to_string(thread.id.value())},
            {"subject", thread.subject},
            {"messages",
             translate_count(site_, request, kMessages, static_cast<long>(thread.message_count))},
            {"participants", participants},
            {"participant_count", translate_count(site_, request, kParticipants,
                                                  static_cast<long>(thread.participants.size()))},
            {"started", time_data(thread.started_at)},
            {"last_activity", time_data(thread.last_activity)},
        });
    }
    mstch::array months;
    // Held here: a range-for over *months_of(list) would drop the returned pointer before the
    // loop, and a request that replaced the kept months would free them under it.
    const auto kept_months = months_of(list);
    for (const auto& each : *kept_months) {
        months.push_back(mstch::map{
            {"month", each.month},
            {"url", base + "/archive/" + each.month},
            {"messages",
             translate_count(site_, request, kMessages, static_cast<long>(each.messages))},
            {"is_current", each.month == month},
        });
    }
    const std::string here = month.empty() ? base + "/archive" : base + "/archive/" + month;
    const bool has_threads = !rows.empty();
    const bool has_months = !months.empty();
    mstch::map data{
        {"list", archive_list_data(list)},
        {"month", month},
        {"is_month", !month.empty()},
        {"threads", std::move(rows)},
        {"has_threads", has_threads},
        {"months", std::move(months)},
        {"has_months", has_months},
        {"page", std::to_string(page)},
        {"month_export_url", base + "/export.mbox?month=" + month},
    };
    if (page > 1) {
        data.emplace("previous_url", here + "?page=" + std::to_string(page - 1));
    }
    if (page * kThreadsPerPage < total) {
        data.emplace("next_url", here + "?page=" + std::to_string(page + 1));
    }
    return render(site_, request, index_, list.title(), std::move(data));
}

std::shared_ptr<const std::vector<archive::MonthCount>> ArchivePages::months_of(
    const lists::List& list) const {
    // Read before the months, as in thread_part.
    const std::int64_t revision = site_.archive->revision(list.id.value());
    const std::string key = std::to_string(list.id.value());
    if (auto kept = kept_months_->find(key, revision)) {
        return kept;
    }
    auto months = std::make_shared<const std::vector<archive::MonthCount>>(
        site_.archive->months(list.id.value()));
    std::size_t bytes = sizeof(std::vector<archive::MonthCount>);
    for (const auto& month : *months) {
        bytes += sizeof(month) + month.month.size();
    }
    kept_months_->keep(key, revision, months, bytes);
    return months;
}

std::shared_ptr<const ArchivePages::KeptThread> ArchivePages::thread_part(
    const Request& request, const Found& found, std::int64_t thread_id) const {
    const lists::List& list = found.list;
    // Read before the thread: whatever is read after it is at least as new, so it may be kept
    // under this revision (at worst a newer body is rendered again at the next revision).
    const std::int64_t revision = site_.archive->revision(list.id.value());
    const auto key = thread_key(request, list, found.viewer, thread_id);
    if (key) {
        if (auto kept = kept_threads_->find(*key, revision)) {
            return kept;
        }
    }
    auto summary = site_.archive->thread(archive::ThreadId(thread_id));
    if (!summary || summary->list_id != list.id.value()) {
        return nullptr;
    }
    auto made = std::make_shared<KeptThread>();
    Nesting nesting;
    mstch::array items;
    for (const auto& entry : site_.archive->thread_tree(summary->id)) {
        auto data = message_data(site_, request, list, found.viewer, entry.message);
        data.emplace("before_html", nesting.before(entry.depth));
        items.push_back(std::move(data));
        made->message_ids.push_back(entry.message.id.value());
    }
    // The part template reads only its own data, so rendering it alone gives the same HTML as
    // rendering it inside the page.
    const mstch::node data =
        mstch::map{{"items", std::move(items)}, {"after_html", nesting.after()}};
    made->tree_html = site_.pages.templates().render(thread_tree_, data, language_of(request));
    made->summary = std::move(*summary);
    if (key) {
        kept_threads_->keep(*key, revision, made, made->bytes());
    }
    return made;
}

Response ArchivePages::thread(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);  // Visibility first: nothing kept is looked at before.
    }
    const auto id = parse_id(request.param("thread"));
    const auto kept = id ? thread_part(request, *found, *id) : nullptr;
    if (!kept) {
        return list_pages::error(site_, request, 404);
    }
    const archive::ThreadSummary& summary = kept->summary;
    auto milestones = milestones_about_thread(site_, request, kept->message_ids);
    const bool has_milestones = !milestones.empty();
    const std::string url =
        list_pages::list_url(found->list) + "/t/" + std::to_string(summary.id.value());
    return render(
        site_, request, thread_, summary.subject.empty() ? "(no subject)" : summary.subject,
        {{"list", archive_list_data(found->list)},
         {"subject", summary.subject},
         {"messages",
          translate_count(site_, request, kMessages, static_cast<long>(summary.message_count))},
         {"started", time_data(summary.started_at)},
         {"last_activity", time_data(summary.last_activity)},
         {"tree_html", kept->tree_html},
         {"export_url", url + "/export.mbox"},
         {"milestones", std::move(milestones)},
         {"has_milestones", has_milestones}});
}

Response ArchivePages::message(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    const auto id = parse_id(request.param("id"));
    const auto message = id ? site_.archive->message(archive::MessageId(*id))
                            : std::optional<archive::ArchivedMessage>{};
    if (!message || message->list_id != found->list.id.value()) {
        return list_pages::error(site_, request, 404);
    }
    // Its place in the thread: the thread's outline with this message marked.
    Nesting nesting;
    mstch::array outline;
    std::size_t position = 0;
    std::size_t count = 0;
    std::string previous_url;
    std::string next_url;
    std::string last_url;
    for (const auto& entry : site_.archive->thread_tree(message->thread)) {
        ++count;
        const std::string url = archive::permalink_path(found->list.name, entry.message.id);
        const bool is_current = entry.message.id == message->id;
        if (is_current) {
            position = count;
            previous_url = last_url;
        } else if (position != 0 && next_url.empty()) {
            next_url = url;
        }
        last_url = url;
        outline.push_back(mstch::map{
            {"before_html", nesting.before(entry.depth)},
            {"url", url},
            {"subject", entry.message.subject},
            {"author",
             author_of(entry.message.author_name, entry.message.author_email, found->viewer)},
            {"date", time_data(entry.message.date)},
            {"is_current", is_current},
        });
    }
    auto data = message_data(site_, request, found->list, found->viewer, *message);
    data.emplace("list", archive_list_data(found->list));
    data.emplace("outline", std::move(outline));
    data.emplace("outline_after_html", nesting.after());
    data.emplace(
        "position",
        i18n::format(translate(site_, request, "Message {position} of {count} in the thread"),
                     {{"position", std::to_string(position)}, {"count", std::to_string(count)}}));
    if (!previous_url.empty()) {
        data.emplace("previous_url", previous_url);
    }
    if (!next_url.empty()) {
        data.emplace("next_url", next_url);
    }
    const std::string title = message->subject.empty() ? "(no subject)" : message->subject;
    return render(site_, request, message_, title, std::move(data));
}

Response ArchivePages::raw(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    const auto id = parse_id(request.param("id"));
    const auto message = id ? site_.archive->message(archive::MessageId(*id))
                            : std::optional<archive::ArchivedMessage>{};
    if (!message || message->list_id != found->list.id.value()) {
        return list_pages::error(site_, request, 404);
    }
    auto response = Response::text(
        found->viewer.full_addresses
            ? message->raw
            : archive_view::obscure_raw(message->raw, archive_view::RawKind::Message));
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Content-Security-Policy", "sandbox; default-src 'none'");
    return response;
}

Response ArchivePages::attachment(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    const auto id = parse_id(request.param("id"));
    const std::string_view index_text = request.param("index");
    const auto index = index_text == "0" ? std::optional<std::int64_t>(0) : parse_id(index_text);
    const auto message = id ? site_.archive->message(archive::MessageId(*id))
                            : std::optional<archive::ArchivedMessage>{};
    if (!message || !index || message->list_id != found->list.id.value()) {
        return list_pages::error(site_, request, 404);
    }
    const auto attachment =
        site_.archive->attachment(message->id, static_cast<std::size_t>(*index));
    if (!attachment) {
        return list_pages::error(site_, request, 404);
    }
    return download(attachment->bytes, archive_view::safe_content_type(attachment->content_type),
                    archive_view::safe_filename(attachment->filename, attachment->index));
}

Response ArchivePages::redirect(Request& request) const {
    if (site_.lists == nullptr || site_.archive == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const std::string message_id = archive_view::bare_message_id(request.param("id"));
    if (message_id.empty()) {
        return list_pages::error(site_, request, 404);
    }
    std::optional<lists::List> members_only;
    for (const auto& ref : site_.archive->find_by_message_id(message_id)) {
        const auto list = site_.lists->find(lists::ListId(ref.list_id));
        if (!list) {
            continue;
        }
        const Viewer viewer = archive_access::viewer_of(site_, request, *list);
        if (viewer.can_read) {
            Response response;
            response.status = 302;
            response.headers.set("Location", archive::permalink_path(list->name, ref.id));
            return response;
        }
        if (!members_only &&
            list->settings.archive_visibility == lists::ArchiveVisibility::Members) {
            members_only = *list;
        }
    }
    if (members_only) {
        return archive_access::denied(site_, request, *members_only,
                                      archive_access::viewer_of(site_, request, *members_only));
    }
    return list_pages::error(site_, request, 404);
}

Response ArchivePages::search(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    return search_page(request, {found->list}, &found->list);
}

Response ArchivePages::site_search(Request& request) const {
    if (site_.lists == nullptr || site_.archive == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    return search_page(request, archive_access::readable_lists(site_, request), nullptr);
}

Response ArchivePages::search_page(Request& request, const std::vector<lists::List>& lists,
                                   const lists::List* list) const {
    const auto value = [&](std::string_view name) {
        return std::string(request.query_value(name).value_or(""));
    };
    const std::string text = value("q");
    const std::string author = value("author");
    const std::string from_text = value("from");
    const std::string until_text = value("until");
    const bool with_attachments = value("attachments") == "1";
    std::string problem;
    archive::search::Query query{.text = text,
                                 .lists = {},
                                 .author = author,
                                 .from = std::nullopt,
                                 .until = std::nullopt,
                                 .has_attachment = with_attachments,
                                 .limit = kHitsPerPage,
                                 .offset = (page_of(request) - 1) * kHitsPerPage};
    for (const auto& each : lists) {
        query.lists.push_back(each.id.value());
    }
    if (!from_text.empty()) {
        query.from = archive_view::parse_day(from_text);
        if (!query.from) {
            problem = translate(site_, request, "Enter dates as YYYY-MM-DD, like 2025-03-01.");
        }
    }
    if (!until_text.empty()) {
        query.until = archive_view::parse_day(until_text, true);
        if (!query.until) {
            problem = translate(site_, request, "Enter dates as YYYY-MM-DD, like 2025-03-01.");
        }
    }
    const std::string base =
        list != nullptr ? list_pages::list_url(*list) + "/search" : "/archive/search";
    mstch::array hits;
    std::size_t total = 0;
    const bool asked = !core::trim(text).empty();
    int status = 200;
    if (asked && problem.empty()) {
        auto results = archive::search::search(site_.database, query);
        if (!results) {
            problem = translate(site_, request, results.error().message);
            status = 422;
        } else {
            total = results->total;
            for (const auto& hit : results->hits) {
                const auto owner = std::find_if(lists.begin(), lists.end(), [&](const auto& each) {
                    return each.id.value() == hit.list_id;
                });
                if (owner == lists.end()) {
                    continue;  // Defence in depth: search was told the readable lists only.
                }
                const Viewer viewer = archive_access::viewer_of(site_, request, *owner);
                hits.push_back(mstch::map{
                    {"url", archive::permalink_path(owner->name, hit.message)},
                    {"subject", hit.subject},
                    {"author", author_of(viewer.full_addresses
                                             ? hit.author_name
                                             : archive_view::obscure_addresses(hit.author_name),
                                         hit.author_email, viewer)},
                    {"list_title", owner->title()},
                    {"date", time_data(hit.date)},
                    {"snippet_html", hit.snippet_html},
                });
            }
        }
    } else if (!problem.empty()) {
        status = 422;
    }
    std::string query_string = "?q=" + percent_encode(text) + "&author=" + percent_encode(author) +
                               "&from=" + percent_encode(from_text) +
                               "&until=" + percent_encode(until_text) +
                               (with_attachments ? "&attachments=1" : "");
    const std::size_t page = page_of(request);
    const bool has_hits = !hits.empty();
    mstch::map data{
        {"action", base},
        {"q", text},
        {"author", author},
        {"from", from_text},
        {"until", until_text},
        {"attachments", with_attachments},
        {"asked", asked},
        {"problem", problem},
        {"hits", std::move(hits)},
        {"has_hits", has_hits},
        {"total", translate_count(site_, request, kResults, static_cast<long>(total))},
        {"is_site_wide", list == nullptr},
    };
    if (list != nullptr) {
        data.emplace("list", archive_list_data(*list));
    }
    if (page > 1) {
        data.emplace("previous_url", base + query_string + "&page=" + std::to_string(page - 1));
    }
    if (page * kHitsPerPage < total) {
        data.emplace("next_url", base + query_string + "&page=" + std::to_string(page + 1));
    }
    return render(site_, request, search_,
                  list != nullptr ? "Search the archive" : "Search the archives", std::move(data),
                  status);
}

Response ArchivePages::export_list(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    archive::ExportScope scope;
    std::string filename = found->list.name + ".mbox";
    if (const auto month_text = request.query_value("month"); month_text && !month_text->empty()) {
        const auto month = archive_view::parse_month(*month_text);
        if (!month) {
            return list_pages::error(site_, request, 404);
        }
        scope.month = *month;
        filename = found->list.name + "-" + *month + ".mbox";
    }
    std::ostringstream out;
    archive::export_mbox(site_.database, found->list.id.value(), scope, out);
    std::string mbox = found->viewer.full_addresses
                           ? std::move(out).str()
                           : archive_view::obscure_raw(out.str(), archive_view::RawKind::Mbox);
    return download(std::move(mbox), "application/mbox", filename);
}

Response ArchivePages::export_thread(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, true)) {
        return std::move(*answer);
    }
    const auto id = parse_id(request.param("thread"));
    const auto summary = id ? site_.archive->thread(archive::ThreadId(*id))
                            : std::optional<archive::ThreadSummary>{};
    if (!summary || summary->list_id != found->list.id.value()) {
        return list_pages::error(site_, request, 404);
    }
    std::ostringstream out;
    archive::export_mbox(site_.database, found->list.id.value(),
                         archive::ExportScope{.month = std::nullopt, .thread = summary->id}, out);
    std::string mbox = found->viewer.full_addresses
                           ? std::move(out).str()
                           : archive_view::obscure_raw(out.str(), archive_view::RawKind::Mbox);
    return download(std::move(mbox), "application/mbox",
                    found->list.name + "-thread-" + std::to_string(summary->id.value()) + ".mbox");
}

Response ArchivePages::feed_threads(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, false)) {
        return std::move(*answer);
    }
    const auto& list = found->list;
    const std::string& base = site_.settings.base_url;
    // New threads: the most recently active ones, newest start first.
    auto threads = site_.archive->threads(list.id.value(), "", kArchiveFeedEntries * 2, 0);
    std::sort(threads.begin(), threads.end(),
              [](const auto& a, const auto& b) { return a.started_at > b.started_at; });
    if (threads.size() > kArchiveFeedEntries) {
        threads.resize(kArchiveFeedEntries);
    }
    atom::Feed feed{.id = base + list_pages::list_url(list) + "/feeds/threads.atom",
                    .title = list.title() + ": new threads",
                    .updated = threads.empty() ? list.created_at : threads.front().started_at,
                    .author = list.title(),
                    .self = base + list_pages::list_url(list) + "/feeds/threads.atom",
                    .link = base + list_pages::list_url(list) + "/archive",
                    .entries = {}};
    for (const auto& thread : threads) {
        std::string content;
        if (const auto first = site_.archive->message(thread.first_message)) {
            content = found->viewer.full_addresses ? first->text
                                                   : archive_view::obscure_addresses(first->text);
        }
        const std::string url =
            base + list_pages::list_url(list) + "/t/" + std::to_string(thread.id.value());
        feed.entries.push_back(
            atom::Entry{.id = url,
                        .title = thread.subject,
                        .updated = thread.started_at,
                        .link = url,
                        .author = found->viewer.full_addresses
                                      ? thread.first_author
                                      : archive_view::obscure_addresses(thread.first_author),
                        .summary = "",
                        .content = std::move(content)});
    }
    return atom::response(feed);
}

Response ArchivePages::feed_messages(Request& request) const {
    std::optional<Found> found;
    if (auto answer = find(request, found, false)) {
        return std::move(*answer);
    }
    const auto& list = found->list;
    const std::string& base = site_.settings.base_url;
    const auto messages = site_.archive->latest(list.id.value(), kArchiveFeedEntries);
    atom::Feed feed{.id = base + list_pages::list_url(list) + "/feeds/messages.atom",
                    .title = list.title() + ": new messages",
                    .updated = messages.empty() ? list.created_at : messages.front().archived_at,
                    .author = list.title(),
                    .self = base + list_pages::list_url(list) + "/feeds/messages.atom",
                    .link = base + list_pages::list_url(list) + "/archive",
                    .entries = {}};
    for (const auto& message : messages) {
        const std::string url = base + archive::permalink_path(list.name, message.id);
        feed.entries.push_back(atom::Entry{
            .id = url,
            .title = message.subject,
            .updated = message.archived_at,
            .link = url,
            .author = author_of(message.author_name, message.author_email, found->viewer),
            .summary = "",
            .content = found->viewer.full_addresses
                           ? message.text
                           : archive_view::obscure_addresses(message.text)});
    }
    return atom::response(feed);
}

}  // namespace coalition::web
