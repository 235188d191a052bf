// Endorsements: freezing a version for endorsement, the organisations' answers, what the draft
// page and the editors' overview show, and the reminders. Publication is in publication.cpp.

#include "responses/endorsement.hpp"

#include "core/clock.hpp"
#include "core/names.hpp"
#include "i18n/i18n.hpp"
#include "responses/drafting.hpp"
#include "responses/endorsement_store.hpp"
#include "responses/response_store.hpp"
#include "responses/responses.hpp"
#include "store/transaction.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

namespace coalition::responses {

using accounts::Actor;

namespace {

constexpr std::array<std::pair<AnswerKind, std::string_view>, 3> kAnswerIds = {{
    {AnswerKind::Endorse, "endorse"},
    {AnswerKind::Abstain, "abstain"},
    {AnswerKind::Object, "object"},
}};

using Values = std::vector<std::pair<std::string, std::string>>;

core::Error not_found() {
    return core::Error::not_found(std::string(i18n::gettext_noop("There is no such response.")));
}

core::Error deadline_passed() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("The deadline for answers has passed.")));
}

core::Error not_open() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("This response is not open for endorsement.")));
}

// The deadline as a representative in `language` reads it: the instant in the deadline's own
// zone, named.
std::string deadline_text(const processes::Moment& deadline, std::string_view language) {
    return processes::format_instant(deadline.utc(), deadline.zone(), language) + " " +
           deadline.zone();
}

// When the reminder `days` before `deadline` is due: the same wall time that many days earlier
// in the deadline's zone (as processes' reminders: DST changes in between do not move it); a
// time that day skips falls back to days × 24 hours.
std::int64_t reminder_due_at(const processes::Moment& deadline, int days) {
    const std::string day = processes::civil_from_days(deadline.day_number() - days);
    if (auto due = processes::Moment::date_time(day, deadline.time(), deadline.zone(), "due")) {
        return due->utc();
    }
    return deadline.utc() - days * core::kSecondsPerDay;
}

std::string valid_language(std::string_view language) {
    return i18n::find_language(language) != nullptr ? std::string(language) : std::string("en");
}

}  // namespace

std::string_view id(AnswerKind kind) {
    return core::name_of(kAnswerIds, kind);
}

std::optional<AnswerKind> parse_answer_kind(std::string_view text) {
    return core::value_of(kAnswerIds, text);
}

Endorsements::Endorsements(store::Database& database, const core::Clock& clock,
                           core::Random& random, mail::Outbox& outbox, const accounts::Users& users,
                           const accounts::Organisations& organisations,
                           const processes::Processes& processes, signon::TransparencyLog& log,
                           const ResponseSettings& settings)
    : database_(database),
      clock_(clock),
      random_(random),
      outbox_(outbox),
      users_(users),
      organisations_(organisations),
      processes_(processes),
      log_(log),
      base_url_(settings.base_url),
      site_name_(settings.site_name),
      sender_(settings.sender) {
}

core::Error Endorsements::refuse(const Actor& actor, std::int64_t response_id,
                                 std::string_view attempt) {
    const auto now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        accounts::AuditLog::record(connection, now, actor, "response.refused",
                                   audit_subject(ResponseId(response_id)),
                                   drafting::details({{"attempt", std::string(attempt)}}));
    });
    return core::Error::forbidden(
        std::string(i18n::gettext_noop("You may not do this with this response.")));
}

std::string Endorsements::language_of(accounts::UserId user) const {
    return endorsement_store::language(database_, user).value_or("en");
}

core::Result<void> Endorsements::check_representative(const Actor& actor, std::int64_t response_id,
                                                      accounts::OrganisationId organisation,
                                                      std::string_view attempt) {
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    // Only a representative answers for an organisation: not the command line, not an admin
    // without one, and only for their own member organisation.
    if (!viewer.user || !viewer.represents_member || !viewer.user->organisation ||
        *viewer.user->organisation != organisation) {
        return refuse(actor, response_id, attempt);
    }
    return {};
}

core::Result<Response> Endorsements::editable(const Actor& actor, std::string_view slug,
                                              std::string_view attempt) {
    auto response = response_store::find(database_, slug);
    if (!response) {
        return not_found();
    }
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    if (drafting::access_of(viewer, *response) < Access::Editor) {
        return refuse(actor, response->id.value(), attempt);
    }
    return std::move(*response);
}

core::Result<Round> Endorsements::freeze(const Actor& actor, std::string_view slug,
                                         const FreezeInput& input) {
    const auto response = editable(actor, slug, "freeze");
    if (!response) {
        return response.error();
    }
    const core::Error published = core::Error::conflict(
        std::string(i18n::gettext_noop("This response is already published.")));
    if (response->status == ResponseStatus::Published) {
        return published;
    }
    auto deadline = processes::Moment::date_time(input.deadline_date, input.deadline_time,
                                                 input.deadline_zone, "deadline");
    if (!deadline) {
        return deadline.error();
    }
    if (deadline->utc() <= clock_.unix_now()) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Choose a deadline in the future.")), "deadline_date");
    }
    const core::Error changed = core::Error::conflict(
        std::string(i18n::gettext_noop(
            "The text has changed since you opened it: reload it and make your change again.")),
        "based_on");
    const ResponseId id = response->id;
    // Read before the transaction: a transaction body may use only its own connection.
    std::map<std::int64_t, accounts::User> users;
    for (auto& user : users_.list()) {
        users.emplace(user.id.value(), std::move(user));
    }
    std::map<std::int64_t, accounts::Organisation> organisations;
    for (auto& organisation : organisations_.list()) {
        organisations.emplace(organisation.id.value(), std::move(organisation));
    }
    return store::run_transaction<Round>(database_, changed, [&](store::Connection& connection) {
        const auto now = clock_.unix_now();
        response_store::touch(connection, id, now);
        const auto current = response_store::find(connection, slug);
        COALITION_ASSERT(current.has_value(), "a response is never deleted");
        if (current->status == ResponseStatus::Published) {
            throw store::Rejection(published);
        }
        if (current->current_version != input.based_on) {
            throw store::Rejection(changed);
        }
        const auto versions = response_store::versions(connection, id);
        const auto version = std::find_if(versions.begin(), versions.end(), [&](const Version& v) {
            return v.number == input.based_on;
        });
        COALITION_ASSERT(version != versions.end(), "the current version exists");
        const auto previous = endorsement_store::latest_round(connection, id);
        Round round{.id = 0,
                    .version_number = version->number,
                    .version_hash = version->hash,
                    .deadline = *deadline,
                    .actor = actor.label(),
                    .frozen_at = now};
        round.id = endorsement_store::insert_round(connection, id, round);
        endorsement_store::set_status(connection, id, ResponseStatus::OpenForEndorsement, now);
        // A new text: every answer given to an earlier one no longer counts; its representative
        // is asked to read the new text and answer again.
        int asked = 0;
        if (previous && previous->version_hash != round.version_hash) {
            for (const auto& answer : endorsement_store::answers(connection, id)) {
                if (answer.version_hash == round.version_hash) {
                    continue;
                }
                const auto user_found = users.find(answer.user.value());
                const auto organisation_found = organisations.find(answer.organisation.value());
                if (user_found == users.end() || organisation_found == organisations.end()) {
                    continue;
                }
                const accounts::User* user = &user_found->second;
                const accounts::Organisation* organisation = &organisation_found->second;
                const std::string language =
                    endorsement_store::language(connection, user->id).value_or("en");
                const Values values = {
                    {"title", current->title},
                    {"version", std::to_string(round.version_number)},
                    {"when", deadline_text(round.deadline, language)},
                    {"organisation", organisation->name},
                    {"site", site_name_},
                    {"link", base_url_ + "/responses/" + current->slug.value() + "#endorsement"}};
                const mail::OutgoingMessage message{
                    .from = sender_,
                    .to = {mail::Mailbox{user->display_name, user->email}},
                    .subject = i18n::translate(language, "Please answer again: {title}", values),
                    .text_body = i18n::translate(
                        language,
                        "Hello,\n\n"
                        "The editors of the joint response \"{title}\" on {site} froze a new "
                        "version (version {version}), open for endorsement until {when}.\n\n"
                        "{organisation} answered an earlier version, so that answer no longer "
                        "counts. Please read the new text and answer again:\n\n"
                        "{link}\n",
                        values),
                    .headers = {{"Auto-Submitted", "auto-generated"}},
                    .language = language};
                outbox_.enqueue(connection, mail::compose(message, clock_, random_),
                                message.subject);
                ++asked;
            }
        }
        accounts::AuditLog::record(
            connection, now, actor, "response.freeze", audit_subject(id),
            drafting::details({{"version", std::to_string(round.version_number)},
                               {"hash", round.version_hash},
                               {"deadline", round.deadline.date() + " " + round.deadline.time() +
                                                " " + round.deadline.zone()},
                               {"asked_to_answer_again", std::to_string(asked)}}));
        return round;
    });
}

core::Result<Answer> Endorsements::answer(const Actor& actor, std::string_view slug,
                                          const AnswerInput& input) {
    const auto response = response_store::find(database_, slug);
    if (!response) {
        return not_found();
    }
    if (auto checked =
            check_representative(actor, response->id.value(), input.organisation, "answer");
        !checked) {
        return checked.error();
    }
    const auto kind = parse_answer_kind(input.answer);
    if (!kind) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Choose endorse, abstain or object.")), "answer");
    }
    auto reason = drafting::plain_text(input.reason, "reason", kMaxReasonCharacters, true);
    if (!reason) {
        return reason.error();
    }
    const std::string language = valid_language(input.language);
    const accounts::UserId user = *actor.user_id();
    const ResponseId id = response->id;
    // A first look, for a clear answer without a write; the check that counts is the one inside
    // the transaction, so a deadline passing during the request is still refused.
    if (const auto round = endorsement_store::latest_round(database_, id);
        round && response->status == ResponseStatus::OpenForEndorsement &&
        clock_.unix_now() >= round->deadline.utc()) {
        return deadline_passed();
    }
    const core::Error stale = core::Error::conflict(
        std::string(i18n::gettext_noop("The text open for endorsement has changed since you "
                                       "opened the page: read the new version and answer again.")),
        "version_hash");
    return store::run_transaction<Answer>(database_, stale, [&](store::Connection& connection) {
        response_store::touch(connection, id, response->updated_at);
        const auto current = response_store::find(connection, slug);
        const auto round = endorsement_store::latest_round(connection, id);
        if (!current || current->status != ResponseStatus::OpenForEndorsement || !round) {
            throw store::Rejection(not_open());
        }
        const auto now = clock_.unix_now();
        if (now >= round->deadline.utc()) {
            throw store::Rejection(deadline_passed());
        }
        if (input.version_hash != round->version_hash) {
            throw store::Rejection(stale);
        }
        const auto existing = endorsement_store::find_answer(connection, id, input.organisation);
        if (existing && existing->kind == *kind && existing->reason == *reason &&
            existing->version_hash == round->version_hash) {
            return *existing;  // A double submission: nothing changes.
        }
        Answer answer{.organisation = input.organisation,
                      .kind = *kind,
                      .reason = *reason,
                      .version_number = round->version_number,
                      .version_hash = round->version_hash,
                      .user = user,
                      .answered_at = now};
        endorsement_store::put_answer(connection, id, answer);
        endorsement_store::remember_language(connection, user, language, now);
        accounts::AuditLog::record(
            connection, now, actor, "response.answer", audit_subject(id),
            drafting::details({{"organisation", std::to_string(input.organisation.value())},
                               {"answer", std::string(responses::id(*kind))},
                               {"hash", round->version_hash}}));
        return answer;
    });
}

core::Result<void> Endorsements::withdraw(const Actor& actor, std::string_view slug,
                                          accounts::OrganisationId organisation) {
    const auto response = response_store::find(database_, slug);
    if (!response) {
        return not_found();
    }
    if (auto checked = check_representative(actor, response->id.value(), organisation, "withdraw");
        !checked) {
        return checked.error();
    }
    const ResponseId id = response->id;
    return store::run_transaction_void(database_, not_open(), [&](store::Connection& connection) {
        response_store::touch(connection, id, response->updated_at);
        const auto current = response_store::find(connection, slug);
        const auto round = endorsement_store::latest_round(connection, id);
        if (!current || current->status != ResponseStatus::OpenForEndorsement || !round) {
            throw store::Rejection(not_open());
        }
        const auto now = clock_.unix_now();
        if (now >= round->deadline.utc()) {
            throw store::Rejection(deadline_passed());
        }
        if (endorsement_store::delete_answer(connection, id, organisation)) {
            accounts::AuditLog::record(
                connection, now, actor, "response.withdraw_answer", audit_subject(id),
                drafting::details({{"organisation", std::to_string(organisation.value())}}));
        }
    });
}

core::Result<EndorsementState> Endorsements::state(const Actor& actor, std::string_view slug) {
    const auto response = response_store::find(database_, slug);
    if (!response) {
        return not_found();
    }
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    const Access access = drafting::access_of(viewer, *response);
    if (access == Access::None) {
        return refuse(actor, response->id.value(), "read");
    }
    EndorsementState state;
    state.round = endorsement_store::latest_round(database_, response->id);
    const auto now = clock_.unix_now();
    const bool open = response->status == ResponseStatus::OpenForEndorsement && state.round;
    state.is_open = open && now < state.round->deadline.utc();
    if (viewer.represents_member && viewer.user && viewer.user->organisation) {
        state.organisation = organisations_.find_by_id(*viewer.user->organisation);
        state.answer =
            endorsement_store::find_answer(database_, response->id, *viewer.user->organisation);
        state.answer_is_current =
            state.answer && state.round && state.answer->version_hash == state.round->version_hash;
    }
    state.can_freeze = access >= Access::Editor && response->status != ResponseStatus::Published;
    state.can_publish = access >= Access::Editor && open && !state.is_open;
    return state;
}

core::Result<EndorsementOverview> Endorsements::overview(const Actor& actor,
                                                         std::string_view slug) {
    const auto response = editable(actor, slug, "overview");
    if (!response) {
        return response.error();
    }
    EndorsementOverview out;
    out.round = endorsement_store::latest_round(database_, response->id);
    std::map<std::int64_t, Answer> by_organisation;
    for (auto& answer : endorsement_store::answers(database_, response->id)) {
        by_organisation.emplace(answer.organisation.value(), std::move(answer));
    }
    accounts::OrganisationFilter members;
    members.status = accounts::OrganisationStatus::Member;
    for (auto& organisation : organisations_.list(members)) {
        OrganisationAnswer row{.organisation = std::move(organisation), .answer = std::nullopt};
        if (auto found = by_organisation.find(row.organisation.id.value());
            found != by_organisation.end()) {
            row.answer = found->second;
            row.is_current = out.round && found->second.version_hash == out.round->version_hash;
            if (const auto user = users_.find_by_id(found->second.user)) {
                row.representative = user->name();
            }
        }
        if (!row.answer) {
            ++out.not_answered;
        } else if (!row.is_current) {
            ++out.earlier;
        } else if (row.answer->kind == AnswerKind::Endorse) {
            ++out.endorsed;
        } else if (row.answer->kind == AnswerKind::Abstain) {
            ++out.abstained;
        } else {
            ++out.objected;
        }
        out.organisations.push_back(std::move(row));
    }
    return out;
}

int Endorsements::send_reminders() {
    const std::int64_t now = clock_.unix_now();
    const auto rounds = endorsement_store::open_rounds(database_);
    if (rounds.empty()) {
        return 0;
    }
    accounts::OrganisationFilter filter;
    filter.status = accounts::OrganisationStatus::Member;
    const auto members = organisations_.list(filter);
    std::vector<int> ascending(std::begin(kEndorsementReminderDays),
                               std::end(kEndorsementReminderDays));
    std::sort(ascending.begin(), ascending.end());
    int queued = 0;
    for (const auto& open : rounds) {
        const processes::Moment& deadline = open.round.deadline;
        if (deadline.utc() <= now) {
            continue;
        }
        // The smallest offset already due (a round opened 2 days before its deadline gets the
        // 3-day reminder once, then the 1-day one).
        std::optional<int> offset;
        for (const int days : ascending) {
            if (reminder_due_at(deadline, days) <= now) {
                offset = days;
                break;
            }
        }
        if (!offset) {
            continue;
        }
        const auto sent = endorsement_store::reminders_sent(database_, open.round.id);
        std::set<std::int64_t> answered;
        for (const auto& answer : endorsement_store::answers(database_, open.response)) {
            if (answer.version_hash == open.round.version_hash) {
                answered.insert(answer.organisation.value());
            }
        }
        for (const auto& organisation : members) {
            const std::int64_t organisation_id = organisation.id.value();
            if (answered.count(organisation_id) != 0 ||
                sent.count({organisation_id, *offset}) != 0) {
                continue;
            }
            const auto representatives = users_.list_representatives(organisation.id);
            if (representatives.empty()) {
                continue;  // Nobody to remind yet; a representative added later still is.
            }
            std::vector<std::pair<mail::ComposedMessage, std::string>> mails;
            for (const auto& user : representatives) {
                const std::string language = language_of(user.id);
                const Values values = {
                    {"title", open.title},
                    {"when", deadline_text(deadline, language)},
                    {"organisation", organisation.name},
                    {"site", site_name_},
                    {"link", base_url_ + "/responses/" + open.slug + "#endorsement"}};
                const mail::OutgoingMessage message{
                    .from = sender_,
                    .to = {mail::Mailbox{user.display_name, user.email}},
                    .subject =
                        i18n::translate(language, "Reminder: endorse {title} by {when}", values),
                    .text_body = i18n::translate(
                        language,
                        "Hello,\n\n"
                        "The joint response \"{title}\" on {site} is open for endorsement until "
                        "{when}, and {organisation} has not answered yet. As its representative, "
                        "you can endorse it, abstain or object here:\n\n"
                        "{link}\n",
                        values),
                    .headers = {{"Auto-Submitted", "auto-generated"}},
                    .language = language};
                mails.emplace_back(mail::compose(message, clock_, random_), message.subject);
            }
            bool recorded = false;
            database_.transact([&](store::Connection& connection) {
                recorded = endorsement_store::record_reminder(connection, open.round.id,
                                                              organisation.id, *offset, now);
                if (recorded) {
                    for (const auto& [composed, subject] : mails) {
                        outbox_.enqueue(connection, composed, subject);
                    }
                }
            });
            queued += recorded ? static_cast<int>(mails.size()) : 0;
        }
    }
    return queued;
}

}  // namespace coalition::responses
