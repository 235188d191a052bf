// Fuzzes app::load_config with the input written as the TOML file. An input may carry
// environment overrides after a line "#ENV": each following line "NAME=VALUE" becomes one.
// Invariant: never crashes; every failure is a core::StartupError with a one-line message.

#include "app/config.hpp"
#include "core/unavailable.hpp"
#include "fuzz_support.hpp"

#include <sys/mman.h>
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

// The TOML file: an anonymous in-memory file (memfd), rewritten for each input and read back
// through /proc/self/fd, so nothing is left behind when the fuzzer stops on a crash.
struct ScratchFile {
    int descriptor = -1;
    std::string path;
};

const ScratchFile& scratch_file() {
    static const ScratchFile file = [] {
        ScratchFile created;
        created.descriptor = ::memfd_create("config_fuzz.toml", 0);
        if (created.descriptor < 0) {
            std::perror("config_fuzz: memfd_create");
            std::abort();
        }
        created.path = "/proc/self/fd/" + std::to_string(created.descriptor);
        return created;
    }();
    return file;
}

void write_scratch(std::string_view toml) {
    const ScratchFile& file = scratch_file();
    if (::ftruncate(file.descriptor, 0) != 0 || ::pwrite(file.descriptor, toml.data(), toml.size(),
                                                         0) != static_cast<ssize_t>(toml.size())) {
        std::perror("config_fuzz: cannot write the scratch file");
        std::abort();
    }
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

    write_scratch(toml);

    try {
        const auto loaded = coalition::app::load_config(scratch_file().path, environment);
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
