#pragma once
// The demo data set that `make run` loads: the coalition's four founding members, a handful of
// candidate organisations from around the world, and demo accounts. Idempotent: loading twice
// changes nothing. Later capabilities extend it.

#include "app/wiring.hpp"

namespace coalition::app {

inline constexpr const char* kDemoAdminEmail = "admin@coalition.example";
inline constexpr const char* kDemoAdminPassword = "coalition-demo";

// Loads the demo data through the domain services (so it is validated and audited like any
// other change). Returns a one-line summary; throws core::Unavailable if the database is gone.
// Loads the demo organisations and accounts and, with `with_statement`, the Statement of Purpose
// and its demo signatures. Idempotent. Returns a one-line summary.
std::string load_demo(Services& services, bool with_statement = true);

}  // namespace coalition::app
