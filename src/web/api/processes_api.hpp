#pragma once
// Writes of the processes JSON API (reads are ProcessPages::api_list/api_find): admins with a
// bearer token (accounts::ApiTokens) create, replace and delete processes and milestones. Bodies
// are JSON objects with the fields of the admin forms; every invalid field is listed in one RFC
// 9457 problem (422) by processes/validation.

#include "web/http.hpp"
#include "web/site.hpp"

namespace coalition::web {

class ProcessesApi {
public:
    explicit ProcessesApi(Site& site);
    Response create_process(Request& request) const;     // POST /api/v1/processes
    Response replace_process(Request& request) const;    // PUT /api/v1/processes/:slug
    Response delete_process(Request& request) const;     // DELETE /api/v1/processes/:slug
    Response create_milestone(Request& request) const;   // POST /api/v1/processes/:slug/milestones
    Response replace_milestone(Request& request) const;  // PUT …/milestones/:id
    Response delete_milestone(Request& request) const;   // DELETE …/milestones/:id

private:
    Site& site_;
};

}  // namespace coalition::web
