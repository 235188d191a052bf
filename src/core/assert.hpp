#pragma once
// COALITION_ASSERT: a broken invariant is a bug, never the consequence of input. Active in every
// build; prints where and why, then aborts.

namespace coalition::core {
[[noreturn]] void assertion_failed(const char* condition, const char* why, const char* file,
                                   int line);
}

#define COALITION_ASSERT(condition, why)                                              \
    do {                                                                              \
        if (!(condition)) {                                                           \
            ::coalition::core::assertion_failed(#condition, why, __FILE__, __LINE__); \
        }                                                                             \
    } while (false)
