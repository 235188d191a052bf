#include "app/commands.hpp"

#include "app/cli.hpp"
#include "app/command_support.hpp"
#include "app/demo.hpp"
#include "app/list_mailbox.hpp"
#include "app/log_worker.hpp"
#include "app/periodic_worker.hpp"
#include "app/wiring.hpp"
#include "core/resident_memory.hpp"
#include "core/unavailable.hpp"
#include "i18n/i18n.hpp"
#include "lmtp/lmtp.hpp"
#include "mail/outbox_worker.hpp"
#include "store/backup.hpp"
#include "store/migrations.hpp"
#include "store/settings.hpp"
#include "web/layout.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/server.hpp"
#include "web/site.hpp"

#include <nlohmann/json.hpp>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <iostream>
#include <string>

namespace coalition::app {
namespace {

// Blocks SIGTERM and SIGINT in this thread and every thread it starts afterwards, so that the
// main thread alone receives them, with sigwait.
sigset_t block_stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

std::string worker_name() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(host) + ":" + std::to_string(getpid());
}

// Whether `name` (a worker_name()) is a process of this host that no longer runs: a server
// killed mid-batch, whose outbox claims the next server may take over at once. A worker of
// another host is never judged (it may be alive); a reused pid only delays the take-over.
bool is_dead_worker_of_this_host(const std::string& name) {
    const std::string prefix = worker_name().substr(0, worker_name().rfind(':') + 1);
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
        return false;
    }
    pid_t pid = 0;
    const char* digits = name.data() + prefix.size();
    const auto [end, error] = std::from_chars(digits, name.data() + name.size(), pid);
    if (error != std::errc() || end != name.data() + name.size() || pid <= 0) {
        return false;
    }
    return kill(pid, 0) != 0 && errno == ESRCH;
}

void log_line(const std::string& message) {
    std::cerr << "coalition: " << message << "\n";
}

// The host of the site's base URL ("coalition.example"), for the LMTP greeting.
std::string web_host(const std::string& base_url) {
    const auto scheme_end = base_url.find("://");
    std::string host = scheme_end == std::string::npos ? base_url : base_url.substr(scheme_end + 3);
    host = host.substr(0, host.find_first_of(":/"));
    return host.empty() ? "localhost" : host;
}

}  // namespace

// Start-up is done: what it alone used need not stay resident (core/resident_memory.hpp). Only
// the store's writer thread runs yet, idle, so no library is being loaded while mappings are
// read and dropped.
void release_startup_memory() {
    core::release_free_heap();
    core::release_clean_file_pages();
}

int serve(const Config& config) {
    const sigset_t stop_signals = block_stop_signals();
    auto services = open_services(config, Migrate::Yes);
    auto transport = make_transport(config, services->clock);
    mail::OutboxWorker outbox_worker(
        *services->outbox, *transport, services->clock,
        {.worker_name = worker_name(), .is_dead = is_dead_worker_of_this_host, .log = log_line});

    web::Metrics metrics;
    metrics.add_gauge("coalition_mail_outbox_depth", "Messages waiting in the outbox", [&services] {
        try {
            return static_cast<double>(services->outbox->depth());
        } catch (const core::Unavailable&) {
            return -1.0;  // The database is away; /healthz says so.
        }
    });
    const web::Pages pages(i18n::Catalog::embedded());
    web::Site site{
        .settings = {.name = config.site.name,
                     .base_url = config.site.base_url,
                     .contact_email = config.site.contact_email,
                     .site_secret = store::setting_or_create(
                         *services->database, "site_secret",
                         [&services] { return services->random.token(32); }),
                     .secure_cookies = config.uses_https()},
        .database = *services->database,
        .outbox = *services->outbox,
        .organisations = *services->organisations,
        .users = *services->users,
        .sessions = *services->sessions,
        .sign_in = *services->sign_in,
        .audit = *services->audit,
        .signatures = *services->signatures,
        .transparency_log = *services->transparency_log,
        .statements = *services->statements,
        .processes = *services->processes,
        .metrics = metrics,
        .pages = pages,
        .lists = services->lists.get(),
        .subscriptions = services->subscriptions.get(),
        .intake = services->intake.get(),
        .bounces = services->bounces.get(),
        .archive = services->archive.get(),
        .followers = services->followers.get(),
        .api_tokens = services->api_tokens.get(),
        .responses = services->responses.get(),
        .endorsements = services->endorsements.get(),
        .announcements = services->announcements.get(),
        .publications = services->publications.get(),
    };
    site.published_responses = [&services] { return published_response_entries(*services); };
    web::Router router(web::RouterOptions{.site_secret = site.settings.site_secret});
    web::register_routes(router, site);
    web::HttpServer server(router,
                           {.host = config.http.listen.host,
                            .port = config.http.listen.port,
                            .threads = config.http_io_threads(),
                            .write_threads = static_cast<std::size_t>(config.http.write_threads),
                            .max_body_bytes = static_cast<std::size_t>(config.http.max_body_bytes)},
                           &metrics);
    LogWorker log_worker(*services->transparency_log, *services->signatures,
                         {.base_url = config.site.base_url, .log = log_line});
    // Mailing lists: intake over LMTP, delivery, digests and bounce scoring.
    const auto relay = relay_settings(config);
    auto delivery_worker = make_delivery_worker(*services, relay);
    // An accepted post starts its delivery at once, not at the worker's next poll.
    services->intake->on_delivery_scheduled([worker = delivery_worker.get()] { worker->notify(); });
    PeriodicWorker digest_worker(
        [&services] { services->digests->send_due(); },
        {.name = "digests",
         .interval = std::chrono::seconds(config.lists.digest_interval_seconds),
         .log = log_line});
    // Process followers: deadline reminders and the weekly digest (processes/reminders.hpp).
    PeriodicWorker reminder_worker(
        [&services] {
            services->reminders->run();
            // Joint responses: reminders to organisations that have not answered (issue #5).
            if (services->endorsements) {
                services->endorsements->send_reminders();
            }
        },
        {.name = "process reminders",
         .interval = std::chrono::seconds(config.processes.reminder_interval_seconds),
         .log = log_line});
    PeriodicWorker bounce_worker(
        [&services] { services->bounces->run_periodic(); },
        {.name = "bounces", .interval = std::chrono::hours(1), .log = log_line});
    ListMailbox mailbox(*services->lists, *services->intake, log_line);
    release_startup_memory();
    std::unique_ptr<lmtp::Server> lmtp_server;
    if (config.lmtp.listen) {
        lmtp::ServerSettings lmtp_settings;
        lmtp_settings.host = config.lmtp.listen->host;
        lmtp_settings.port = config.lmtp.listen->port;
        lmtp_settings.server_name = web_host(config.site.base_url);
        lmtp_settings.max_connections = static_cast<std::size_t>(config.lmtp.max_connections);
        lmtp_settings.max_message_bytes = static_cast<std::size_t>(config.lmtp.max_message_bytes);
        lmtp_settings.idle_timeout = std::chrono::seconds(config.lmtp.idle_timeout_seconds);
        lmtp_settings.data_timeout = std::chrono::seconds(config.lmtp.data_timeout_seconds);
        lmtp_settings.worker_threads = static_cast<std::size_t>(config.lmtp.worker_threads);
        lmtp_server = std::make_unique<lmtp::Server>(mailbox, lmtp_settings);
        lmtp_server->start();  // First: a port in use stops start-up before anything runs.
    }
    server.start();
    outbox_worker.start();
    log_worker.start();
    delivery_worker->start();
    digest_worker.start();
    bounce_worker.start();
    reminder_worker.start();
    std::string lmtp_description = "LMTP off";
    if (lmtp_server) {
        lmtp_description =
            "LMTP " + ListenAddress{config.lmtp.listen->host, lmtp_server->port()}.to_string();
    }
    std::cout << "Coalition is serving http://" << config.http.listen.host << ":" << server.port()
              << " (database " << services->database->describe() << ", mail "
              << transport->describe() << ", " << lmtp_description << ")" << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    std::cout << "Coalition is stopping (" << (received == SIGTERM ? "SIGTERM" : "SIGINT")
              << "): finishing requests in flight" << std::endl;
    if (lmtp_server) {
        lmtp_server->stop();  // No new list mail; transactions in flight finish and are answered.
    }
    server.stop();
    digest_worker.stop();
    bounce_worker.stop();
    reminder_worker.stop();
    delivery_worker->stop();  // Finishes the SMTP transactions in flight; the rest resumes later.
    services->intake->on_delivery_scheduled(nullptr);  // Nothing posts any more (servers stopped).
    log_worker.stop();
    outbox_worker.stop();
    return kExitOk;
}

int migrate(const Config& config) {
    const auto services = open_services(config, Migrate::No);
    const auto report = migrate_database(*services->database);
    if (report.applied.empty()) {
        std::cout << "Database is up to date (schema version " << report.to_version << ").\n";
    } else {
        for (const auto& name : report.applied) {
            std::cout << "Applied " << name << "\n";
        }
        std::cout << "Schema version " << report.from_version << " → " << report.to_version
                  << ".\n";
    }
    return kExitOk;
}

int backup(const Config& config, const std::string& to) {
    if (config.database.url.rfind("sqlite:", 0) != 0) {
        std::cout << "For PostgreSQL, back up with pg_dump:\n  "
                  << store::pg_dump_command(config.database.url, to) << "\n";
        return kExitOk;
    }
    auto copied = store::backup_sqlite(config.database.url, to);
    if (!copied) {
        return report(copied.error());
    }
    std::cout << "Backed up " << config.database.url << " to " << to << "\n";
    return kExitOk;
}

int demo_load(const Config& config, DemoStatement statement) {
    auto services = open_services(config, Migrate::Yes);
    std::cout << "Demo data: " << load_demo(*services, statement == DemoStatement::Yes) << ".\n";
    return kExitOk;
}

int user_add(const Config& config, const UserAddOptions& options) {
    auto email = core::Email::parse(options.email);
    if (!email) {
        return report(email.error());
    }
    auto services = open_services(config, Migrate::Yes);
    accounts::NewUser user{*email, options.name, *accounts::parse_role(options.role), std::nullopt};
    if (!options.organisation_slug.empty()) {
        auto organisation = services->organisations->find_by_slug(options.organisation_slug);
        if (!organisation) {
            return report(core::Error::not_found("no organisation with slug \"" +
                                                 options.organisation_slug + "\""));
        }
        user.organisation = organisation->id;
    }
    std::string password;
    if (options.password_from_stdin) {
        std::getline(std::cin, password);
    }
    auto added = services->users->add_user(accounts::Actor::cli(), user);
    if (!added) {
        return report(added.error());
    }
    if (options.password_from_stdin) {
        auto set = services->users->set_password(accounts::Actor::cli(), added->id, password);
        if (!set) {
            return report(set.error());
        }
    }
    std::cout << "Added " << added->email.unicode() << " as " << options.role << ".\n";
    return kExitOk;
}

int org_add(const Config& config, const OrgAddOptions& options) {
    const accounts::OrganisationDraft draft{options.name,
                                            options.short_name,
                                            options.slug,
                                            options.country,
                                            options.stakeholder_group,
                                            options.website,
                                            options.domain,
                                            options.status,
                                            options.description};
    auto fields = draft.validate();
    if (!fields) {
        return report(fields.errors());
    }
    auto services = open_services(config, Migrate::Yes);
    auto created = services->organisations->create(accounts::Actor::cli(), *fields);
    if (!created) {
        return report(created.error());
    }
    std::cout << "Added " << created->name << " (" << created->slug.value() << ").\n";
    return kExitOk;
}

int org_list(const Config& config, bool as_json) {
    auto services = open_services(config, Migrate::Yes);
    const auto organisations = services->organisations->list();
    if (as_json) {
        auto list = nlohmann::json::array();
        for (const auto& organisation : organisations) {
            list.push_back(
                {{"slug", organisation.slug.value()},
                 {"name", organisation.name},
                 {"short_name", organisation.short_name},
                 {"country", organisation.country.code()},
                 {"region", accounts::id(organisation.region)},
                 {"stakeholder_group", accounts::id(organisation.stakeholder_group)},
                 {"status", accounts::id(organisation.status)},
                 {"domain", organisation.domain ? organisation.domain->unicode() : ""},
                 {"website", organisation.website ? organisation.website->value() : ""}});
        }
        std::cout << list.dump(2) << "\n";
        return kExitOk;
    }
    for (const auto& organisation : organisations) {
        std::cout << organisation.slug.value() << "\t" << accounts::id(organisation.status) << "\t"
                  << organisation.country.code() << "\t" << organisation.name << "\n";
    }
    return kExitOk;
}

}  // namespace coalition::app
