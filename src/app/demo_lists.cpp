#include "app/demo_lists.hpp"

#include "app/demo.hpp"
#include "lists/intake.hpp"
#include "lists/lists.hpp"
#include "lists/subscriptions.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace coalition::app {
namespace {

struct DemoPost {
    const char* message_id;
    const char* in_reply_to;  // "" for a thread's first message.
    const char* from;         // A demo account: members may post.
    const char* name;
    const char* date;  // RFC 5322.
    const char* subject;
    const char* body;
};

// Demo text, written for the demo: it describes no real position of any organisation.
const std::vector<DemoPost>& demo_posts() {
    static const std::vector<DemoPost> posts = {
        {"demo-welcome@coalition.example", "", kDemoAdminEmail, "Secretariat (demo admin)",
         "Mon, 07 Sep 2026 09:00:00 +0000", "Welcome to the coalition list (demo)",
         "Dear colleagues,\n\nThis is the coalition's main list, where we share news of UN and "
         "related processes\nand coordinate our messaging. The process tracker on the site lists "
         "the deadlines.\n\nThis archive is demo content.\n\n-- \nThe secretariat (demo)\n"},
        {"demo-wsis-1@internetnz.example", "", "policy@internetnz.example",
         "InternetNZ policy lead (demo)", "Tue, 15 Sep 2026 21:14:00 +1200",
         "WSIS+20: points for our input on the elements paper (demo)",
         "Hi all,\n\nA first list of points we could make together in the WSIS+20 input:\n\n"
         "1. The multistakeholder model is how the internet's technical coordination works;\n"
         "   the review should say so plainly.\n"
         "2. The IGF deserves a permanent mandate and stable funding.\n"
         "3. Avoid duplicating, in new UN bodies, work already done elsewhere.\n\n"
         "Comments welcome by the end of the week.\n\n-- \nInternetNZ policy lead (demo)\n"},
        {"demo-wsis-2@cira.example", "demo-wsis-1@internetnz.example", "policy@cira.example",
         "CIRA policy lead (demo)", "Wed, 16 Sep 2026 10:02:00 -0400",
         "Re: WSIS+20: points for our input on the elements paper (demo)",
         "Bonjour à toutes et à tous,\n\n> 2. The IGF deserves a permanent mandate and stable "
         "funding.\n\nNous soutenons ce point. Nous pourrions ajouter une phrase sur la "
         "participation\ndes pays en développement aux consultations.\n\n-- \nCIRA policy lead "
         "(demo)\n"},
        {"demo-wsis-3@coalition.example", "demo-wsis-2@cira.example", kDemoAdminEmail,
         "Secretariat (demo admin)", "Thu, 17 Sep 2026 08:30:00 +0000",
         "Re: WSIS+20: points for our input on the elements paper (demo)",
         "Thanks both. I have gathered the three points and the addition on participation into\n"
         "a draft; it will be on the site for comments next week.\n\n-- \nThe secretariat "
         "(demo)\n"},
        {"demo-igf-1@cira.example", "", "policy@cira.example", "CIRA policy lead (demo)",
         "Mon, 05 Oct 2026 14:45:00 -0400", "IGF 2026: who attends which sessions? (demo)",
         "Hello,\n\nTo avoid two of us in the same room while another session on the IGF's\n"
         "future goes unattended, could each member say which sessions they plan to attend?\n\n"
         "-- \nCIRA policy lead (demo)\n"},
        {"demo-igf-2@internetnz.example", "demo-igf-1@cira.example", "policy@internetnz.example",
         "InternetNZ policy lead (demo)", "Tue, 06 Oct 2026 09:20:00 +1300",
         "Re: IGF 2026: who attends which sessions? (demo)",
         "We will cover the main session on the IGF mandate and the parliamentary track.\n\n"
         "-- \nInternetNZ policy lead (demo)\n"},
    };
    return posts;
}

std::string raw_message(const DemoPost& post) {
    std::string raw = "From: " + std::string(post.name) + " <" + post.from + ">\r\n";
    raw += "To: " + std::string(kDemoListAddress) + "\r\n";
    raw += "Subject: " + std::string(post.subject) + "\r\n";
    raw += "Date: " + std::string(post.date) + "\r\n";
    raw += "Message-ID: <" + std::string(post.message_id) + ">\r\n";
    if (*post.in_reply_to != '\0') {
        raw += "In-Reply-To: <" + std::string(post.in_reply_to) + ">\r\n";
        raw += "References: <" + std::string(post.in_reply_to) + ">\r\n";
    }
    raw +=
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n";
    for (const char* c = post.body; *c != '\0'; ++c) {
        raw += *c == '\n' ? std::string("\r\n") : std::string(1, *c);
    }
    return raw;
}

lists::List create_demo_list(Services& services, const accounts::Actor& actor) {
    auto list = services.lists->create(
        actor, lists::NewList{.address = kDemoListAddress,
                              .owners = {*core::Email::parse(kDemoAdminEmail)},
                              .moderators = {*core::Email::parse("moderator@coalition.example")},
                              .display_name = "Coalition (demo)",
                              .description = "The coalition's main list: news of UN and related "
                                             "processes, and coordination of our messaging."});
    if (!list) {
        throw std::runtime_error("demo data: list: " + list.error().message);
    }
    auto settings = list->settings;
    settings.archive_visibility = lists::ArchiveVisibility::Public;
    list = services.lists->update_settings(actor, list->id, settings);
    if (!list) {
        throw std::runtime_error("demo data: list settings: " + list.error().message);
    }
    return *list;
}

}  // namespace

DemoListsLoaded load_demo_lists(Services& services, const accounts::Actor& actor) {
    if (services.lists->find_by_address(*core::Email::parse(kDemoListAddress))) {
        return {};
    }
    const auto list = create_demo_list(services, actor);
    std::vector<lists::NewMember> members;
    for (const auto* email : {kDemoAdminEmail, "moderator@coalition.example",
                              "policy@internetnz.example", "policy@cira.example"}) {
        members.push_back({*core::Email::parse(email), ""});
    }
    services.subscriptions->add_members(actor, list, members, lists::Welcome::Skip);
    DemoListsLoaded loaded{.lists = 1, .posts = 0};
    for (const auto& post : demo_posts()) {
        auto taken = services.intake->receive(kDemoListAddress, post.from, raw_message(post),
                                              lists::PostSource::Inject);
        if (!taken || taken->kind != lists::Disposition::Kind::Accepted) {
            throw std::runtime_error(std::string("demo data: post ") + post.message_id + ": " +
                                     (taken ? taken->reason : taken.error().message));
        }
        ++loaded.posts;
    }
    return loaded;
}

}  // namespace coalition::app
