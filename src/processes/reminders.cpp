#include "processes/reminders.hpp"

#include "core/clock.hpp"
#include "i18n/i18n.hpp"
#include "processes/follower_store.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace coalition::processes {
namespace {

constexpr std::string_view kWholeDayReminderTime = "09:00";
constexpr std::string_view kDigestTime = "08:00";

using Values = std::vector<std::pair<std::string, std::string>>;

std::string short_name(const Process& process) {
    return process.fields.short_name.empty() ? process.fields.name : process.fields.short_name;
}

// How `moment` reads to a follower: a day in their language, or the instant in their zone with
// the original wall time and zone beside it.
std::string when_text(const Moment& moment, const Follower& follower) {
    if (moment.is_date()) {
        return format_day(moment.date(), DatePrecision::Day, follower.language);
    }
    std::string text = format_instant(moment.utc(), follower.time_zone, follower.language);
    if (moment.zone() != follower.time_zone) {
        text += " — " + moment.time() + " " + moment.zone();
    }
    return text;
}

std::string process_url(const FollowSettings& settings, const Process& process) {
    return settings.base_url + "/processes/" + process.slug.value();
}

// A mail to `follower`, with RFC 8058 one-click unsubscription (stops every reminder, as the
// manage page's "unfollow all" does) so that mail providers can offer it.
mail::OutgoingMessage follower_mail(const FollowSettings& settings, const Follower& follower,
                                    const std::string& manage_url, std::string subject,
                                    std::string body) {
    return mail::OutgoingMessage{
        .from = settings.sender,
        .to = {mail::Mailbox{"", follower.email}},
        .subject = std::move(subject),
        .text_body = std::move(body),
        .headers = {{"Auto-Submitted", "auto-generated"},
                    {"List-Unsubscribe", "<" + manage_url + "/unfollow>"},
                    {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}},
        .language = follower.language};
}

// Monday = 0; 1970-01-01 was a Thursday.
std::int64_t weekday(std::int64_t day_number) {
    return ((day_number % 7) + 7 + 3) % 7;
}

}  // namespace

std::optional<Deadline> deadline_of(const Milestone& milestone) {
    const auto& fields = milestone.fields;
    if (fields.precision != DatePrecision::Day) {
        return std::nullopt;
    }
    std::optional<Moment> moment;
    if (fields.kind == MilestoneKind::Deadline) {
        moment = fields.end ? *fields.end : fields.start;
    } else if (fields.kind == MilestoneKind::ConsultationOpens && fields.end) {
        moment = *fields.end;
    }
    if (!moment) {
        return std::nullopt;
    }
    // A whole day lasts until its end; UTC's end, the latest of the day's starts worldwide but
    // one, keeps a deadline "on 20 June" open for everyone's 20 June in Europe, Africa and Asia.
    const std::int64_t instant =
        moment->is_date() ? (moment->day_number() + 1) * core::kSecondsPerDay : moment->utc();
    return Deadline{*moment, instant};
}

std::int64_t reminder_due_at(const Deadline& deadline, int offset_days,
                             std::string_view follower_zone) {
    const Moment& moment = deadline.moment;
    const std::string day = civil_from_days(moment.day_number() - offset_days);
    if (moment.is_date()) {
        const std::string zone =
            is_known_zone(follower_zone) ? std::string(follower_zone) : std::string("UTC");
        if (auto due = Moment::date_time(day, kWholeDayReminderTime, zone, "due")) {
            return due->utc();
        }
        return ((moment.day_number() - offset_days) * core::kSecondsPerDay) +
               (std::int64_t{9} * 3600);
    }
    // The same wall time N days earlier in the deadline's zone; a time that day skips (a
    // spring-forward night) falls back to N × 24 hours.
    if (auto due = Moment::date_time(day, moment.time(), moment.zone(), "due")) {
        return due->utc();
    }
    return moment.utc() - offset_days * core::kSecondsPerDay;
}

Reminders::Reminders(store::Database& database, const core::Clock& clock, core::Random& random,
                     mail::Outbox& outbox, const Processes& processes, const Followers& followers)
    : database_(database),
      clock_(clock),
      random_(random),
      outbox_(outbox),
      processes_(processes),
      followers_(followers) {
}

ReminderReport Reminders::run() {
    ReminderReport report;
    report.reminders = send_reminders();
    report.digests = send_digests();
    return report;
}

int Reminders::send_reminders() {
    const std::int64_t now = clock_.unix_now();
    const auto followers = followers_.active_followers();
    if (followers.empty()) {
        return 0;
    }
    const auto all = processes_.list();
    std::map<std::int64_t, const Process*> by_id;
    for (const auto& process : all) {
        by_id.emplace(process.id.value(), &process);
    }
    const auto sent = follower_store::reminders_sent_since(database_, now);
    const auto& settings = followers_.settings();
    int queued = 0;
    for (const auto& follower : followers) {
        if (follower.reminder_days.empty()) {
            continue;
        }
        std::vector<int> ascending = follower.reminder_days;
        std::sort(ascending.begin(), ascending.end());
        const FollowerLinks links = followers_.links(follower);
        for (const auto& process_id : follower.process_ids) {
            const auto found = by_id.find(process_id.value());
            if (found == by_id.end()) {
                continue;
            }
            const Process& process = *found->second;
            for (const auto& milestone : process.milestones) {
                const auto deadline = deadline_of(milestone);
                if (!deadline || deadline->instant <= now) {
                    continue;
                }
                // The smallest offset already due; none yet is nothing to send.
                std::optional<int> offset;
                for (const int days : ascending) {
                    if (reminder_due_at(*deadline, days, follower.time_zone) <= now) {
                        offset = days;
                        break;
                    }
                }
                if (!offset) {
                    continue;
                }
                const follower_store::ReminderKey key{follower.id.value(), milestone.id.value(),
                                                      deadline->instant, *offset};
                if (sent.contains(key)) {
                    continue;
                }
                const Values values = {{"process", short_name(process)},
                                       {"process_name", process.fields.name},
                                       {"title", milestone.fields.title},
                                       {"when", when_text(deadline->moment, follower)},
                                       {"page", process_url(settings, process) + "#milestone-" +
                                                    std::to_string(milestone.id.value())},
                                       {"manage", links.manage_url},
                                       {"site", settings.site_name}};
                const auto message = follower_mail(
                    settings, follower, links.manage_url,
                    i18n::translate(follower.language, "Reminder: {process} — {title}, {when}",
                                    values),
                    i18n::translate(follower.language,
                                    "Hello,\n\n"
                                    "A deadline of {process_name} is coming up:\n\n"
                                    "{title}\n"
                                    "{when}\n\n"
                                    "{page}\n\n"
                                    "You receive this because you follow this process on {site}. "
                                    "To change your reminders or stop them, open:\n{manage}\n",
                                    values));
                const auto composed = mail::compose(message, clock_, random_);
                bool recorded = false;
                database_.transact([&](store::Connection& connection) {
                    recorded = follower_store::record_reminder(connection, key, now);
                    if (recorded) {
                        outbox_.enqueue(connection, composed, message.subject);
                    }
                });
                queued += recorded ? 1 : 0;
            }
        }
    }
    return queued;
}

int Reminders::send_digests() {
    const std::int64_t now = clock_.unix_now();
    const auto followers = followers_.active_followers();
    if (followers.empty()) {
        return 0;
    }
    // The earliest Monday any zone may be in now (UTC−12 is a day behind UTC at most).
    const std::int64_t utc_day = now / core::kSecondsPerDay;
    const auto sent = follower_store::digests_sent_since(database_, utc_day - 8);
    std::optional<std::vector<Process>> all;
    std::map<std::int64_t, const Process*> by_id;
    const auto& settings = followers_.settings();
    int queued = 0;
    for (const auto& follower : followers) {
        const LocalTime local = local_time(now, follower.time_zone);
        if (weekday(local.day_number) != 0 || local.time < kDigestTime ||
            sent.contains({follower.id.value(), local.day_number})) {
            continue;
        }
        if (!all) {
            all = processes_.list();
            for (const auto& process : *all) {
                by_id.emplace(process.id.value(), &process);
            }
        }
        struct Item {
            std::int64_t start;
            std::string line;
        };
        std::vector<Item> items;
        for (const auto& process_id : follower.process_ids) {
            const auto found = by_id.find(process_id.value());
            if (found == by_id.end()) {
                continue;
            }
            for (const auto& milestone : found->second->milestones) {
                const auto& fields = milestone.fields;
                if (fields.precision != DatePrecision::Day || milestone.ends_at() <= now ||
                    fields.start.utc() >= now + kDigestHorizonDays * core::kSecondsPerDay) {
                    continue;
                }
                items.push_back({fields.start.utc(),
                                 "- " + when_text(fields.start, follower) + " — " +
                                     short_name(*found->second) + ": " + fields.title + " (" +
                                     i18n::Catalog::embedded().translate(follower.language,
                                                                         label(fields.kind)) +
                                     ")\n  " + process_url(settings, *found->second) +
                                     "#milestone-" + std::to_string(milestone.id.value())});
            }
        }
        if (items.empty()) {
            continue;
        }
        std::sort(items.begin(), items.end(),
                  [](const Item& a, const Item& b) { return a.start < b.start; });
        std::string lines;
        for (const auto& item : items) {
            lines += item.line + "\n";
        }
        const std::string manage_url = followers_.links(follower).manage_url;
        const Values values = {{"site", settings.site_name},
                               {"items", lines},
                               {"days", std::to_string(kDigestHorizonDays)},
                               {"manage", manage_url}};
        const auto message = follower_mail(
            settings, follower, manage_url,
            i18n::translate(follower.language, "Coming up in the processes you follow on {site}",
                            values),
            i18n::translate(follower.language,
                            "Hello,\n\n"
                            "In the next {days} days, in the processes you follow:\n\n"
                            "{items}\n"
                            "To change your reminders or stop them, open:\n{manage}\n",
                            values));
        const auto composed = mail::compose(message, clock_, random_);
        bool recorded = false;
        database_.transact([&](store::Connection& connection) {
            recorded =
                follower_store::record_digest(connection, follower.id, local.day_number, now);
            if (recorded) {
                outbox_.enqueue(connection, composed, message.subject);
            }
        });
        queued += recorded ? 1 : 0;
    }
    return queued;
}

}  // namespace coalition::processes
