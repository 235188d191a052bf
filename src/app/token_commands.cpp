#include "app/token_commands.hpp"

#include "app/cli.hpp"
#include "app/wiring.hpp"
#include "core/clock.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iostream>
#include <optional>
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

std::string when(std::optional<std::int64_t> at) {
    return at ? core::format_rfc3339(*at) : std::string("-");
}

int token_list(const Config& config, bool json) {
    auto services = open_services(config, Migrate::Yes);
    const auto tokens = services->api_tokens->list();
    if (json) {
        auto out = nlohmann::json::array();
        for (const auto& token : tokens) {
            out.push_back(
                {{"id", token.id},
                 {"user", token.user_email},
                 {"label", token.label},
                 {"created_at", core::format_rfc3339(token.created_at)},
                 {"last_used_at", token.last_used_at
                                      ? nlohmann::json(core::format_rfc3339(*token.last_used_at))
                                      : nlohmann::json()},
                 {"revoked", token.revoked_at.has_value()}});
        }
        std::cout << out.dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& token : tokens) {
        std::cout << token.id << "\t" << token.user_email << "\t" << token.label << "\tcreated "
                  << core::format_rfc3339(token.created_at) << "\tlast used "
                  << when(token.last_used_at)
                  << (token.revoked_at ? "\trevoked " + when(token.revoked_at) : "") << "\n";
    }
    return kExitOk;
}

int token_revoke(const Config& config, std::int64_t id) {
    auto services = open_services(config, Migrate::Yes);
    auto revoked = services->api_tokens->revoke(accounts::Actor::cli(), id);
    if (!revoked) {
        std::cerr << "coalition: " << revoked.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "Token " << id << " (" << revoked->label << ", " << revoked->user_email
              << ") is revoked.\n";
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

    static bool json = false;
    auto* list = token->add_subcommand("list", "List the tokens (never the secrets themselves)");
    list->add_flag("--json", json, "Print JSON");
    list->callback([configuration, done] { done(token_list(configuration(), json)); });

    static std::int64_t revoke_id = 0;
    auto* revoke = token->add_subcommand("revoke", "Revoke a token at once, by its number");
    revoke->add_option("ID", revoke_id, "The token's number, from `coalition token list`")
        ->required();
    revoke->callback([configuration, done] { done(token_revoke(configuration(), revoke_id)); });
}

}  // namespace coalition::app
