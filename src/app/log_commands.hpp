#pragma once
// `coalition log verify --url BASE [--state FILE]`: audits a Coalition transparency log over its
// public API (signon/log/log_verifier.hpp does the checking; this file fetches with libcurl and
// keeps the state file). Needs no configuration or database: anyone can run it against any
// server. Exit 0 with one summary line; 1 naming what failed (and the entry index) otherwise.

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace coalition::app {

struct LogVerifyCommandOptions {
    std::string url;         // "https://coalition.example.org", with or without a trailing /.
    std::string state_file;  // Empty: no state kept.
};

int log_verify(const LogVerifyCommandOptions& options);

// Adds `log verify` to `app`; `done` receives the exit code.
void add_log_commands(CLI::App& app, const std::function<void(int)>& done);

}  // namespace coalition::app
