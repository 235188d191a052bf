#include "app/demo_responses.hpp"

#include "app/demo.hpp"

#include <stdexcept>
#include <string>

namespace coalition::app {
namespace {

constexpr const char* kSlug = "gdc-written-input";

constexpr const char* kDraft =
    "# Written input to the Global Digital Compact\n\n"
    "The undersigned organisations of the internet technical community welcome the invitation "
    "to contribute to the Global Digital Compact.\n\n"
    "## An open, interoperable internet\n\n"
    "The internet works because its technical standards are open and developed bottom-up, in "
    "bodies anyone can join.\n\n"
    "We ask that the Compact commit to the multistakeholder model of internet governance.\n\n"
    "## Requests to the co-facilitators\n\n"
    "Consult the technical community before each revision of the text.\n";

template <typename T>
T require(core::Result<T> result, const std::string& what) {
    if (!result) {
        throw std::runtime_error("demo data: " + what + ": " + result.error().message);
    }
    return std::move(result).value();
}

std::optional<accounts::User> user(const accounts::Users& users, const char* address) {
    auto email = core::Email::parse(address);
    return email ? users.find_by_email(*email) : std::nullopt;
}

}  // namespace

void load_demo_responses(responses::Responses& responses, const accounts::Users& users,
                         const processes::Processes& processes) {
    const auto admin = user(users, kDemoAdminEmail);
    const auto internetnz = user(users, "policy@internetnz.example");
    const auto cira = user(users, "policy@cira.example");
    const auto gdc = processes.find("gdc");
    if (!admin || !internetnz || !cira || !gdc) {
        return;
    }
    const auto as_admin = accounts::Actor::user(admin->id);
    if (responses.find(as_admin, kSlug)) {
        return;
    }
    responses::ResponseFields fields;
    fields.title = "Written input to the Global Digital Compact";
    fields.slug = *accounts::Slug::parse(kSlug);
    for (const auto& milestone : gdc->milestones) {
        if (milestone.uid == "gdc-written-input-deadline") {
            fields.milestone = milestone.id;
        }
    }
    require(responses.create(as_admin, fields, kDraft, {internetnz->id}), "the demo response");
    const auto as_internetnz = accounts::Actor::user(internetnz->id);
    const auto as_cira = accounts::Actor::user(cira->id);
    auto question = require(
        responses.comment(as_cira, kSlug, "p-5",
                          "Should we name the IGF as the place where this model already works?"),
        "a demo comment");
    require(responses.comment(as_internetnz, kSlug, "p-5",
                              "Yes: one sentence on the IGF's mandate renewal would help.",
                              question.id),
            "a demo reply");
    require(responses.comment(as_internetnz, kSlug, "p-7",
                              "Could we give a date for the first consultation?"),
            "a demo comment");
    require(responses.propose(as_cira, kSlug, "p-5",
                              "We ask that the Compact commit to the multistakeholder model of "
                              "internet governance, as practised at the Internet Governance "
                              "Forum.",
                              "Names the IGF, as discussed in the comments."),
            "a demo amendment");
}

}  // namespace coalition::app
