#pragma once
// The demo Statement of Purpose: one published version in English (authoritative) with
// translations into French, Spanish, Arabic, Russian and Chinese. Facts (founders, dates, UN
// resolutions) from shared/data/governance; the words are ours.

#include "accounts/accounts.hpp"
#include "statement/statement.hpp"

namespace coalition::app {

// Publishes the demo statement and its translations through `statements` as `actor` (so it is
// validated and audited like any other publication). Idempotent: does nothing when any version
// exists. Throws std::runtime_error when the service refuses a text (a bug in the demo data),
// core::Unavailable when the database is gone.
void load_demo_statement(statement::Statements& statements, const accounts::Actor& actor);

}  // namespace coalition::app
