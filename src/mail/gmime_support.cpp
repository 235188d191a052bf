#include "mail/gmime_support.hpp"

#include <mutex>

namespace coalition::mail {

void ensure_gmime_initialised() {
    static std::once_flag once;
    // g_mime_init() is not thread-safe and must run before any other GMime call; it is never
    // undone (g_mime_shutdown at exit would race with a worker thread still composing).
    std::call_once(once, [] { g_mime_init(); });
}

std::string header_safe_text(std::string_view text) {
    GCharPtr valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
    std::string safe(valid.get());
    for (char& c : safe) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            c = ' ';
        }
    }
    return safe;
}

}  // namespace coalition::mail
