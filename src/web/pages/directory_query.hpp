#pragma once
// The members directory's filters (?region=&group=&status=), shared by the /members page and
// /api/v1/organisations so that both accept the same values and show the same organisations.
// Defined in web/pages/members_pages.cpp.

#include "accounts/accounts.hpp"
#include "core/result.hpp"
#include "web/http.hpp"
#include "web/site.hpp"

#include <cstddef>
#include <functional>
#include <memory>
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

// The organisations of one directory query, in the order shown. It holds the directory that the
// references point into, so they stay valid as long as this lives. Iterating gives
// std::reference_wrapper<const accounts::Organisation>, which binds to a const Organisation&.
struct DirectoryListing {
    std::shared_ptr<const accounts::OrganisationDirectory> directory;
    std::vector<std::reference_wrapper<const accounts::Organisation>> organisations;

    auto begin() const { return organisations.begin(); }
    auto end() const { return organisations.end(); }
    std::size_t size() const { return organisations.size(); }
    bool empty() const { return organisations.empty(); }
};

// The organisations the directory shows for `query`, members before candidates and each by name
// as readers of `language` sort. Former members only when the query asks for status=former.
// Reads site.organisations.directory(): one single-row query when no organisation changed.
DirectoryListing directory_organisations(const Site& site, const DirectoryQuery& query,
                                         std::string_view language);
// The same from a directory already read (not null).
DirectoryListing directory_organisations(
    std::shared_ptr<const accounts::OrganisationDirectory> directory, const DirectoryQuery& query,
    std::string_view language);

}  // namespace coalition::web
