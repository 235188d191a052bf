#pragma once
// The demo publications (issue #5): a news post and a position paper, clearly marked as demo
// content, published by the command line; the position paper belongs to the Global Digital
// Compact when the demo processes hold it.

#include "accounts/accounts.hpp"
#include "publications/publications.hpp"

namespace coalition::app {

// Creates and publishes the demo publications when missing (slugs "demo-…"); a second run writes
// nothing. Returns how many exist. Throws std::runtime_error when the service refuses an entry (a
// bug in the demo data), core::Unavailable when the database is gone.
int load_demo_publications(publications::Publications& publications,
                           const processes::Processes& processes, const accounts::Actor& actor);

}  // namespace coalition::app
