#include "app/token_commands.hpp"

#include "app/cli.hpp"
#include "app/wiring.hpp"

#include <iostream>
#include <string>

namespace coalition::app {
namespace {

struct TokenCreateOptions {
    std::string email;
    std::string label = "api";
};

int token_create(const Config& config, const TokenCreateOptions& options) {
    auto email = core::Email::parse(options.email);
    if (!email) {
        std::cerr << "coalition: --user: " << email.error().message << "\n";
        return kExitFailure;
    }
    auto services = open_services(config, Migrate::Yes);
    const auto user = services->users->find_by_email(*email);
    if (!user) {
        std::cerr << "coalition: --user: no account has the address " << email->unicode() << "\n";
        return kExitFailure;
    }
    auto token = services->api_tokens->create(accounts::Actor::cli(), user->id, options.label);
    if (!token) {
        std::cerr << "coalition: " << token.error().field << ": " << token.error().message << "\n";
        return kExitFailure;
    }
    // The token alone on stdout, so scripts can capture it.
    std::cout << *token << "\n";
    std::cerr << "API token for " << user->email.unicode() << " (" << accounts::id(user->role)
              << "); it is shown only now.\n";
    return kExitOk;
}

}  // namespace

void add_token_commands(CLI::App& app, const std::function<Config()>& configuration,
                        const std::function<void(int)>& done) {
    auto* token = app.add_subcommand("token", "Manage API bearer tokens");
    token->require_subcommand(1);
    static TokenCreateOptions options;
    auto* create = token->add_subcommand("create", "Create a bearer token for the JSON API");
    create->add_option("--user", options.email, "E-mail address of the account it acts as")
        ->required();
    create->add_option("--label", options.label, "What the token is for (one line)");
    create->callback([configuration, done] { done(token_create(configuration(), options)); });
}

}  // namespace coalition::app
