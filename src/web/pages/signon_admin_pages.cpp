// Moderation, suspicious bursts, bulk cancellation and erasure of signatures (see the header).

#include "web/pages/signon_admin_pages.hpp"

#include "accounts/accounts.hpp"
#include "core/email.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/pages/signatories_pages.hpp"
#include "web/problem.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::web {

struct SignOnAdminPages::RowError {
    std::string row;      // The signature id (queue) or "<by>:<key>" (bursts).
    std::string field;    // "reason" or "question".
    std::string message;  // English; translated when shown.
    std::string typed;    // What was typed, shown again.
};

namespace {

struct Window {
    std::string_view id;
    std::string_view msgid;
    std::int64_t seconds;
};

constexpr Window kWindows[] = {
    {"hour", i18n::gettext_noop("The last hour"), 3600},
    {"day", i18n::gettext_noop("The last day"), std::int64_t{24} * 3600},
    {"week", i18n::gettext_noop("The last week"), std::int64_t{7} * 24 * 3600},
};

const Window& window_of(std::string_view id) {
    for (const auto& window : kWindows) {
        if (window.id == id) {
            return window;
        }
    }
    return kWindows[1];
}

struct BurstKind {
    signon::BurstKey key;
    std::string_view id;
    std::string_view msgid;
};

constexpr BurstKind kBurstKinds[] = {
    {signon::BurstKey::ClientAddress, "client-address", i18n::gettext_noop("By client address")},
    {signon::BurstKey::EmailDomain, "email-domain", i18n::gettext_noop("By e-mail domain")},
    {signon::BurstKey::Country, "country", i18n::gettext_noop("By country")},
};

const BurstKind* burst_kind(std::string_view id) {
    for (const auto& kind : kBurstKinds) {
        if (kind.id == id) {
            return &kind;
        }
    }
    return nullptr;
}

// The error for a reason or question a moderator typed, or nullopt when it is fine.
std::optional<std::string> check_reason(const std::string& text, std::string_view missing_msgid) {
    if (text.empty()) {
        return std::string(missing_msgid);
    }
    if (core::character_count(text) > kMaxReasonCharacters || core::has_control_characters(text)) {
        return std::string(
            i18n::gettext_noop("Write at most 2,000 characters, without control characters."));
    }
    return std::nullopt;
}

// A signature's status as the moderators know it (the signer reads other words: statement_pages).
std::string_view moderation_status_msgid(signon::SignatureStatus status) {
    switch (status) {
        case signon::SignatureStatus::Pending:
            return i18n::gettext_noop("Waiting for e-mail confirmation");
        case signon::SignatureStatus::Confirmed:
            return i18n::gettext_noop("Waiting for moderation");
        case signon::SignatureStatus::InformationRequested:
            return i18n::gettext_noop("Information requested");
        case signon::SignatureStatus::Published:
            return i18n::gettext_noop("Published");
        case signon::SignatureStatus::Rejected:
            return i18n::gettext_noop("Rejected");
        case signon::SignatureStatus::Withdrawn:
            return i18n::gettext_noop("Withdrawn");
        case signon::SignatureStatus::Cancelled:
            return i18n::gettext_noop("Cancelled");
        case signon::SignatureStatus::Erased:
            return i18n::gettext_noop("Erased");
    }
    return "";
}

std::string country_label(std::string_view code, std::string_view language) {
    if (auto country = accounts::Country::parse(code)) {
        return country->name(language);
    }
    return std::string(code);
}

// The name a moderator knows a signature by: the organisation's, or the person's.
std::string display_name(const signon::Signature& signature) {
    return signature.kind == signon::SignatoryKind::Organisation &&
                   !signature.organisation_name.empty()
               ? signature.organisation_name
               : signature.name;
}

}  // namespace

SignOnAdminPages::SignOnAdminPages(Site& site)
    : site_(site),
      queue_(site.pages.require("admin_signon_queue")),
      bursts_(site.pages.require("admin_signon_bursts")),
      erase_(site.pages.require("admin_signon_erase")) {
    site.pages.require("admin_signon_nav");
}

// --- The moderation queue. ---

Response SignOnAdminPages::queue(Request& request) const {
    return render_queue(request, nullptr, 200);
}

Response SignOnAdminPages::render_queue(Request& request, const RowError* error, int status) const {
    const std::string_view language = language_of(request);
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    mstch::array rows;
    mstch::array errors;
    for (const auto& signature :
         site_.signatures.moderation_queue(std::string(kStatementCampaign))) {
        const std::string id = std::to_string(signature.id);
        const bool is_error_row = error != nullptr && error->row == id;
        std::string reason_error;
        std::string question_error;
        if (is_error_row) {
            (error->field == "reason" ? reason_error : question_error) = label(error->message);
            errors.push_back(mstch::map{{"field_id", error->field + "-" + id},
                                        {"message", label(error->message)}});
        }
        const auto group = accounts::parse_stakeholder_group(signature.stakeholder_group);
        rows.push_back(mstch::map{
            {"id", id},
            {"name", display_name(signature)},
            {"is_organisation", signature.kind == signon::SignatoryKind::Organisation},
            {"kind", label(kind_msgid(signature.kind))},
            {"representative", signature.name},
            {"title", signature.title},
            {"email", signature.email},
            {"affiliation", signature.affiliation},
            {"domain", signature.organisation_domain},
            {"country", country_label(signature.country, language)},
            {"group", group ? label(accounts::label(*group)) : signature.stakeholder_group},
            {"verification", label(verification_msgid(signature.verification))},
            {"verification_id", std::string(signon::to_string(signature.verification))},
            {"status", label(moderation_status_msgid(signature.status))},
            {"status_id", std::string(signon::to_string(signature.status))},
            {"created", core::format_rfc3339(signature.created_at)},
            {"note", signature.moderation_note},
            {"has_note", !signature.moderation_note.empty()},
            {"reason_value", is_error_row && error->field == "reason" ? error->typed : ""},
            {"reason_error", reason_error},
            {"question_value", is_error_row && error->field == "question" ? error->typed : ""},
            {"question_error", question_error},
        });
    }
    if (error != nullptr && errors.empty()) {
        // The signature left the queue meanwhile (moderated by someone else): say so at the top.
        errors.push_back(mstch::map{{"field_id", std::string("queue-title")},
                                    {"message", label(error->message)}});
    }
    // After a redirect, say what was done to whom (the name as stored, never the query text).
    auto context = page_context(site_, request, "Signatures to moderate");
    if (auto done = request.query_value("done"); done && error == nullptr) {
        const auto id = read_integer(request.query_value("id").value_or(""));
        const auto signature = id ? site_.signatures.find(*id) : std::nullopt;
        const std::string name = signature ? display_name(*signature) : std::string();
        if (*done == "approved" && signature) {
            context.flash = i18n::format(label("{name} was approved and is now on the list."),
                                         {{"name", name}});
        } else if (*done == "rejected" && signature) {
            context.flash =
                i18n::format(label("{name} was rejected; the reason was sent."), {{"name", name}});
        } else if (*done == "asked" && signature) {
            context.flash =
                i18n::format(label("Your question was sent to {name}."), {{"name", name}});
        }
    }
    const bool has_rows = !rows.empty();
    mstch::map data{
        {"rows", std::move(rows)},
        {"has_rows", has_rows},
        {"has_errors", !errors.empty()},
        {"errors", std::move(errors)},
    };
    return Response::html(site_.pages.render_page(context, queue_, std::move(data)), status);
}

Response SignOnAdminPages::approve(Request& request) const {
    const auto actor = actor_of(request);
    const auto id = read_integer(request.param("id"));
    if (!actor || !id) {
        return error_page(site_, request, 404);
    }
    auto result = site_.signatures.approve(*actor, *id);
    if (!result) {
        if (result.error().code == core::ErrorCode::NotFound) {
            return error_page(site_, request, 404);
        }
        RowError error{std::to_string(*id), "reason", result.error().message, ""};
        return render_queue(request, &error, http_status(result.error().code));
    }
    return Response::redirect_see_other("/admin/signatures?done=approved&id=" +
                                        std::to_string(*id));
}

Response SignOnAdminPages::reject(Request& request) const {
    const auto actor = actor_of(request);
    const auto id = read_integer(request.param("id"));
    if (!actor || !id) {
        return error_page(site_, request, 404);
    }
    const std::string reason = core::trim(form_of(request).value("reason"));
    if (auto problem = check_reason(reason, i18n::gettext_noop("Give the reason for rejecting."))) {
        RowError error{std::to_string(*id), "reason", *problem, reason};
        return render_queue(request, &error, 422);
    }
    auto result = site_.signatures.reject(*actor, *id, reason);
    if (!result) {
        if (result.error().code == core::ErrorCode::NotFound) {
            return error_page(site_, request, 404);
        }
        RowError error{std::to_string(*id), "reason", result.error().message, reason};
        return render_queue(request, &error, http_status(result.error().code));
    }
    return Response::redirect_see_other("/admin/signatures?done=rejected&id=" +
                                        std::to_string(*id));
}

Response SignOnAdminPages::ask(Request& request) const {
    const auto actor = actor_of(request);
    const auto id = read_integer(request.param("id"));
    if (!actor || !id) {
        return error_page(site_, request, 404);
    }
    const std::string question = core::trim(form_of(request).value("question"));
    if (auto problem = check_reason(question, i18n::gettext_noop("Write the question to send."))) {
        RowError error{std::to_string(*id), "question", *problem, question};
        return render_queue(request, &error, 422);
    }
    auto result = site_.signatures.request_information(*actor, *id, question);
    if (!result) {
        if (result.error().code == core::ErrorCode::NotFound) {
            return error_page(site_, request, 404);
        }
        RowError error{std::to_string(*id), "question", result.error().message, question};
        return render_queue(request, &error, http_status(result.error().code));
    }
    return Response::redirect_see_other("/admin/signatures?done=asked&id=" + std::to_string(*id));
}

// --- Bursts and bulk cancellation. ---

Response SignOnAdminPages::bursts(Request& request) const {
    return render_bursts(request, nullptr, 200);
}

Response SignOnAdminPages::render_bursts(Request& request, const RowError* error,
                                         int status) const {
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    const std::string_view language = language_of(request);
    // On a failed cancellation the window comes from the form, else from the query.
    const std::string window_id = error != nullptr
                                      ? form_of(request).value("window")
                                      : std::string(request.query_value("window").value_or("day"));
    const Window& window = window_of(window_id);
    const std::int64_t now = clock_.unix_now();
    const std::string campaign(kStatementCampaign);

    mstch::array sections;
    mstch::array errors;
    for (const auto& kind : kBurstKinds) {
        mstch::array rows;
        for (const auto& burst :
             site_.signatures.bursts(campaign, kind.key, now - window.seconds)) {
            const std::string row_id = std::string(kind.id) + ":" + burst.key;
            const bool is_error_row = error != nullptr && error->row == row_id;
            const std::string index =
                std::to_string(sections.size()) + "-" + std::to_string(rows.size());
            if (is_error_row) {
                errors.push_back(mstch::map{{"field_id", "reason-" + index},
                                            {"message", label(error->message)}});
            }
            rows.push_back(mstch::map{
                {"index", index},
                {"by", std::string(kind.id)},
                {"key", burst.key},
                {"shown_key", kind.key == signon::BurstKey::Country
                                  ? country_label(burst.key, language) + " (" + burst.key + ")"
                                  : burst.key},
                {"count", std::to_string(burst.count)},
                {"pending", std::to_string(burst.pending)},
                {"published", std::to_string(burst.published)},
                {"first", core::format_rfc3339(burst.first_at)},
                {"last", core::format_rfc3339(burst.last_at)},
                {"from", std::to_string(burst.first_at)},
                {"to", std::to_string(burst.last_at)},
                {"reason_value", is_error_row ? error->typed : std::string()},
                {"reason_error", is_error_row ? label(error->message) : std::string()},
            });
        }
        const bool has_rows = !rows.empty();
        sections.push_back(mstch::map{{"id", std::string(kind.id)},
                                      {"title", label(kind.msgid)},
                                      {"rows", std::move(rows)},
                                      {"has_rows", has_rows}});
    }
    mstch::array windows;
    for (const auto& each : kWindows) {
        windows.push_back(mstch::map{{"id", std::string(each.id)},
                                     {"label", label(each.msgid)},
                                     {"is_current", each.id == window.id}});
    }
    auto context = page_context(site_, request, "Suspicious bursts of signatures");
    if (auto cancelled = request.query_value("cancelled"); cancelled && error == nullptr) {
        if (auto count = read_integer(*cancelled); count && *count >= 0) {
            context.flash = i18n::format(label("Signatures cancelled: {count}."),
                                         {{"count", std::to_string(*count)}});
        }
    }
    mstch::map data{
        {"window", std::string(window.id)}, {"window_label", label(window.msgid)},
        {"windows", std::move(windows)},    {"sections", std::move(sections)},
        {"has_errors", !errors.empty()},    {"errors", std::move(errors)},
    };
    return Response::html(site_.pages.render_page(context, bursts_, std::move(data)), status);
}

Response SignOnAdminPages::cancel(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 404);
    }
    const Form& form = form_of(request);
    const BurstKind* kind = burst_kind(form.value("by"));
    const std::string key = core::trim(form.value("key"));
    const auto from = read_integer(form.value("from"));
    const auto to = read_integer(form.value("to"));
    if (kind == nullptr || key.empty() || !from || !to || *from < 0 || *to < *from) {
        return Response::html(
            site_.pages.render_error_page(page_context(site_, request, "Bad request"), 400), 400);
    }
    const std::string row_id = std::string(kind->id) + ":" + key;
    const std::string reason = core::trim(form.value("reason"));
    if (auto problem =
            check_reason(reason, i18n::gettext_noop("Give the reason for cancelling these."))) {
        RowError error{row_id, "reason", *problem, reason};
        return render_bursts(request, &error, 422);
    }
    signon::CancelCriteria criteria;
    criteria.campaign = std::string(kStatementCampaign);
    switch (kind->key) {
        case signon::BurstKey::ClientAddress:
            criteria.client_address = key;
            break;
        case signon::BurstKey::EmailDomain:
            criteria.email_domain = key;
            break;
        case signon::BurstKey::Country:
            criteria.country = key;
            break;
    }
    criteria.from = *from;
    criteria.to = *to;
    criteria.include_published = form.value("include_published") == "yes";
    auto cancelled = site_.signatures.cancel(*actor, criteria, reason);
    if (!cancelled) {
        RowError error{row_id, "reason", cancelled.error().message, reason};
        return render_bursts(request, &error, http_status(cancelled.error().code));
    }
    return Response::redirect_see_other(
        "/admin/signatures/bursts?window=" + std::string(window_of(form.value("window")).id) +
        "&cancelled=" + std::to_string(*cancelled));
}

// --- Erasure. ---

Response SignOnAdminPages::erase_form(Request& request) const {
    return render_erase(request, "", "", false, 200);
}

Response SignOnAdminPages::render_erase(Request& request, std::string_view email,
                                        std::string_view error, bool confirming, int status) const {
    auto context = page_context(site_, request, "Erase a signer's data");
    if (auto erased = request.query_value("erased"); erased && !confirming && error.empty()) {
        if (auto count = read_integer(*erased); count && *count >= 0) {
            context.flash = i18n::format(translate(site_, request, "Signatures erased: {count}."),
                                         {{"count", std::to_string(*count)}});
        }
    }
    const std::vector<Field> fields = {
        Field{.name = "email",
              .label = translate(site_, request, "E-mail address"),
              .value = std::string(email),
              .hint = translate(site_, request,
                                "The address the person signed with. Every signature made with "
                                "it, on any text, is erased."),
              .error = error.empty() ? std::string() : translate(site_, request, error),
              .type = "email",
              .autocomplete = "off",
              .required = true},
    };
    auto data = form_data(fields);
    data.emplace("confirming", confirming);
    data.emplace("email", std::string(email));
    return Response::html(site_.pages.render_page(context, erase_, std::move(data)), status);
}

Response SignOnAdminPages::erase(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 404);
    }
    const Form& form = form_of(request);
    const std::string typed = core::trim(form.value("email"));
    auto email = core::Email::parse(typed);
    if (!email) {
        return render_erase(request, typed, email.error().message, false, 422);
    }
    if (form.value("confirm") != "yes") {
        // The first step only asks: erasure cannot be undone.
        return render_erase(request, email->unicode(), "", true, 200);
    }
    auto erased = site_.signatures.erase(*actor, email->unicode());
    if (!erased) {
        const bool none = erased.error().code == core::ErrorCode::NotFound;
        return render_erase(
            request, email->unicode(),
            none ? std::string(i18n::gettext_noop("No signature was made with this address."))
                 : erased.error().message,
            false, none ? 404 : http_status(erased.error().code));
    }
    return Response::redirect_see_other("/admin/signatures/erase?erased=" +
                                        std::to_string(*erased));
}

}  // namespace coalition::web
