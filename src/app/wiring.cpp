#include "app/wiring.hpp"

#include "archive/search.hpp"
#include "core/unavailable.hpp"
#include "mail/file_transport.hpp"
#include "mail/smtp_transport.hpp"
#include "store/migrations.hpp"
#include "store/settings.hpp"

#include <filesystem>
#include <iostream>

namespace coalition::app {
namespace {

// The SQLite file's directory must exist; create it so a fresh checkout just works.
void prepare_sqlite_directory(const std::string& url) {
    constexpr std::string_view kScheme = "sqlite:";
    if (url.rfind(kScheme, 0) != 0) {
        return;
    }
    const std::filesystem::path file(url.substr(kScheme.size()));
    if (file.has_parent_path()) {
        std::filesystem::create_directories(file.parent_path());
    }
}

mail::Mailbox sender(const Config& config) {
    auto address = core::Email::parse(config.mail.from);
    if (!address) {
        throw core::StartupError("configuration: [mail] from: not an e-mail address: \"" +
                                 config.mail.from + "\"");
    }
    return mail::Mailbox{config.mail.from_name, *address};
}

// responses::ListPoster over the lists module: an announcement enters the list's own pipeline
// as a post from the web (lists::Intake::post_from_web), so its rules, archive and delivery apply.
class IntakeListPoster final : public responses::ListPoster {
public:
    IntakeListPoster(const lists::Lists& lists, lists::Intake& intake)
        : lists_(lists), intake_(intake) {}

    // responses::ListPoster
    std::vector<responses::AnnouncementList> lists() const override {
        std::vector<responses::AnnouncementList> out;
        for (const auto& list : lists_.all()) {
            out.push_back(choice(list));
        }
        return out;
    }
    std::optional<responses::AnnouncementList> find(std::string_view name) const override {
        const auto list = lists_.find_by_name(name);
        return list ? std::optional(choice(*list)) : std::nullopt;
    }
    core::Result<responses::ListPost> post(std::int64_t list_id, const core::Email& author,
                                           std::string_view author_name, std::string_view subject,
                                           std::string_view body) override {
        const auto list = lists_.find(lists::ListId(list_id));
        if (!list) {
            return core::Error::not_found("There is no such list.");
        }
        auto disposition =
            intake_.post_from_web(*list, author, author_name, subject, body, std::nullopt);
        if (!disposition) {
            return disposition.error();
        }
        responses::ListPost out;
        switch (disposition->kind) {
            case lists::Disposition::Kind::Accepted:
                out.outcome = responses::PostOutcome::Accepted;
                break;
            case lists::Disposition::Kind::Held:
                out.outcome = responses::PostOutcome::Held;
                break;
            case lists::Disposition::Kind::Rejected:
                out.outcome = responses::PostOutcome::Rejected;
                break;
            case lists::Disposition::Kind::Discarded:
                out.outcome = responses::PostOutcome::Discarded;
                break;
        }
        if (disposition->post) {
            out.post = disposition->post->value();
        }
        return out;
    }

private:
    static responses::AnnouncementList choice(const lists::List& list) {
        return {
            .id = list.id.value(),
            .name = list.name,
            .title = list.title(),
            .address = list.posting_address().unicode(),
            .language = list.settings.preferred_language,
            .holds_every_post = list.settings.posting_policy == lists::PostingPolicy::Moderated ||
                                list.settings.emergency_moderation};
    }

    const lists::Lists& lists_;
    lists::Intake& intake_;
};

}  // namespace

store::MigrationReport migrate_database(store::Database& database) {
    store::MigrationReport report = store::migrate(database);
    bool told = false;
    const std::size_t indexed = archive::search::finish_rebuild(
        database, [&told](std::int64_t /*done_up_to*/, std::int64_t last) {
            if (!told) {
                std::cerr << "coalition: indexing the list archives for search again, once after "
                             "an upgrade (messages up to "
                          << last << ")\n";
                told = true;
            }
        });
    if (indexed > 0) {
        std::cerr << "coalition: " << indexed << " archived messages indexed\n";
    }
    return report;
}

std::unique_ptr<Services> open_services(const Config& config, Migrate migrate) {
    auto services = std::make_unique<Services>();
    services->config = config;
    prepare_sqlite_directory(config.database.url);
    services->database = store::open_database(config.database.url);
    if (migrate == Migrate::Yes) {
        migrate_database(*services->database);
    }
    auto& database = *services->database;
    services->outbox = std::make_unique<mail::Outbox>(database, services->clock);
    services->organisations = std::make_unique<accounts::Organisations>(database, services->clock);
    services->users = std::make_unique<accounts::Users>(database, services->clock);
    services->sessions =
        std::make_unique<accounts::Sessions>(database, services->clock, services->random);
    services->sign_in = std::make_unique<accounts::SignInLinks>(
        database, services->clock, services->random, *services->outbox,
        accounts::SignInMailSettings{sender(config), config.site.name});
    services->audit = std::make_unique<accounts::AuditLog>(database);
    services->resolver = dns::make_unbound_resolver(
        {.forward_to = config.dns.resolver, .trust_anchor_file = config.dns.trust_anchor});
    services->log_key =
        std::make_unique<signon::LogKey>(signon::LogKey::load_or_create(config.signon.log_key));
    services->transparency_log =
        std::make_unique<signon::TransparencyLog>(database, services->clock, *services->log_key);
    services->signatures = std::make_unique<signon::Signatures>(
        database, services->clock, services->random, *services->outbox, *services->transparency_log,
        *services->resolver,
        signon::SignOnSettings{
            .sender = sender(config),
            .site_name = config.site.name,
            .moderate_individuals = config.signon.moderate_individuals,
            .per_address_per_hour = static_cast<int>(config.signon.per_address_per_hour),
            .per_domain_per_hour = static_cast<int>(config.signon.per_domain_per_hour),
        });
    services->statements = std::make_unique<statement::Statements>(database, services->clock);
    services->processes = std::make_unique<processes::Processes>(database, services->clock);
    // The lists' token secret lives in the settings table: on a database never migrated (only
    // `coalition migrate` opens one without migrating) the lists services are left unset.
    if (migrate == Migrate::No && store::schema_version(database) == 0) {
        return services;
    }
    services->lists = std::make_unique<lists::Lists>(database, services->clock);
    services->subscriptions = std::make_unique<lists::Subscriptions>(
        database, services->clock, services->random, *services->outbox,
        lists::SubscriptionSettings{
            .base_url = config.site.base_url,
            .site_name = config.site.name,
            .token_secret = store::setting_or_create(database, "lists_token_secret", [&services] {
                return services->random.token(32);
            })});
    services->dmarc = std::make_unique<dns::DmarcPolicies>(*services->resolver, services->clock);
    services->bounces = std::make_unique<lists::Bounces>(
        database, services->clock, *services->subscriptions, *services->outbox);
    services->intake = std::make_unique<lists::Intake>(
        database, services->clock, *services->lists, *services->subscriptions, *services->bounces,
        *services->outbox, *services->dmarc,
        lists::IntakeSettings{.base_url = config.site.base_url, .site_name = config.site.name});
    services->digests = std::make_unique<lists::Digests>(database, services->clock,
                                                         *services->lists, *services->subscriptions,
                                                         *services->outbox, config.site.base_url);
    services->archive = std::make_unique<archive::Archive>(database);
    services->followers = std::make_unique<processes::Followers>(
        database, services->clock, services->random, *services->outbox,
        processes::FollowSettings{.base_url = config.site.base_url,
                                  .site_name = config.site.name,
                                  .sender = sender(config),
                                  .token_secret = store::setting_or_create(
                                      database, "processes_token_secret",
                                      [&services] { return services->random.token(32); }),
                                  .default_reminder_days = config.processes.reminder_days});
    services->reminders = std::make_unique<processes::Reminders>(
        database, services->clock, services->random, *services->outbox, *services->processes,
        *services->followers);
    services->api_tokens =
        std::make_unique<accounts::ApiTokens>(database, services->clock, services->random);
    services->responses = std::make_unique<responses::Responses>(
        database, services->clock, services->random, *services->outbox, *services->users,
        *services->organisations, *services->processes,
        responses::ResponseSettings{.base_url = config.site.base_url,
                                    .site_name = config.site.name,
                                    .sender = sender(config)});
    services->endorsements = std::make_unique<responses::Endorsements>(
        database, services->clock, services->random, *services->outbox, *services->users,
        *services->organisations, *services->processes, *services->transparency_log,
        responses::ResponseSettings{.base_url = config.site.base_url,
                                    .site_name = config.site.name,
                                    .sender = sender(config)});
    services->list_poster = std::make_unique<IntakeListPoster>(*services->lists, *services->intake);
    services->announcements = std::make_unique<responses::Announcements>(
        database, services->clock, *services->users, *services->organisations,
        *services->list_poster,
        responses::ResponseSettings{.base_url = config.site.base_url,
                                    .site_name = config.site.name,
                                    .sender = sender(config)});
    services->publications = std::make_unique<publications::Publications>(
        database, services->clock, *services->processes, *services->organisations);
    return services;
}

signon::Campaign statement_campaign() {
    return {.key = "statement", .title = "the Statement of Purpose", .path = "/statement"};
}

std::optional<mail::SmtpRelay> relay_settings(const Config& config) {
    if (config.mail.relay.empty()) {
        return std::nullopt;
    }
    auto relay = mail::SmtpRelay::parse(config.mail.relay);
    if (!relay) {
        throw core::StartupError("configuration: [mail] relay: " + relay.error().message);
    }
    relay->starttls = relay->starttls || config.mail.starttls;
    if (!config.mail.username.empty()) {
        relay->username = config.mail.username;
        relay->password = config.mail.password;
    }
    return *relay;
}

std::unique_ptr<mail::Transport> make_transport(const Config& config, const core::Clock& clock) {
    auto relay = relay_settings(config);
    if (!relay) {
        return std::make_unique<mail::FileTransport>(config.mail.outbox_dir, clock);
    }
    return std::make_unique<mail::SmtpTransport>(*relay);
}

std::vector<publications::Entry> published_response_entries(const Services& services) {
    constexpr std::size_t kNewest = 500;
    std::vector<publications::Entry> entries;
    if (!services.responses) {
        return entries;
    }
    auto published = services.responses->published(kNewest);
    if (!published) {
        return entries;
    }
    for (const auto& response : *published) {
        std::string process_slug;
        if (response.milestone) {
            if (const auto milestone = services.processes->find_milestone(*response.milestone)) {
                if (const auto process = services.processes->find_by_id(milestone->process_id)) {
                    process_slug = process->slug.value();
                }
            }
        }
        entries.push_back(publications::Entry{.kind = "response",
                                              .title = response.title,
                                              .path = "/responses/" + response.slug,
                                              .summary = {},
                                              .language = {},
                                              .process_slug = process_slug,
                                              .published_at = response.published_at,
                                              .updated_at = response.published_at});
    }
    return entries;
}

std::unique_ptr<lists::DeliveryWorker> make_delivery_worker(
    Services& services, const std::optional<mail::SmtpRelay>& relay) {
    const auto& config = services.config;
    lists::DeliverySettings settings;
    settings.connections = static_cast<std::size_t>(config.lists.delivery_connections);
    settings.bulk = config.lists.bulk_delivery;
    return std::make_unique<lists::DeliveryWorker>(
        *services.database, services.clock, *services.subscriptions, *services.bounces,
        relay ? &*relay : nullptr,
        (std::filesystem::path(config.mail.outbox_dir) / "lists").string(), settings);
}

}  // namespace coalition::app
