#include "lmtp/command.hpp"

#include "core/text.hpp"

#include <array>

namespace coalition::lmtp {

namespace {

constexpr std::size_t kMaxPathOctets = 256;

char to_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::string_view skip_spaces(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    return text;
}

core::Error syntax_error(std::string message) {
    return core::Error::invalid(std::move(message));
}

core::Error address_error(std::string message) {
    return core::Error::invalid(std::move(message), "address");
}

// Finds the '>' closing the path that starts at text[0] == '<', honouring quoted strings and
// backslash escapes inside them (RFC 5321 §4.1.2 Quoted-string). npos when there is none.
std::size_t closing_bracket(std::string_view text) {
    bool quoted = false;
    for (std::size_t idx = 1; idx < text.size(); ++idx) {
        const char c = text[idx];
        if (quoted && c == '\\') {
            ++idx;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == '>') {
            return idx;
        }
    }
    return std::string_view::npos;
}

core::Result<std::string> check_address(std::string_view path) {
    // RFC 5321 §4.1.2: an A-d-l source route ("@a,@b:user@c") is accepted and ignored.
    if (path.starts_with('@')) {
        const std::size_t colon = path.find(':');
        if (colon == std::string_view::npos) {
            return address_error("The source route is not followed by a mailbox");
        }
        path.remove_prefix(colon + 1);
        if (path.empty()) {
            return address_error("The source route is not followed by a mailbox");
        }
    }
    if (path.empty()) {
        return std::string();
    }
    if (!core::is_valid_utf8(path)) {
        return address_error("The address is not valid UTF-8");
    }
    bool quoted = false;
    for (std::size_t idx = 0; idx < path.size(); ++idx) {
        const auto byte = static_cast<unsigned char>(path[idx]);
        if (byte < 0x20 || byte == 0x7F) {
            return address_error("The address holds a control character");
        }
        if (quoted && byte == '\\') {
            ++idx;
        } else if (byte == '"') {
            quoted = !quoted;
        } else if (!quoted && byte == ' ') {
            return address_error("The address holds a space");
        }
    }
    if (quoted) {
        return address_error("The address has an unterminated quoted string");
    }
    if (core::equals_ignoring_ascii_case(path, "POSTMASTER")) {
        return std::string(path);
    }
    const std::size_t at = path.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == path.size()) {
        return address_error("The address needs a local part, '@' and a domain");
    }
    return std::string(path);
}

core::Result<std::vector<Parameter>> parse_parameters(std::string_view text) {
    std::vector<Parameter> parameters;
    text = skip_spaces(text);
    while (!text.empty()) {
        std::size_t end = 0;
        while (end < text.size() && !is_space(text[end])) {
            ++end;
        }
        const std::string_view item = text.substr(0, end);
        text = skip_spaces(text.substr(end));
        const std::size_t equals = item.find('=');
        const std::string_view keyword = item.substr(0, equals);
        Parameter parameter;
        // RFC 5321 §4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-").
        if (keyword.empty() || keyword.front() == '-') {
            return syntax_error("Malformed parameter");
        }
        for (char c : keyword) {
            const bool alphanumeric =
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && c != '-') {
                return syntax_error("Malformed parameter");
            }
            parameter.keyword.push_back(to_upper(c));
        }
        if (equals != std::string_view::npos) {
            const std::string_view value = item.substr(equals + 1);
            if (value.empty() || !core::is_valid_utf8(value)) {
                return syntax_error("Malformed parameter value");
            }
            for (char c : value) {
                const auto byte = static_cast<unsigned char>(c);
                if (byte < 0x21 || byte == '=' || byte == 0x7F) {
                    return syntax_error("Malformed parameter value");
                }
            }
            parameter.value = std::string(value);
        }
        parameters.push_back(std::move(parameter));
    }
    return parameters;
}

}  // namespace

Command parse_command(std::string_view line) {
    static constexpr std::array<std::pair<std::string_view, Verb>, 12> kVerbs{{
        {"LHLO", Verb::Lhlo},
        {"HELO", Verb::Helo},
        {"EHLO", Verb::Ehlo},
        {"MAIL", Verb::Mail},
        {"RCPT", Verb::Rcpt},
        {"DATA", Verb::Data},
        {"RSET", Verb::Rset},
        {"NOOP", Verb::Noop},
        {"QUIT", Verb::Quit},
        {"VRFY", Verb::Vrfy},
        {"EXPN", Verb::Expn},
        {"HELP", Verb::Help},
    }};
    std::size_t end = 0;
    while (end < line.size() && !is_space(line[end])) {
        ++end;
    }
    Command command;
    const std::string_view word = line.substr(0, end);
    for (const auto& [name, verb] : kVerbs) {
        if (core::equals_ignoring_ascii_case(word, name)) {
            command.verb = verb;
            break;
        }
    }
    std::string_view argument = skip_spaces(line.substr(end));
    while (!argument.empty() && is_space(argument.back())) {
        argument.remove_suffix(1);
    }
    command.argument = argument;
    return command;
}

core::Result<PathArgument> parse_path_argument(std::string_view argument,
                                               std::string_view keyword) {
    if (argument.size() <= keyword.size() ||
        !core::equals_ignoring_ascii_case(argument.substr(0, keyword.size()), keyword) ||
        argument[keyword.size()] != ':') {
        return syntax_error(std::string("Syntax: ") + (keyword == "FROM" ? "MAIL" : "RCPT") + " " +
                            std::string(keyword) + ":<address>");
    }
    std::string_view rest = skip_spaces(argument.substr(keyword.size() + 1));
    if (!rest.starts_with('<')) {
        return syntax_error("The address must be enclosed in <>");
    }
    const std::size_t close = closing_bracket(rest);
    if (close == std::string_view::npos) {
        return syntax_error("The address must be enclosed in <>");
    }
    if (close + 1 > kMaxPathOctets) {
        return address_error("The address is too long");
    }
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && !is_space(after.front())) {
        return syntax_error("Parameters must be separated from the address by a space");
    }
    auto address = check_address(rest.substr(1, close - 1));
    if (!address) {
        return address.error();
    }
    auto parameters = parse_parameters(after);
    if (!parameters) {
        return parameters.error();
    }
    return PathArgument{std::move(*address), std::move(*parameters)};
}

bool has_non_ascii(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return true;
        }
    }
    return false;
}

}  // namespace coalition::lmtp
