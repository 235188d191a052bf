#include "app/cli.hpp"

#include <cstdlib>

int main(int argc, char** argv) {
    // GLib's slice allocator (every GMime object comes from it) serialises threads on its
    // magazines; plain malloc measured faster here (bench/signon.sh). Set before any thread or
    // GLib call exists; an operator's own G_SLICE wins.
    setenv("G_SLICE", "always-malloc", 0);  // NOLINT(concurrency-mt-unsafe): no thread yet.
    return coalition::app::run(argc, argv);
}
