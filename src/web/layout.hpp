#pragma once
// Page rendering for handlers: the site layout around a body template, error pages, form-field
// data, and the embedded static files (static/site.css). Built once at start-up (web::Pages);
// handlers look their body templates up in their constructors (Pages::require) and call
// render_page per request. Template data: see the comment at the top of each templates/*.mustache.

#include "i18n/i18n.hpp"
#include "i18n/messages.hpp"
#include "web/render_cache.hpp"
#include "web/templates.hpp"

#include <mstch/mstch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::web {

// Who is signed in, as the layout shows it.
struct PageVisitor {
    std::string display_name;
    bool is_admin = false;
};

// What every page needs, filled from the request (by the framework) and the handler (title).
struct PageContext {
    std::string language = "en";  // A supported tag (i18n::negotiate / ?lang=).
    std::string title;            // Already translated; shown as "title — site_name".
    std::string site_name;
    std::string contact_email;
    std::optional<PageVisitor> visitor;  // Empty: not signed in.
    std::string csrf_token;              // For the sign-out form and any POST form ({{> csrf}}).
    std::string flash;                   // Already translated; shown in the role=status region.
    std::string path = "/";  // The request path, percent-encoded, without query: nav and switcher.
};

// A file compiled into the binary, to be served under /static/.
struct StaticFile {
    std::string_view content_type;  // "text/css; charset=utf-8".
    std::string_view bytes;
    std::string etag;  // A strong ETag (quoted) from the content hash.
    std::string url;   // The cache-busting URL: "/static/site.css?v=<hash>".
};

// The file served at `path` ("/static/site.css"; a query string is ignored); nullptr if none.
const StaticFile* static_file(std::string_view path);

// One form field for templates/field.mustache. Texts are already translated. Members have
// defaults, so designated initialisers may name only what they set.
struct Field {
    std::string name{};  // The form name; the element id is "field-" + name.
    std::string label{};
    std::string value{};  // What was typed, kept when the form is shown again.
    std::string hint{};
    std::string error{};         // Empty when valid.
    std::string type = "text";   // An <input> type, or "textarea".
    std::string autocomplete{};  // "email", "name", … or empty.
    bool required = false;
};

// Data for one field: id, name, label, type, value, hint, hint_id, error, error_id, required,
// is_textarea, autocomplete, described_by.
mstch::map field_data(const Field& field);

// Data for a whole form: fields (array, in order), field (map by name, for {{#field.email}}),
// errors ([{field_id, message}], in order), has_errors.
mstch::map form_data(const std::vector<Field>& fields);

// The compiled templates and the layout. Thread-safe; nothing changes after construction but
// the kept layouts of anonymous pages.
class Pages {
public:
    // Compiles the embedded templates. Throws core::StartupError when one does not compile.
    // `catalog` must outlive this object.
    explicit Pages(const i18n::Catalog& catalog);
    // With given templates (tests); they must include "layout", "error_<status>" and "csrf".
    Pages(const i18n::Catalog& catalog, Templates templates);

    // A body template by name (file name without .mustache); throws core::StartupError when
    // absent. Call at start-up.
    TemplateRef require(std::string_view name) const;

    // The whole HTML document: `body` rendered with `data` over the page context (body templates
    // see lang, dir, site_name, contact_email, csrf_token, visitor, path, title too), inside the
    // layout. Every value is HTML-escaped unless its name ends in _html. Pass `data` with
    // std::move: it is taken by value so that a large table is not copied.
    std::string render_page(const PageContext& context, TemplateRef body, mstch::map data) const;

    // The page for an error status: 403, 404, 413, 500 or 503 (any other gives the 500 body). Sets
    // the title itself.
    std::string render_error_page(PageContext context, int status) const;

    std::string translate(std::string_view language, std::string_view msgid) const {
        return catalog_->translate(language, msgid);
    }
    std::string translate_plural(std::string_view language, i18n::PluralMessage message,
                                 long count) const {
        return catalog_->translate_plural(language, message.singular, message.plural, count);
    }
    const Templates& templates() const { return templates_; }

private:
    static mstch::node shell_data(const i18n::Language& language);
    static mstch::node request_data(const PageContext& context);

    // The layout before and after the body, the same for every anonymous visitor of one page.
    struct LayoutParts {
        std::string before_body;
        std::string after_body;
    };
    std::shared_ptr<const LayoutParts> anonymous_layout(const PageContext& context,
                                                        std::size_t language) const;
    // `language` indexes supported_languages().
    std::string render_layout(const PageContext& context, std::size_t language,
                              std::string body_html) const;

    const i18n::Catalog* catalog_;
    Templates templates_;
    TemplateRef layout_;
    std::vector<std::pair<int, TemplateRef>> error_pages_;
    std::vector<mstch::node> shells_;  // Per language, indexed like supported_languages().
    // By language, title and path (bounded: 404 pages have any path). A unique_ptr keeps Pages
    // movable.
    std::unique_ptr<RenderCache<LayoutParts>> anonymous_layouts_;
};

}  // namespace coalition::web
