#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/pages/pages.hpp"
#include "web/pages/process_pages.hpp"

namespace coalition::web {

HomePages::HomePages(Site& site, std::shared_ptr<const ProcessPages> processes)
    : site_(site),
      processes_(std::move(processes)),
      home_(site.pages.require("home")),
      upcoming_(site.pages.require("upcoming")) {
}

// The page's only data besides its text is the outlook panel, so it is kept as /processes is.
Response HomePages::home(Request& request) const {
    return processes_->home(request, home_);
}

Response HomePages::upcoming(Request& request, std::string_view title,
                             std::string_view summary) const {
    return render(site_, request, upcoming_, title,
                  {{"heading", translate(site_, request, title)},
                   {"summary", translate(site_, request, summary)}});
}

Response HomePages::lists(Request& request) const {
    return upcoming(
        request, i18n::gettext_noop("Mailing lists"),
        i18n::gettext_noop(
            "The coalition's lists for sharing news on UN and related processes and coordinating "
            "messages."));
}

Response HomePages::processes(Request& request) const {
    return upcoming(
        request, i18n::gettext_noop("Processes"),
        i18n::gettext_noop(
            "The Global Digital Compact, the WSIS+20 review, the Internet Governance Forum, "
            "NETmundial+10 and ICANN meetings: milestones and deadlines."));
}

}  // namespace coalition::web
