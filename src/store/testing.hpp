#pragma once
// Test databases for every module's tests (CMake target coalition_store_testing; never linked into
// the server). SQLite lives in a fresh temporary directory; PostgreSQL in a fresh database created
// on the server named by COALITION_TEST_POSTGRES_URL (scripts/with-postgres sets it). Both are
// migrated with every embedded migration.

#include "store/database.hpp"

#include <memory>
#include <string>
#include <vector>

namespace coalition::store::testing {

// A fresh, fully migrated (all embedded migrations), empty database for one test; cleaned up on
// destruction (the temporary directory removed, or the PostgreSQL database dropped). PostgreSQL
// needs COALITION_TEST_POSTGRES_URL; returns nullptr when that is not set (the test then calls
// GTEST_SKIP()), but aborts with a message when COALITION_TEST_REQUIRE_POSTGRES=1, so CI cannot
// silently skip PostgreSQL. Throws core::StartupError when the server cannot be reached.
std::unique_ptr<Database> fresh_database(Dialect dialect);

// Like fresh_database, but with no migration applied (for migration tests).
std::unique_ptr<Database> empty_database(Dialect dialect);

// For INSTANTIATE_TEST_SUITE_P: always {Sqlite, Postgresql}, whatever the environment, so a
// run outside scripts/with-postgres shows the PostgreSQL cases as skipped rather than hiding them
// (and aborts under COALITION_TEST_REQUIRE_POSTGRES=1, see above).
std::vector<Dialect> available_dialects();

std::string dialect_name(Dialect dialect);  // "Sqlite" / "Postgresql", for test names

// The URL a database from fresh_database()/empty_database() was opened with, so a test can open
// a second Database on it (or hand it to the real binary). `database` must come from there.
std::string database_url(const Database& database);

}  // namespace coalition::store::testing
