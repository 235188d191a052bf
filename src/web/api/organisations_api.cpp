// GET /api/v1/organisations[?region=&group=&status=] and GET /api/v1/organisations/:slug: the
// members directory as JSON, with the same filters and the same organisations as /members.

#include "web/page.hpp"
#include "web/pages/directory_query.hpp"
#include "web/pages/pages.hpp"
#include "web/problem.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace coalition::web {
namespace {

nlohmann::json to_json(const accounts::Organisation& organisation) {
    return nlohmann::json{
        {"slug", organisation.slug.value()},
        {"name", organisation.name},
        {"short_name", organisation.short_name},
        {"country", organisation.country.code()},
        {"region", std::string(accounts::id(organisation.region))},
        {"stakeholder_group", std::string(accounts::id(organisation.stakeholder_group))},
        {"status", std::string(accounts::id(organisation.status))},
        {"website", organisation.website ? nlohmann::json(organisation.website->value())
                                         : nlohmann::json(nullptr)},
        {"domain", organisation.domain ? nlohmann::json(organisation.domain->unicode())
                                       : nlohmann::json(nullptr)},
        {"description", organisation.description},
    };
}

}  // namespace

Response OrganisationsApi::list(Request& request) const {
    const DirectoryQuery query = parse_directory_query(request);
    if (!query.errors.empty()) {
        return problem_response(query.errors);
    }
    auto items = nlohmann::json::array();
    for (const auto& organisation : directory_organisations(site_, query, language_of(request))) {
        items.push_back(to_json(organisation));
    }
    return json_response(nlohmann::json{{"organisations", std::move(items)}});
}

Response OrganisationsApi::find(Request& request) const {
    const auto organisation = site_.organisations.find_by_slug(request.param("slug"));
    if (!organisation) {
        return problem_response(404, "There is no organisation with this slug.");
    }
    return json_response(to_json(*organisation));
}

}  // namespace coalition::web
