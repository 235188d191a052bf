#include "app/demo.hpp"

#include "app/demo_lists.hpp"
#include "app/demo_processes.hpp"
#include "app/demo_publications.hpp"
#include "app/demo_responses.hpp"
#include "app/demo_statement.hpp"

#include <stdexcept>
#include <vector>

namespace coalition::app {
namespace {

// Facts (names, countries, domains, websites) from shared/data/governance/organisations.json;
// the descriptions are our own words.
const std::vector<accounts::OrganisationDraft>& demo_organisations() {
    static const std::vector<accounts::OrganisationDraft> organisations = {
        {"Nominet UK", "Nominet", "nominet", "GB", "technical-community", "https://www.nominet.uk",
         "nominet.uk", "member",
         "Runs the .uk country-code top-level domain. A founding member of the coalition."},
        {".au Domain Administration", "auDA", "auda", "AU", "technical-community",
         "https://www.auda.org.au", "auda.org.au", "member",
         "Administers Australia's .au domain as a not-for-profit. A founding member of the "
         "coalition."},
        {"Canadian Internet Registration Authority", "CIRA", "cira", "CA", "technical-community",
         "https://www.cira.ca", "cira.ca", "member",
         "Manages the .ca domain for Canadians. A founding member of the coalition."},
        {"InternetNZ", "InternetNZ", "internetnz", "NZ", "technical-community",
         "https://internetnz.nz", "internetnz.nz", "member",
         "Looks after New Zealand's .nz domain and works for an open internet. A founding member "
         "of the "
         "coalition."},
        {"Council of European National Top-Level Domain Registries", "CENTR", "centr", "BE",
         "technical-community", "https://www.centr.org", "centr.org", "candidate",
         "The association of European country-code registries, with its secretariat in Brussels."},
        {"Africa Top Level Domains Organization", "AFTLD", "aftld", "MU", "technical-community",
         "https://aftld.org", "aftld.org", "candidate",
         "Brings together the registries of Africa's country-code domains."},
        {"Japan Network Information Center", "JPNIC", "jpnic", "JP", "technical-community",
         "https://www.nic.ad.jp", "nic.ad.jp", "candidate",
         "Japan's national internet registry for IP addresses and AS numbers."},
        {"Japan Registry Services", "JPRS", "jprs", "JP", "technical-community",
         "https://jprs.co.jp", "jprs.co.jp", "candidate", "Operates the .jp country-code domain."},
        {"Afnic", "Afnic", "afnic", "FR", "technical-community", "https://www.afnic.fr", "afnic.fr",
         "candidate", "The registry for .fr and several French overseas domains."},
        {"DENIC eG", "DENIC", "denic", "DE", "technical-community", "https://www.denic.de",
         "denic.de", "candidate", "The cooperative that runs Germany's .de domain."},
        {"CZ.NIC", "CZ.NIC", "cz-nic", "CZ", "technical-community", "https://www.nic.cz", "nic.cz",
         "candidate", "Runs the Czech .cz domain and develops open-source DNS software."},
        {"Brazilian Internet Steering Committee", "CGI.br", "cgi-br", "BR", "technical-community",
         "https://www.cgi.br", "cgi.br", "candidate",
         "Brazil's multistakeholder body that coordinates internet governance and the .br domain."},
    };
    return organisations;
}

struct DemoUser {
    const char* email;
    const char* name;
    accounts::Role role;
    const char* organisation_slug;  // Empty: none.
};

const std::vector<DemoUser>& demo_users() {
    static const std::vector<DemoUser> users = {
        {kDemoAdminEmail, "Secretariat (demo admin)", accounts::Role::Admin, ""},
        {"moderator@coalition.example", "List moderator (demo)", accounts::Role::Moderator, ""},
        {"policy@internetnz.example", "InternetNZ policy lead (demo)", accounts::Role::Member,
         "internetnz"},
        {"policy@cira.example", "CIRA policy lead (demo)", accounts::Role::Member, "cira"},
    };
    return users;
}

// Signatures the secretariat recorded for the demo: the founders (representatives at their own
// domains, so "organisation domain" verified), two candidates, and individuals — one of whom
// chose not to be shown. Names of people are invented.
const std::vector<signon::SignatureInput>& demo_signatures() {
    static const std::vector<signon::SignatureInput> signatures = [] {
        auto organisation = [](const char* name, const char* title, const char* email,
                               const char* org, const char* country, const char* domain) {
            signon::SignatureInput input;
            input.kind = "organisation";
            input.name = name;
            input.title = title;
            input.email = email;
            input.organisation_name = org;
            input.organisation_country = country;
            input.country = country;
            input.stakeholder_group = "technical-community";
            input.organisation_domain = domain;
            input.language = "en";
            return input;
        };
        auto individual = [](const char* name, const char* email, const char* country,
                             const char* affiliation, bool shown, const char* language) {
            signon::SignatureInput input;
            input.kind = "individual";
            input.name = name;
            input.email = email;
            input.country = country;
            input.affiliation = affiliation;
            input.show_publicly = shown;
            input.language = language;
            return input;
        };
        return std::vector<signon::SignatureInput>{
            organisation("Alex Morgan", "Chief Executive (demo)", "ceo@nominet.uk", "Nominet UK",
                         "GB", "nominet.uk"),
            organisation("Sam Taylor", "CEO (demo)", "ceo@auda.org.au", ".au Domain Administration",
                         "AU", "auda.org.au"),
            organisation("Jordan Lee", "President (demo)", "president@cira.ca",
                         "Canadian Internet Registration Authority", "CA", "cira.ca"),
            organisation("Riley Ngata", "Chief Executive (demo)", "ce@internetnz.nz", "InternetNZ",
                         "NZ", "internetnz.nz"),
            organisation("Camille Durand", "Directrice (démo)", "direction@afnic.fr", "Afnic", "FR",
                         "afnic.fr"),
            organisation("Kwame Mensah", "Secretary General (demo)", "sg@aftld.org", "AFTLD", "MU",
                         "aftld.org"),
            individual("Amara Okafor", "amara@example.org", "NG", "Internet Society chapter (demo)",
                       true, "en"),
            individual("Lucía Fernández", "lucia@example.es", "ES", "", true, "es"),
            individual("ليلى حسن", "layla@example.eg", "EG", "", true, "ar"),
            individual("Hidden signer", "private@example.net", "DE", "", false, "en"),
        };
    }();
    return signatures;
}

template <typename T>
T require(core::Result<T> result, const std::string& what) {
    if (!result) {
        throw std::runtime_error("demo data: " + what + ": " + result.error().message);
    }
    return std::move(result).value();
}

}  // namespace

std::string load_demo(Services& services, bool with_statement) {
    const auto actor = accounts::Actor::cli();
    for (const auto& draft : demo_organisations()) {
        auto fields = draft.validate();
        if (!fields) {
            throw std::runtime_error("demo data: " + draft.name + ": " +
                                     fields.errors().front().message);
        }
        require(services.organisations->ensure(actor, *fields), draft.name);
    }
    for (const auto& demo : demo_users()) {
        accounts::NewUser user{*core::Email::parse(demo.email), demo.name, demo.role, std::nullopt};
        if (*demo.organisation_slug != '\0') {
            user.organisation = services.organisations->find_by_slug(demo.organisation_slug)->id;
        }
        auto added = require(services.users->ensure_user(actor, user), demo.email);
        if (demo.role == accounts::Role::Admin && !added.has_password) {
            auto set = services.users->set_password(actor, added.id, kDemoAdminPassword);
            if (!set) {
                throw std::runtime_error("demo data: admin password: " + set.error().message);
            }
        }
    }
    const auto loaded_processes = load_demo_processes(*services.processes, actor);
    if (!with_statement) {
        return std::to_string(demo_organisations().size()) + " organisations and " +
               std::to_string(demo_users().size()) + " accounts are in place";
    }
    const auto loaded_lists = load_demo_lists(services, actor);
    if (services.responses) {
        load_demo_responses(*services.responses, *services.users, *services.processes);
    }
    load_demo_statement(*services.statements, actor);
    if (services.publications) {
        load_demo_publications(*services.publications, *services.processes, actor);
    }
    int signed_now = 0;
    if (const auto version = services.statements->current()) {
        for (const auto& input : demo_signatures()) {
            auto recorded = services.signatures->record_verified(
                actor, statement_campaign(), version->hash, input, services.config.site.base_url);
            if (recorded) {
                ++signed_now;
            } else if (recorded.error().code != core::ErrorCode::Conflict) {
                throw std::runtime_error("demo data: signature of " + input.name + ": " +
                                         recorded.error().message);
            }
        }
    }
    return std::to_string(demo_organisations().size()) + " organisations, " +
           std::to_string(demo_users().size()) + " accounts, the Statement of Purpose and " +
           std::to_string(demo_signatures().size()) + " signatures (" + std::to_string(signed_now) +
           " new) are in place, with " + std::to_string(loaded_processes.processes) +
           " processes and " + std::to_string(loaded_processes.milestones) + " milestones; " +
           (loaded_lists.lists == 0 ? std::string("the demo list was already there")
                                    : "the demo list " + std::string(kDemoListAddress) + " with " +
                                          std::to_string(loaded_lists.posts) + " archived posts");
}

}  // namespace coalition::app
