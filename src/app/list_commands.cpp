#include "app/list_commands.hpp"

#include "app/cli.hpp"
#include "app/command_support.hpp"
#include "app/wiring.hpp"
#include "core/text.hpp"
#include "lists/lists.hpp"
#include "store/settings.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coalition::app {
namespace {

struct ListServices {
    std::unique_ptr<Services> services;
    std::unique_ptr<lists::Lists> lists;
    std::unique_ptr<lists::Subscriptions> subscriptions;
};

ListServices open_list_services(const Config& config) {
    ListServices out;
    out.services = open_services(config, Migrate::Yes);
    auto& services = *out.services;
    out.lists = std::make_unique<lists::Lists>(*services.database, services.clock);
    out.subscriptions = std::make_unique<lists::Subscriptions>(
        *services.database, services.clock, services.random, *services.outbox,
        lists::SubscriptionSettings{.base_url = config.site.base_url,
                                    .site_name = config.site.name,
                                    .token_secret = store::setting_or_create(
                                        *services.database, "lists_token_secret",
                                        [&services] { return services.random.token(32); })});
    return out;
}

// Text from a file, safe to print on a terminal: control characters and invalid UTF-8 become '?'.
std::string printable(const std::string& text) {
    std::string out;
    const bool valid = core::is_valid_utf8(text);
    for (unsigned char c : text) {
        out += (c < 0x20 || c == 0x7f || (!valid && c >= 0x80)) ? '?' : static_cast<char>(c);
    }
    return out;
}

struct AddressLine {
    std::size_t number = 0;
    core::Email email;
    std::string display_name;
};
struct InvalidLine {
    std::size_t number = 0;
    std::string text;
    std::string reason;
};
struct AddressFile {
    std::vector<AddressLine> addresses;
    std::vector<InvalidLine> invalid;
};

// One address a line ("ana@example.org" or "Ana Lima <ana@example.org>"); blank lines and lines
// starting with '#' are skipped. "-" reads standard input.
std::optional<AddressFile> read_address_file(const std::string& path) {
    std::ifstream file;
    std::istream* input = &std::cin;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            return std::nullopt;
        }
        input = &file;
    }
    AddressFile out;
    std::string line;
    std::size_t number = 0;
    while (std::getline(*input, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.size() > 4096 || !core::is_valid_utf8(line)) {
            out.invalid.push_back({number, line.substr(0, 80), "not UTF-8 text"});
            continue;
        }
        const std::string text = core::trim(line);
        if (text.empty() || text.front() == '#') {
            continue;
        }
        std::string address = text;
        std::string display_name;
        const auto open = text.rfind('<');
        if (text.back() == '>' && open != std::string::npos) {
            address = text.substr(open + 1, text.size() - open - 2);
            display_name = core::trim(text.substr(0, open));
            if (display_name.size() >= 2 && display_name.front() == '"' &&
                display_name.back() == '"') {
                display_name = display_name.substr(1, display_name.size() - 2);
            }
        }
        auto email = core::Email::parse(address);
        if (!email) {
            out.invalid.push_back({number, text, email.error().message});
            continue;
        }
        out.addresses.push_back({number, std::move(*email), display_name});
    }
    return out;
}

void print_invalid(const AddressFile& file) {
    for (const auto& line : file.invalid) {
        std::cout << "line " << line.number << ": invalid: \"" << printable(line.text)
                  << "\": " << line.reason << "\n";
    }
}

struct CreateOptions {
    std::string address;
    std::vector<std::string> owners;
    std::vector<std::string> moderators;
    std::string display_name;
    std::string description;
    std::string archive;  // "" keeps the default visibility
};

int list_create(const Config& config, const CreateOptions& options) {
    lists::NewList draft{.address = options.address,
                         .owners = {},
                         .moderators = {},
                         .display_name = options.display_name,
                         .description = options.description};
    for (const auto& [texts, into, field] :
         {std::tuple{&options.owners, &draft.owners, "--owner"},
          std::tuple{&options.moderators, &draft.moderators, "--moderator"}}) {
        for (const auto& text : *texts) {
            auto email = core::Email::parse(text);
            if (!email) {
                std::cerr << "coalition: " << field << ": not an e-mail address: \""
                          << printable(text) << "\"\n";
                return kExitUsage;
            }
            into->push_back(*email);
        }
    }
    std::optional<lists::ArchiveVisibility> archive;
    if (!options.archive.empty()) {
        auto parsed = lists::parse_archive_visibility(options.archive);
        if (!parsed) {
            std::cerr << "coalition: --archive: " << parsed.error().message << "\n";
            return kExitUsage;
        }
        archive = *parsed;
    }
    auto services = open_list_services(config);
    auto list = services.lists->create(accounts::Actor::cli(), draft);
    if (!list) {
        return report(list.error());
    }
    if (archive) {
        auto settings = list->settings;
        settings.archive_visibility = *archive;
        list = services.lists->update_settings(accounts::Actor::cli(), list->id, settings);
        if (!list) {
            return report(list.error());
        }
    }
    std::cout << "Created " << list->posting_address().unicode() << " (owner "
              << list->owners.front().unicode() << ").\n";
    return kExitOk;
}

struct BulkOptions {
    std::string list;
    std::string file;
    bool quiet_mail = false;  // --no-welcome / --no-goodbye
};

int list_add_members(const Config& config, const BulkOptions& options) {
    const auto file = read_address_file(options.file);
    if (!file) {
        std::cerr << "coalition: --file: cannot read \"" << printable(options.file) << "\"\n";
        return kExitUsage;
    }
    auto services = open_list_services(config);
    const auto list = find_list(*services.lists, options.list);
    if (!list) {
        std::cerr << "coalition: no list \"" << printable(options.list) << "\"\n";
        return kExitFailure;
    }
    print_invalid(*file);
    if (file->addresses.empty()) {
        std::cout << "No valid address in " << printable(options.file) << ": nothing added.\n";
        return kExitFailure;
    }
    std::vector<lists::NewMember> members;
    members.reserve(file->addresses.size());
    for (const auto& line : file->addresses) {
        members.push_back({line.email, line.display_name});
    }
    const auto outcomes = services.subscriptions->add_members(
        accounts::Actor::cli(), *list, members,
        options.quiet_mail ? lists::Welcome::Skip : lists::Welcome::Send);
    std::size_t added = 0;
    for (std::size_t idx = 0; idx < outcomes.size(); ++idx) {
        if (outcomes[idx] == lists::AddOutcome::Added) {
            ++added;
        } else {
            std::cout << "line " << file->addresses[idx].number
                      << ": already a member: " << file->addresses[idx].email.unicode() << "\n";
        }
    }
    std::cout << "Added " << added << ", already members " << outcomes.size() - added
              << ", invalid " << file->invalid.size() << " (" << list->posting_address().unicode()
              << ").\n";
    return kExitOk;
}

int list_remove_members(const Config& config, const BulkOptions& options) {
    const auto file = read_address_file(options.file);
    if (!file) {
        std::cerr << "coalition: --file: cannot read \"" << printable(options.file) << "\"\n";
        return kExitUsage;
    }
    auto services = open_list_services(config);
    const auto list = find_list(*services.lists, options.list);
    if (!list) {
        std::cerr << "coalition: no list \"" << printable(options.list) << "\"\n";
        return kExitFailure;
    }
    print_invalid(*file);
    if (file->addresses.empty()) {
        std::cout << "No valid address in " << printable(options.file) << ": nothing removed.\n";
        return kExitFailure;
    }
    std::vector<core::Email> emails;
    emails.reserve(file->addresses.size());
    for (const auto& line : file->addresses) {
        emails.push_back(line.email);
    }
    const auto outcomes = services.subscriptions->remove_members(
        accounts::Actor::cli(), *list, emails,
        options.quiet_mail ? lists::Goodbye::Skip : lists::Goodbye::Send);
    std::size_t removed = 0;
    for (std::size_t idx = 0; idx < outcomes.size(); ++idx) {
        if (outcomes[idx] == lists::RemoveOutcome::Removed) {
            ++removed;
        } else {
            std::cout << "line " << file->addresses[idx].number
                      << ": not a member: " << file->addresses[idx].email.unicode() << "\n";
        }
    }
    std::cout << "Removed " << removed << ", not members " << outcomes.size() - removed
              << ", invalid " << file->invalid.size() << " (" << list->posting_address().unicode()
              << ").\n";
    return kExitOk;
}

nlohmann::json list_json(const lists::List& list, const lists::MemberCounts& counts) {
    const auto& settings = list.settings;
    auto emails = [](const std::vector<core::Email>& addresses) {
        auto array = nlohmann::json::array();
        for (const auto& address : addresses) {
            array.push_back(address.unicode());
        }
        return array;
    };
    return {
        {"name", list.name},
        {"address", list.posting_address().unicode()},
        {"address_ascii", list.address(lists::AddressRole::Post).envelope()},
        {"list_id", list.list_id_header()},
        {"display_name", settings.display_name},
        {"description", settings.description},
        {"owners", emails(list.owners)},
        {"moderators", emails(list.moderators)},
        {"settings",
         {{"posting_policy", lists::to_string(settings.posting_policy)},
          {"nonmember_policy", lists::to_string(settings.nonmember_policy)},
          {"subject_prefix", settings.subject_prefix},
          {"footer", settings.footer},
          {"max_message_bytes", settings.max_message_bytes},
          {"archive_visibility", lists::to_string(settings.archive_visibility)},
          {"digest_enabled", settings.digest_enabled},
          {"digest_period", lists::to_string(settings.digest_period)},
          {"digest_size_threshold_bytes", settings.digest_size_threshold_bytes},
          {"reply_to_policy", lists::to_string(settings.reply_to_policy)},
          {"reply_to_address",
           settings.reply_to_address ? settings.reply_to_address->unicode() : ""},
          {"emergency_moderation", settings.emergency_moderation},
          {"dmarc_mitigation", lists::to_string(settings.dmarc_mitigation)},
          {"preferred_language", settings.preferred_language}}},
        {"members",
         {{"subscribed", counts.subscribed},
          {"pending", counts.pending},
          {"unsubscribed", counts.unsubscribed},
          {"regular", counts.regular},
          {"digest", counts.digest},
          {"no_mail", counts.no_mail}}},
    };
}

int list_show(const Config& config, const std::string& name, bool as_json) {
    auto services = open_list_services(config);
    const auto list = find_list(*services.lists, name);
    if (!list) {
        std::cerr << "coalition: no list \"" << printable(name) << "\"\n";
        return kExitFailure;
    }
    const auto json = list_json(*list, services.subscriptions->counts(list->id));
    if (as_json) {
        std::cout << json.dump(2) << "\n";
        return kExitOk;
    }
    const auto print = [](const std::string& key, const nlohmann::json& value) {
        std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump())
                  << "\n";
    };
    for (const auto& key : {"address", "display_name", "description", "owners", "moderators"}) {
        print(key, json[key]);
    }
    for (const auto& [key, value] : json["settings"].items()) {
        print(key, value);
    }
    for (const auto& [key, value] : json["members"].items()) {
        print("members " + key, value);
    }
    return kExitOk;
}

int list_members(const Config& config, const std::string& name) {
    auto services = open_list_services(config);
    const auto list = find_list(*services.lists, name);
    if (!list) {
        std::cerr << "coalition: no list \"" << printable(name) << "\"\n";
        return kExitFailure;
    }
    for (const auto& member : services.subscriptions->roster(list->id)) {
        std::cout << member.email.unicode() << "\t" << lists::to_string(member.state) << "\t"
                  << lists::to_string(member.delivery_mode) << "\t" << member.display_name << "\n";
    }
    return kExitOk;
}

}  // namespace

void add_list_commands(CLI::App& app, const std::function<Config()>& configuration,
                       const std::function<void(int)>& done) {
    auto* list = app.add_subcommand("list", "Manage mailing lists");
    list->require_subcommand(1);

    static CreateOptions create_options;
    auto* create = list->add_subcommand("create", "Create a list (recorded in the audit log)");
    create
        ->add_option("address", create_options.address,
                     "Posting address NAME@DOMAIN (IDN domains welcome)")
        ->required();
    create->add_option("--owner", create_options.owners, "Owner's e-mail address (repeatable)")
        ->required();
    create->add_option("--moderator", create_options.moderators,
                       "Moderator's e-mail address (repeatable)");
    create->add_option("--display-name", create_options.display_name, "Name shown to people");
    create->add_option("--description", create_options.description, "What the list is for");
    create->add_option("--archive", create_options.archive,
                       "Who reads the archive: public, members (default) or none");
    create->callback([configuration, done] { done(list_create(configuration(), create_options)); });

    static BulkOptions add_options;
    auto* add = list->add_subcommand(
        "add-members", "Subscribe addresses from a file, pre-confirmed (one address a line)");
    add->add_option("list", add_options.list, "List name or posting address")->required();
    add->add_option("--file", add_options.file,
                    "File of addresses (\"-\" for standard input); blank lines and #comments "
                    "are skipped")
        ->required();
    add->add_flag("--no-welcome", add_options.quiet_mail, "Send no welcome message");
    add->callback([configuration, done] { done(list_add_members(configuration(), add_options)); });

    static BulkOptions remove_options;
    auto* remove = list->add_subcommand("remove-members", "Unsubscribe addresses from a file");
    remove->add_option("list", remove_options.list, "List name or posting address")->required();
    remove->add_option("--file", remove_options.file, "File of addresses (\"-\" for stdin)")
        ->required();
    remove->add_flag("--no-goodbye", remove_options.quiet_mail, "Send no goodbye message");
    remove->callback(
        [configuration, done] { done(list_remove_members(configuration(), remove_options)); });

    static std::string show_name;
    static bool show_json = false;
    auto* show = list->add_subcommand("show", "Show a list's settings and member counts");
    show->add_option("list", show_name, "List name or posting address")->required();
    show->add_flag("--json", show_json, "Print JSON");
    show->callback(
        [configuration, done] { done(list_show(configuration(), show_name, show_json)); });

    static std::string members_name;
    auto* members = list->add_subcommand(
        "members", "Print the roster: address, state, delivery mode, name (tab-separated)");
    members->add_option("list", members_name, "List name or posting address")->required();
    members->callback([configuration, done] { done(list_members(configuration(), members_name)); });
}

}  // namespace coalition::app
