#pragma once
// app::Services: every long-lived object of one `coalition` process, built from the Config in
// dependency order. The only place that knows concrete backends (SQLite or PostgreSQL, SMTP or
// files); everything else receives references.

#include "accounts/accounts.hpp"
#include "app/config.hpp"
#include "archive/archive.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "dns/dns.hpp"
#include "lists/bounces.hpp"
#include "lists/delivery.hpp"
#include "lists/digests.hpp"
#include "lists/intake.hpp"
#include "lists/lists.hpp"
#include "mail/outbox.hpp"
#include "mail/smtp_transport.hpp"
#include "mail/transport.hpp"
#include "processes/followers.hpp"
#include "processes/processes.hpp"
#include "processes/reminders.hpp"
#include "publications/publications.hpp"
#include "responses/announcements.hpp"
#include "responses/responses.hpp"
#include "signon/signon.hpp"
#include "statement/statement.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coalition::app {

enum class Migrate { Yes, No };

struct Services {
    Config config;
    core::SystemClock clock;
    core::SecureRandom random;
    std::unique_ptr<store::Database> database;
    std::unique_ptr<mail::Outbox> outbox;
    std::unique_ptr<accounts::Organisations> organisations;
    std::unique_ptr<accounts::Users> users;
    std::unique_ptr<accounts::Sessions> sessions;
    std::unique_ptr<accounts::SignInLinks> sign_in;
    std::unique_ptr<accounts::AuditLog> audit;
    std::unique_ptr<dns::Resolver> resolver;
    std::unique_ptr<signon::LogKey> log_key;
    std::unique_ptr<signon::TransparencyLog> transparency_log;
    std::unique_ptr<signon::Signatures> signatures;
    std::unique_ptr<statement::Statements> statements;
    std::unique_ptr<processes::Processes> processes;
    // Mailing lists. Unset only when open_services(…, Migrate::No) found an empty database.
    std::unique_ptr<lists::Lists> lists;
    std::unique_ptr<lists::Subscriptions> subscriptions;
    std::unique_ptr<dns::DmarcPolicies> dmarc;
    std::unique_ptr<lists::Bounces> bounces;
    std::unique_ptr<lists::Intake> intake;
    std::unique_ptr<lists::Digests> digests;
    // The list archives' reader (issue #7); posts are archived by lists::Intake.
    std::unique_ptr<archive::Archive> archive;
    // Process followers and their reminders (issue #6), and the API's bearer tokens. Unset like
    // the lists' services.
    std::unique_ptr<processes::Followers> followers;
    std::unique_ptr<processes::Reminders> reminders;
    std::unique_ptr<accounts::ApiTokens> api_tokens;
    // Joint responses (issue #5); unset like the lists.
    std::unique_ptr<responses::Responses> responses;
    std::unique_ptr<responses::Endorsements> endorsements;
    // Announcements of a response on a list: the list side adapts lists:: (wiring.cpp).
    std::unique_ptr<responses::ListPoster> list_poster;
    std::unique_ptr<responses::Announcements> announcements;
    // News posts, position papers and delivered statements (issue #5); unset like the lists.
    std::unique_ptr<publications::Publications> publications;
};

// The Statement of Purpose as a signon campaign (its key, title for mails and page path).
signon::Campaign statement_campaign();

// Opens the database (migrating it first when asked) and builds the domain services. Throws
// core::StartupError when the database cannot be opened or the configuration is inconsistent.
std::unique_ptr<Services> open_services(const Config& config, Migrate migrate);

// Applies the migrations, then what a migration leaves to code: archive messages to index again
// (archive::search::finish_rebuild), told on standard error while it runs.
store::MigrationReport migrate_database(store::Database& database);

// The transport the configuration asks for: SMTP through [mail] relay, else files in
// [mail] outbox_dir. Throws core::StartupError for a malformed relay setting.
std::unique_ptr<mail::Transport> make_transport(const Config& config, const core::Clock& clock);

// The SMTP relay of [mail] relay (credentials and STARTTLS applied), or nullopt when mail goes
// to files. Throws core::StartupError for a malformed relay setting.
std::optional<mail::SmtpRelay> relay_settings(const Config& config);

// The published joint responses as entries of /publications and its feed (kind "response"),
// each under the process of the milestone it answers.
std::vector<publications::Entry> published_response_entries(const Services& services);

// The list delivery worker ([lists] delivery, delivery_connections), sending to the relay or,
// without one, writing files to <[mail] outbox_dir>/lists. Not started. `relay` must outlive it.
std::unique_ptr<lists::DeliveryWorker> make_delivery_worker(
    Services& services, const std::optional<mail::SmtpRelay>& relay);

}  // namespace coalition::app
