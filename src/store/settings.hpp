#pragma once
// Installation-wide settings in the `settings` table (key → text), shared by every server of one
// installation: the site secret that keys CSRF tokens lives here, so a form rendered by one
// server is accepted by another.

#include "store/database.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace coalition::store {

// The value of `key`; when there is none yet, stores `make()` and returns it. Two processes
// racing to create it agree on one value (the first insert wins). Throws core::Unavailable when
// the database is gone.
std::string setting_or_create(Database& database, std::string_view key,
                              const std::function<std::string()>& make);

}  // namespace coalition::store
