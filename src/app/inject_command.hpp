#pragma once
// `coalition inject LIST [--sender ADDRESS] < message`: hands one message to a list, as an MTA's
// pipe transport does (Postfix `pipe`, procmail, Exim `pipe`), through the same lists::Intake
// as LMTP. The exit code is what such transports expect (sysexits.h): 0 taken (accepted, held,
// rejected with a mail to the author, or discarded), 65 EX_DATAERR (not a message, or too
// large), 67 EX_NOUSER (no such list), 75 EX_TEMPFAIL (database away: the MTA retries), 77
// EX_NOPERM (refused). One line on stderr says what happened.

#include "app/config.hpp"

#include <functional>

namespace CLI {
class App;
}

namespace coalition::app {

inline constexpr int kExitDataError = 65;     // EX_DATAERR
inline constexpr int kExitNoUser = 67;        // EX_NOUSER
inline constexpr int kExitTempFail = 75;      // EX_TEMPFAIL
inline constexpr int kExitNoPermission = 77;  // EX_NOPERM

// Adds the `inject` subcommand. `configuration` loads the configuration as cli.cpp does;
// `done` receives the exit code.
void add_inject_command(CLI::App& app, const std::function<Config()>& configuration,
                        const std::function<void(int)>& done);

}  // namespace coalition::app
