#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/pages/pages.hpp"
#include "web/pages/process_pages.hpp"

namespace coalition::web {

HomePages::HomePages(Site& site)
    : site_(site), home_(site.pages.require("home")), upcoming_(site.pages.require("upcoming")) {
}

Response HomePages::home(Request& request) const {
    return render(site_, request, home_, "Home", process_outlook_data(site_, request));
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
