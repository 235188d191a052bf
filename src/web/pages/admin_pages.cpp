// The administration pages under /admin (Access::Admin in web/routes.cpp): organisations (list,
// add, edit), accounts (list, add), the mail outbox and the audit log. Every change goes through
// a domain service with Actor::user(the signed-in admin), which writes the audit row.

#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/pages/pages.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

using accounts::OrganisationStatus;

std::string_view role_msgid(accounts::Role role) {
    switch (role) {
        case accounts::Role::Admin:
            return i18n::gettext_noop("Administrator");
        case accounts::Role::Moderator:
            return i18n::gettext_noop("Moderator");
        case accounts::Role::Member:
            return i18n::gettext_noop("Member");
    }
    return "";
}

std::string_view state_msgid(mail::OutboxState state) {
    switch (state) {
        case mail::OutboxState::Pending:
            return i18n::gettext_noop("Pending");
        case mail::OutboxState::Sent:
            return i18n::gettext_noop("Sent");
        case mail::OutboxState::Failed:
            return i18n::gettext_noop("Failed");
    }
    return "";
}

accounts::OrganisationDraft organisation_draft_from(const Request& request) {
    const Form& form = form_of(request);
    return accounts::OrganisationDraft{
        .name = form.value("name"),
        .short_name = form.value("short_name"),
        .slug = form.value("slug"),
        .country = form.value("country"),
        .stakeholder_group = form.value("stakeholder_group"),
        .website = form.value("website"),
        .domain = form.value("domain"),
        .status = form.value("status"),
        .description = form.value("description"),
    };
}

mstch::map organisation_form_data(const Site& site, const Request& request,
                                  const accounts::OrganisationDraft& draft,
                                  const std::vector<core::Error>& errors) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    const std::vector<Field> fields = {
        Field{.name = "name",
              .label = label("Name"),
              .value = draft.name,
              .error = error("name"),
              .required = true},
        Field{.name = "short_name",
              .label = label("Short name (optional)"),
              .value = draft.short_name,
              .hint = label("For example auDA for .au Domain Administration."),
              .error = error("short_name")},
        Field{
            .name = "slug",
            .label = label("Slug (optional)"),
            .value = draft.slug,
            .hint = label(
                "The organisation's address on this site, /members/slug: lower-case letters, "
                "digits "
                "and single hyphens. Leave it empty to make one from the short name or the name."),
            .error = error("slug")},
        Field{.name = "country",
              .label = label("Country"),
              .error = error("country"),
              .required = true},
        Field{.name = "stakeholder_group",
              .label = label("Stakeholder group"),
              .error = error("stakeholder_group"),
              .required = true},
        Field{.name = "website",
              .label = label("Website (optional)"),
              .value = draft.website,
              .hint = label("An address starting with https:// or http://."),
              .error = error("website"),
              .type = "url",
              .autocomplete = "url"},
        Field{.name = "domain",
              .label = label("Domain (optional)"),
              .value = draft.domain,
              .hint = label("The organisation's domain name, such as example.org or пример.рф."),
              .error = error("domain")},
        Field{
            .name = "status", .label = label("Status"), .error = error("status"), .required = true},
        Field{.name = "description",
              .label = label("Description (optional)"),
              .value = draft.description,
              .hint = label("Plain text. Leave an empty line between paragraphs."),
              .error = error("description"),
              .type = "textarea"},
    };
    auto data = form_data(fields);

    const std::string country = upper_ascii(core::trim(draft.country));
    mstch::array countries{select_option("", label("Choose a country"), country)};
    for (const auto& entry : countries_by_name(language_of(request))) {
        countries.push_back(select_option(entry.code, entry.name, country));
    }
    set_select_options(data, "country", std::move(countries));
    mstch::array groups{
        select_option("", label("Choose a stakeholder group"), draft.stakeholder_group)};
    for (const auto group : accounts::all_stakeholder_groups()) {
        groups.push_back(select_option(accounts::id(group), label(accounts::label(group)),
                                       draft.stakeholder_group));
    }
    set_select_options(data, "stakeholder_group", std::move(groups));
    // An empty status means candidate (OrganisationDraft), so the select shows that.
    const std::string_view status =
        draft.status.empty() ? accounts::id(OrganisationStatus::Candidate) : draft.status;
    mstch::array statuses;
    for (const auto value :
         {OrganisationStatus::Member, OrganisationStatus::Candidate, OrganisationStatus::Former}) {
        statuses.push_back(
            select_option(accounts::id(value), label(accounts::label(value)), status));
    }
    set_select_options(data, "status", std::move(statuses));
    return data;
}

// A service error about the form as a whole is shown on the slug, so the summary can link to it:
// conflicts are about the slug or the domain.
core::Error tied_to_slug(core::Error error) {
    return tied_to_field(std::move(error), "slug");
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

// "organisation:4" → "Name (organisation:4)", "user:12" → "Name (user:12)"; anything else as it is.
class SubjectNames {
public:
    explicit SubjectNames(const Site& site) : site_(site) {}

    std::string user_name(std::int64_t id) {
        auto [found, inserted] = users_.try_emplace(id);
        if (inserted) {
            if (auto user = site_.users.find_by_id(accounts::UserId(id))) {
                found->second = user->name();
            }
        }
        return found->second;
    }

    std::string describe(const std::string& subject) {
        const auto colon = subject.find(':');
        std::int64_t id = 0;
        if (colon == std::string::npos ||
            std::from_chars(subject.data() + colon + 1, subject.data() + subject.size(), id).ptr !=
                subject.data() + subject.size()) {
            return subject;
        }
        std::string name;
        const std::string_view kind(subject.data(), colon);
        if (kind == "user") {
            name = user_name(id);
        } else if (kind == "organisation") {
            auto [found, inserted] = organisations_.try_emplace(id);
            if (inserted) {
                if (auto organisation =
                        site_.organisations.find_by_id(accounts::OrganisationId(id))) {
                    found->second = organisation->name;
                }
            }
            name = found->second;
        }
        return name.empty() ? subject : name + " (" + subject + ")";
    }

private:
    const Site& site_;
    std::map<std::int64_t, std::string> users_;
    std::map<std::int64_t, std::string> organisations_;
};

struct UserInput {
    std::string email;
    std::string display_name;
    std::string role;
    std::string organisation;  // A slug, or empty for none.
};

mstch::map users_data(const Site& site, const Request& request, const UserInput& typed,
                      const std::vector<core::Error>& errors) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    const std::vector<Field> fields = {
        Field{.name = "email",
              .label = label("E-mail address"),
              .value = typed.email,
              .error = error("email"),
              .type = "email",
              .autocomplete = "off",
              .required = true},
        Field{
            .name = "display_name",
            .label = label("Name (optional)"),
            .value = typed.display_name,
            .hint = label("Shown on the site, for example as a representative of an organisation."),
            .error = error("display_name")},
        Field{.name = "role", .label = label("Role"), .error = error("role"), .required = true},
        Field{.name = "organisation",
              .label = label("Organisation (optional)"),
              .hint = label("The organisation this person represents."),
              .error = error("organisation")},
    };
    auto data = form_data(fields);

    const std::string_view role =
        typed.role.empty() ? accounts::id(accounts::Role::Member) : typed.role;
    mstch::array roles;
    for (const auto value :
         {accounts::Role::Member, accounts::Role::Moderator, accounts::Role::Admin}) {
        roles.push_back(select_option(accounts::id(value), label(role_msgid(value)), role));
    }
    set_select_options(data, "role", std::move(roles));

    const auto organisations = site.organisations.list({}, language_of(request));
    std::map<accounts::OrganisationId, std::string> organisation_names;
    mstch::array organisation_options{select_option("", label("None"), typed.organisation)};
    for (const auto& organisation : organisations) {
        organisation_names.emplace(organisation.id, organisation.name);
        organisation_options.push_back(
            select_option(organisation.slug.value(), organisation.name, typed.organisation));
    }
    set_select_options(data, "organisation", std::move(organisation_options));

    mstch::array rows;
    for (const auto& user : site.users.list()) {
        std::string organisation;
        if (user.organisation) {
            if (auto found = organisation_names.find(*user.organisation);
                found != organisation_names.end()) {
                organisation = found->second;
            }
        }
        rows.push_back(mstch::map{{"email", user.email.unicode()},
                                  {"display_name", user.display_name},
                                  {"role", label(role_msgid(user.role))},
                                  {"organisation", organisation}});
    }
    data.emplace("count", std::to_string(rows.size()));
    data.emplace("users", std::move(rows));
    return data;
}

mstch::map outbox_row(const Site& site, const Request& request, const mail::OutboxItem& item) {
    return mstch::map{
        {"id", std::to_string(item.id)},
        {"created", core::format_rfc3339(item.created_at)},
        {"recipients", joined(item.envelope.recipients)},
        {"mail_from", item.envelope.mail_from},
        {"message_id", item.message_id},
        {"subject", item.subject},
        {"state", translate(site, request, state_msgid(item.state))},
        {"state_id", text(mail::to_string(item.state))},
        {"attempts", std::to_string(item.attempts)},
        {"last_reply", item.last_reply},
        {"sent", item.sent_at ? core::format_rfc3339(*item.sent_at) : std::string()},
    };
}

// The message as stored, with CRLF line ends shown as plain line breaks.
std::string message_source(std::string_view bytes) {
    std::string source;
    source.reserve(bytes.size());
    for (std::size_t index = 0; index < bytes.size(); ++index) {
        if (bytes[index] == '\r' && index + 1 < bytes.size() && bytes[index + 1] == '\n') {
            continue;
        }
        source += bytes[index];
    }
    return source;
}

}  // namespace

AdminPages::AdminPages(Site& site)
    : site_(site),
      index_(site.pages.require("admin_index")),
      organisations_(site.pages.require("admin_organisations")),
      organisation_form_(site.pages.require("admin_organisation_form")),
      users_(site.pages.require("admin_users")),
      outbox_(site.pages.require("admin_outbox")),
      outbox_message_(site.pages.require("admin_outbox_message")),
      audit_(site.pages.require("admin_audit")) {
    site.pages.require("admin_select");
}

Response AdminPages::index(Request& request) const {
    return render(site_, request, index_, "Administration",
                  {{"outbox_depth", std::to_string(site_.outbox.depth())}});
}

Response AdminPages::organisations(Request& request) const {
    mstch::array rows;
    const auto organisations = site_.organisations.list({}, language_of(request));
    for (const auto& organisation : organisations) {
        rows.push_back(mstch::map{
            {"slug", organisation.slug.value()},
            {"name", organisation.name},
            {"short_name", organisation.short_name != organisation.name ? organisation.short_name
                                                                        : std::string()},
            {"country", organisation.country.name(language_of(request))},
            {"group", translate(site_, request, accounts::label(organisation.stakeholder_group))},
            {"status", translate(site_, request, accounts::label(organisation.status))},
            {"status_id", text(accounts::id(organisation.status))},
        });
    }
    // The confirmation after a redirect names the organisation as stored, never the query text.
    std::string flash;
    if (auto created = request.query_value("created")) {
        if (auto organisation = site_.organisations.find_by_slug(*created)) {
            flash = i18n::format(translate(site_, request, "{name} was added."),
                                 {{"name", organisation->name}});
        }
    } else if (auto updated = request.query_value("updated")) {
        if (auto organisation = site_.organisations.find_by_slug(*updated)) {
            flash = i18n::format(translate(site_, request, "The changes to {name} were saved."),
                                 {{"name", organisation->name}});
        }
    }
    mstch::map data{{"count", std::to_string(rows.size())}, {"organisations", std::move(rows)}};
    return render_with_flash(site_, request, organisations_, "Organisations", std::move(data), 200,
                             std::move(flash));
}

Response AdminPages::new_organisation(Request& request) const {
    accounts::OrganisationDraft draft;
    draft.status = accounts::id(OrganisationStatus::Candidate);
    auto data = organisation_form_data(site_, request, draft, {});
    data.emplace("is_new", true);
    data.emplace("action", std::string("/admin/organisations"));
    return render(site_, request, organisation_form_, "Add an organisation", std::move(data), 200,
                  HasForm::Yes);
}

Response AdminPages::create_organisation(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto draft = organisation_draft_from(request);
    std::vector<core::Error> errors;
    if (auto fields = draft.validate(); !fields) {
        errors = fields.errors();
    } else if (auto created = site_.organisations.create(*actor, *fields); !created) {
        errors = {tied_to_slug(created.error())};
    } else {
        return Response::redirect_see_other("/admin/organisations?created=" +
                                            percent_encode(created->slug.value()));
    }
    auto data = organisation_form_data(site_, request, draft, errors);
    data.emplace("is_new", true);
    data.emplace("action", std::string("/admin/organisations"));
    return render(site_, request, organisation_form_, "Add an organisation", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response AdminPages::edit_organisation(Request& request) const {
    const auto organisation = site_.organisations.find_by_slug(request.param("slug"));
    if (!organisation) {
        return error_page(site_, request, 404);
    }
    auto data = organisation_form_data(site_, request, organisation->to_draft(), {});
    data.emplace("is_new", false);
    data.emplace("action", "/admin/organisations/" + percent_encode(organisation->slug.value()));
    return render(site_, request, organisation_form_, "Edit an organisation", std::move(data), 200,
                  HasForm::Yes);
}

Response AdminPages::update_organisation(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto organisation = site_.organisations.find_by_slug(request.param("slug"));
    if (!organisation) {
        return error_page(site_, request, 404);
    }
    const auto draft = organisation_draft_from(request);
    std::vector<core::Error> errors;
    if (auto fields = draft.validate(); !fields) {
        errors = fields.errors();
    } else if (auto updated = site_.organisations.update(*actor, organisation->id, *fields);
               !updated) {
        if (updated.error().code == core::ErrorCode::NotFound) {
            return error_page(site_, request, 404);  // Deleted since the form was shown.
        }
        errors = {tied_to_slug(updated.error())};
    } else {
        return Response::redirect_see_other("/admin/organisations?updated=" +
                                            percent_encode(updated->slug.value()));
    }
    auto data = organisation_form_data(site_, request, draft, errors);
    data.emplace("is_new", false);
    data.emplace("action", "/admin/organisations/" + percent_encode(organisation->slug.value()));
    return render(site_, request, organisation_form_, "Edit an organisation", std::move(data),
                  form_status(errors), HasForm::Yes);
}

Response AdminPages::users(Request& request) const {
    std::string flash;
    if (auto added = request.query_value("added")) {
        std::int64_t id = 0;
        const auto* end = added->data() + added->size();
        if (std::from_chars(added->data(), end, id).ptr == end && id > 0) {
            if (auto user = site_.users.find_by_id(accounts::UserId(id))) {
                flash =
                    i18n::format(translate(site_, request, "The account for {email} was added."),
                                 {{"email", user->email.unicode()}});
            }
        }
    }
    return render_with_flash(site_, request, users_, "Accounts", users_data(site_, request, {}, {}),
                             200, std::move(flash));
}

Response AdminPages::add_user(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto& parsed = request.form();
    const Form empty;
    const Form& form = parsed ? *parsed : empty;
    const UserInput typed{form.value("email"), form.value("display_name"), form.value("role"),
                          form.value("organisation")};

    std::vector<core::Error> errors;
    auto email = core::Email::parse(typed.email);
    if (!email) {
        errors.push_back(core::Error::invalid(email.error().message, "email"));
    }
    const auto role = accounts::parse_role(typed.role);
    if (!role) {
        errors.push_back(
            core::Error::invalid(text(i18n::gettext_noop("Choose a role from the list.")), "role"));
    }
    std::optional<accounts::OrganisationId> organisation;
    if (!typed.organisation.empty()) {
        if (auto found = site_.organisations.find_by_slug(typed.organisation)) {
            organisation = found->id;
        } else {
            errors.push_back(core::Error::invalid(
                text(i18n::gettext_noop("Choose an organisation from the list.")), "organisation"));
        }
    }
    if (errors.empty()) {
        auto added = site_.users.add_user(
            *actor, accounts::NewUser{*email, typed.display_name, *role, organisation});
        if (added) {
            return Response::redirect_see_other("/admin/users?added=" +
                                                std::to_string(added->id.value()));
        }
        auto error = added.error();
        if (error.field.empty()) {
            error.field = "email";
        }
        errors.push_back(std::move(error));
    }
    auto data = users_data(site_, request, typed, errors);
    return render(site_, request, users_, "Accounts", std::move(data), form_status(errors),
                  HasForm::Yes);
}

Response AdminPages::outbox(Request& request) const {
    mstch::array rows;
    for (const auto& item : site_.outbox.recent(100)) {
        rows.push_back(outbox_row(site_, request, item));
    }
    mstch::map data{{"depth", std::to_string(site_.outbox.depth())},
                    {"count", std::to_string(rows.size())},
                    {"messages", std::move(rows)}};
    return render(site_, request, outbox_, "Mail outbox", std::move(data));
}

Response AdminPages::outbox_message(Request& request) const {
    const std::string_view param = request.param("id");
    std::int64_t id = 0;
    if (param.empty() ||
        std::from_chars(param.data(), param.data() + param.size(), id).ptr !=
            param.data() + param.size() ||
        id <= 0) {
        return error_page(site_, request, 404);
    }
    const auto item = site_.outbox.find(id);
    if (!item) {
        return error_page(site_, request, 404);
    }
    auto data = outbox_row(site_, request, *item);
    data.emplace("source", message_source(item->bytes));
    return render(site_, request, outbox_message_, "Outbox message", std::move(data));
}

Response AdminPages::audit(Request& request) const {
    SubjectNames names(site_);
    mstch::array rows;
    for (const auto& entry : site_.audit.recent(200)) {
        std::string actor = entry.actor;
        if (entry.actor_user_id) {
            if (auto name = names.user_name(entry.actor_user_id->value()); !name.empty()) {
                actor = name;
            }
        } else if (entry.actor == "cli") {
            actor = translate(site_, request, "Command line");
        }
        rows.push_back(mstch::map{{"time", core::format_rfc3339(entry.created_at)},
                                  {"actor", std::move(actor)},
                                  {"action", entry.action},
                                  {"subject", names.describe(entry.subject)},
                                  {"details", entry.details}});
    }
    mstch::map data{{"count", std::to_string(rows.size())}, {"entries", std::move(rows)}};
    return render(site_, request, audit_, "Audit log", std::move(data));
}

}  // namespace coalition::web
