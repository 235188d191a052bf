#include "web/layout.hpp"

#include "i18n/messages.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace coalition::web {

// Generated at build time from static/* (src/web/templates.cmake).
std::vector<std::pair<std::string_view, std::string_view>> embedded_static_files();

namespace {

constexpr std::string_view kStaticPrefix = "/static/";

std::string content_hash(std::string_view bytes) {
    // FNV-1a, 64 bits: a cache-busting version, not a security property.
    std::uint64_t hash = 14695981039346656037ULL;
    for (char byte : bytes) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= 1099511628211ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::string_view content_type_for(std::string_view name) {
    auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    if (ends_with(".css")) {
        return "text/css; charset=utf-8";
    }
    if (ends_with(".svg")) {
        return "image/svg+xml";
    }
    if (ends_with(".ico")) {
        return "image/x-icon";
    }
    return "application/octet-stream";
}

const std::vector<std::pair<std::string, StaticFile>>& static_files() {
    static const std::vector<std::pair<std::string, StaticFile>> files = [] {
        std::vector<std::pair<std::string, StaticFile>> built;
        for (const auto& [name, bytes] : embedded_static_files()) {
            std::string hash = content_hash(bytes);
            std::string path = std::string(kStaticPrefix) + std::string(name);
            built.emplace_back(path, StaticFile{content_type_for(name), bytes, "\"" + hash + "\"",
                                                path + "?v=" + hash.substr(0, 12)});
        }
        return built;
    }();
    return files;
}

// A path the language switcher may link to: ours, starting with one "/" ("//host" and "/\host"
// would leave the site).
std::string_view safe_path(std::string_view path) {
    if (path.empty() || path[0] != '/' ||
        (path.size() > 1 && (path[1] == '/' || path[1] == '\\'))) {
        return "/";
    }
    return path;
}

bool is_within(std::string_view path, std::string_view section) {
    return path == section ||
           (path.size() > section.size() && path.substr(0, section.size()) == section &&
            path[section.size()] == '/');
}

std::string_view error_title(int status) {
    using namespace i18n::messages;  // NOLINT(google-build-using-namespace): a local table.
    switch (status) {
        case 403:
            return kForbiddenTitle;
        case 404:
            return kNotFoundTitle;
        case 413:
            return kTooLargeTitle;
        case 503:
            return kUnavailableTitle;
        default:
            return kServerErrorTitle;
    }
}

// The layout of an anonymous page is ~3 kB: a few hundred pages in six languages.
constexpr std::size_t kAnonymousLayoutBytes = 4 << 20;

// Stands for the body while a layout is rendered to be kept in two parts. No template or
// translation holds these control characters; a site name that did would show the marker twice,
// and the layout is then rendered per request instead.
constexpr std::string_view kBodyMarker = "\x1f\x1e{{body}}\x1e\x1f";

}  // namespace

const StaticFile* static_file(std::string_view path) {
    path = path.substr(0, path.find('?'));
    for (const auto& [file_path, file] : static_files()) {
        if (file_path == path) {
            return &file;
        }
    }
    return nullptr;
}

mstch::map field_data(const Field& field) {
    std::string id = "field-" + field.name;
    std::string hint_id = field.hint.empty() ? std::string() : id + "-hint";
    std::string error_id = field.error.empty() ? std::string() : id + "-error";
    std::string described_by = hint_id;
    if (!error_id.empty()) {
        described_by += (described_by.empty() ? "" : " ") + error_id;
    }
    return mstch::map{
        {"id", id},
        {"name", field.name},
        {"label", field.label},
        {"type", field.type == "textarea" ? std::string("text") : field.type},
        {"is_textarea", field.type == "textarea"},
        {"value", field.value},
        {"hint", field.hint},
        {"hint_id", hint_id},
        {"error", field.error},
        {"error_id", error_id},
        {"required", field.required},
        {"autocomplete", field.autocomplete},
        {"described_by", described_by},
    };
}

mstch::map form_data(const std::vector<Field>& fields) {
    mstch::array all;
    mstch::map by_name;
    mstch::array errors;
    for (const Field& field : fields) {
        mstch::map data = field_data(field);
        if (!field.error.empty()) {
            errors.push_back(
                mstch::map{{"field_id", "field-" + field.name}, {"message", field.error}});
        }
        by_name.emplace(field.name, data);
        all.push_back(std::move(data));
    }
    bool has_errors = !errors.empty();
    return mstch::map{{"fields", std::move(all)},
                      {"field", std::move(by_name)},
                      {"errors", std::move(errors)},
                      {"has_errors", has_errors}};
}

Pages::Pages(const i18n::Catalog& catalog) : Pages(catalog, Templates::embedded(catalog)) {
}

Pages::Pages(const i18n::Catalog& catalog, Templates templates)
    : catalog_(&catalog),
      templates_(std::move(templates)),
      layout_(templates_.require("layout")),
      anonymous_layouts_(std::make_unique<RenderCache<LayoutParts>>(kAnonymousLayoutBytes)) {
    templates_.require("csrf");
    for (int status : {403, 404, 413, 500, 503}) {
        error_pages_.emplace_back(status, templates_.require("error_" + std::to_string(status)));
    }
    for (const i18n::Language& language : i18n::supported_languages()) {
        shells_.push_back(shell_data(language));
    }
}

TemplateRef Pages::require(std::string_view name) const {
    return templates_.require(name);
}

// What does not change between requests in one language, built once: the per-request map goes
// on top of it in the context stack, so a page allocates only what is its own.
mstch::node Pages::shell_data(const i18n::Language& language) {
    mstch::array languages;
    for (const i18n::Language& candidate : i18n::supported_languages()) {
        languages.push_back(mstch::map{
            {"tag", candidate.tag},
            {"native_name", candidate.native_name},
            {"dir", std::string(i18n::direction_name(candidate.direction))},
            {"current", candidate.tag == language.tag},
        });
    }
    const StaticFile* css = static_file("/static/site.css");
    return mstch::map{
        {"lang", language.tag},
        {"dir", std::string(i18n::direction_name(language.direction))},
        {"css_href", css == nullptr ? std::string("/static/site.css") : css->url},
        {"languages", std::move(languages)},
    };
}

mstch::node Pages::request_data(const PageContext& context) {
    std::string_view path = safe_path(context.path);
    mstch::node visitor = false;
    if (context.visitor) {
        visitor = mstch::map{{"display_name", context.visitor->display_name},
                             {"is_admin", context.visitor->is_admin}};
    }
    return mstch::map{
        {"title", context.title},
        {"site_name", context.site_name},
        {"contact_email", context.contact_email},
        {"csrf_token", context.csrf_token},
        {"flash", context.flash},
        {"path", std::string(path)},
        {"visitor", std::move(visitor)},
        {"nav", mstch::map{{"statement", is_within(path, "/statement")},
                           {"members", is_within(path, "/members")},
                           {"lists", is_within(path, "/lists")},
                           {"processes", is_within(path, "/processes")},
                           {"admin", is_within(path, "/admin")},
                           {"signin", is_within(path, "/signin")}}},
    };
}

std::string Pages::render_page(const PageContext& context, TemplateRef body,
                               mstch::map data) const {
    std::size_t language = i18n::language_index(context.language);
    const std::string& tag = i18n::supported_languages()[language].tag;
    const mstch::node& shell = shells_[language];
    mstch::node request = request_data(context);
    const mstch::node body_data(std::move(data));

    std::string body_html;
    body_html.reserve(4096);
    templates_.render(body, {&shell, &request, &body_data}, tag, body_html);
    return render_layout(context, language, std::move(body_html));
}

// The layout depends on the visitor only through the signed-in name, the CSRF token of the
// sign-out form and the flash message; without them it is kept and only the body is new.
// (Rendering the layout was ~20 % of the CPU of a cached page, issue #2.)
std::string Pages::render_layout(const PageContext& context, std::size_t language,
                                 std::string body_html) const {
    const std::string& tag = i18n::supported_languages()[language].tag;
    const mstch::node& shell = shells_[language];
    if (!context.visitor && context.flash.empty()) {
        if (const auto parts = anonymous_layout(context, language)) {
            std::string out;
            out.reserve(parts->before_body.size() + body_html.size() + parts->after_body.size());
            out.append(parts->before_body).append(body_html).append(parts->after_body);
            return out;
        }
    }
    mstch::node request = request_data(context);
    boost::get<mstch::map>(request).emplace("body_html", std::move(body_html));
    std::string out;
    out.reserve(8192);
    templates_.render(layout_, {&shell, &request}, tag, out);
    return out;
}

std::shared_ptr<const Pages::LayoutParts> Pages::anonymous_layout(const PageContext& context,
                                                                  std::size_t language) const {
    const std::string& tag = i18n::supported_languages()[language].tag;
    std::string key = tag;
    for (const std::string* part :
         {&context.title, &context.path, &context.site_name, &context.contact_email}) {
        key.append(1, '\0').append(*part);
    }
    if (auto kept = anonymous_layouts_->find(key, 0)) {
        return kept;
    }
    mstch::node request = request_data(context);
    boost::get<mstch::map>(request).emplace("body_html", std::string(kBodyMarker));
    std::string whole;
    templates_.render(layout_, {&shells_[language], &request}, tag, whole);
    const auto marker = whole.find(kBodyMarker);
    if (marker == std::string::npos || whole.rfind(kBodyMarker) != marker) {
        return nullptr;
    }
    auto parts = std::make_shared<const LayoutParts>(
        LayoutParts{whole.substr(0, marker), whole.substr(marker + kBodyMarker.size())});
    anonymous_layouts_->keep(key, 0, parts, whole.size());
    return parts;
}

std::string Pages::render_error_page(PageContext context, int status) const {
    auto found = std::find_if(error_pages_.begin(), error_pages_.end(),
                              [&](const auto& entry) { return entry.first == status; });
    if (found == error_pages_.end()) {
        status = 500;
        found = std::find_if(error_pages_.begin(), error_pages_.end(),
                             [](const auto& entry) { return entry.first == 500; });
    }
    context.title = catalog_->translate(context.language, error_title(status));
    return render_page(context, found->second, mstch::map{});
}

}  // namespace coalition::web
