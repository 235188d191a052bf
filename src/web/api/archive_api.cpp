// The list archives as JSON (see the header).

#include "web/api/archive_api.hpp"

#include "archive/archive.hpp"
#include "archive/search.hpp"
#include "core/clock.hpp"
#include "web/forms.hpp"
#include "web/pages/archive_pages.hpp"
#include "web/pages/archive_view.hpp"
#include "web/pages/list_pages.hpp"
#include "web/problem.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>

namespace coalition::web {
namespace {

constexpr std::size_t kThreadBatch = 500;
constexpr std::size_t kMaxHits = 100;

// `body` as application/json. Archived text is valid UTF-8 by contract; replace rather than throw
// if it ever is not (web::json_response would throw).
Response lenient_json_response(const nlohmann::json& body) {
    auto response =
        Response::json(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    return response;
}

Response not_found() {
    return problem_response(404,
                            "There is no such list, thread or message, or you may not read it.");
}

std::string shown_email(std::string_view email, const archive_access::Viewer& viewer) {
    return viewer.full_addresses ? std::string(email) : archive_view::obscure_address(email);
}

nlohmann::json message_json(const lists::List& list, const archive_access::Viewer& viewer,
                            const archive::ArchivedMessage& message, bool with_text) {
    const std::string url = archive::permalink_path(list.name, message.id);
    nlohmann::json json{
        {"id", message.id.value()},
        {"list", list.name},
        {"thread", message.thread.value()},
        {"message_id", message.message_id},
        {"message_id_assigned", message.message_id_assigned},
        {"subject", message.subject},
        {"author",
         {{"name", viewer.full_addresses ? message.author_name
                                         : archive_view::obscure_addresses(message.author_name)},
          {"email", shown_email(message.author_email, viewer)}}},
        {"date", core::format_rfc3339(message.date)},
        {"in_reply_to", message.in_reply_to},
        {"references", message.references},
        {"url", url},
    };
    if (with_text) {
        json["text"] =
            viewer.full_addresses ? message.text : archive_view::obscure_addresses(message.text);
        json["raw_url"] = url + "/raw";
        auto attachments = nlohmann::json::array();
        for (const auto& attachment : message.attachments) {
            attachments.push_back({
                {"index", attachment.index},
                {"filename", archive_view::safe_filename(attachment.filename, attachment.index)},
                {"content_type", attachment.content_type},
                {"size", attachment.size},
                {"url", url + "/attachments/" + std::to_string(attachment.index)},
            });
        }
        json["attachments"] = std::move(attachments);
    }
    return json;
}

nlohmann::json thread_json(const lists::List& list, const archive::ThreadSummary& thread) {
    return nlohmann::json{
        {"id", thread.id.value()},
        {"subject", thread.subject},
        {"started_at", core::format_rfc3339(thread.started_at)},
        {"last_activity", core::format_rfc3339(thread.last_activity)},
        {"message_count", thread.message_count},
        {"url", list_pages::list_url(list) + "/t/" + std::to_string(thread.id.value())},
    };
}

// The list in the path when the requester may read its archive.
std::optional<std::pair<lists::List, archive_access::Viewer>> readable(const Site& site,
                                                                       const Request& request) {
    if (site.lists == nullptr || site.archive == nullptr) {
        return std::nullopt;
    }
    auto list = site.lists->find_by_name(request.param("name"));
    if (!list) {
        return std::nullopt;
    }
    const auto viewer = archive_access::viewer_of(site, request, *list);
    if (!viewer.can_read) {
        return std::nullopt;
    }
    return std::make_pair(std::move(*list), viewer);
}

}  // namespace

Response ArchiveApi::lists(Request& request) const {
    if (site_.lists == nullptr || site_.archive == nullptr) {
        return problem_response(503, "The archive is not available.");
    }
    auto items = nlohmann::json::array();
    for (const auto& list : archive_access::readable_lists(site_, request)) {
        items.push_back({
            {"name", list.name},
            {"title", list.title()},
            {"description", list.settings.description},
            {"address", list.posting_address().unicode()},
            {"archive_visibility", lists::to_string(list.settings.archive_visibility)},
            {"url", list_pages::list_url(list)},
            {"archive_url", list_pages::list_url(list) + "/archive"},
            {"threads_url", "/api/v1/lists/" + percent_encode(list.name) + "/threads"},
        });
    }
    return lenient_json_response(nlohmann::json{{"lists", std::move(items)}});
}

Response ArchiveApi::threads(Request& request) const {
    const auto found = readable(site_, request);
    if (!found) {
        return not_found();
    }
    const auto& [list, viewer] = *found;
    std::string month;
    if (const auto typed = request.query_value("month"); typed && !typed->empty()) {
        const auto parsed = archive_view::parse_month(*typed);
        if (!parsed) {
            return problem_response(core::Error::invalid("Give the month as YYYY-MM.", "month"));
        }
        month = *parsed;
    }
    auto items = nlohmann::json::array();
    for (std::size_t offset = 0;; offset += kThreadBatch) {
        const auto batch = site_.archive->threads(list.id.value(), month, kThreadBatch, offset);
        for (const auto& thread : batch) {
            auto json = thread_json(list, thread);
            auto ids = nlohmann::json::array();
            for (const auto& entry : site_.archive->thread_tree(thread.id)) {
                ids.push_back(entry.message.message_id);
            }
            json["message_ids"] = std::move(ids);
            items.push_back(std::move(json));
        }
        if (batch.size() < kThreadBatch) {
            break;
        }
    }
    return lenient_json_response(
        nlohmann::json{{"list", list.name}, {"threads", std::move(items)}});
}

Response ArchiveApi::thread(Request& request) const {
    const auto found = readable(site_, request);
    const auto id = parse_id(request.param("id"));
    if (!found || !id) {
        return not_found();
    }
    const auto& [list, viewer] = *found;
    const auto summary = site_.archive->thread(archive::ThreadId(*id));
    if (!summary || summary->list_id != list.id.value()) {
        return not_found();
    }
    auto json = thread_json(list, *summary);
    auto messages = nlohmann::json::array();
    for (const auto& entry : site_.archive->thread_tree(summary->id)) {
        auto item = message_json(list, viewer, entry.message, false);
        item["depth"] = entry.depth;
        item["parent"] = entry.parent ? nlohmann::json(entry.parent->value()) : nlohmann::json();
        messages.push_back(std::move(item));
    }
    json["messages"] = std::move(messages);
    return lenient_json_response(json);
}

Response ArchiveApi::message(Request& request) const {
    if (site_.lists == nullptr || site_.archive == nullptr) {
        return problem_response(503, "The archive is not available.");
    }
    // A number is our id; anything else is a Message-ID (with or without <>).
    std::vector<archive::MessageRef> candidates;
    if (const auto id = parse_id(request.param("id"))) {
        if (const auto found = site_.archive->message(archive::MessageId(*id))) {
            candidates.push_back({found->id, found->list_id});
        }
    } else {
        candidates =
            site_.archive->find_by_message_id(archive_view::bare_message_id(request.param("id")));
    }
    for (const auto& candidate : candidates) {
        const auto list = site_.lists->find(lists::ListId(candidate.list_id));
        if (!list) {
            continue;
        }
        const auto viewer = archive_access::viewer_of(site_, request, *list);
        if (!viewer.can_read) {
            continue;
        }
        if (const auto message = site_.archive->message(candidate.id)) {
            return lenient_json_response(message_json(*list, viewer, *message, true));
        }
    }
    return not_found();
}

Response ArchiveApi::search(Request& request) const {
    const auto found = readable(site_, request);
    if (!found) {
        return not_found();
    }
    const auto& [list, viewer] = *found;
    archive::search::Query query;
    query.text = std::string(request.query_value("q").value_or(""));
    query.lists = {list.id.value()};
    query.author = std::string(request.query_value("author").value_or(""));
    query.has_attachment = request.query_value("attachments").value_or("") == "1";
    if (const auto from = request.query_value("from"); from && !from->empty()) {
        query.from = archive_view::parse_day(*from);
        if (!query.from) {
            return problem_response(core::Error::invalid("Give dates as YYYY-MM-DD.", "from"));
        }
    }
    if (const auto until = request.query_value("until"); until && !until->empty()) {
        query.until = archive_view::parse_day(*until, true);
        if (!query.until) {
            return problem_response(core::Error::invalid("Give dates as YYYY-MM-DD.", "until"));
        }
    }
    if (const auto limit = parse_id(request.query_value("limit").value_or(""))) {
        query.limit = std::min<std::size_t>(static_cast<std::size_t>(*limit), kMaxHits);
    }
    if (const auto offset = parse_id(request.query_value("offset").value_or(""))) {
        query.offset = static_cast<std::size_t>(*offset);
    }
    auto results = archive::search::search(site_.database, query);
    if (!results) {
        auto error = results.error();
        if (error.field.empty()) {
            error.field = "q";
        }
        return problem_response(error);
    }
    auto hits = nlohmann::json::array();
    for (const auto& hit : results->hits) {
        if (hit.list_id != list.id.value()) {
            continue;
        }
        hits.push_back({
            {"id", hit.message.value()},
            {"thread", hit.thread.value()},
            {"subject", hit.subject},
            {"author", viewer.full_addresses ? hit.author_name
                                             : archive_view::obscure_addresses(hit.author_name)},
            {"date", core::format_rfc3339(hit.date)},
            {"snippet_html", hit.snippet_html},
            {"score", hit.score},
            {"url", archive::permalink_path(list.name, hit.message)},
        });
    }
    return lenient_json_response(
        nlohmann::json{{"total", results->total}, {"hits", std::move(hits)}});
}

}  // namespace coalition::web
