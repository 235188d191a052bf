#pragma once
// `coalition archive …`: import an mbox into a list's archive (progress bar on a terminal, a
// summary of imported, duplicate and unparseable messages), export a list's archive (or one month,
// or one thread) as mboxrd on standard output, and print a list's threads as the Message-IDs of
// their messages (to compare a grouping with another tool's, such as notmuch). cli.cpp registers
// them with add_archive_commands; each makes domain calls to archive/ (import.hpp, archive.hpp).

#include "app/config.hpp"

#include <functional>

namespace CLI {
class App;
}

namespace coalition::app {

// Adds the `archive` subcommand and its subcommands to `app`. `configuration` loads the
// configuration (throwing as cli.cpp's loader does); `done` receives each command's exit code.
void add_archive_commands(CLI::App& app, const std::function<Config()>& configuration,
                          const std::function<void(int)>& done);

}  // namespace coalition::app
