// Signatures: moderation, abuse defences (bursts, bulk cancellation), erasure and
// re-affirmation. Every admin action is audited in its own transaction (accounts::AuditLog).
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "signon/events.hpp"
#include "signon/signatory.hpp"
#include "signon/signatures_state.hpp"

#include <nlohmann/json.hpp>

namespace coalition::signon {
namespace {

using i18n::gettext_noop;
using signature_store::Record;
using signature_store::TokenPurpose;

constexpr std::size_t kMaxReasonLength = 2000;

core::Error not_found() {
    return core::Error::not_found(std::string(gettext_noop("There is no such signature.")));
}

// A moderator's reason or question: required, at most kMaxReasonLength characters, several
// lines allowed, no other control characters.
core::Result<std::string> check_reason(std::string_view input, std::string_view missing) {
    if (input.size() > kMaxReasonLength * 4 + 256 || !core::is_valid_utf8(input) ||
        core::has_control_characters(input)) {
        return core::Error::invalid(
            std::string(gettext_noop("Write the text without control characters, in at most "
                                     "2000 characters.")),
            "reason");
    }
    std::string text = core::to_nfc(core::trim(input));
    if (core::character_count(text) > kMaxReasonLength) {
        return core::Error::invalid(
            std::string(gettext_noop("Write the text without control characters, in at most "
                                     "2000 characters.")),
            "reason");
    }
    if (text.empty()) {
        return core::Error::invalid(std::string(missing), "reason");
    }
    return text;
}

bool awaits_moderation(SignatureStatus status) {
    return status == SignatureStatus::Confirmed || status == SignatureStatus::InformationRequested;
}

std::string subject_of(std::int64_t id) {
    return "signature:" + std::to_string(id);
}

std::string_view burst_column(BurstKey by) {
    switch (by) {
        case BurstKey::ClientAddress:
            return "client_address";
        case BurstKey::EmailDomain:
            return "email_domain";
        case BurstKey::Country:
            return "country";
    }
    COALITION_ASSERT(false, "unknown burst key");
    return {};
}

}  // namespace

std::vector<Signature> Signatures::moderation_queue(const std::string& campaign) {
    signature_store::ReadConnection reader(state_->database);
    std::vector<Signature> queue;
    for (auto& record : signature_store::find_where(
             reader, "campaign = $1 AND status IN ($2, $3)",
             {campaign, std::string(to_string(SignatureStatus::Confirmed)),
              std::string(to_string(SignatureStatus::InformationRequested))},
             1000)) {
        queue.push_back(std::move(record.signature));
    }
    return queue;
}

core::Result<Signature> Signatures::approve(const accounts::Actor& actor, std::int64_t id) {
    State& s = *state_;
    return s.transact<Signature>([&](store::Connection& connection) {
        const auto record = signature_store::find(connection, id);
        if (!record) {
            throw Rejection(not_found());
        }
        if (!awaits_moderation(record->signature.status)) {
            throw Rejection(core::Error::conflict(
                std::string(gettext_noop("This signature is not waiting for moderation."))));
        }
        Signature published = s.publish(connection, *record);
        const auto links = signature_store::find_campaign(connection, published.campaign);
        s.enqueue(connection,
                  mails::approved(s.settings, s.recipient(published, links.campaign.title)));
        accounts::AuditLog::record(connection, s.clock.unix_now(), actor, "signature.approve",
                                   subject_of(id),
                                   nlohmann::json{{"log_index", *published.log_index}}.dump());
        return published;
    });
}

core::Result<Signature> Signatures::reject(const accounts::Actor& actor, std::int64_t id,
                                           const std::string& reason) {
    State& s = *state_;
    auto text = check_reason(reason, gettext_noop("Give the reason, for the signer."));
    if (!text) {
        return text.error();
    }
    return s.transact<Signature>([&](store::Connection& connection) {
        auto record = signature_store::find(connection, id);
        if (!record) {
            throw Rejection(not_found());
        }
        if (!awaits_moderation(record->signature.status)) {
            throw Rejection(core::Error::conflict(
                std::string(gettext_noop("This signature is not waiting for moderation."))));
        }
        signature_store::set_status(connection, id, SignatureStatus::Rejected, *text);
        Signature& signature = record->signature;
        signature.status = SignatureStatus::Rejected;
        signature.moderation_note = *text;
        const auto links = signature_store::find_campaign(connection, signature.campaign);
        s.enqueue(connection,
                  mails::rejected(s.settings, s.recipient(signature, links.campaign.title), *text));
        accounts::AuditLog::record(connection, s.clock.unix_now(), actor, "signature.reject",
                                   subject_of(id), nlohmann::json{{"reason", *text}}.dump());
        return std::move(signature);
    });
}

core::Result<Signature> Signatures::request_information(const accounts::Actor& actor,
                                                        std::int64_t id,
                                                        const std::string& question) {
    State& s = *state_;
    auto text = check_reason(question, gettext_noop("Write the question for the signer."));
    if (!text) {
        return text.error();
    }
    return s.transact<Signature>([&](store::Connection& connection) {
        auto record = signature_store::find(connection, id);
        if (!record) {
            throw Rejection(not_found());
        }
        if (!awaits_moderation(record->signature.status)) {
            throw Rejection(core::Error::conflict(
                std::string(gettext_noop("This signature is not waiting for moderation."))));
        }
        signature_store::set_status(connection, id, SignatureStatus::InformationRequested, *text);
        Signature& signature = record->signature;
        signature.status = SignatureStatus::InformationRequested;
        signature.moderation_note = *text;
        const auto links = signature_store::find_campaign(connection, signature.campaign);
        s.enqueue(connection, mails::information_requested(
                                  s.settings, s.recipient(signature, links.campaign.title), *text));
        accounts::AuditLog::record(connection, s.clock.unix_now(), actor,
                                   "signature.request_information", subject_of(id),
                                   nlohmann::json{{"question", *text}}.dump());
        return std::move(signature);
    });
}

std::vector<Burst> Signatures::bursts(const std::string& campaign, BurstKey by, std::int64_t since,
                                      std::int64_t min_count) {
    const std::string column(burst_column(by));
    const auto rows = state_->database.query(
        "SELECT " + column +
            ", COUNT(*), SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), MIN(created_at), "
            "MAX(created_at) FROM signatures WHERE campaign = $1 AND created_at >= $2 "
            "AND status <> 'erased' GROUP BY " +
            column + " HAVING COUNT(*) >= $3 ORDER BY COUNT(*) DESC, " + column + " LIMIT 100",
        {campaign, since, std::max<std::int64_t>(min_count, 1)});
    std::vector<Burst> bursts;
    for (const auto& row : rows) {
        bursts.push_back(Burst{.by = by,
                               .key = row.text(0),
                               .count = row.integer(1),
                               .pending = row.integer(2),
                               .published = row.integer(3),
                               .first_at = row.integer(4),
                               .last_at = row.integer(5)});
    }
    return bursts;
}

core::Result<std::int64_t> Signatures::cancel(const accounts::Actor& actor,
                                              const CancelCriteria& criteria,
                                              const std::string& reason) {
    State& s = *state_;
    auto text = check_reason(reason, gettext_noop("Give the reason for the cancellation."));
    if (!text) {
        return text.error();
    }
    std::string where = "status IN ($1, $2, $3";
    store::Params params = {std::string(to_string(SignatureStatus::Pending)),
                            std::string(to_string(SignatureStatus::Confirmed)),
                            std::string(to_string(SignatureStatus::InformationRequested))};
    if (criteria.include_published) {
        params.emplace_back(std::string(to_string(SignatureStatus::Published)));
        where += ", $4";
    }
    where += ")";
    const auto add = [&](std::string_view condition, store::Value value) {
        params.push_back(std::move(value));
        where += " AND " + std::string(condition) + " $" + std::to_string(params.size());
    };
    bool narrowed = false;
    if (!criteria.campaign.empty()) {
        add("campaign =", criteria.campaign);
    }
    if (!criteria.client_address.empty()) {
        add("client_address =", criteria.client_address);
        narrowed = true;
    }
    if (!criteria.email_domain.empty()) {
        auto domain = core::Domain::parse(criteria.email_domain);
        add("email_domain =", domain ? domain->ascii() : core::trim(criteria.email_domain));
        narrowed = true;
    }
    if (!criteria.country.empty()) {
        auto country = accounts::Country::parse(criteria.country);
        add("country =", country ? country->code() : core::trim(criteria.country));
        narrowed = true;
    }
    if (criteria.from > 0) {
        add("created_at >=", criteria.from);
        narrowed = true;
    }
    if (criteria.to > 0) {
        add("created_at <=", criteria.to);
        narrowed = true;
    }
    if (!narrowed) {
        return core::Error::invalid(
            std::string(gettext_noop("Narrow the cancellation down: give a client address, an "
                                     "e-mail domain, a country or a time range.")));
    }
    return s.transact<std::int64_t>([&](store::Connection& connection) {
        const auto records = signature_store::find_where(connection, where, params, 1'000'000);
        const auto now = s.clock.unix_now();
        for (const Record& record : records) {
            const Signature& signature = record.signature;
            if (signature.status == SignatureStatus::Published && signature.log_index) {
                s.log.append(connection, withdrawn_event(signature.campaign, *signature.log_index,
                                                         "administrator", now, s.random));
            }
            signature_store::set_status(connection, signature.id, SignatureStatus::Cancelled,
                                        *text);
        }
        accounts::AuditLog::record(
            connection, now, actor, "signature.cancel",
            criteria.campaign.empty() ? "signatures" : "campaign:" + criteria.campaign,
            nlohmann::json{{"reason", *text},
                           {"count", records.size()},
                           {"client_address", criteria.client_address},
                           {"email_domain", criteria.email_domain},
                           {"country", criteria.country},
                           {"from", criteria.from},
                           {"to", criteria.to},
                           {"include_published", criteria.include_published}}
                .dump());
        return static_cast<std::int64_t>(records.size());
    });
}

core::Result<std::int64_t> Signatures::erase(const accounts::Actor& actor, std::string_view email) {
    State& s = *state_;
    auto address = core::Email::parse(email);
    if (!address) {
        return address.error();
    }
    const std::string key = dedup_key(*address);
    return s.transact<std::int64_t>([&](store::Connection& connection) {
        const auto records = signature_store::find_by_dedup_key(connection, key);
        if (records.empty()) {
            throw Rejection(core::Error::not_found(
                std::string(gettext_noop("No signature was made with this address."))));
        }
        const auto now = s.clock.unix_now();
        for (const Record& record : records) {
            const Signature& signature = record.signature;
            if (signature.log_index) {
                s.log.withhold(connection, *signature.log_index);
                s.log.append(connection,
                             erased_event(signature.campaign, *signature.log_index, now, s.random));
            }
            signature_store::erase_personal_data(connection, signature.id);
            // The audit row names the signature, never the person.
            accounts::AuditLog::record(connection, now, actor, "signature.erase",
                                       subject_of(signature.id));
        }
        return static_cast<std::int64_t>(records.size());
    });
}

core::Result<std::int64_t> Signatures::request_reaffirmation(const accounts::Actor& actor,
                                                             const Campaign& campaign,
                                                             std::string_view new_version_hash,
                                                             const std::string& base_url) {
    State& s = *state_;
    if (new_version_hash.empty()) {
        return core::Error::invalid(std::string(gettext_noop("Choose the version to re-affirm.")));
    }
    const std::string version(new_version_hash);
    const std::string base = trim_base_url(base_url);
    const auto lifetime =
        std::max<std::int64_t>(s.settings.confirmation_lifetime.count(), 30 * 86400);
    // Every current published signer of an earlier version without a signature of this one.
    signature_store::ReadConnection reader(s.database);
    const auto candidates = signature_store::find_where(
        reader,
        "campaign = $1 AND status = 'published' AND superseded = 0 AND version_hash <> $2 AND "
        "NOT EXISTS (SELECT 1 FROM signatures n WHERE n.dedup_key = signatures.dedup_key AND "
        "n.campaign = signatures.campaign AND n.version_hash = $2)",
        {campaign.key, version}, 1'000'000);

    std::int64_t queued = 0;
    constexpr std::size_t kBatch = 500;
    for (std::size_t start = 0; start < candidates.size() || start == 0; start += kBatch) {
        const std::size_t end = std::min(candidates.size(), start + kBatch);
        struct Prepared {
            std::int64_t from = 0;
            State::NewToken token;
            mail::ComposedMessage composed;
            std::string subject;
        };
        std::vector<Prepared> batch;
        for (std::size_t idx = start; idx < end; ++idx) {
            const Signature& signature = candidates[idx].signature;
            auto token = s.new_token();
            const auto message =
                mails::reaffirmation(s.settings, s.recipient(signature, campaign.title),
                                     base + campaign.path + "/confirm/" + token.token);
            batch.push_back(Prepared{.from = signature.id,
                                     .token = std::move(token),
                                     .composed = mail::compose(message, s.clock, s.random),
                                     .subject = message.subject});
        }
        const bool last = end >= candidates.size();
        queued +=
            s.transact<std::int64_t>([&](store::Connection& connection) {
                 const auto now = s.clock.unix_now();
                 std::int64_t count = 0;
                 for (const Prepared& item : batch) {
                     const auto id =
                         signature_store::insert_copy(connection, item.from, version, now);
                     if (!id) {
                         continue;  // Asked twice, or signed meanwhile.
                     }
                     signature_store::insert_token(connection, *id, item.token.hash,
                                                   TokenPurpose::Confirm, now, now + lifetime);
                     s.enqueue(connection, item.composed, item.subject);
                     ++count;
                 }
                 if (last) {
                     signature_store::save_campaign(connection, campaign, base, now);
                     accounts::AuditLog::record(
                         connection, now, actor, "signature.request_reaffirmation",
                         "campaign:" + campaign.key,
                         nlohmann::json{{"version", version}, {"mails", queued + count}}.dump());
                 }
                 return count;
             }).value();
        if (last) {
            break;
        }
    }
    return queued;
}

}  // namespace coalition::signon
