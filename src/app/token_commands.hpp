#pragma once
// `coalition token create --user EMAIL [--label TEXT]`: a bearer token for the JSON API acting as
// that user (accounts::ApiTokens). The token is printed once; only its hash is stored.

#include "app/config.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace coalition::app {

// Adds the `token` subcommand to `app`; `configuration` loads the configuration, `done` receives
// the exit code.
void add_token_commands(CLI::App& app, const std::function<Config()>& configuration,
                        const std::function<void(int)>& done);

}  // namespace coalition::app
