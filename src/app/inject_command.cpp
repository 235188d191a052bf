#include "app/inject_command.hpp"

#include "app/cli.hpp"
#include "app/wiring.hpp"
#include "core/text.hpp"
#include "core/unavailable.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

namespace coalition::app {
namespace {

struct InjectOptions {
    std::string list;
    std::string sender;
};

// Text from the command line or a message, safe to print: control characters and invalid
// UTF-8 become '?'.
std::string printable(std::string_view text) {
    std::string out;
    const bool valid = core::is_valid_utf8(text);
    for (unsigned char c : text.substr(0, 200)) {
        out += (c < 0x20 || c == 0x7f || (!valid && c >= 0x80)) ? '?' : static_cast<char>(c);
    }
    return out;
}

int fail(int code, const std::string& message) {
    std::cerr << "coalition: inject: " << message << "\n";
    return code;
}

// Reads standard input up to `limit` bytes; nullopt when there is more.
std::optional<std::string> read_input(std::size_t limit) {
    std::string data;
    char buffer[65536];
    while (true) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, stdin);
        if (got == 0) {
            break;
        }
        if (data.size() + got > limit) {
            return std::nullopt;
        }
        data.append(buffer, got);
    }
    return data;
}

// What LMTP would hand over: the mbox "From " line some pipes prepend removed, and every line
// ending CRLF.
std::string as_lmtp_data(std::string_view input) {
    if (input.rfind("From ", 0) == 0) {
        const auto end = input.find('\n');
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    }
    std::string out;
    out.reserve(input.size() + input.size() / 32);
    for (std::size_t idx = 0; idx < input.size(); ++idx) {
        const char c = input[idx];
        if (c == '\n' && (idx == 0 || input[idx - 1] != '\r')) {
            out += '\r';
        }
        out += c;
    }
    if (!out.empty() && out.back() != '\n') {
        out += "\r\n";
    }
    return out;
}

int exit_code_for(const core::Error& error) {
    switch (error.code) {
        case core::ErrorCode::NotFound:
            return kExitNoUser;
        case core::ErrorCode::Invalid:
        case core::ErrorCode::TooLarge:
            return kExitDataError;
        case core::ErrorCode::RateLimited:
            return kExitTempFail;
        case core::ErrorCode::Forbidden:
        case core::ErrorCode::Unauthorised:
        case core::ErrorCode::Conflict:
        case core::ErrorCode::Expired:
            return kExitNoPermission;
    }
    return kExitDataError;
}

const char* describe(lists::Disposition::Kind kind) {
    switch (kind) {
        case lists::Disposition::Kind::Accepted:
            return "accepted";
        case lists::Disposition::Kind::Held:
            return "held for moderation";
        case lists::Disposition::Kind::Rejected:
            return "rejected (the author is told by mail)";
        case lists::Disposition::Kind::Discarded:
            return "discarded";
    }
    return "taken";
}

int inject(const Config& config, const InjectOptions& options) {
    auto services = open_services(config, Migrate::Yes);
    // The recipient: a list name means its posting address; an address may be any list address
    // (NAME-request@…, NAME-bounces+…@…), as an MTA's pipe passes ${recipient}.
    std::string recipient;
    std::optional<lists::List> list;
    if (options.list.find('@') != std::string::npos) {
        auto resolved = services->lists->resolve(options.list);
        if (resolved) {
            recipient = options.list;
            list = resolved->list;
        }
    } else {
        list = services->lists->find_by_name(options.list);
        if (list) {
            recipient = list->address(lists::AddressRole::Post).envelope();
        }
    }
    if (!list) {
        return fail(kExitNoUser, "no list \"" + printable(options.list) + "\"");
    }
    const auto limit = static_cast<std::size_t>(
        std::max<std::int64_t>(list->settings.max_message_bytes, config.lmtp.max_message_bytes));
    const auto input = read_input(limit);
    if (!input) {
        return fail(kExitDataError, "the message is larger than " + std::to_string(limit) +
                                        " bytes, the most " + list->name + " takes");
    }
    if (input->empty()) {
        return fail(kExitDataError, "no message on standard input");
    }
    try {
        const auto received = services->intake->receive(
            recipient, options.sender, as_lmtp_data(*input), lists::PostSource::Inject);
        if (!received) {
            return fail(exit_code_for(received.error()), printable(received.error().message));
        }
        std::string line = std::string(describe(received->kind)) + " by " + printable(recipient);
        if (received->post) {
            line += " (post " + std::to_string(received->post->value()) + ")";
        }
        if (!received->reason.empty()) {
            line += ": " + printable(received->reason);
        }
        std::cerr << "coalition: inject: " << line << "\n";
        return kExitOk;
    } catch (const core::Unavailable& error) {
        return fail(kExitTempFail, std::string("try again later: ") + error.what());
    }
}

}  // namespace

void add_inject_command(CLI::App& app, const std::function<Config()>& configuration,
                        const std::function<void(int)>& done) {
    static InjectOptions options;
    auto* command = app.add_subcommand(
        "inject", "Hand a message on standard input to a list (for an MTA's pipe delivery)");
    command
        ->add_option("list", options.list,
                     "List name (its posting address), or any list address such as "
                     "NAME-request@DOMAIN")
        ->required();
    command->add_option("--sender", options.sender,
                        "Envelope sender (the MTA's ${sender}); empty for the null sender");
    command->callback([configuration, done] {
        try {
            done(inject(configuration(), options));
        } catch (const core::Unavailable& error) {
            done(fail(kExitTempFail, std::string("try again later: ") + error.what()));
        } catch (const core::StartupError& error) {
            done(fail(kExitTempFail, error.what()));
        }
    });
}

}  // namespace coalition::app
