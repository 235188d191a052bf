#include "app/demo_publications.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace coalition::app {
namespace {

std::vector<publications::PublicationDraft> demo_drafts(const processes::Processes& processes) {
    // The demo processes name the Global Digital Compact "gdc" when they are loaded.
    const std::string gdc = processes.find("gdc") ? "gdc" : "";
    return {
        publications::PublicationDraft{
            .kind = "news",
            .title = "Demo news: the coalition opens its publications section",
            .slug = "demo-publications-open",
            .language = "en",
            .process = "",
            .summary = "Demo content. Position papers, news and the texts members deliver at "
                       "meetings now have one home.",
            .markdown = "*This is demo content.*\n\n"
                        "The coalition now publishes its **position papers**, short news and the "
                        "record of statements delivered on its behalf in one place, with an Atom "
                        "feed at `/publications/feed.atom`.\n\n"
                        "Each text can be downloaded as PDF, Markdown or plain text.\n"},
        publications::PublicationDraft{
            .kind = "position-paper",
            .title = "Demo position paper: keeping internet governance multistakeholder",
            .slug = "demo-position-multistakeholder",
            .language = "en",
            .process = gdc,
            .summary = "Demo content. Why technical-community organisations ask that the Global "
                       "Digital Compact's follow-up build on existing multistakeholder bodies.",
            .markdown =
                "*This is demo content, not a position of any organisation.*\n\n"
                "# Summary\n\n"
                "The internet works because its technical coordination is open, bottom-up and "
                "inclusive. We ask that follow-up mechanisms build on the IGF and existing "
                "institutions rather than duplicate them.\n\n"
                "# Recommendations\n\n"
                "1. Strengthen the Internet Governance Forum and give it stable funding.\n"
                "2. Include the technical community in every follow-up process.\n"
                "3. Keep reviews open to written input from all stakeholders.\n\n"
                "# Languages\n\n"
                "نحن ندعم نموذج أصحاب المصلحة المتعددين في حوكمة الإنترنت.\n\n"
                "我们支持多利益相关方的互联网治理模式。\n"},
    };
}

}  // namespace

int load_demo_publications(publications::Publications& publications,
                           const processes::Processes& processes, const accounts::Actor& actor) {
    int count = 0;
    for (const auto& draft : demo_drafts(processes)) {
        auto fields = publications::validate(draft);
        if (!fields) {
            throw std::runtime_error("demo data: " + draft.title + ": " +
                                     fields.errors().front().field + ": " +
                                     fields.errors().front().message);
        }
        auto published = publications.ensure_published(actor, *fields);
        if (!published) {
            throw std::runtime_error("demo data: " + draft.title + ": " +
                                     published.error().message);
        }
        ++count;
    }
    return count;
}

}  // namespace coalition::app
