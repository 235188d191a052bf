#include "web/pages/statement_admin_pages.hpp"

#include "core/clock.hpp"
#include "i18n/i18n.hpp"
#include "statement/statement.hpp"
#include "web/forms.hpp"
#include "web/page.hpp"
#include "web/pages/statement_pages.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

namespace coalition::web {
namespace {

using Input = StatementAdminPages::Input;

constexpr std::string_view kIndexPath = "/admin/statement";

Input input_from(const Request& request) {
    const Form& form = form_of(request);
    return Input{.title = form.value("title"),
                 .language = form.value("language"),
                 .markdown = form.value("markdown")};
}

std::string version_path(std::string_view hash) {
    return "/admin/statement/versions/" + std::string(hash);
}

std::string language_name(std::string_view tag) {
    const auto* language = i18n::find_language(tag);
    return language != nullptr ? language->native_name : std::string(tag);
}

std::string languages_text(const Site& site, const Request& request,
                           const statement::Version& version) {
    std::string out;
    for (const auto& text : version.translations) {
        out += (out.empty() ? "" : ", ") + language_name(text.language);
        if (text.authoritative) {
            out += " (" + translate(site, request, "authoritative") + ")";
        }
    }
    return out;
}

int status_for(const std::vector<core::Error>& errors) {
    if (errors.empty()) {
        return 200;
    }
    switch (errors.front().code) {
        case core::ErrorCode::Conflict:
            return 409;
        case core::ErrorCode::NotFound:
            return 404;
        case core::ErrorCode::RateLimited:
            return 429;
        case core::ErrorCode::Forbidden:
            return 403;
        default:
            return 422;
    }
}

// A service error about no field in particular is shown on the text, so the summary can link it.
core::Error tied_to_text(core::Error error) {
    return tied_to_field(std::move(error), "markdown");
}

// The editor's or the translation form's fields. Languages in `excluded` are not offered.
mstch::map form_fields(const Site& site, const Request& request, const Input& input,
                       const std::vector<core::Error>& errors, std::string_view excluded) {
    auto error = [&](std::string_view field) { return field_error(site, request, errors, field); };
    auto label = [&](std::string_view msgid) { return translate(site, request, msgid); };
    const std::vector<Field> fields = {
        Field{.name = "title",
              .label = label("Title (optional)"),
              .value = input.title,
              .hint = label("Leave it empty to use the text's first heading."),
              .error = error("title")},
        Field{.name = "language",
              .label = label("Language"),
              .error = error("language"),
              .required = true},
        Field{.name = "markdown",
              .label = label("Text (Markdown)"),
              .value = input.markdown,
              .hint = label("Headings start with #, lists with - or 1. Links: [text](https://…). "
                            "HTML is not allowed and is left out."),
              .error = error("markdown"),
              .type = "textarea",
              .required = true},
    };
    auto data = form_data(fields);
    mstch::array options;
    for (const auto& language : i18n::supported_languages()) {
        if (language.tag != excluded) {
            options.push_back(select_option(language.tag, language.native_name, input.language));
        }
    }
    set_select_options(data, "language", std::move(options));
    return data;
}

// "?count=12" style query values: digits only.
std::optional<std::int64_t> count_query(const Request& request, std::string_view name) {
    const auto value = request.query_value(name);
    std::int64_t count = 0;
    if (!value || value->empty() ||
        std::from_chars(value->data(), value->data() + value->size(), count).ptr !=
            value->data() + value->size() ||
        count < 0) {
        return std::nullopt;
    }
    return count;
}

}  // namespace

StatementAdminPages::StatementAdminPages(Site& site)
    : site_(site),
      index_(site.pages.require("admin_statement")),
      version_(site.pages.require("admin_statement_version")) {
    site.pages.require("admin_select");
    site.pages.require("admin_statement_textarea");
    site.pages.require("admin_statement_reaffirm");
}

Response StatementAdminPages::render_index(Request& request, const Input& input,
                                           const std::vector<core::Error>& errors, bool preview,
                                           int status, std::string flash) const {
    auto data = form_fields(site_, request, input, errors, "");
    const auto versions = site_.statements.versions();
    mstch::array rows;
    for (std::size_t index = 0; index < versions.size(); ++index) {
        const auto& version = versions[index];
        rows.push_back(mstch::map{
            {"number", std::to_string(version.number)},
            {"hash", version.hash},
            {"title", version.title},
            {"languages", languages_text(site_, request, version)},
            {"published", core::format_rfc3339(version.published_at)},
            {"url", version_path(version.hash)},
            {"is_current", index == 0},
        });
    }
    if (!versions.empty()) {
        const auto& current = versions.front();
        data.emplace("current", mstch::map{
                                    {"number", std::to_string(current.number)},
                                    {"hash", current.hash},
                                    {"title", current.title},
                                    {"languages", languages_text(site_, request, current)},
                                    {"published", core::format_rfc3339(current.published_at)},
                                    {"url", version_path(current.hash)},
                                });
        data.emplace("can_reaffirm", current.number > 1);
        data.emplace("reaffirm_action", version_path(current.hash) + "/reaffirm");
    }
    if (const auto draft = site_.statements.draft()) {
        data.emplace("draft_saved", core::format_rfc3339(draft->saved_at));
    }
    const bool has_preview = preview && !input.markdown.empty();
    data.emplace("has_preview", has_preview);
    if (has_preview) {
        data.emplace("preview_html", statement::render_markdown(input.markdown));
        const auto* language = i18n::find_language(input.language);
        data.emplace("preview_language", std::string(language != nullptr ? language->tag : "en"));
    }
    data.emplace("count", std::to_string(rows.size()));
    data.emplace("versions", std::move(rows));
    return render_with_flash(site_, request, index_, "Statement of Purpose", std::move(data),
                             status, std::move(flash));
}

Response StatementAdminPages::index(Request& request) const {
    std::string flash;
    if (const auto published = request.query_value("published")) {
        if (const auto version = site_.statements.find(*published)) {
            flash = i18n::format(
                translate(site_, request, "Version {number} was published. Its hash: {hash}"),
                {{"number", std::to_string(version->number)}, {"hash", version->hash}});
        }
    } else if (request.query_value("saved")) {
        flash = translate(site_, request, "The draft was saved.");
    }
    // The editor starts from the draft, else from the current text, else empty.
    Input input{.title = "", .language = "en", .markdown = ""};
    if (auto draft = site_.statements.draft()) {
        input = Input{.title = std::move(draft->title),
                      .language = std::move(draft->language),
                      .markdown = std::move(draft->markdown)};
    } else if (auto current = site_.statements.current()) {
        input = Input{.title = std::move(current->title),
                      .language = std::move(current->language),
                      .markdown = std::move(current->markdown)};
    }
    return render_index(request, input, {}, false, 200, std::move(flash));
}

Response StatementAdminPages::edit(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const Input input = input_from(request);
    const std::string action = form_of(request).value("action");
    if (action == "save") {
        auto saved =
            site_.statements.save_draft(*actor, statement::Draft{.title = input.title,
                                                                 .markdown = input.markdown,
                                                                 .language = input.language,
                                                                 .saved_at = 0});
        if (saved) {
            return Response::redirect_see_other(std::string(kIndexPath) + "?saved=1");
        }
        const std::vector<core::Error> errors{tied_to_text(saved.error())};
        return render_index(request, input, errors, false, status_for(errors), {});
    }
    if (action == "publish") {
        auto published =
            site_.statements.publish(*actor, input.title, input.markdown, input.language);
        if (published) {
            return Response::redirect_see_other(std::string(kIndexPath) +
                                                "?published=" + published->hash);
        }
        const std::vector<core::Error> errors{tied_to_text(published.error())};
        return render_index(request, input, errors, true, status_for(errors), {});
    }
    // "preview", or a form without a known button: show it rendered, store nothing.
    return render_index(request, input, {}, true, 200, {});
}

Response StatementAdminPages::render_version(Request& request, const statement::Version& version,
                                             const Input& input,
                                             const std::vector<core::Error>& errors, int status,
                                             std::string flash) const {
    auto data = form_fields(site_, request, input, errors, version.language);
    mstch::array texts;
    for (const auto& text : version.translations) {
        const auto* language = i18n::find_language(text.language);
        texts.push_back(mstch::map{
            {"language", text.language},
            {"language_name", language_name(text.language)},
            {"text_dir", std::string(language != nullptr ? i18n::direction_name(language->direction)
                                                         : std::string_view("auto"))},
            {"title", text.title},
            {"authoritative", text.authoritative},
            {"added", core::format_rfc3339(text.added_at)},
            {"text_html", statement::render_markdown(text.markdown)},
            {"markdown", text.markdown},
            {"edit_url",
             version_path(version.hash) + "?lang=" + text.language + "#translate-title"},
        });
    }
    const auto current = site_.statements.current();
    const bool is_current = current && current->hash == version.hash;
    data.emplace("number", std::to_string(version.number));
    data.emplace("hash", version.hash);
    data.emplace("title", version.title);
    data.emplace("published", core::format_rfc3339(version.published_at));
    data.emplace("is_current", is_current);
    data.emplace("public_url", "/statement/versions/" + version.hash);
    data.emplace("texts", std::move(texts));
    data.emplace("form_action", version_path(version.hash) + "/translations");
    data.emplace("can_translate", true);
    data.emplace("can_reaffirm", is_current && version.number > 1);
    data.emplace("reaffirm_action", version_path(version.hash) + "/reaffirm");
    return render_with_flash(site_, request, version_, "Statement version", std::move(data), status,
                             std::move(flash));
}

Response StatementAdminPages::version(Request& request) const {
    const auto found = site_.statements.find(request.param("hash"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    std::string flash;
    if (const auto translated = request.query_value("translated")) {
        if (i18n::find_language(*translated) != nullptr) {
            flash = i18n::format(
                translate(site_, request, "The translation into {language} was saved."),
                {{"language", language_name(*translated)}});
        }
    } else if (const auto count = count_query(request, "reaffirmed")) {
        flash = i18n::format(
            translate(
                site_, request,
                "{count} earlier signatories were e-mailed a link to re-affirm this version."),
            {{"count", std::to_string(*count)}});
    }
    // The form starts with the translation asked for (?lang=fr), else the first language
    // without one.
    Input input{.title = "", .language = "", .markdown = ""};
    const auto asked = request.query_value("lang");
    const auto* wanted = asked ? i18n::find_language(*asked) : nullptr;
    for (const auto& text : found->translations) {
        if (wanted != nullptr && !text.authoritative && text.language == wanted->tag) {
            input =
                Input{.title = text.title, .language = text.language, .markdown = text.markdown};
        }
    }
    if (input.language.empty()) {
        for (const auto& language : i18n::supported_languages()) {
            const bool has_text = std::any_of(
                found->translations.begin(), found->translations.end(),
                [&](const statement::Translation& text) { return text.language == language.tag; });
            if (!has_text) {
                input.language = language.tag;
                break;
            }
        }
    }
    return render_version(request, *found, input, {}, 200, std::move(flash));
}

Response StatementAdminPages::save_translation(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto found = site_.statements.find(request.param("hash"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    const Input input = input_from(request);
    auto translated = site_.statements.translate(*actor, found->hash, input.language, input.title,
                                                 input.markdown);
    if (translated) {
        const auto* language = i18n::find_language(input.language);
        return Response::redirect_see_other(version_path(found->hash) + "?translated=" +
                                            (language != nullptr ? language->tag : "") + "#text-" +
                                            (language != nullptr ? language->tag : ""));
    }
    if (translated.error().code == core::ErrorCode::NotFound) {
        return error_page(site_, request, 404);
    }
    const std::vector<core::Error> errors{tied_to_text(translated.error())};
    return render_version(request, *found, input, errors, status_for(errors), {});
}

Response StatementAdminPages::reaffirm(Request& request) const {
    const auto actor = actor_of(request);
    if (!actor) {
        return error_page(site_, request, 403);
    }
    const auto found = site_.statements.find(request.param("hash"));
    if (!found) {
        return error_page(site_, request, 404);
    }
    auto queued = site_.signatures.request_reaffirmation(*actor, statement_campaign(), found->hash,
                                                         site_.settings.base_url);
    if (queued) {
        return Response::redirect_see_other(version_path(found->hash) +
                                            "?reaffirmed=" + std::to_string(*queued));
    }
    const Input input{.title = "", .language = "", .markdown = ""};
    return render_version(request, *found, input, {}, status_for({queued.error()}),
                          translate(site_, request, queued.error().message));
}

}  // namespace coalition::web
