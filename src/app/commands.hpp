#pragma once
// The subcommands' bodies, one function each. cli.cpp parses arguments into these option structs;
// each command returns an exit code and prints its own output. Start-up failures throw
// core::StartupError (exit 1, or 2 for configuration), infrastructure failures core::Unavailable.

#include "app/config.hpp"

#include <optional>
#include <string>

namespace coalition::app {

int serve(const Config& config);
int migrate(const Config& config);
int backup(const Config& config, const std::string& to);
// Whether the demo includes the Statement of Purpose and its signatures (tests that publish their
// own statement start without).
enum class DemoStatement { Yes, No };
int demo_load(const Config& config, DemoStatement statement = DemoStatement::Yes);

struct UserAddOptions {
    std::string email;
    std::string role;
    std::string organisation_slug;
    std::string name;
    bool password_from_stdin = false;
};
int user_add(const Config& config, const UserAddOptions& options);

struct OrgAddOptions {
    std::string name;
    std::string short_name;
    std::string slug;
    std::string country;
    std::string stakeholder_group;
    std::string website;
    std::string domain;
    std::string status;
    std::string description;
};
int org_add(const Config& config, const OrgAddOptions& options);
int org_list(const Config& config, bool as_json);

}  // namespace coalition::app
