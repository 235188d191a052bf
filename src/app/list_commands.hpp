#pragma once
// `coalition list …`: create a list, add and remove members in bulk from a file, show a list's
// settings and counts, print its roster. cli.cpp registers them with add_list_commands; each
// command opens the services, makes domain calls to lists::Lists / lists::Subscriptions, prints
// its own output and returns an exit code (app/cli.hpp).

#include "app/config.hpp"

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace coalition::app {

// Adds the `list` subcommand and its subcommands to `app`. `configuration` loads the
// configuration (throwing as cli.cpp's loader does); `done` receives each command's exit code.
// Both are copied into the commands.
void add_list_commands(CLI::App& app, const std::function<Config()>& configuration,
                       const std::function<void(int)>& done);

}  // namespace coalition::app
