#pragma once
// The demo (and default) processes: the real UN and related governance processes the coalition
// follows and their milestones, from shared/data/governance/processes.json (dates, places, names
// and source links as sourced there; the descriptions are our own words).

#include "accounts/accounts.hpp"
#include "processes/processes.hpp"

#include <cstddef>

namespace coalition::app {

struct DemoProcessesLoaded {
    std::size_t processes = 0;
    std::size_t milestones = 0;
};

// Creates or updates each demo process and milestone through `processes` as `actor` (validated,
// audited and kept in the history like any change). Idempotent: a second run writes nothing.
// Throws std::runtime_error when the service refuses an entry (a bug in the demo data),
// core::Unavailable when the database is gone.
DemoProcessesLoaded load_demo_processes(processes::Processes& processes,
                                        const accounts::Actor& actor);

}  // namespace coalition::app
