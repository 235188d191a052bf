#pragma once
// The demo mailing list: the coalition's main list, its demo members and a few archived threads
// (demo text written for this purpose: a French reply for multilingual search, a late reply,
// a three-level thread), so that `make run` shows the list pages and a public archive.

#include "accounts/accounts.hpp"
#include "app/wiring.hpp"

#include <cstddef>

namespace coalition::app {

inline constexpr const char* kDemoListAddress = "coalition@lists.coalition.example";

struct DemoListsLoaded {
    std::size_t lists = 0;  // Created by this run.
    std::size_t posts = 0;  // Accepted by this run.
};

// Creates the demo list (public archive) with the demo accounts as members and posts the demo
// threads through the real intake, as the MTA would hand them over: rules, archive, delivery to
// the outbox. Idempotent: once the list exists, a second run writes nothing. Throws
// std::runtime_error when the services refuse an entry (a bug in the demo data).
DemoListsLoaded load_demo_lists(Services& services, const accounts::Actor& actor);

}  // namespace coalition::app
