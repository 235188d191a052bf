#pragma once
// The members directory's filters (?region=&group=&status=), shared by the /members page and
// /api/v1/organisations so that both accept the same values and show the same organisations.
// Defined in web/pages/members_pages.cpp.

#include "accounts/accounts.hpp"
#include "core/result.hpp"
#include "web/http.hpp"
#include "web/site.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

struct DirectoryQuery {
    // The values as given, for showing the filter form again (empty when absent).
    std::string region;
    std::string group;
    std::string status;
    // The valid filters; a value that is not understood is left out.
    accounts::OrganisationFilter filter;
    // One Invalid error per value that is not an id of its kind, with field "region", "group" or
    // "status" (English messages, translated at the edge). Empty when every value is valid.
    std::vector<core::Error> errors;
};

// Reads the filters from the request's query string. Never fails: unknown values (hostile text
// included) become errors in the result and are never echoed back in them.
DirectoryQuery parse_directory_query(const Request& request);

// The organisations the directory shows for `query`, members before candidates and each by name
// as readers of `language` sort. Former members only when the query asks for status=former.
std::vector<accounts::Organisation> directory_organisations(const Site& site,
                                                            const DirectoryQuery& query,
                                                            std::string_view language);

}  // namespace coalition::web
