// Fuzzes app::load_config with the input written as the TOML file. An input may carry
// environment overrides after a line "#ENV": each following line "NAME=VALUE" becomes one.
// Invariant: never crashes; every failure is a core::StartupError with a one-line message.

#include "app/config.hpp"
#include "core/unavailable.hpp"
#include "fuzz_support.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kEnvironmentMarker = "\n#ENV\n";

// One file per fuzzing process, removed at exit.
const std::string& scratch_path() {
    static const std::string path = [] {
        std::string name = "/tmp/coalition-config-fuzz-" + std::to_string(::getpid()) + ".toml";
        std::atexit([] { std::remove(scratch_path().c_str()); });
        return name;
    }();
    return path;
}

coalition::app::Environment environment_from(std::string_view text) {
    coalition::app::Environment environment;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        const auto equals = line.find('=');
        if (equals != std::string_view::npos) {
            environment.emplace_back(std::string(line.substr(0, equals)),
                                     std::string(line.substr(equals + 1)));
        }
        if (end == std::string_view::npos) {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return environment;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto marker = input.find(kEnvironmentMarker);
    const std::string_view toml = input.substr(0, marker);
    const auto environment =
        marker == std::string_view::npos
            ? coalition::app::Environment{}
            : environment_from(input.substr(marker + kEnvironmentMarker.size()));

    std::FILE* file = std::fopen(scratch_path().c_str(), "wb");
    if (file == nullptr) {
        std::perror("config_fuzz: cannot write the scratch file");
        std::abort();
    }
    std::fwrite(toml.data(), 1, toml.size(), file);
    std::fclose(file);

    try {
        const auto loaded = coalition::app::load_config(scratch_path(), environment);
        COALITION_FUZZ_CHECK(loaded.config.http.max_body_bytes > 0,
                             "accepted a non-positive body limit", input);
    } catch (const coalition::core::StartupError& error) {
        const std::string_view message = error.what();
        COALITION_FUZZ_CHECK(!message.empty(), "a StartupError without a message", input);
        COALITION_FUZZ_CHECK(message.find('\n') == std::string_view::npos,
                             "a StartupError message spans lines", message);
    } catch (const std::exception& error) {
        std::fprintf(stderr,
                     "config_fuzz: load_config threw something other than StartupError: %s\n",
                     error.what());
        coalition::fuzz::invariant_broken("load_config threw a foreign exception", input);
    }
    return 0;
}
