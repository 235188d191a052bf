#include "app/statement_commands.hpp"

#include "app/cli.hpp"
#include "app/command_support.hpp"
#include "app/wiring.hpp"
#include "core/clock.hpp"
#include "statement/statement.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace coalition::app {
namespace {

struct PublishOptions {
    std::string file;
    std::string language = "en";
    std::string title;
};

struct TranslateOptions {
    std::string version;
    std::string language;
    std::string file;
    std::string title;
};

// The file's bytes, or standard input for "-"; nullopt (after a message) when unreadable.
std::optional<std::string> read_text(const std::string& path) {
    if (path == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin),
                           std::istreambuf_iterator<char>());
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "coalition: cannot read " << path << "\n";
        return std::nullopt;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) {
        std::cerr << "coalition: cannot read " << path << "\n";
        return std::nullopt;
    }
    return std::move(bytes).str();
}

std::string languages_of(const statement::Version& version) {
    std::string out;
    for (const auto& translation : version.translations) {
        out += (out.empty() ? "" : ", ") + translation.language +
               (translation.authoritative ? " (authoritative)" : "");
    }
    return out;
}

int publish(const Config& config, const PublishOptions& options) {
    const auto text = read_text(options.file);
    if (!text) {
        return kExitFailure;
    }
    auto services = open_services(config, Migrate::Yes);
    auto version = services->statements->publish(accounts::Actor::cli(), options.title, *text,
                                                 options.language);
    if (!version) {
        return report(version.error());
    }
    std::cout << "Published version " << version->number << " (" << version->language << ", \""
              << version->title << "\"): " << version->hash << "\n";
    return kExitOk;
}

int translate(const Config& config, const TranslateOptions& options) {
    const auto text = read_text(options.file);
    if (!text) {
        return kExitFailure;
    }
    auto services = open_services(config, Migrate::Yes);
    auto version = services->statements->translate(accounts::Actor::cli(), options.version,
                                                   options.language, options.title, *text);
    if (!version) {
        return report(version.error());
    }
    std::cout << "Version " << version->number << " " << version->hash
              << " now reads in: " << languages_of(*version) << "\n";
    return kExitOk;
}

nlohmann::json to_json(const statement::Version& version, bool is_current) {
    auto texts = nlohmann::json::array();
    for (const auto& translation : version.translations) {
        texts.push_back({{"language", translation.language},
                         {"title", translation.title},
                         {"authoritative", translation.authoritative},
                         {"added_at", core::format_rfc3339(translation.added_at)},
                         {"markdown", translation.markdown}});
    }
    return {{"number", version.number},
            {"hash", version.hash},
            {"language", version.language},
            {"title", version.title},
            {"published_at", core::format_rfc3339(version.published_at)},
            {"current", is_current},
            {"translations", std::move(texts)}};
}

int show(const Config& config, bool as_json) {
    auto services = open_services(config, Migrate::Yes);
    const auto versions = services->statements->versions();
    if (as_json) {
        auto list = nlohmann::json::array();
        for (std::size_t index = 0; index < versions.size(); ++index) {
            list.push_back(to_json(versions[index], index == 0));
        }
        nlohmann::json out = {{"current", versions.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(versions[0].hash)},
                              {"versions", std::move(list)}};
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return kExitOk;
    }
    if (versions.empty()) {
        std::cout << "No version of the statement has been published.\n";
        return kExitOk;
    }
    for (std::size_t index = 0; index < versions.size(); ++index) {
        const auto& version = versions[index];
        std::cout << "Version " << version.number << (index == 0 ? " (current)" : "")
                  << ", published " << core::format_rfc3339(version.published_at) << "\n"
                  << "  hash:      " << version.hash << "\n"
                  << "  title:     " << version.title << "\n"
                  << "  languages: " << languages_of(version) << "\n";
    }
    return kExitOk;
}

}  // namespace

void add_statement_commands(CLI::App& app, const std::function<Config()>& configuration,
                            const std::function<void(int)>& done) {
    auto* statement = app.add_subcommand("statement", "The Statement of Purpose");
    statement->require_subcommand(1);

    auto publish_options = std::make_shared<PublishOptions>();
    auto* publish_command = statement->add_subcommand(
        "publish", "Publish a new version from a Markdown file; prints its SHA-256 hash");
    publish_command->add_option("--file", publish_options->file, "Markdown file (- for stdin)")
        ->required();
    publish_command
        ->add_option("--lang", publish_options->language,
                     "Its language, the authoritative one: ar zh en fr ru es")
        ->default_val("en");
    publish_command->add_option("--title", publish_options->title,
                                "Title (default: the text's first heading)");
    publish_command->callback([configuration, done, publish_options] {
        done(publish(configuration(), *publish_options));
    });

    auto translate_options = std::make_shared<TranslateOptions>();
    auto* translate_command = statement->add_subcommand(
        "translate", "Add (or replace) the translation of a published version");
    translate_command
        ->add_option("--version", translate_options->version, "The version's hash (hex SHA-256)")
        ->required();
    translate_command
        ->add_option("--lang", translate_options->language, "Its language: ar zh en fr ru es")
        ->required();
    translate_command->add_option("--file", translate_options->file, "Markdown file (- for stdin)")
        ->required();
    translate_command->add_option("--title", translate_options->title,
                                  "Title (default: the text's first heading)");
    translate_command->callback([configuration, done, translate_options] {
        done(translate(configuration(), *translate_options));
    });

    auto as_json = std::make_shared<bool>(false);
    auto* show_command =
        statement->add_subcommand("show", "List the published versions, hashes and languages");
    show_command->add_flag("--json", *as_json, "Print JSON (with the texts) instead");
    show_command->callback(
        [configuration, done, as_json] { done(show(configuration(), *as_json)); });
}

}  // namespace coalition::app
