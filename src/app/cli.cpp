#include "app/cli.hpp"

#include "app/archive_commands.hpp"
#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/inject_command.hpp"
#include "app/list_commands.hpp"
#include "app/log_commands.hpp"
#include "app/statement_commands.hpp"
#include "app/token_commands.hpp"
#include "core/unavailable.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

namespace coalition::app {
namespace {

constexpr const char* kVersion = "coalition " COALITION_VERSION;

// Thrown for configuration problems, which are usage errors (exit 2), not runtime failures.
struct ConfigurationError {
    std::string message;
};

Config configuration(const std::string& path) {
    try {
        return load_config(path, process_environment()).config;
    } catch (const core::StartupError& error) {
        throw ConfigurationError{error.what()};
    }
}

void add_org_commands(CLI::App& app, const std::string& config_path,
                      const std::function<void(int)>& done) {
    auto* org = app.add_subcommand("org", "Manage member and candidate organisations");
    org->require_subcommand(1);

    static OrgAddOptions add_options;
    auto* add = org->add_subcommand("add", "Add an organisation (recorded in the audit log)");
    add->add_option("--name", add_options.name, "Full name")->required();
    add->add_option("--short-name", add_options.short_name, "Short name, e.g. auDA");
    add->add_option("--slug", add_options.slug,
                    "URL name (derived from the short name when omitted)");
    add->add_option("--country", add_options.country, "ISO 3166-1 alpha-2 code, e.g. NZ")
        ->required();
    add->add_option("--stakeholder-group", add_options.stakeholder_group,
                    "governments | private-sector | academia | technical-community | civil-society")
        ->required();
    add->add_option("--website", add_options.website, "https://… address");
    add->add_option("--domain", add_options.domain, "The organisation's domain (IDN allowed)");
    add->add_option("--status", add_options.status, "member | candidate | former")
        ->default_val("candidate");
    add->add_option("--description", add_options.description, "A sentence or two about it");
    add->callback([&config_path, done] { done(org_add(configuration(config_path), add_options)); });

    static bool as_json = false;
    auto* list = org->add_subcommand("list", "List organisations");
    list->add_flag("--json", as_json, "Print JSON instead of a table");
    list->callback([&config_path, done] { done(org_list(configuration(config_path), as_json)); });
}

void add_user_commands(CLI::App& app, const std::string& config_path,
                       const std::function<void(int)>& done) {
    auto* user = app.add_subcommand("user", "Manage accounts");
    user->require_subcommand(1);
    static UserAddOptions options;
    auto* add = user->add_subcommand("add", "Add an account (it signs in by e-mailed link)");
    add->add_option("--email", options.email,
                    "E-mail address (internationalised addresses welcome)")
        ->required();
    add->add_option("--role", options.role, "admin | moderator | member")
        ->required()
        ->check(CLI::IsMember({"admin", "moderator", "member"}));
    add->add_option("--org", options.organisation_slug,
                    "Slug of the organisation this person represents");
    add->add_option("--name", options.name, "Display name");
    add->add_flag("--password-stdin", options.password_from_stdin,
                  "Read a password from standard input");
    add->callback([&config_path, done] { done(user_add(configuration(config_path), options)); });
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"Coalition: the platform of an internet technical-community coalition.",
                 "coalition"};
    app.set_version_flag("--version", kVersion);
    app.require_subcommand(1);
    std::string config_path;
    app.add_option("--config", config_path,
                   "TOML configuration file (default: ./coalition.toml if present)")
        ->envname("COALITION_CONFIG");

    int exit_code = kExitOk;
    auto done = [&exit_code](int code) { exit_code = code; };

    app.add_subcommand("serve", "Serve the web site (and LMTP) until SIGTERM or SIGINT")
        ->callback([&] { done(serve(configuration(config_path))); });
    app.add_subcommand("migrate", "Apply pending database migrations")->callback([&] {
        done(migrate(configuration(config_path)));
    });
    static std::string backup_to;
    auto* backup_command =
        app.add_subcommand("backup", "Copy the database to a file (SQLite online backup)");
    backup_command->add_option("--to", backup_to, "Destination file")->required();
    backup_command->callback([&] { done(backup(configuration(config_path), backup_to)); });
    auto* demo = app.add_subcommand("demo", "Demo data");
    demo->require_subcommand(1);
    static bool without_statement = false;
    auto* load = demo->add_subcommand("load", "Load the demo data set (idempotent)");
    load->add_flag("--no-statement", without_statement,
                   "Organisations and accounts only: no Statement of Purpose, no signatures");
    load->callback([&] {
        done(demo_load(configuration(config_path),
                       without_statement ? DemoStatement::No : DemoStatement::Yes));
    });
    add_user_commands(app, config_path, done);
    add_org_commands(app, config_path, done);
    add_log_commands(app, done);
    add_list_commands(
        app, [&config_path] { return configuration(config_path); }, done);
    add_archive_commands(
        app, [&config_path] { return configuration(config_path); }, done);
    add_token_commands(
        app, [&config_path] { return configuration(config_path); }, done);
    add_inject_command(
        app, [&config_path] { return configuration(config_path); }, done);
    add_statement_commands(
        app, [&config_path] { return configuration(config_path); }, done);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);  // Prints help, version, or the error.
        return code == 0 ? kExitOk : kExitUsage;
    } catch (const ConfigurationError& error) {
        std::cerr << "coalition: " << error.message << "\n";
        return kExitUsage;
    } catch (const core::StartupError& error) {
        std::cerr << "coalition: " << error.what() << "\n";
        return kExitFailure;
    } catch (const core::Unavailable& error) {
        std::cerr << "coalition: " << error.what() << "\n";
        return kExitFailure;
    } catch (const std::exception& error) {
        std::cerr << "coalition: " << error.what() << "\n";
        return kExitFailure;
    }
    return exit_code;
}

}  // namespace coalition::app
