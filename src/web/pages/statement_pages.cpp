#include "web/pages/statement_pages.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "i18n/messages.hpp"
#include "statement/statement.hpp"
#include "web/page.hpp"
#include "web/problem.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace coalition::web {
namespace {

using signon::SignatoryKind;
using signon::SignatureStatus;
using signon::Verification;

constexpr std::string_view kIndividual = "individual";
constexpr std::string_view kOrganisation = "organisation";

// The form's field for an error's field (signon names fields as the JSON API does). Each kind
// has its own form with its own field names, so that the ids on the page stay unique. "" when
// the error is not about one of the form's fields.
std::string form_field(std::string_view kind, std::string_view field) {
    static constexpr std::pair<std::string_view, std::string_view> kOrganisationFields[] = {
        {"name", "representative_name"},
        {"email", "representative_email"},
        {"title", "title"},
        {"country", "organisation_country"},
        {"organisation.name", "organisation_name"},
        {"organisation_name", "organisation_name"},
        {"organisation.country", "organisation_country"},
        {"organisation_country", "organisation_country"},
        {"organisation.stakeholder_group", "stakeholder_group"},
        {"stakeholder_group", "stakeholder_group"},
        {"organisation.domain", "organisation_domain"},
        {"organisation_domain", "organisation_domain"},
    };
    static constexpr std::string_view kIndividualFields[] = {"name", "email", "country",
                                                             "affiliation", "public"};
    if (kind == kOrganisation) {
        for (const auto& [from, to] : kOrganisationFields) {
            if (from == field) {
                return std::string(to);
            }
        }
        return "";
    }
    for (const auto name : kIndividualFields) {
        if (name == field) {
            return std::string(name);
        }
    }
    return field == "show_publicly" ? "public" : "";
}

// What was typed, from the posted form of either kind.
signon::SignatureInput signature_input_from(const Form& form, std::string_view language) {
    signon::SignatureInput input;
    input.kind = form.value("kind");
    input.language = std::string(language);
    input.honeypot = form.value("homepage");
    if (input.kind == kOrganisation) {
        input.name = form.value("representative_name");
        input.email = form.value("representative_email");
        input.title = form.value("title");
        input.organisation_name = form.value("organisation_name");
        input.organisation_country = form.value("organisation_country");
        input.country = input.organisation_country;
        input.stakeholder_group = form.value("stakeholder_group");
        input.organisation_domain = form.value("organisation_domain");
        input.show_publicly = true;
    } else {
        input.name = form.value("name");
        input.email = form.value("email");
        input.country = form.value("country");
        input.affiliation = form.value("affiliation");
        input.show_publicly = form.has("public");
    }
    return input;
}

std::string date_of(std::int64_t unix_seconds) {
    return core::format_rfc3339(unix_seconds).substr(0, 10);
}

const i18n::Language& language_or_english(std::string_view tag) {
    const i18n::Language* language = i18n::find_language(tag);
    return language != nullptr ? *language : *i18n::find_language("en");
}

// A signature's status as its signer reads it (moderators read other words: signon_admin_pages).
std::string_view signer_status_msgid(SignatureStatus status) {
    switch (status) {
        case SignatureStatus::Pending:
            return i18n::gettext_noop("Waiting for the e-mail confirmation");
        case SignatureStatus::Confirmed:
            return i18n::gettext_noop("Confirmed, waiting for the secretariat's check");
        case SignatureStatus::InformationRequested:
            return i18n::gettext_noop("The secretariat asked for more information");
        case SignatureStatus::Published:
            return i18n::gettext_noop("On the public list");
        case SignatureStatus::Rejected:
            return i18n::gettext_noop("Not accepted");
        case SignatureStatus::Withdrawn:
            return i18n::gettext_noop("Withdrawn");
        case SignatureStatus::Cancelled:
            return i18n::gettext_noop("Cancelled");
        case SignatureStatus::Erased:
            return i18n::gettext_noop("Erased");
    }
    return "";
}

std::string_view verification_sentence_msgid(Verification level) {
    switch (level) {
        case Verification::None:
            return i18n::gettext_noop("Not verified yet");
        case Verification::Email:
            return i18n::gettext_noop("E-mail address confirmed");
        case Verification::OrganisationDomain:
            return i18n::gettext_noop("E-mail address at the organisation's domain");
        case Verification::Dns:
            return i18n::gettext_noop("Domain proven by DNS");
        case Verification::DnsSec:
            return i18n::gettext_noop("Domain proven by DNS, signed with DNSSEC");
    }
    return "";
}

}  // namespace

const signon::Campaign& statement_campaign() {
    static const signon::Campaign campaign{
        .key = "statement", .title = "the Statement of Purpose", .path = "/statement"};
    return campaign;
}

StatementPages::StatementPages(Site& site)
    : site_(site),
      statement_(site.pages.require("statement")),
      unpublished_(site.pages.require("statement_unpublished")),
      sent_(site.pages.require("statement_sent")),
      limited_(site.pages.require("statement_limited")),
      versions_(site.pages.require("statement_versions")),
      version_(site.pages.require("statement_version")),
      confirm_(site.pages.require("statement_confirm")),
      confirmed_(site.pages.require("statement_confirmed")),
      withdraw_(site.pages.require("statement_withdraw")),
      verify_(site.pages.require("statement_verify")),
      expired_(site.pages.require("statement_expired")) {
}

Response StatementPages::statement(Request& request) const {
    return statement_page(request, {}, {}, 200);
}

Response StatementPages::statement_page(Request& request, const signon::SignatureInput& typed,
                                        const std::vector<core::Error>& errors, int status) const {
    const auto language = language_of(request);
    const auto reading = site_.statements.read(language);
    if (!reading) {
        return render(site_, request, unpublished_, "Statement of Purpose", {},
                      status == 200 ? 200 : 409);
    }
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };

    // Errors keyed by the submitted form's field names; the rest are about the form as a whole.
    const std::string_view kind = typed.kind == kOrganisation ? kOrganisation : kIndividual;
    std::vector<core::Error> field_errors;
    mstch::array general_errors;
    for (const auto& error : errors) {
        if (auto field = form_field(kind, error.field); !field.empty()) {
            field_errors.push_back(core::Error{error.code, error.message, std::move(field)});
        } else {
            general_errors.push_back(mstch::map{{"field_id", "sign-" + std::string(kind)},
                                                {"message", t(error.message)}});
        }
    }
    const auto typed_as = [&](std::string_view form_kind, const std::string& value) {
        return form_kind == kind ? value : std::string();
    };
    const auto error_of = [&](std::string_view form_kind, std::string_view field) {
        return form_kind == kind ? field_error(site_, request, field_errors, field) : "";
    };

    auto organisation_form = form_data({
        Field{.name = "organisation_name",
              .label = t("Name of the organisation"),
              .value = typed_as(kOrganisation, typed.organisation_name),
              .error = error_of(kOrganisation, "organisation_name"),
              .autocomplete = "organization",
              .required = true},
        Field{.name = "organisation_country",
              .label = t("Country"),
              .hint = t("Where the organisation is based."),
              .error = error_of(kOrganisation, "organisation_country"),
              .required = true},
        Field{.name = "stakeholder_group",
              .label = t("Stakeholder group"),
              .error = error_of(kOrganisation, "stakeholder_group"),
              .required = true},
        Field{.name = "organisation_domain",
              .label = t("Website or domain"),
              .value = typed_as(kOrganisation, typed.organisation_domain),
              .hint = t("For example example.org. An e-mail address at this domain verifies the "
                        "signature sooner."),
              .error = error_of(kOrganisation, "organisation_domain"),
              .autocomplete = "url",
              .required = true},
        Field{.name = "representative_name",
              .label = t("Your name"),
              .value = typed_as(kOrganisation, typed.name),
              .error = error_of(kOrganisation, "representative_name"),
              .autocomplete = "name",
              .required = true},
        Field{.name = "title",
              .label = t("Your title or role"),
              .value = typed_as(kOrganisation, typed.title),
              .hint = t("For example Chief Executive."),
              .error = error_of(kOrganisation, "title"),
              .autocomplete = "organization-title",
              .required = true},
        // type="text", not "email": browsers refuse non-ASCII local parts in type="email".
        Field{.name = "representative_email",
              .label = t("Your e-mail address"),
              .value = typed_as(kOrganisation, typed.email),
              .hint = t("We send a link to confirm the signature. The address is never shown."),
              .error = error_of(kOrganisation, "representative_email"),
              .autocomplete = "email",
              .required = true},
    });
    set_select_options(
        organisation_form, "organisation_country",
        country_options(language, typed_as(kOrganisation, typed.organisation_country),
                        t("Choose a country")));
    const std::string group = typed_as(kOrganisation, typed.stakeholder_group);
    mstch::array groups{select_option("", t("Choose a stakeholder group"), group)};
    for (const auto each : accounts::all_stakeholder_groups()) {
        groups.push_back(select_option(accounts::id(each), t(accounts::label(each)), group));
    }
    set_select_options(organisation_form, "stakeholder_group", std::move(groups));

    auto individual_form = form_data({
        Field{.name = "name",
              .label = t("Your name"),
              .value = typed_as(kIndividual, typed.name),
              .error = error_of(kIndividual, "name"),
              .autocomplete = "name",
              .required = true},
        Field{.name = "country",
              .label = t("Country"),
              .hint = t("Where you live."),
              .error = error_of(kIndividual, "country"),
              .required = true},
        Field{.name = "affiliation",
              .label = t("Affiliation (optional)"),
              .value = typed_as(kIndividual, typed.affiliation),
              .hint = t("For example your employer or university. Shown with your name."),
              .error = error_of(kIndividual, "affiliation"),
              .autocomplete = "organization"},
        Field{.name = "email",
              .label = t("Your e-mail address"),
              .value = typed_as(kIndividual, typed.email),
              .hint = t("We send a link to confirm the signature. The address is never shown."),
              .error = error_of(kIndividual, "email"),
              .autocomplete = "email",
              .required = true},
    });
    set_select_options(
        individual_form, "country",
        country_options(language, typed_as(kIndividual, typed.country), t("Choose a country")));
    // Private by default: the box starts unticked and keeps the choice when the form comes back.
    individual_form.emplace("public_checked", kind == kIndividual && typed.show_publicly);
    individual_form.emplace("public_error", error_of(kIndividual, "public"));

    // One summary at the top of the page: the submitted form's fields in order, then the rest.
    mstch::array summary = boost::get<mstch::array>(
        (kind == kOrganisation ? organisation_form : individual_form).at("errors"));
    for (auto& error : general_errors) {
        summary.push_back(std::move(error));
    }
    const bool has_errors = !summary.empty();

    const auto totals = site_.signatures.totals(statement_campaign().key);
    const auto& shown = reading->text;
    const auto& text_language = language_or_english(shown.language);
    const auto& authoritative = language_or_english(reading->version.language);
    mstch::map data{
        {"statement_title", shown.title},
        {"text_html", render_markdown(reading->version.hash, shown)},
        {"text_lang", text_language.tag},
        {"text_dir", std::string(i18n::direction_name(text_language.direction))},
        {"text_language_name",
         translate(site_, request, i18n::messages::language_name(text_language.tag))},
        {"fell_back", reading->fell_back},
        {"is_translation", !reading->fell_back && !shown.authoritative},
        {"authoritative_language_name", authoritative.native_name},
        {"version_number", std::to_string(reading->version.number)},
        {"version_hash", reading->version.hash},
        {"published", date_of(reading->version.published_at)},
        {"has_earlier_versions", reading->version.number > 1},
        {"organisations", std::to_string(totals.organisations)},
        {"individuals", std::to_string(totals.individuals)},
        {"hidden_individuals", std::to_string(totals.hidden_individuals)},
        {"has_hidden", totals.hidden_individuals > 0},
        {"has_errors", has_errors},
        {"errors", std::move(summary)},
        {"organisation_form", std::move(organisation_form)},
        {"individual_form", std::move(individual_form)},
        {"individual_first", kind == kIndividual && has_errors},
    };
    return render(site_, request, statement_, "Statement of Purpose", std::move(data), status,
                  HasForm::Yes);
}

std::string StatementPages::render_markdown(const std::string& hash,
                                            const statement::Translation& text) const {
    // A version's text never changes (its hash names it), so its HTML is computed once per
    // language. A handful of entries: the current version in six languages, a few old ones.
    const std::string key = hash + "/" + text.language;
    {
        std::lock_guard lock(cache_mutex_);
        if (auto found = rendered_.find(key); found != rendered_.end()) {
            return found->second;
        }
    }
    std::string html = statement::render_markdown(text.markdown);
    std::lock_guard lock(cache_mutex_);
    if (rendered_.size() >= 64) {
        rendered_.clear();
    }
    rendered_.emplace(key, html);
    return html;
}

Response StatementPages::sign(Request& request) const {
    // The router has checked the CSRF token, so the form parsed.
    const Form empty;
    const Form& form = request.form() ? *request.form() : empty;
    const auto language = language_of(request);
    signon::SignatureInput input = signature_input_from(form, language);
    if (input.kind != kOrganisation && input.kind != kIndividual) {
        input.kind = std::string(kIndividual);
        return statement_page(
            request, input,
            {core::Error::invalid(
                "Choose whether you sign as an organisation or as an individual.")},
            422);
    }
    const auto current = site_.statements.current();
    if (!current) {
        return statement_page(request, input, {}, 409);
    }
    // The signer signs the text they read: if a new version came out meanwhile, they read it first.
    if (const auto seen = form.value("version"); !seen.empty() && seen != current->hash) {
        return statement_page(
            request, input,
            {core::Error::conflict("The statement has changed since you opened this page. Read "
                                   "the new version, then sign again.")},
            409);
    }
    // sign() validates first; the page lists every invalid field when it finds one.
    const signon::Submission submission{.client_address = request.remote_address,
                                        .base_url = site_.settings.base_url};
    auto signed_up = site_.signatures.sign(statement_campaign(), current->hash, input, submission);
    if (!signed_up) {
        const auto& error = signed_up.error();
        if (error.code == core::ErrorCode::RateLimited) {
            const auto seconds =
                std::max<std::int64_t>(1, site_.signatures.retry_after_seconds(submission));
            auto response = render(site_, request, limited_, "Too many signatures",
                                   {{"minutes", std::to_string((seconds + 59) / 60)}}, 429);
            response.headers.set("Retry-After", std::to_string(seconds));
            return response;
        }
        if (error.code == core::ErrorCode::Invalid && !error.field.empty()) {
            auto errors = signon::validate(input);
            return statement_page(request, input, errors.empty() ? std::vector{error} : errors,
                                  422);
        }
        return statement_page(request, input, {error}, http_status(error.code));
    }
    return render(site_, request, sent_, "Check your e-mail", {{"email", core::trim(input.email)}},
                  202);
}

Response StatementPages::versions(Request& request) const {
    mstch::array items;
    const auto all = site_.statements.versions();
    for (const auto& version : all) {
        items.push_back(mstch::map{
            {"number", std::to_string(version.number)},
            {"title", version.title},
            {"published", date_of(version.published_at)},
            {"hash", version.hash},
            {"url", "/statement/versions/" + version.hash},
            {"is_current", version.number == all.front().number},
        });
    }
    return render(site_, request, versions_, "Versions of the statement",
                  {{"versions", std::move(items)}, {"has_versions", !all.empty()}});
}

Response StatementPages::version(Request& request) const {
    const auto found = site_.statements.find(request.param("hash"));
    if (!found) {
        return Response::html(
            site_.pages.render_error_page(page_context(site_, request, "Page not found"), 404),
            404);
    }
    const auto language = language_of(request);
    const statement::Translation* shown = nullptr;
    for (const auto& translation : found->translations) {
        if (translation.language == language) {
            shown = &translation;
        }
        if (shown == nullptr && translation.authoritative) {
            shown = &translation;
        }
    }
    const statement::Translation authoritative{.language = found->language,
                                               .title = found->title,
                                               .markdown = found->markdown,
                                               .authoritative = true};
    if (shown == nullptr) {
        shown = &authoritative;
    }
    const auto current = site_.statements.current();
    const auto& text_language = language_or_english(shown->language);
    return render(site_, request, version_, "Statement of Purpose",
                  {
                      {"statement_title", shown->title},
                      {"text_html", render_markdown(found->hash, *shown)},
                      {"text_lang", text_language.tag},
                      {"text_dir", std::string(i18n::direction_name(text_language.direction))},
                      {"text_language_name",
                       translate(site_, request, i18n::messages::language_name(text_language.tag))},
                      {"fell_back", shown->language != language},
                      {"version_number", std::to_string(found->number)},
                      {"version_hash", found->hash},
                      {"published", date_of(found->published_at)},
                      {"is_current", current && current->hash == found->hash},
                  });
}

mstch::map StatementPages::signer_data(Request& request, const signon::Signature& signature) const {
    const auto language = language_of(request);
    std::string country = signature.country;
    if (auto parsed = accounts::Country::parse(signature.country)) {
        country = parsed->name(language);
    }
    std::string statement_title = translate(site_, request, "Statement of Purpose");
    std::string version_number;
    if (const auto version = site_.statements.find(signature.version_hash)) {
        statement_title = version->title;
        version_number = std::to_string(version->number);
        for (const auto& translation : version->translations) {
            if (translation.language == language) {
                statement_title = translation.title;
            }
        }
    }
    return mstch::map{
        {"is_organisation", signature.kind == SignatoryKind::Organisation},
        {"name", signature.name},
        {"title", signature.title},
        {"organisation_name", signature.organisation_name},
        {"organisation_domain", signature.organisation_domain},
        {"affiliation", signature.affiliation},
        {"email", signature.email},
        {"country", country},
        {"show_publicly", signature.show_publicly},
        {"statement_title", statement_title},
        {"version_number", version_number},
        {"status", translate(site_, request, signer_status_msgid(signature.status))},
        {"verification",
         translate(site_, request, verification_sentence_msgid(signature.verification))},
    };
}

Response StatementPages::link_expired(Request& request) const {
    return render(site_, request, expired_, "This link no longer works", {}, 410);
}

Response StatementPages::confirm_form(Request& request) const {
    auto view = site_.signatures.find_confirmation(request.param("token"));
    if (!view) {
        return link_expired(request);
    }
    if (view->already_confirmed) {
        return confirmation_result(request, view->signature, true);
    }
    return render(
        site_, request, confirm_, "Confirm your signature",
        {{"signer", signer_data(request, view->signature)}, {"action", action_of(request)}}, 200,
        HasForm::Yes);
}

Response StatementPages::confirm(Request& request) const {
    const auto token = request.param("token");
    auto view = site_.signatures.find_confirmation(token);
    if (!view) {
        return link_expired(request);
    }
    if (view->already_confirmed) {
        return confirmation_result(request, view->signature, true);
    }
    auto confirmed = site_.signatures.confirm(token);
    if (!confirmed) {
        return link_expired(request);
    }
    return confirmation_result(request, *confirmed, false);
}

Response StatementPages::confirmation_result(Request& request, const signon::Signature& signature,
                                             bool already_confirmed) const {
    const bool is_organisation = signature.kind == SignatoryKind::Organisation;
    const bool is_published = signature.status == SignatureStatus::Published;
    const bool is_awaiting = signature.status == SignatureStatus::Confirmed ||
                             signature.status == SignatureStatus::InformationRequested;
    const bool can_prove_dns = is_organisation && (is_published || is_awaiting) &&
                               signature.verification < Verification::Dns;
    return render(site_, request, confirmed_,
                  already_confirmed ? "Already confirmed" : "Signature confirmed",
                  {
                      {"signer", signer_data(request, signature)},
                      {"already", already_confirmed},
                      {"is_published", is_published},
                      {"is_hidden", is_published && !is_organisation && !signature.show_publicly},
                      {"is_awaiting", is_awaiting},
                      {"is_other", !is_published && !is_awaiting},
                      {"is_organisation", is_organisation},
                      {"can_prove_dns", can_prove_dns},
                  });
}

Response StatementPages::withdraw_form(Request& request) const {
    auto signature = site_.signatures.find_by_withdrawal_token(request.param("token"));
    if (!signature) {
        return link_expired(request);
    }
    const bool is_withdrawn = signature->status == SignatureStatus::Withdrawn;
    return render(site_, request, withdraw_, "Withdraw your signature",
                  {{"signer", signer_data(request, *signature)},
                   {"action", action_of(request)},
                   {"is_withdrawn", is_withdrawn},
                   {"done", false}},
                  200, is_withdrawn ? HasForm::No : HasForm::Yes);
}

Response StatementPages::withdraw(Request& request) const {
    auto signature = site_.signatures.withdraw(request.param("token"));
    if (!signature) {
        if (signature.error().code == core::ErrorCode::Expired ||
            signature.error().code == core::ErrorCode::NotFound) {
            return link_expired(request);
        }
        auto existing = site_.signatures.find_by_withdrawal_token(request.param("token"));
        if (!existing) {
            return link_expired(request);
        }
        return render(site_, request, withdraw_, "Withdraw your signature",
                      {{"signer", signer_data(request, *existing)},
                       {"action", action_of(request)},
                       {"problem", translate(site_, request, signature.error().message)}},
                      http_status(signature.error().code), HasForm::Yes);
    }
    return render(site_, request, withdraw_, "Signature withdrawn",
                  {{"signer", signer_data(request, *signature)}, {"done", true}});
}

Response StatementPages::verify_form(Request& request) const {
    auto challenge = site_.signatures.dns_challenge(request.param("token"));
    if (!challenge) {
        return link_expired(request);
    }
    return dns_page(request, *challenge, nullptr);
}

Response StatementPages::verify(Request& request) const {
    const auto token = request.param("token");
    auto challenge = site_.signatures.dns_challenge(token);
    if (!challenge) {
        return link_expired(request);
    }
    const auto checked = site_.signatures.check_dns(token);
    return dns_page(request, *challenge, &checked);
}

Response StatementPages::dns_page(Request& request, const signon::DnsChallenge& challenge,
                                  const core::Result<signon::Signature>* checked) const {
    mstch::map data{
        {"record_name", challenge.record_name},
        {"record_value", challenge.record_value},
        {"action", action_of(request)},
        {"checked", checked != nullptr},
    };
    if (checked != nullptr && checked->has_value()) {
        data.emplace("proven", true);
        data.emplace("dnssec", (*checked)->verification == Verification::DnsSec);
        data.emplace("signer", signer_data(request, **checked));
    } else if (checked != nullptr) {
        data.emplace("failure", translate(site_, request, checked->error().message));
    }
    return render(site_, request, verify_, "Prove your organisation's domain", std::move(data), 200,
                  HasForm::Yes);
}

}  // namespace coalition::web
