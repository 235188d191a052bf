#include "app/config.hpp"

#include "core/unavailable.hpp"
#include "processes/reminder_days.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <map>
#include <string_view>
#include <thread>

extern char** environ;

namespace coalition::app {
namespace {

// Errors are one line: toml++ quotes the offending character and values may hold line breaks.
std::string one_line(std::string_view text) {
    std::string line;
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            line += "\\x";
            line += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
            line += kHex[static_cast<unsigned char>(c) & 0xf];
        } else {
            line += c;
        }
    }
    return line;
}

[[noreturn]] void fail(const std::string& key, const std::string& problem) {
    throw core::StartupError("configuration: " + one_line(key) + ": " + one_line(problem));
}

// One setter per key: takes the raw text (from the environment) or a TOML node (from the file).
struct Key {
    std::function<void(Config&, const std::string& key, const toml::node&)> from_toml;
    std::function<void(Config&, const std::string& key, const std::string&)> from_text;
};

std::string require_string(const std::string& key, const toml::node& node) {
    if (auto value = node.value<std::string>()) {
        return *value;
    }
    fail(key, "expected a string");
}

std::int64_t parse_integer(const std::string& key, const std::string& text, std::int64_t minimum,
                           std::int64_t maximum) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < minimum ||
        value > maximum) {
        fail(key, "expected a whole number from " + std::to_string(minimum) + " to " +
                      std::to_string(maximum) + ", got \"" + text + "\"");
    }
    return value;
}

bool parse_boolean(const std::string& key, const std::string& text) {
    if (text == "true" || text == "1" || text == "yes") {
        return true;
    }
    if (text == "false" || text == "0" || text == "no") {
        return false;
    }
    fail(key, "expected true or false, got \"" + text + "\"");
}

std::string check_url(const std::string& key, const std::string& text,
                      std::initializer_list<std::string_view> schemes) {
    for (auto scheme : schemes) {
        if (text.rfind(scheme, 0) == 0 && text.size() > scheme.size()) {
            return text;
        }
    }
    std::string expected;
    for (auto scheme : schemes) {
        expected += (expected.empty() ? "" : " or ") + std::string(scheme) + "…";
    }
    fail(key, "expected " + expected + ", got \"" + text + "\"");
}

Key string_key(const std::function<void(Config&, const std::string& key, std::string)>& assign) {
    return {
        [assign](Config& config, const std::string& key, const toml::node& node) {
            assign(config, key, require_string(key, node));
        },
        [assign](Config& config, const std::string& key, const std::string& text) {
            assign(config, key, text);
        },
    };
}

Key integer_key(std::int64_t minimum, std::int64_t maximum,
                const std::function<void(Config&, std::int64_t)>& assign) {
    return {
        [=](Config& config, const std::string& key, const toml::node& node) {
            auto value = node.value<std::int64_t>();
            if (!value) {
                fail(key, "expected a whole number");
            }
            assign(config, parse_integer(key, std::to_string(*value), minimum, maximum));
        },
        [=](Config& config, const std::string& key, const std::string& text) {
            assign(config, parse_integer(key, text, minimum, maximum));
        },
    };
}

Key boolean_key(const std::function<void(Config&, bool)>& assign) {
    return {
        [=](Config& config, const std::string& key, const toml::node& node) {
            auto value = node.value<bool>();
            if (!value || !node.is_boolean()) {
                fail(key, "expected true or false");
            }
            assign(config, *value);
        },
        [=](Config& config, const std::string& key, const std::string& text) {
            assign(config, parse_boolean(key, text));
        },
    };
}

ListenAddress require_listen(const std::string& key, const std::string& text) {
    auto address = parse_listen_address(text);
    if (!address) {
        fail(key, "expected HOST:PORT, got \"" + text + "\"");
    }
    return *address;
}

// The one table of configuration keys: "[section] key" → how to set it.
const std::map<std::string, Key>& keys() {
    static const std::map<std::string, Key> table = {
        {"site.base_url", string_key([](Config& c, const std::string& k, const std::string& v) {
             c.site.base_url = check_url(k, v, {"http://", "https://"});
             while (c.site.base_url.size() > 8 && c.site.base_url.back() == '/') {
                 c.site.base_url.pop_back();
             }
         })},
        {"site.name", string_key([](Config& c, const std::string&, std::string v) {
             c.site.name = std::move(v);
         })},
        {"site.contact_email", string_key([](Config& c, const std::string&, std::string v) {
             c.site.contact_email = std::move(v);
         })},
        {"http.listen", string_key([](Config& c, const std::string& k, const std::string& v) {
             c.http.listen = require_listen(k, v);
         })},
        {"http.threads",
         integer_key(0, 256, [](Config& c, std::int64_t v) { c.http.threads = v; })},
        {"http.write_threads",
         integer_key(1, 256, [](Config& c, std::int64_t v) { c.http.write_threads = v; })},
        {"http.max_body_bytes",
         integer_key(1024, 1024LL * 1024 * 1024,
                     [](Config& c, std::int64_t v) { c.http.max_body_bytes = v; })},
        {"database.url", string_key([](Config& c, const std::string& k, const std::string& v) {
             c.database.url = check_url(k, v, {"sqlite:", "postgresql://", "postgres://"});
         })},
        {"mail.relay", string_key([](Config& c, const std::string& k, const std::string& v) {
             c.mail.relay = v.empty() ? v : check_url(k, v, {"smtp://", "smtps://"});
         })},
        {"mail.from", string_key([](Config& c, const std::string&, std::string v) {
             c.mail.from = std::move(v);
         })},
        {"mail.from_name", string_key([](Config& c, const std::string&, std::string v) {
             c.mail.from_name = std::move(v);
         })},
        {"mail.starttls", boolean_key([](Config& c, bool v) { c.mail.starttls = v; })},
        {"mail.username", string_key([](Config& c, const std::string&, std::string v) {
             c.mail.username = std::move(v);
         })},
        {"mail.password", string_key([](Config& c, const std::string&, std::string v) {
             c.mail.password = std::move(v);
         })},
        {"mail.outbox_dir", string_key([](Config& c, const std::string&, std::string v) {
             c.mail.outbox_dir = std::move(v);
         })},
        {"lmtp.listen", string_key([](Config& c, const std::string& k, const std::string& v) {
             c.lmtp.listen = v.empty() ? std::nullopt : std::optional(require_listen(k, v));
         })},
        {"lmtp.max_connections",
         integer_key(1, 100000, [](Config& c, std::int64_t v) { c.lmtp.max_connections = v; })},
        {"lmtp.max_message_bytes",
         integer_key(1024, 1024LL * 1024 * 1024,
                     [](Config& c, std::int64_t v) { c.lmtp.max_message_bytes = v; })},
        {"lmtp.idle_timeout_seconds",
         integer_key(1, 3600, [](Config& c, std::int64_t v) { c.lmtp.idle_timeout_seconds = v; })},
        {"lmtp.data_timeout_seconds",
         integer_key(1, 7200, [](Config& c, std::int64_t v) { c.lmtp.data_timeout_seconds = v; })},
        {"lmtp.worker_threads",
         integer_key(1, 64, [](Config& c, std::int64_t v) { c.lmtp.worker_threads = v; })},
        {"lists.delivery", string_key([](Config& c, const std::string& k, const std::string& v) {
             if (v != "personalised" && v != "bulk") {
                 fail(k, "expected \"personalised\" or \"bulk\", got \"" + v + "\"");
             }
             c.lists.bulk_delivery = v == "bulk";
         })},
        {"lists.delivery_connections",
         integer_key(1, 64, [](Config& c, std::int64_t v) { c.lists.delivery_connections = v; })},
        {"lists.digest_interval_seconds",
         integer_key(1, 86400,
                     [](Config& c, std::int64_t v) { c.lists.digest_interval_seconds = v; })},
        {"processes.reminder_days",
         string_key([](Config& c, const std::string& k, const std::string& v) {
             auto days = processes::parse_reminder_days(v);
             if (!days) {
                 fail(k, "expected up to five numbers of days from 1 to 60 (\"14,3,1\"), got \"" +
                             v + "\"");
             }
             c.processes.reminder_days = *days;
         })},
        {"processes.reminder_interval_seconds",
         integer_key(1, 86400,
                     [](Config& c, std::int64_t v) { c.processes.reminder_interval_seconds = v; })},
        {"dns.resolver", string_key([](Config& c, const std::string&, std::string v) {
             c.dns.resolver = std::move(v);
         })},
        {"dns.trust_anchor", string_key([](Config& c, const std::string&, std::string v) {
             c.dns.trust_anchor = std::move(v);
         })},
        {"signon.moderate_individuals",
         boolean_key([](Config& c, bool v) { c.signon.moderate_individuals = v; })},
        {"signon.log_key", string_key([](Config& c, const std::string&, std::string v) {
             c.signon.log_key = std::move(v);
         })},
        {"signon.per_address_per_hour",
         integer_key(1, 1000000,
                     [](Config& c, std::int64_t v) { c.signon.per_address_per_hour = v; })},
        {"signon.per_domain_per_hour",
         integer_key(1, 1000000,
                     [](Config& c, std::int64_t v) { c.signon.per_domain_per_hour = v; })},
    };
    return table;
}

std::string display_key(const std::string& dotted) {
    const auto dot = dotted.find('.');
    return "[" + dotted.substr(0, dot) + "] " + dotted.substr(dot + 1);
}

void apply_file(Config& config, const std::string& path) {
    toml::table document;
    try {
        document = toml::parse_file(path);
    } catch (const toml::parse_error& error) {
        const auto& where = error.source().begin;
        throw core::StartupError("configuration: " + path + ":" + std::to_string(where.line) + ":" +
                                 std::to_string(where.column) + ": " +
                                 one_line(error.description()));
    }
    for (const auto& [section_name, section_node] : document) {
        const std::string section(section_name.str());
        const auto* section_table = section_node.as_table();
        if (section_table == nullptr) {
            fail("[" + section + "]", "unknown setting (expected a section such as [site])");
        }
        for (const auto& [key_name, value] : *section_table) {
            const std::string dotted = section + "." + std::string(key_name.str());
            auto key = keys().find(dotted);
            if (key == keys().end()) {
                fail(display_key(dotted), "unknown key");
            }
            key->second.from_toml(config, display_key(dotted), value);
        }
    }
}

std::string environment_name(const std::string& dotted) {
    std::string name = "COALITION_";
    for (char c : dotted) {
        name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name;
}

}  // namespace

std::string ListenAddress::to_string() const {
    const bool is_ipv6 = host.find(':') != std::string::npos;
    return (is_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        return std::nullopt;
    }
    std::string host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return std::nullopt;
    }
    const std::string port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
        host.empty()) {
        return std::nullopt;
    }
    return ListenAddress{host, static_cast<std::uint16_t>(port)};
}

Environment process_environment() {
    Environment environment;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        if (text.rfind("COALITION_", 0) != 0) {
            continue;
        }
        const auto equals = text.find('=');
        if (equals != std::string_view::npos) {
            environment.emplace_back(std::string(text.substr(0, equals)),
                                     std::string(text.substr(equals + 1)));
        }
    }
    return environment;
}

LoadedConfig load_config(const std::string& path, const Environment& environment) {
    LoadedConfig loaded{Config{}, "defaults"};
    std::string file = path;
    if (file.empty() && std::filesystem::exists("coalition.toml")) {
        file = "coalition.toml";
    }
    if (!file.empty()) {
        if (!std::filesystem::exists(file)) {
            throw core::StartupError("configuration: " + file + ": no such file");
        }
        apply_file(loaded.config, file);
        loaded.source = file;
    }
    // Environment variables override the file. Other COALITION_* variables (the test harness's
    // own) are not configuration keys and are left alone.
    for (const auto& [dotted, key] : keys()) {
        const std::string name = environment_name(dotted);
        for (const auto& [variable, value] : environment) {
            if (variable == name) {
                key.from_text(loaded.config, name, value);
            }
        }
    }
    return loaded;
}

std::size_t Config::http_io_threads() const {
    if (http.threads > 0) {
        return static_cast<std::size_t>(http.threads);
    }
    const std::size_t cores = std::max(2U, std::thread::hardware_concurrency());
    return database.url.starts_with("sqlite:") ? cores : 4 * cores;
}

}  // namespace coalition::app
