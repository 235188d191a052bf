#pragma once
// The demo joint response: a draft answer to the Global Digital Compact's call for written input,
// edited by InternetNZ's policy lead, with comments, a reply and an amendment by the founding
// members' representatives (issue #5).

#include "accounts/accounts.hpp"
#include "processes/processes.hpp"
#include "responses/responses.hpp"

namespace coalition::app {

// Creates the demo draft through `responses` as the demo admin when it is missing (its slug
// "gdc-written-input"); a second run writes nothing. Does nothing when a demo user or the GDC
// milestone is missing. Throws std::runtime_error when the service refuses an entry (a bug in the
// demo data), core::Unavailable when the database is gone.
void load_demo_responses(responses::Responses& responses, const accounts::Users& users,
                         const processes::Processes& processes);

}  // namespace coalition::app
