#pragma once
// Backups of the whole database.

#include "core/result.hpp"

#include <string>

namespace coalition::store {

// Copies the SQLite database named by `url` ("sqlite:PATH") into the file `destination` with
// SQLite's online backup API: a consistent snapshot, taken while servers keep writing. Fails with
// Invalid when `url` is not a SQLite URL or `destination` exists already; throws
// core::Unavailable when the copy fails.
core::Result<void> backup_sqlite(const std::string& url, const std::string& destination);

// The pg_dump command that backs up the PostgreSQL database named by `url` (credentials left to
// ~/.pgpass or PGPASSWORD, never printed).
std::string pg_dump_command(const std::string& url, const std::string& destination);

}  // namespace coalition::store
