#pragma once
// `coalition statement …`: publish a version of the Statement of Purpose from a Markdown file,
// add a translation of a version, show the versions with their hashes and languages. cli.cpp
// registers them with add_statement_commands; each command opens the services, makes one call to
// statement::Statements (audited as the command line, Actor::cli()), prints its own output and
// returns an exit code (app/cli.hpp): 0 done, 1 refused or failed (one line on stderr), 2 usage.

#include "app/config.hpp"

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace coalition::app {

// Adds the `statement` subcommand and its subcommands to `app`. `configuration` loads the
// configuration (throwing as cli.cpp's loader does); `done` receives each command's exit code.
// Both are copied into the commands.
void add_statement_commands(CLI::App& app, const std::function<Config()>& configuration,
                            const std::function<void(int)>& done);

}  // namespace coalition::app
