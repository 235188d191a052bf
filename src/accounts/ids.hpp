#pragma once
// Typed ids of the accounts module's rows.

#include "core/id.hpp"

namespace coalition::accounts {

struct Organisation;
struct User;
using OrganisationId = core::Id<Organisation>;
using UserId = core::Id<User>;

}  // namespace coalition::accounts
