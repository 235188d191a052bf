#pragma once
// RAII for GMime's GObjects and its one-time initialisation. Internal to mail/: nothing outside
// this module includes GMime headers.

#include <gmime/gmime.h>

#include <memory>
#include <string>
#include <string_view>

namespace coalition::mail {

// Calls g_mime_init() exactly once per process, from whichever thread gets here first.
// Thread-safe. Every function that touches GMime calls it first.
void ensure_gmime_initialised();

struct GObjectUnref {
    void operator()(void* object) const {
        if (object != nullptr) {
            g_object_unref(object);
        }
    }
};

// Owns one reference to a GObject (a GMimeMessage, InternetAddress, GMimeStream, …).
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFreeDeleter {
    void operator()(void* memory) const { g_free(memory); }
};
// Owns a string GLib allocated (g_mime_object_to_string and friends).
using GCharPtr = std::unique_ptr<char, GFreeDeleter>;

struct GDateTimeUnref {
    void operator()(GDateTime* date) const {
        if (date != nullptr) {
            g_date_time_unref(date);
        }
    }
};
using GDateTimePtr = std::unique_ptr<GDateTime, GDateTimeUnref>;

struct FormatOptionsFree {
    void operator()(GMimeFormatOptions* options) const { g_mime_format_options_free(options); }
};
using FormatOptionsPtr = std::unique_ptr<GMimeFormatOptions, FormatOptionsFree>;

// `text` as well-formed UTF-8 that is safe inside one header field: invalid sequences become
// U+FFFD, and CR, LF and every other control character become a space, so a value can never
// start a new header line (header injection).
std::string header_safe_text(std::string_view text);

}  // namespace coalition::mail
