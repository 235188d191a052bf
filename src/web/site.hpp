#pragma once
// web::Site: what the site's handlers need, built once by app/wiring.cpp and passed to
// register_routes. Handlers call these services; they never run SQL themselves.

#include "accounts/accounts.hpp"
#include "archive/archive.hpp"
#include "lists/bounces.hpp"
#include "lists/intake.hpp"
#include "lists/lists.hpp"
#include "mail/outbox.hpp"
#include "processes/followers.hpp"
#include "processes/processes.hpp"
#include "publications/publications.hpp"
#include "responses/announcements.hpp"
#include "responses/responses.hpp"
#include "signon/signon.hpp"
#include "statement/statement.hpp"
#include "store/database.hpp"
#include "web/pdf_downloads.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace coalition::web {

class Router;
class Metrics;
class Pages;

struct SiteSettings {
    std::string name;             // "Coalition"
    std::string base_url;         // "https://coalition.example.org", no trailing slash.
    std::string contact_email;    // Shown in the footer.
    std::string site_secret;      // Keys CSRF tokens; shared by every server of one installation.
    bool secure_cookies = false;  // True when base_url is https.
};

// References only: everything here outlives the HTTP server.
struct Site {
    SiteSettings settings;
    store::Database& database;
    mail::Outbox& outbox;
    accounts::Organisations& organisations;
    accounts::Users& users;
    accounts::Sessions& sessions;
    accounts::SignInLinks& sign_in;
    accounts::AuditLog& audit;
    signon::Signatures& signatures;
    signon::TransparencyLog& transparency_log;
    statement::Statements& statements;
    processes::Processes& processes;
    Metrics& metrics;
    const Pages& pages;
    // Mailing lists (issue #4). Null until app/ wires them: the list pages then answer 503.
    lists::Lists* lists = nullptr;
    lists::Subscriptions* subscriptions = nullptr;
    lists::Intake* intake = nullptr;
    lists::Bounces* bounces = nullptr;
    // The list archives (issue #7). Null until app/ wires it: the archive pages then answer 503.
    archive::Archive* archive = nullptr;
    // Process followers (issue #6). Null until app/ wires them: the follow pages then answer 503.
    processes::Followers* followers = nullptr;
    // Bearer tokens of the JSON API. Null: the API knows no token (writes answer 401).
    accounts::ApiTokens* api_tokens = nullptr;
    // Joint responses (issue #5). Null until app/ wires them: the response pages then answer 503.
    responses::Responses* responses = nullptr;
    // Their endorsement half (issue #5). Null until app/ wires it: those pages then answer 503.
    responses::Endorsements* endorsements = nullptr;
    // Their announcements on mailing lists (issue #5). Null until app/ wires them: 503.
    responses::Announcements* announcements = nullptr;
    // Publications (issue #5). Null until app/ wires it: the publication pages then answer 503.
    publications::Publications* publications = nullptr;
    // The published joint responses as entries of /publications and its feed (kind "response",
    // path "/responses/SLUG"); null = none yet. Called on every request of those pages.
    std::function<std::vector<publications::Entry>()> published_responses{};
    // Rendered PDFs, shared by every page that offers one (publications, published responses).
    std::shared_ptr<PdfDownloads> pdf_downloads = std::make_shared<PdfDownloads>();
};

// Registers every route of the site on `router` — web/routes.cpp holds the one route table —
// together with the visitor resolver (session and language cookies) and the error page renderer.
void register_routes(Router& router, Site& site);

}  // namespace coalition::web
