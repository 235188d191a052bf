#pragma once
// web::PdfDownloads: PDFs rendered from our own print HTML by publications::render_pdf (headless
// Chromium, about 2 s of CPU each), kept by key so that a document is rendered once per
// revision, with at most two renders at once (each Chromium takes ~230 MB). Used by the
// publication and published-response pages.

#include "core/result.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <semaphore>
#include <string>

namespace coalition::web {

class PdfDownloads {
public:
    static constexpr std::size_t kKept = 16;

    // The PDF kept for `key` (which must name the document's revision), or `html()` rendered
    // and kept. Errors are render_pdf's (TooLarge); throws core::Unavailable when the renderer
    // fails or two renders stay busy for 30 s.
    core::Result<std::string> get(const std::string& key, const std::function<std::string()>& html);

private:
    std::mutex mutex_;
    std::map<std::string, std::string> kept_;  // Guarded by mutex_.
    std::deque<std::string> order_;            // Guarded by mutex_; oldest first.
    std::counting_semaphore<2> renders_{2};
};

}  // namespace coalition::web
