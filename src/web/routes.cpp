// The one route table of the site (shared/STYLE.md §10.7): every URL, its method, its handler and
// who may use it. Plus what runs before every handler: the visitor resolver (language, session)
// and the error pages.

#include "core/random.hpp"
#include "i18n/i18n.hpp"
#include "web/api/archive_api.hpp"
#include "web/api/log_api.hpp"
#include "web/api/processes_api.hpp"
#include "web/api/signatories_api.hpp"
#include "web/api/signatures_api.hpp"
#include "web/page.hpp"
#include "web/pages/archive_pages.hpp"
#include "web/pages/list_admin_pages.hpp"
#include "web/pages/list_pages.hpp"
#include "web/pages/pages.hpp"
#include "web/pages/process_document_pages.hpp"
#include "web/pages/process_follow_pages.hpp"
#include "web/pages/process_pages.hpp"
#include "web/pages/publication_pages.hpp"
#include "web/pages/response_announce_pages.hpp"
#include "web/pages/response_endorsement_pages.hpp"
#include "web/pages/response_pages.hpp"
#include "web/pages/signatories_pages.hpp"
#include "web/pages/signon_admin_pages.hpp"
#include "web/pages/statement_admin_pages.hpp"
#include "web/pages/statement_pages.hpp"
#include "web/router.hpp"
#include "web/site.hpp"

#include <memory>

namespace coalition::web {
namespace {

constexpr auto kLanguageCookieLifetime = std::chrono::hours(24 * 365);

// The visitor's language: ?lang= (remembered in a cookie), else the cookie, else
// Accept-Language.
void resolve_language(const Site& site, Request& request, Response& response) {
    if (auto chosen = request.query_value("lang")) {
        if (const auto* language = i18n::find_language(*chosen)) {
            request.visitor.language = language->tag;
            auto options = cookie_options(site);
            options.max_age =
                std::chrono::duration_cast<std::chrono::seconds>(kLanguageCookieLifetime);
            response.set_cookie(kLanguageCookie, language->tag, options);
            return;
        }
    }
    if (auto remembered = request.cookie(kLanguageCookie)) {
        if (const auto* language = i18n::find_language(*remembered)) {
            request.visitor.language = language->tag;
            return;
        }
    }
    request.visitor.language = i18n::negotiate(request.headers.value("Accept-Language"));
}

// The signed-in user from the session cookie, or the anonymous visitor's form secret.
void resolve_session(Site& site, Request& request, Response& response) {
    if (auto token = request.cookie(kSessionCookie)) {
        if (auto session = site.sessions.find_session(*token)) {
            request.visitor.user_id = session->user.id.value();
            request.visitor.display_name = session->user.name();
            request.visitor.role = std::string(accounts::id(session->user.role));
            request.visitor.csrf_secret = session->csrf_secret;
            request.visitor.session_token_hash_or_anon_id = core::hash_token(std::string(*token));
            return;
        }
        response.clear_cookie(kSessionCookie,
                              cookie_options(site));  // Expired or signed out elsewhere.
    }
    if (auto anonymous = request.cookie(kAnonymousCookie); anonymous && !anonymous->empty()) {
        request.visitor.csrf_secret = std::string(*anonymous);
        request.visitor.session_token_hash_or_anon_id = std::string(*anonymous);
    }
}

// `Authorization: Bearer TOKEN` (RFC 6750 §2.1) names the user the API acts for; an unknown token
// leaves the visitor anonymous, so a write answers 401.
void resolve_bearer(Site& site, Request& request) {
    constexpr std::string_view kScheme = "Bearer ";
    const std::string_view header = request.headers.value("Authorization");
    if (header.size() <= kScheme.size() || header.substr(0, kScheme.size()) != kScheme) {
        return;
    }
    if (auto user = site.api_tokens->authenticate(header.substr(kScheme.size()))) {
        request.visitor.user_id = user->id.value();
        request.visitor.display_name = user->name();
        request.visitor.role = std::string(accounts::id(user->role));
    }
}

}  // namespace

void register_routes(Router& router, Site& site) {
    router.set_visitor_resolver([&site](Request& request, Response& response) {
        resolve_language(site, request, response);
        // The archive's read-only API honours a browser's session, as the archive pages do.
        const bool archive_api =
            (request.method == Method::Get || request.method == Method::Head) &&
            (request.path.rfind("/api/v1/lists", 0) == 0 ||
             request.path.rfind("/api/v1/messages/", 0) == 0);
        if ((!request.is_api() || archive_api) && request.path.rfind("/static/", 0) != 0 &&
            request.path != "/healthz" && request.path != "/metrics") {
            resolve_session(site, request, response);
        }
        // The API's writers (processes) present a bearer token (accounts::ApiTokens).
        if (request.is_api() && site.api_tokens != nullptr) {
            resolve_bearer(site, request);
        }
    });
    router.set_error_page_renderer([&site](const Request& request, int status, std::string_view) {
        return error_page(site, request, status);
    });

    auto process_pages = std::make_shared<ProcessPages>(site);
    auto home = std::make_shared<HomePages>(site, process_pages);
    auto members = std::make_shared<MembersPages>(site);
    auto sign_in = std::make_shared<SignInPages>(site);
    auto admin = std::make_shared<AdminPages>(site);
    auto api = std::make_shared<OrganisationsApi>(site);
    auto system = std::make_shared<SystemPages>(site);
    auto signatories = std::make_shared<SignatoriesPages>(site);
    auto signatories_api = std::make_shared<SignatoriesApi>(site);
    auto signon_admin = std::make_shared<SignOnAdminPages>(site);
    auto statement_admin = std::make_shared<StatementAdminPages>(site);
    auto statement = std::make_shared<StatementPages>(site);
    auto signatures_api = std::make_shared<SignaturesApi>(site);
    auto log_api = std::make_shared<LogApi>(site);
    auto list_pages = std::make_shared<ListPages>(site);
    auto list_admin = std::make_shared<ListAdminPages>(site);
    auto document_pages = std::make_shared<ProcessDocumentPages>(site);
    auto process_follow = std::make_shared<ProcessFollowPages>(site);
    auto processes_api = std::make_shared<ProcessesApi>(site);
    auto archive_pages = std::make_shared<ArchivePages>(site);
    auto archive_api = std::make_shared<ArchiveApi>(site);
    auto response_pages = std::make_shared<ResponsePages>(site);
    auto endorsement_pages = std::make_shared<ResponseEndorsementPages>(site, response_pages);
    auto announce_pages = std::make_shared<ResponseAnnouncePages>(site);
    auto publication_pages = std::make_shared<PublicationPages>(site);

    // Binds a member function of a shared page object as a handler.
    auto bind = [](auto object, auto member) {
        return [object, member](Request& request) { return ((*object).*member)(request); };
    };
    using M = Method;
    using A = Access;
    // clang-format off
    router.add(M::Get,  "/",                                bind(home, &HomePages::home),                   A::Public);
    router.add(M::Get,  "/statement",                       bind(statement, &StatementPages::statement),    A::Public);
    router.add(M::Post, "/statement/sign",                  bind(statement, &StatementPages::sign),         A::Public);
    router.add(M::Get,  "/statement/versions",              bind(statement, &StatementPages::versions),     A::Public);
    router.add(M::Get,  "/statement/versions/:hash",        bind(statement, &StatementPages::version),      A::Public);
    router.add(M::Get,  "/statement/confirm/:token",        bind(statement, &StatementPages::confirm_form), A::Public);
    router.add(M::Post, "/statement/confirm/:token",        bind(statement, &StatementPages::confirm),      A::Public);
    router.add(M::Get,  "/statement/withdraw/:token",       bind(statement, &StatementPages::withdraw_form), A::Public);
    router.add(M::Post, "/statement/withdraw/:token",       bind(statement, &StatementPages::withdraw),     A::Public);
    router.add(M::Get,  "/statement/verify/:token",         bind(statement, &StatementPages::verify_form),  A::Public);
    router.add(M::Post, "/statement/verify/:token",         bind(statement, &StatementPages::verify),       A::Public);
    router.add(M::Post, "/api/v1/signatures",               bind(signatures_api, &SignaturesApi::create),   A::Public);
    router.add(M::Get,  "/statement/signatories",           bind(signatories, &SignatoriesPages::list),     A::Public);
    router.add(M::Get,  "/statement/signatories.csv",       bind(signatories, &SignatoriesPages::csv),      A::Public);
    router.add(M::Get,  "/statement/badge.svg",             bind(signatories, &SignatoriesPages::badge),    A::Public);
    router.add(M::Get,  "/api/v1/signatures",               bind(signatories_api, &SignatoriesApi::list),   A::Public);
    router.add(M::Get,  "/api/v1/log/sth",                  bind(log_api, &LogApi::tree_head),              A::Public);
    router.add(M::Get,  "/api/v1/log/entries",              bind(log_api, &LogApi::entries),                A::Public);
    router.add(M::Get,  "/api/v1/log/proof/inclusion",      bind(log_api, &LogApi::inclusion_proof),        A::Public);
    router.add(M::Get,  "/api/v1/log/proof/consistency",    bind(log_api, &LogApi::consistency_proof),      A::Public);
    router.add(M::Get,  "/api/v1/log/key",                  bind(log_api, &LogApi::key),                    A::Public);
    router.add(M::Get,  "/admin/signatures",                bind(signon_admin, &SignOnAdminPages::queue),   A::Moderator);
    router.add(M::Post, "/admin/signatures/:id/approve",    bind(signon_admin, &SignOnAdminPages::approve), A::Moderator);
    router.add(M::Post, "/admin/signatures/:id/reject",     bind(signon_admin, &SignOnAdminPages::reject),  A::Moderator);
    router.add(M::Post, "/admin/signatures/:id/ask",        bind(signon_admin, &SignOnAdminPages::ask),     A::Moderator);
    router.add(M::Get,  "/admin/signatures/bursts",         bind(signon_admin, &SignOnAdminPages::bursts),  A::Moderator);
    router.add(M::Post, "/admin/signatures/cancel",         bind(signon_admin, &SignOnAdminPages::cancel),  A::Moderator);
    router.add(M::Get,  "/admin/signatures/erase",          bind(signon_admin, &SignOnAdminPages::erase_form), A::Admin);
    router.add(M::Post, "/admin/signatures/erase",          bind(signon_admin, &SignOnAdminPages::erase),   A::Admin);
    router.add(M::Get,  "/lists",                           bind(list_pages, &ListPages::index),            A::Public);
    router.add(M::Get,  "/lists/:name",                     bind(list_pages, &ListPages::info),             A::Public);
    router.add(M::Post, "/lists/:name/subscribe",           bind(list_pages, &ListPages::subscribe),        A::Public);
    router.add(M::Post, "/lists/:name/unsubscribe",         bind(list_pages, &ListPages::request_unsubscribe), A::Public);
    router.add(M::Get,  "/lists/:name/confirm/:token",      bind(list_pages, &ListPages::confirm_form),     A::Public);
    router.add(M::Post, "/lists/:name/confirm/:token",      bind(list_pages, &ListPages::confirm),          A::Public);
    router.add(M::Get,  "/lists/:name/unsubscribe/:token",  bind(list_pages, &ListPages::unsubscribe_form), A::Public);
    // RFC 8058 one-click: mail clients POST without cookies or token; the handler checks CSRF.
    router.add(M::Post, "/lists/:name/unsubscribe/:token",  bind(list_pages, &ListPages::unsubscribe),      A::Public, CsrfCheck::ByHandler);
    router.add(M::Get,  "/lists/:name/preferences/:token",  bind(list_pages, &ListPages::preferences_form), A::Public);
    router.add(M::Post, "/lists/:name/preferences/:token",  bind(list_pages, &ListPages::save_preferences), A::Public);
    router.add(M::Get,  "/lists/:name/post",                bind(list_pages, &ListPages::post_form),        A::Member);
    router.add(M::Post, "/lists/:name/post",                bind(list_pages, &ListPages::post),             A::Member);
    router.add(M::Get,  "/lists/:name/moderation",          bind(list_admin, &ListAdminPages::moderation),  A::Member);
    router.add(M::Post, "/lists/:name/moderation/:post",    bind(list_admin, &ListAdminPages::moderate),    A::Member);
    router.add(M::Get,  "/lists/:name/admin",               bind(list_admin, &ListAdminPages::settings),    A::Member);
    router.add(M::Post, "/lists/:name/admin",               bind(list_admin, &ListAdminPages::save_settings), A::Member);
    router.add(M::Post, "/lists/:name/admin/roles",         bind(list_admin, &ListAdminPages::save_roles),  A::Member);
    router.add(M::Get,  "/admin/lists",                     bind(list_admin, &ListAdminPages::site_lists),  A::Admin);
    router.add(M::Post, "/admin/lists",                     bind(list_admin, &ListAdminPages::create_list), A::Admin);
    // List archives (issue #7): every handler checks the list's archive visibility itself.
    router.add(M::Get,  "/lists/:name/archive",             bind(archive_pages, &ArchivePages::index),      A::Public);
    router.add(M::Get,  "/lists/:name/archive/:month",      bind(archive_pages, &ArchivePages::month),      A::Public);
    router.add(M::Get,  "/lists/:name/t/:thread",           bind(archive_pages, &ArchivePages::thread),     A::Public);
    router.add(M::Get,  "/lists/:name/t/:thread/export.mbox", bind(archive_pages, &ArchivePages::export_thread), A::Public);
    router.add(M::Get,  "/lists/:name/m/:id",               bind(archive_pages, &ArchivePages::message),    A::Public);
    router.add(M::Get,  "/lists/:name/m/:id/raw",           bind(archive_pages, &ArchivePages::raw),        A::Public);
    router.add(M::Get,  "/lists/:name/m/:id/attachments/:index", bind(archive_pages, &ArchivePages::attachment), A::Public);
    router.add(M::Get,  "/lists/:name/search",              bind(archive_pages, &ArchivePages::search),     A::Public);
    router.add(M::Get,  "/lists/:name/export.mbox",         bind(archive_pages, &ArchivePages::export_list), A::Public);
    router.add(M::Get,  "/lists/:name/feeds/threads.atom",  bind(archive_pages, &ArchivePages::feed_threads), A::Public);
    router.add(M::Get,  "/lists/:name/feeds/messages.atom", bind(archive_pages, &ArchivePages::feed_messages), A::Public);
    router.add(M::Get,  "/archive/search",                  bind(archive_pages, &ArchivePages::site_search), A::Public);
    router.add(M::Get,  "/r/*id",                           bind(archive_pages, &ArchivePages::redirect),   A::Public);
    router.add(M::Get,  "/api/v1/lists",                    bind(archive_api, &ArchiveApi::lists),          A::Public);
    router.add(M::Get,  "/api/v1/lists/:name/threads",      bind(archive_api, &ArchiveApi::threads),        A::Public);
    router.add(M::Get,  "/api/v1/lists/:name/threads/:id",  bind(archive_api, &ArchiveApi::thread),         A::Public);
    router.add(M::Get,  "/api/v1/lists/:name/search",       bind(archive_api, &ArchiveApi::search),         A::Public);
    router.add(M::Get,  "/api/v1/messages/*id",             bind(archive_api, &ArchiveApi::message),        A::Public);
    router.add(M::Get,  "/processes",                       bind(process_pages, &ProcessPages::list),       A::Public);
    router.add(M::Get,  "/processes/calendar",              bind(process_pages, &ProcessPages::calendar),   A::Public);
    router.add(M::Get,  "/processes/feed.atom",             bind(process_pages, &ProcessPages::feed),       A::Public);
    router.add(M::Get,  "/processes/:slug",                 bind(process_pages, &ProcessPages::process),    A::Public);
    router.add(M::Get,  "/processes/:slug/calendar.ics",    bind(process_pages, &ProcessPages::ics_process), A::Public);
    router.add(M::Get,  "/processes/:slug/documents/:doc",  bind(document_pages, &ProcessDocumentPages::document), A::Public);
    router.add(M::Get,  "/processes/:slug/documents/:doc/revisions/:number", bind(document_pages, &ProcessDocumentPages::revision), A::Public);
    router.add(M::Get,  "/processes/:slug/documents/:doc/compare", bind(document_pages, &ProcessDocumentPages::compare), A::Public);
    router.add(M::Get,  "/admin/processes/:slug/documents/new", bind(document_pages, &ProcessDocumentPages::new_document), A::Moderator);
    router.add(M::Post, "/admin/processes/:slug/documents", bind(document_pages, &ProcessDocumentPages::create_document), A::Moderator);
    router.add(M::Get,  "/admin/processes/:slug/documents/:doc/revisions/new", bind(document_pages, &ProcessDocumentPages::new_revision), A::Moderator);
    router.add(M::Post, "/admin/processes/:slug/documents/:doc/revisions", bind(document_pages, &ProcessDocumentPages::create_revision), A::Moderator, CsrfCheck::ByHandler);
    router.add(M::Get,  "/calendar.ics",                    bind(process_pages, &ProcessPages::ics_all),    A::Public);
    router.add(M::Get,  "/api/v1/processes",                bind(process_pages, &ProcessPages::api_list),   A::Public);
    router.add(M::Get,  "/api/v1/processes/:slug",          bind(process_pages, &ProcessPages::api_find),   A::Public);
    router.add(M::Post, "/api/v1/processes",                bind(processes_api, &ProcessesApi::create_process), A::Admin);
    router.add(M::Put,  "/api/v1/processes/:slug",          bind(processes_api, &ProcessesApi::replace_process), A::Admin);
    router.add(M::Delete, "/api/v1/processes/:slug",        bind(processes_api, &ProcessesApi::delete_process), A::Admin);
    router.add(M::Post, "/api/v1/processes/:slug/milestones", bind(processes_api, &ProcessesApi::create_milestone), A::Admin);
    router.add(M::Put,  "/api/v1/processes/:slug/milestones/:id", bind(processes_api, &ProcessesApi::replace_milestone), A::Admin);
    router.add(M::Delete, "/api/v1/processes/:slug/milestones/:id", bind(processes_api, &ProcessesApi::delete_milestone), A::Admin);
    // Following processes (issue #6): the tokens in the paths are the followers' secrets.
    router.add(M::Post, "/processes/follow",                bind(process_follow, &ProcessFollowPages::follow), A::Public);
    router.add(M::Get,  "/processes/follow/confirm/:token", bind(process_follow, &ProcessFollowPages::confirm_form), A::Public);
    router.add(M::Post, "/processes/follow/confirm/:token", bind(process_follow, &ProcessFollowPages::confirm), A::Public);
    router.add(M::Get,  "/processes/manage/:token",         bind(process_follow, &ProcessFollowPages::manage), A::Public);
    router.add(M::Post, "/processes/manage/:token",         bind(process_follow, &ProcessFollowPages::save),   A::Public);
    // RFC 8058 one-click from the reminder mails: the handler checks CSRF for the page's buttons.
    router.add(M::Post, "/processes/manage/:token/unfollow", bind(process_follow, &ProcessFollowPages::unfollow), A::Public, CsrfCheck::ByHandler);
    router.add(M::Get,  "/processes/followed/:token",       bind(process_follow, &ProcessFollowPages::calendar), A::Public);
    router.add(M::Get,  "/admin/processes/new",             bind(process_pages, &ProcessPages::new_process), A::Moderator);
    router.add(M::Post, "/admin/processes",                 bind(process_pages, &ProcessPages::create_process), A::Moderator);
    router.add(M::Get,  "/admin/processes/:slug/edit",      bind(process_pages, &ProcessPages::edit_process), A::Moderator);
    router.add(M::Post, "/admin/processes/:slug",           bind(process_pages, &ProcessPages::update_process), A::Moderator);
    router.add(M::Get,  "/admin/processes/:slug/milestones/new", bind(process_pages, &ProcessPages::new_milestone), A::Moderator);
    router.add(M::Post, "/admin/processes/:slug/milestones", bind(process_pages, &ProcessPages::create_milestone), A::Moderator);
    router.add(M::Get,  "/admin/milestones/:id/edit",       bind(process_pages, &ProcessPages::edit_milestone), A::Moderator);
    router.add(M::Post, "/admin/milestones/:id",            bind(process_pages, &ProcessPages::update_milestone), A::Moderator);
    // Joint responses (issue #5): members only; responses::Responses decides who may read or change
    // each draft (403 pages, audited there).
    router.add(M::Get,  "/responses",                       bind(response_pages, &ResponsePages::list),     A::Member);
    // Public once published (also SLUG.md and SLUG.txt); a draft stays members-only (the handler
    // sends visitors to sign in and hands members to ResponsePages::draft).
    router.add(M::Get,  "/responses/:slug",                 bind(endorsement_pages, &ResponseEndorsementPages::page), A::Public);
    router.add(M::Get,  "/responses/:slug/plain.txt",       bind(endorsement_pages, &ResponseEndorsementPages::plain), A::Public);
    router.add(M::Get,  "/responses/:slug/endorsement",     bind(endorsement_pages, &ResponseEndorsementPages::overview), A::Member);
    router.add(M::Post, "/responses/:slug/freeze",          bind(endorsement_pages, &ResponseEndorsementPages::freeze), A::Member);
    router.add(M::Post, "/responses/:slug/answer",          bind(endorsement_pages, &ResponseEndorsementPages::answer), A::Member);
    router.add(M::Post, "/responses/:slug/withdraw",        bind(endorsement_pages, &ResponseEndorsementPages::withdraw), A::Member);
    router.add(M::Post, "/responses/:slug/publish",         bind(endorsement_pages, &ResponseEndorsementPages::publish), A::Member);
    router.add(M::Post, "/responses/:slug/endorser-order",  bind(endorsement_pages, &ResponseEndorsementPages::order_endorsers), A::Member);
    router.add(M::Get,  "/responses/:slug/announce",        bind(announce_pages, &ResponseAnnouncePages::form), A::Member);
    router.add(M::Post, "/responses/:slug/announce",        bind(announce_pages, &ResponseAnnouncePages::announce), A::Member);
    router.add(M::Get,  "/responses/:slug/versions",        bind(response_pages, &ResponsePages::versions), A::Member);
    router.add(M::Get,  "/responses/:slug/diff",            bind(response_pages, &ResponsePages::diff),     A::Member);
    router.add(M::Get,  "/responses/:slug/paragraphs/:anchor", bind(response_pages, &ResponsePages::paragraph), A::Member);
    router.add(M::Post, "/responses/:slug/comments",        bind(response_pages, &ResponsePages::comment),  A::Member);
    router.add(M::Post, "/responses/:slug/amendments",      bind(response_pages, &ResponsePages::propose),  A::Member);
    router.add(M::Post, "/responses/:slug/amendments/:id/accept", bind(response_pages, &ResponsePages::accept), A::Member);
    router.add(M::Post, "/responses/:slug/amendments/:id/reject", bind(response_pages, &ResponsePages::reject), A::Member);
    router.add(M::Post, "/responses/:slug/amendments/:id/merge",  bind(response_pages, &ResponsePages::merge),  A::Member);
    router.add(M::Get,  "/admin/responses/new",             bind(response_pages, &ResponsePages::new_response), A::Admin);
    router.add(M::Post, "/admin/responses",                 bind(response_pages, &ResponsePages::create_response), A::Admin);
    // Publications (issue #5): literal paths before /publications/:slug, which also serves
    // SLUG.pdf, SLUG.md and SLUG.txt.
    router.add(M::Get,  "/publications",                    bind(publication_pages, &PublicationPages::index),     A::Public);
    router.add(M::Get,  "/publications/feed.atom",          bind(publication_pages, &PublicationPages::feed),      A::Public);
    router.add(M::Get,  "/publications/delivered",          bind(publication_pages, &PublicationPages::delivered), A::Public);
    router.add(M::Get,  "/publications/:slug",              bind(publication_pages, &PublicationPages::item),      A::Public);
    router.add(M::Get,  "/admin/publications",              bind(publication_pages, &PublicationPages::admin_index), A::Admin);
    router.add(M::Get,  "/admin/publications/new",          bind(publication_pages, &PublicationPages::new_publication), A::Admin);
    router.add(M::Post, "/admin/publications",              bind(publication_pages, &PublicationPages::create),    A::Admin);
    router.add(M::Get,  "/admin/publications/delivered/new", bind(publication_pages, &PublicationPages::new_delivery), A::Admin);
    router.add(M::Post, "/admin/publications/delivered",    bind(publication_pages, &PublicationPages::create_delivery), A::Admin);
    router.add(M::Get,  "/admin/publications/:slug/edit",   bind(publication_pages, &PublicationPages::edit),      A::Admin);
    router.add(M::Post, "/admin/publications/:slug",        bind(publication_pages, &PublicationPages::update),    A::Admin);
    router.add(M::Post, "/admin/publications/:slug/publish", bind(publication_pages, &PublicationPages::publish),  A::Admin);
    router.add(M::Post, "/admin/publications/:slug/unpublish", bind(publication_pages, &PublicationPages::unpublish), A::Admin);
    router.add(M::Get,  "/members",                         bind(members, &MembersPages::directory),        A::Public);
    router.add(M::Get,  "/members/:slug",                   bind(members, &MembersPages::organisation),     A::Public);
    router.add(M::Get,  "/signin",                          bind(sign_in, &SignInPages::form),              A::Public);
    router.add(M::Post, "/signin",                          bind(sign_in, &SignInPages::submit),            A::Public);
    router.add(M::Get,  "/signin/:token",                   bind(sign_in, &SignInPages::confirm_form),      A::Public);
    router.add(M::Post, "/signin/:token",                   bind(sign_in, &SignInPages::confirm),           A::Public);
    router.add(M::Post, "/signout",                         bind(sign_in, &SignInPages::sign_out),          A::Member);
    router.add(M::Get,  "/admin",                           bind(admin, &AdminPages::index),                A::Admin);
    router.add(M::Get,  "/admin/organisations",             bind(admin, &AdminPages::organisations),        A::Admin);
    router.add(M::Get,  "/admin/organisations/new",         bind(admin, &AdminPages::new_organisation),     A::Admin);
    router.add(M::Post, "/admin/organisations",             bind(admin, &AdminPages::create_organisation),  A::Admin);
    router.add(M::Get,  "/admin/organisations/:slug/edit",  bind(admin, &AdminPages::edit_organisation),    A::Admin);
    router.add(M::Post, "/admin/organisations/:slug",       bind(admin, &AdminPages::update_organisation),  A::Admin);
    router.add(M::Get,  "/admin/users",                     bind(admin, &AdminPages::users),                A::Admin);
    router.add(M::Post, "/admin/users",                     bind(admin, &AdminPages::add_user),             A::Admin);
    router.add(M::Get,  "/admin/outbox",                    bind(admin, &AdminPages::outbox),               A::Admin);
    router.add(M::Get,  "/admin/outbox/:id",                bind(admin, &AdminPages::outbox_message),       A::Admin);
    router.add(M::Get,  "/admin/audit",                     bind(admin, &AdminPages::audit),                A::Admin);
    router.add(M::Get,  "/admin/statement",                 bind(statement_admin, &StatementAdminPages::index),   A::Admin);
    router.add(M::Post, "/admin/statement",                 bind(statement_admin, &StatementAdminPages::edit),    A::Admin);
    router.add(M::Get,  "/admin/statement/versions/:hash",  bind(statement_admin, &StatementAdminPages::version), A::Admin);
    router.add(M::Post, "/admin/statement/versions/:hash/translations", bind(statement_admin, &StatementAdminPages::save_translation), A::Admin);
    router.add(M::Post, "/admin/statement/versions/:hash/reaffirm",     bind(statement_admin, &StatementAdminPages::reaffirm),         A::Admin);
    router.add(M::Get,  "/api/v1/organisations",            bind(api, &OrganisationsApi::list),             A::Public);
    router.add(M::Get,  "/api/v1/organisations/:slug",      bind(api, &OrganisationsApi::find),             A::Public);
    router.add(M::Get,  "/healthz",                         bind(system, &SystemPages::health),             A::Public);
    router.add(M::Get,  "/metrics",                         bind(system, &SystemPages::metrics),            A::Public);
    router.add(M::Get,  "/static/*path",                    bind(system, &SystemPages::static_file),        A::Public);
    // clang-format on
}

}  // namespace coalition::web
