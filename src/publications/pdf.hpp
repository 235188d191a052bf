#pragma once
// HTML → print-ready PDF through headless Chromium (Debian's chromium; the measurements that
// chose it over WeasyPrint are in docs/DECISIONS.md). The renderer runs as a child process
// without a shell, in its own process group, with a time limit (the whole group is killed when it
// passes), a limit on the size of the files it writes, network requests sent to a closed port,
// and a private temporary directory (the HTML, the PDF and the browser profile) removed on every
// path. Scripts are the document's to forbid: give it a Content-Security-Policy <meta>
// (templates/publication_print.mustache has one: nothing but inline styles). Fonts come from Debian
// (fonts-noto-core, fonts-noto-cjk): the caller's stylesheet names them, so Arabic is shaped right
// to left and Chinese is not tofu.

#include "core/result.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace coalition::publications {

struct PdfOptions {
    // The browser binary (Debian's real one, not the /usr/bin/chromium shell wrapper). Any
    // program taking Chromium's arguments works (tests use a script that hangs).
    std::string renderer = "/usr/lib/chromium/chromium";
    std::chrono::milliseconds time_limit{20'000};
    std::size_t max_bytes =
        std::size_t{32} * 1024 * 1024;  // Of the PDF, and of any one file the child writes.
    std::string temp_directory;         // "" = std::filesystem::temp_directory_path().
};

// Renders the complete HTML document `html` (UTF-8; its <style> holds the print stylesheet and
// @page rules) to PDF bytes ("%PDF-…"). Fails with TooLarge when the PDF would be larger than
// options.max_bytes. Throws core::Unavailable when the renderer is missing, fails, writes no PDF,
// or runs past options.time_limit (it is killed with its children first). Thread-safe: each call
// has its own child and directory. Blocks for the renderer's run (about 2 s, see DECISIONS.md).
core::Result<std::string> render_pdf(const std::string& html, const PdfOptions& options = {});

}  // namespace coalition::publications
