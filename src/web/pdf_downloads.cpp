#include "web/pdf_downloads.hpp"

#include "core/unavailable.hpp"
#include "publications/pdf.hpp"

#include <chrono>

namespace coalition::web {

core::Result<std::string> PdfDownloads::get(const std::string& key,
                                            const std::function<std::string()>& html) {
    {
        std::lock_guard lock(mutex_);
        if (const auto found = kept_.find(key); found != kept_.end()) {
            return found->second;
        }
    }
    if (!renders_.try_acquire_for(std::chrono::seconds(30))) {
        throw core::Unavailable("two PDF renders stayed busy for 30 s");
    }
    core::Result<std::string> rendered = core::Error{};
    try {
        rendered = publications::render_pdf(html());
    } catch (...) {
        renders_.release();
        throw;
    }
    renders_.release();
    if (!rendered) {
        return rendered;
    }
    std::lock_guard lock(mutex_);
    if (kept_.emplace(key, *rendered).second) {
        order_.push_back(key);
    }
    while (order_.size() > kKept) {
        kept_.erase(order_.front());
        order_.pop_front();
    }
    return rendered;
}

}  // namespace coalition::web
