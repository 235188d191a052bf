#pragma once
// core::Unavailable: infrastructure lost mid-request (database gone, relay down). Thrown by the
// store and mail layers, caught at the edges: HTTP answers 503, LMTP 451 4.3.0, a worker retries.

#include <stdexcept>
#include <string>

namespace coalition::core {

class Unavailable : public std::runtime_error {
public:
    explicit Unavailable(const std::string& what) : std::runtime_error(what) {}
};

// A start-up failure (bad configuration, unreachable database): main prints it as one line and
// exits 1 (or 2 for usage errors).
class StartupError : public std::runtime_error {
public:
    explicit StartupError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace coalition::core
