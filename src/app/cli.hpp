#pragma once
// app: the only module that knows every other one. cli.cpp parses the command line (CLI11),
// config.cpp reads coalition.toml, wiring.cpp builds the services and runs `serve`.

namespace coalition::app {

// Exit codes of every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // Runtime failure (database unreachable, …).
inline constexpr int kExitUsage = 2;    // The command line or the configuration is wrong.

// Runs the `coalition` command line. Never throws: failures become one line on stderr and an
// exit code.
int run(int argc, char** argv);

}  // namespace coalition::app
