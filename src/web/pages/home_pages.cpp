#include "web/page.hpp"
#include "web/pages/pages.hpp"

namespace coalition::web {

HomePages::HomePages(Site& site)
    : site_(site), home_(site.pages.require("home")), upcoming_(site.pages.require("upcoming")) {
}

Response HomePages::home(Request& request) const {
    return render(site_, request, home_, "Home");
}

Response HomePages::statement(Request& request) const {
    return render(
        site_, request, upcoming_, "Statement of Purpose",
        {{"heading", translate(site_, request, "Statement of Purpose")},
         {"summary", translate(site_, request,
                               "The coalition's Statement of Purpose, which organisations and "
                               "individuals can sign.")}});
}

Response HomePages::lists(Request& request) const {
    return render(
        site_, request, upcoming_, "Mailing lists",
        {{"heading", translate(site_, request, "Mailing lists")},
         {"summary", translate(site_, request,
                               "The coalition's lists for sharing news on UN and related processes "
                               "and coordinating messages.")}});
}

Response HomePages::processes(Request& request) const {
    return render(
        site_, request, upcoming_, "Processes",
        {{"heading", translate(site_, request, "Processes")},
         {"summary",
          translate(site_, request,
                    "The Global Digital Compact, the WSIS+20 review, the Internet Governance "
                    "Forum, NETmundial+10 and ICANN meetings: milestones and deadlines.")}});
}

}  // namespace coalition::web
