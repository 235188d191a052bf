#pragma once
// Mustache templates, compiled once at start-up and rendered many times. The data model is
// mstch's (mstch::node, mstch::map, mstch::array), but rendering is our own: mstch 1.0.2 parses
// the template and every partial on each render (about 600 µs for a layout and a 50-row table,
// measured), so we parse once into a tree and walk it (a few µs).
//
// Supported: {{name}} (HTML-escaped), {{a.b}}, {{.}}, {{#section}}, {{^inverted}}, {{! comment}},
// {{> partial}}, mstch::lambda sections, and {{#_}}Text{{/_}}, which translates its literal text
// in the render's language (the text may hold {{variables}}; scripts/update-po extracts it).
// Unescaped output, {{{name}}} or {{&name}}, is refused unless the name ends in "_html": such a
// value must already be safe HTML. Set-delimiter tags are refused. A whitespace run that holds a
// line break in template text is kept as one "\n".

#include "core/html.hpp"
#include "core/result.hpp"
#include "i18n/i18n.hpp"

#include <mstch/mstch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::web {

// Escapes & < > " ' for HTML text and quoted attribute values (core/html.hpp).
using core::append_escaped_html;
using core::escape_html;

// The msgid of a {{#_}}…{{/_}} section: its raw text with each whitespace run made one space,
// trimmed. scripts/update-po extracts msgids by the same rule.
std::string translation_msgid(std::string_view raw_section_text);

struct CompiledTemplate;  // Opaque; owned by Templates.

// A compiled template, found by name at start-up (Templates::require). Valid as long as the
// Templates that made it.
class TemplateRef {
public:
    const std::string& name() const;

private:
    friend class Templates;
    explicit TemplateRef(const CompiledTemplate* compiled) : compiled_(compiled) {}
    const CompiledTemplate* compiled_;
};

// A set of compiled templates that can include each other as partials. Immutable after
// construction (but for each language's translations, compiled once on its first render under a
// std::call_once); render from any number of threads at once.
class Templates {
public:
    // Compiles `sources` (name, Mustache text; a template is a partial under its name). Fails with
    // Invalid, naming the template and line, on a syntax error, an unknown partial, a forbidden
    // unescaped tag, or a translation of a {{#_}} text that does not compile: each {{#_}} text is
    // translated into every language and checked now, but a language's translations are kept
    // compiled only from its first render on, so `catalog` must outlive the Templates.
    static core::Result<Templates> compile(
        const std::vector<std::pair<std::string, std::string>>& sources,
        const i18n::Catalog& catalog);

    // The templates compiled into this binary (templates/*.mustache, by file name without
    // ".mustache"). Throws core::StartupError with the compile error when one does not compile.
    static Templates embedded(const i18n::Catalog& catalog);

    Templates(Templates&&) noexcept;
    Templates& operator=(Templates&&) noexcept;
    ~Templates();

    bool has(std::string_view name) const;
    // The template `name`; throws core::StartupError when there is none. Call at start-up (in a
    // handler's constructor), so a missing template stops the server before it serves.
    TemplateRef require(std::string_view name) const;

    // Renders `compiled` with a context stack (bottom first: names are looked up from the last
    // node down) in `language` (a supported tag; an unknown one renders English), appending to
    // `out`. Data is never parsed as a template: "{{" in a value stays text.
    void render(TemplateRef compiled, const std::vector<const mstch::node*>& stack,
                std::string_view language, std::string& out) const;
    std::string render(TemplateRef compiled, const mstch::node& data,
                       std::string_view language) const;

private:
    struct Impl;
    explicit Templates(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace coalition::web
