#include "core/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace coalition::core {

void assertion_failed(const char* condition, const char* why, const char* file, int line) {
    std::fprintf(stderr, "coalition: internal error: %s (%s) at %s:%d\n", why, condition, file,
                 line);
    std::abort();
}

}  // namespace coalition::core
