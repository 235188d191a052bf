#include "web/api/processes_api.hpp"

#include "core/clock.hpp"
#include "processes/processes.hpp"
#include "processes/removal.hpp"
#include "web/page.hpp"
#include "web/pages/process_pages.hpp"
#include "web/problem.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace coalition::web {
namespace {

using Json = nlohmann::json;

// Reads one JSON body field as text: absent or null is "", a string is itself, anything else is
// an error for `field`.
class Reader {
public:
    explicit Reader(const Json& object) : object_(object) {}

    std::string text(const Json& object, const std::string& key, const std::string& field) {
        const auto found = object.find(key);
        if (found == object.end() || found->is_null()) {
            return "";
        }
        if (!found->is_string()) {
            errors.push_back({core::ErrorCode::Invalid, "Give this field as a string.", field});
            return "";
        }
        return found->get<std::string>();
    }
    std::string text(const std::string& key) { return text(object_, key, key); }

    // Links as an array of {"url", "title"} or as the forms' text (one a line).
    std::string links(const std::string& key) {
        const auto found = object_.find(key);
        if (found == object_.end() || found->is_null()) {
            return "";
        }
        if (found->is_string()) {
            return found->get<std::string>();
        }
        if (!found->is_array()) {
            errors.push_back(
                {core::ErrorCode::Invalid, "Give links as an array of {url, title}.", key});
            return "";
        }
        std::vector<processes::Link> links;
        for (const auto& item : *found) {
            if (!item.is_object()) {
                errors.push_back(
                    {core::ErrorCode::Invalid, "Give links as an array of {url, title}.", key});
                return "";
            }
            const std::string url = text(item, "url", key);
            const std::string title = text(item, "title", key);
            // One link a line: a line break inside would make two links of one.
            if (url.find_first_of("\r\n ") != std::string::npos ||
                title.find_first_of("\r\n") != std::string::npos) {
                errors.push_back({core::ErrorCode::Invalid,
                                  "A link's URL has no spaces and its title is one line.", key});
                return "";
            }
            links.push_back({title, url});
        }
        return processes::format_links(links);
    }

    // A moment as the API writes it ({"date", "time", "zone"}), or the flat form fields.
    void moment(const std::string& key, std::string& date, std::string& time, std::string& zone) {
        const auto found = object_.find(key);
        if (found != object_.end() && found->is_object()) {
            date = text(*found, "date", key + "_date");
            time = text(*found, "time", key + "_time");
            zone = text(*found, "zone", key + "_zone");
            return;
        }
        if (found != object_.end() && !found->is_null()) {
            errors.push_back({core::ErrorCode::Invalid,
                              "Give a date as {\"date\": \"YYYY-MM-DD\", \"time\": \"HH:MM\", "
                              "\"zone\": \"Area/City\"}.",
                              key + "_date"});
            return;
        }
        date = text(key + "_date");
        time = text(key + "_time");
        zone = text(key + "_zone");
    }

    std::vector<core::Error> errors;

private:
    const Json& object_;
};

std::optional<Json> parse_body(const Request& request, Response& problem) {
    Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
        problem = problem_response(400, "The body must be a JSON object.");
        return std::nullopt;
    }
    return body;
}

processes::ProcessDraft process_draft(const Json& body, Reader& reader) {
    (void)body;
    return processes::ProcessDraft{.name = reader.text("name"),
                                   .short_name = reader.text("short_name"),
                                   .slug = reader.text("slug"),
                                   .kind = reader.text("kind"),
                                   .convenor = reader.text("convenor"),
                                   .description = reader.text("description"),
                                   .links = reader.links("links"),
                                   .status = reader.text("status")};
}

processes::MilestoneDraft milestone_draft(const Json& body, Reader& reader) {
    processes::MilestoneDraft draft;
    draft.kind = reader.text("kind");
    draft.title = reader.text("title");
    reader.moment("start", draft.start_date, draft.start_time, draft.start_zone);
    reader.moment("end", draft.end_date, draft.end_time, draft.end_zone);
    draft.precision = reader.text("precision");
    if (const auto tentative = body.find("tentative"); tentative != body.end()) {
        if (tentative->is_boolean()) {
            draft.tentative = tentative->get<bool>() ? "1" : "";
        } else if (!tentative->is_null()) {
            reader.errors.push_back(
                {core::ErrorCode::Invalid, "Give tentative as true or false.", "tentative"});
        }
    }
    draft.location_kind = reader.text("location_kind");
    draft.location = reader.text("location");
    draft.links = reader.links("links");
    draft.notes = reader.text("notes");
    return draft;
}

Response process_answer(const Site& site, const processes::Process& process, int status) {
    const std::string path = "/processes/" + process.slug.value();
    auto response = json_response({{"slug", process.slug.value()},
                                   {"name", process.fields.name},
                                   {"url", site.settings.base_url + path},
                                   {"api", site.settings.base_url + "/api/v1" + path}},
                                  status);
    response.headers.set("Location", "/api/v1" + path);
    return response;
}

Response milestone_answer(const Site& site, const processes::Process& process,
                          const processes::Milestone& milestone, int status) {
    const std::string path = "/processes/" + process.slug.value();
    auto response = json_response({{"id", milestone.id.value()},
                                   {"uid", milestone.uid},
                                   {"title", milestone.fields.title},
                                   {"url", site.settings.base_url + path + "#milestone-" +
                                               std::to_string(milestone.id.value())}},
                                  status);
    response.headers.set("Location",
                         "/api/v1" + path + "/milestones/" + std::to_string(milestone.id.value()));
    return response;
}

Response no_process() {
    return problem_response(404, "There is no process with this slug.");
}

const core::SystemClock& clock() {
    static const core::SystemClock instance;
    return instance;
}

}  // namespace

ProcessesApi::ProcessesApi(Site& site) : site_(site) {
}

Response ProcessesApi::create_process(Request& request) const {
    Response problem;
    const auto body = parse_body(request, problem);
    if (!body) {
        return problem;
    }
    Reader reader(*body);
    const auto draft = process_draft(*body, reader);
    if (!reader.errors.empty()) {
        return problem_response(reader.errors);
    }
    auto fields = processes::validate(draft);
    if (!fields) {
        return problem_response(fields.errors());
    }
    auto created = site_.processes.create(member_actor(request), *fields);
    if (!created) {
        return problem_response(created.error());
    }
    return process_answer(site_, *created, 201);
}

Response ProcessesApi::replace_process(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return no_process();
    }
    Response problem;
    const auto body = parse_body(request, problem);
    if (!body) {
        return problem;
    }
    Reader reader(*body);
    const auto draft = process_draft(*body, reader);
    if (!reader.errors.empty()) {
        return problem_response(reader.errors);
    }
    auto fields = processes::validate(draft);
    if (!fields) {
        return problem_response(fields.errors());
    }
    auto updated = site_.processes.update(member_actor(request), found->id, *fields);
    if (!updated) {
        return problem_response(updated.error());
    }
    return process_answer(site_, *updated, 200);
}

Response ProcessesApi::delete_process(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return no_process();
    }
    if (auto removed =
            processes::remove_process(site_.database, clock(), member_actor(request), found->id);
        !removed) {
        return problem_response(removed.error());
    }
    Response response;
    response.status = 204;
    return response;
}

Response ProcessesApi::create_milestone(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    if (!found) {
        return no_process();
    }
    Response problem;
    const auto body = parse_body(request, problem);
    if (!body) {
        return problem;
    }
    Reader reader(*body);
    const auto draft = milestone_draft(*body, reader);
    if (!reader.errors.empty()) {
        return problem_response(reader.errors);
    }
    auto fields = processes::validate(draft);
    if (!fields) {
        return problem_response(fields.errors());
    }
    auto added = site_.processes.add_milestone(member_actor(request), found->id, *fields);
    if (!added) {
        return problem_response(added.error());
    }
    return milestone_answer(site_, *found, *added, 201);
}

Response ProcessesApi::replace_milestone(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    const auto milestone_id = milestone_id_of(request);
    const auto milestone =
        found && milestone_id ? site_.processes.find_milestone(*milestone_id) : std::nullopt;
    if (!milestone || milestone->process_id != found->id) {
        return problem_response(404, "There is no such milestone in this process.");
    }
    Response problem;
    const auto body = parse_body(request, problem);
    if (!body) {
        return problem;
    }
    Reader reader(*body);
    const auto draft = milestone_draft(*body, reader);
    if (!reader.errors.empty()) {
        return problem_response(reader.errors);
    }
    auto fields = processes::validate(draft);
    if (!fields) {
        return problem_response(fields.errors());
    }
    auto updated = site_.processes.update_milestone(member_actor(request), milestone->id, *fields);
    if (!updated) {
        return problem_response(updated.error());
    }
    return milestone_answer(site_, *found, *updated, 200);
}

Response ProcessesApi::delete_milestone(Request& request) const {
    const auto found = site_.processes.find(request.param("slug"));
    const auto milestone_id = milestone_id_of(request);
    if (!found || !milestone_id) {
        return problem_response(404, "There is no such milestone in this process.");
    }
    if (auto removed = processes::remove_milestone(site_.database, clock(), member_actor(request),
                                                   found->id, *milestone_id);
        !removed) {
        return problem_response(removed.error());
    }
    Response response;
    response.status = 204;
    return response;
}

}  // namespace coalition::web
