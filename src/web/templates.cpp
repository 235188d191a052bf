#include "web/templates.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"

#include <charconv>
#include <limits>
#include <map>
#include <mutex>

namespace coalition::web {

// Generated at build time from templates/*.mustache (src/web/templates.cmake).
std::vector<std::pair<std::string_view, std::string_view>> embedded_template_files();

namespace {

// Sections and partials nest at most this deep while rendering; deeper means a partial that
// includes itself without end, which is a bug in a template.
constexpr int kMaxRenderDepth = 256;
constexpr std::string_view kTranslationSection = "_";
constexpr std::string_view kTemplateSuffix = ".mustache";

enum class NodeKind { Text, Variable, RawVariable, Section, Inverted, Partial, Translation };

// A Translation node compiled without a catalog (lambda output): its children render as they are.
constexpr std::size_t kNoTranslation = std::numeric_limits<std::size_t>::max();

}  // namespace

struct TemplateNode {
    NodeKind kind = NodeKind::Text;
    std::string text;               // Text: the literal. Section: its raw source. Partial: name.
    std::vector<std::string> path;  // The looked-up name split at dots; empty for "{{.}}".
    // Section and Inverted bodies; a Translation's only when it has no catalog translation.
    std::vector<TemplateNode> children;
    const CompiledTemplate* partial = nullptr;
    // Translation: the index of its msgid in Templates::Impl::msgids, or kNoTranslation.
    std::size_t translation = kNoTranslation;
};

struct CompiledTemplate {
    std::string name;
    std::vector<TemplateNode> nodes;
};

namespace {

// The distinct {{#_}} msgids of a set of templates, in the order first seen, each with the
// template that first used it (named in errors).
struct Msgids {
    std::vector<std::string> texts;
    std::vector<std::string> template_names;
    std::map<std::string, std::size_t, std::less<>> index;

    std::size_t add(std::string msgid, std::string_view template_name) {
        auto found = index.find(msgid);
        if (found != index.end()) {
            return found->second;
        }
        texts.push_back(msgid);
        template_names.emplace_back(template_name);
        index.emplace(std::move(msgid), texts.size() - 1);
        return texts.size() - 1;
    }
};

}  // namespace

// Translations are checked for every language at compile time but kept compiled only for the
// languages that render: each language's are compiled again on its first render (the catalog
// and the templates do not change, so that cannot fail), which keeps the memory of languages
// nobody asks for free.
struct Templates::Impl {
    struct Language {
        std::once_flag compiled;
        // The compiled translation of each msgid, indexed like `msgids`.
        std::vector<std::vector<TemplateNode>> translations;
    };

    std::map<std::string, CompiledTemplate, std::less<>> templates;
    const i18n::Catalog* catalog = nullptr;
    std::vector<std::string> msgids;
    std::unique_ptr<Language[]> languages;  // Indexed like supported_languages().

    const std::vector<std::vector<TemplateNode>>& translations(std::size_t language_index);
};

const std::string& TemplateRef::name() const {
    return compiled_->name;
}

namespace {

bool is_space(char character) {
    return character == ' ' || character == '\t' || character == '\n' || character == '\r';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// Template text: a whitespace run holding a line break becomes one "\n" (indentation in the
// template source is not worth sending).
std::string normalise_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t index = 0;
    while (index < text.size()) {
        if (!is_space(text[index])) {
            out.push_back(text[index++]);
            continue;
        }
        std::size_t end = index;
        bool has_newline = false;
        while (end < text.size() && is_space(text[end])) {
            has_newline = has_newline || text[end] == '\n';
            ++end;
        }
        if (has_newline) {
            out.push_back('\n');
        } else {
            out.append(text.substr(index, end - index));
        }
        index = end;
    }
    return out;
}

}  // namespace

// The msgid of a {{#_}} section: its text with each whitespace run made one space, trimmed.
// scripts/update-po applies the same rule, so the two agree.
std::string translation_msgid(std::string_view raw) {
    std::string out;
    bool pending_space = false;
    for (char character : trim(raw)) {
        if (is_space(character)) {
            pending_space = true;
            continue;
        }
        if (pending_space) {
            out.push_back(' ');
            pending_space = false;
        }
        out.push_back(character);
    }
    return out;
}

namespace {

bool is_valid_name(std::string_view name) {
    if (name == ".") {
        return true;
    }
    if (name.empty() || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string_view::npos) {
        return false;
    }
    for (char character : name) {
        bool allowed = (character >= 'a' && character <= 'z') ||
                       (character >= 'A' && character <= 'Z') ||
                       (character >= '0' && character <= '9') || character == '_' ||
                       character == '-' || character == '.';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> split_path(std::string_view name) {
    std::vector<std::string> path;
    if (name == ".") {
        return path;
    }
    std::size_t start = 0;
    while (true) {
        std::size_t dot = name.find('.', start);
        path.emplace_back(name.substr(start, dot - start));
        if (dot == std::string_view::npos) {
            return path;
        }
        start = dot + 1;
    }
}

class Parser {
public:
    // With a catalog, each {{#_}} text is checked to compile in every language and its msgid
    // recorded in `msgids`; without (`msgids` null), its children render as they are.
    Parser(std::string_view source, std::string_view template_name, const i18n::Catalog* catalog,
           Msgids* msgids)
        : source_(source), template_name_(template_name), catalog_(catalog), msgids_(msgids) {}

    core::Result<std::vector<TemplateNode>> parse() {
        struct OpenSection {
            TemplateNode node;
            std::size_t body_start;
            std::size_t tag_start;
        };
        std::vector<OpenSection> open_sections;
        std::vector<TemplateNode> top;
        auto current = [&]() -> std::vector<TemplateNode>& {
            return open_sections.empty() ? top : open_sections.back().node.children;
        };

        std::size_t position = 0;
        while (position <= source_.size()) {
            std::size_t open = source_.find("{{", position);
            std::string_view text = source_.substr(position, open - position);
            if (!text.empty()) {
                current().push_back(
                    TemplateNode{NodeKind::Text, normalise_text(text), {}, {}, {}, {}});
            }
            if (open == std::string_view::npos) {
                break;
            }
            bool triple = open + 2 < source_.size() && source_[open + 2] == '{';
            std::string_view closer = triple ? "}}}" : "}}";
            std::size_t close = source_.find(closer, open + (triple ? 3 : 2));
            if (close == std::string_view::npos) {
                return fail(open, "a tag opened here is never closed");
            }
            std::string_view inner = trim(source_.substr(open + 2, close - open - 2));
            std::size_t end = close + closer.size();
            if (triple) {
                inner = trim(inner.substr(1));
                auto node = variable(open, inner, NodeKind::RawVariable);
                if (!node) {
                    return node.error();
                }
                current().push_back(std::move(*node));
                position = end;
                continue;
            }
            char sigil = inner.empty() ? '\0' : inner.front();
            std::string_view name = inner.empty() ? inner : trim(inner.substr(1));
            switch (sigil) {
                case '!':
                    // A comment's own line break goes with it, so that a template may open
                    // with a comment and still start with "<!doctype html>".
                    if (end < source_.size() && source_[end] == '\n') {
                        ++end;
                    }
                    break;
                case '=':
                    return fail(open, "set-delimiter tags are not supported");
                case '#':
                case '^': {
                    if (!is_valid_name(name)) {
                        return fail(open, "bad section name '" + std::string(name) + "'");
                    }
                    TemplateNode node;
                    node.kind = sigil == '#' ? NodeKind::Section : NodeKind::Inverted;
                    node.path = split_path(name);
                    node.text = std::string(name);
                    open_sections.push_back({std::move(node), end, open});
                    break;
                }
                case '/': {
                    if (open_sections.empty() || open_sections.back().node.text != name) {
                        return fail(open, "'{{/" + std::string(name) +
                                              "}}' closes no open section of that name");
                    }
                    OpenSection section = std::move(open_sections.back());
                    open_sections.pop_back();
                    section.node.children.shrink_to_fit();  // Kept for the server's life.
                    section.node.text =
                        std::string(source_.substr(section.body_start, open - section.body_start));
                    if (section.node.path.size() == 1 &&
                        section.node.path[0] == kTranslationSection) {
                        if (section.node.kind == NodeKind::Inverted) {
                            return fail(section.tag_start, "{{^_}} is not a translation section");
                        }
                        auto translated = translation(section.tag_start, section.node.text);
                        if (!translated) {
                            return translated.error();
                        }
                        section.node.kind = NodeKind::Translation;
                        section.node.translation = *translated;
                        if (*translated != kNoTranslation) {
                            // Never rendered: each language renders its own translation.
                            section.node.text.clear();
                            section.node.text.shrink_to_fit();
                            section.node.children.clear();
                            section.node.children.shrink_to_fit();
                        }
                    }
                    current().push_back(std::move(section.node));
                    break;
                }
                case '>': {
                    if (!is_valid_name(name) || name == ".") {
                        return fail(open, "bad partial name '" + std::string(name) + "'");
                    }
                    TemplateNode node;
                    node.kind = NodeKind::Partial;
                    node.text = std::string(name);
                    current().push_back(std::move(node));
                    break;
                }
                case '&': {
                    auto node = variable(open, name, NodeKind::RawVariable);
                    if (!node) {
                        return node.error();
                    }
                    current().push_back(std::move(*node));
                    break;
                }
                default: {
                    auto node = variable(open, inner, NodeKind::Variable);
                    if (!node) {
                        return node.error();
                    }
                    current().push_back(std::move(*node));
                }
            }
            position = end;
        }
        if (!open_sections.empty()) {
            return fail(open_sections.back().tag_start,
                        "section '" + open_sections.back().node.text + "' is never closed");
        }
        top.shrink_to_fit();
        return top;
    }

private:
    core::Error fail(std::size_t offset, const std::string& why) const {
        std::size_t line = 1;
        for (std::size_t index = 0; index < offset && index < source_.size(); ++index) {
            line += source_[index] == '\n' ? 1 : 0;
        }
        return core::Error::invalid("template '" + std::string(template_name_) + "', line " +
                                    std::to_string(line) + ": " + why);
    }

    core::Result<TemplateNode> variable(std::size_t offset, std::string_view name,
                                        NodeKind kind) const {
        if (!is_valid_name(name)) {
            return fail(offset, "bad variable name '" + std::string(name) + "'");
        }
        // Unescaped output only for values that are HTML by name (rendered Markdown).
        if (kind == NodeKind::RawVariable &&
            (name.size() < 5 || name.substr(name.size() - 5) != "_html")) {
            return fail(offset, "unescaped output of '" + std::string(name) +
                                    "': only names ending in _html may be unescaped");
        }
        TemplateNode node;
        node.kind = kind;
        node.path = split_path(name);
        return node;
    }

    // The msgid's index in msgids_ once its translation compiles in every language (the trees
    // are dropped; partials in them are checked once every template is known).
    core::Result<std::size_t> translation(std::size_t offset, std::string_view raw) const {
        if (catalog_ == nullptr || msgids_ == nullptr) {
            return kNoTranslation;
        }
        std::string msgid = translation_msgid(raw);
        for (const i18n::Language& language : i18n::supported_languages()) {
            std::string translated = catalog_->translate(language.tag, msgid);
            std::string name = std::string(template_name_) + " {{#_}} in " + language.tag;
            auto nodes = Parser(translated, name, nullptr, nullptr).parse();
            if (!nodes) {
                return fail(offset, "the translation of \"" + msgid + "\" into " + language.tag +
                                        " does not compile: " + nodes.error().message);
            }
        }
        return msgids_->add(std::move(msgid), template_name_);
    }

    std::string_view source_;
    std::string_view template_name_;
    const i18n::Catalog* catalog_;
    Msgids* msgids_;
};

// The translation of `msgid` into `language` compiled, its partials resolved against `all`.
core::Result<std::vector<TemplateNode>> compile_translation(
    const i18n::Catalog& catalog, const std::string& msgid, const i18n::Language& language,
    const std::map<std::string, CompiledTemplate, std::less<>>& all,
    const std::string& template_name);

core::Result<void> resolve_partials(std::vector<TemplateNode>& nodes,
                                    const std::map<std::string, CompiledTemplate, std::less<>>& all,
                                    const std::string& template_name) {
    for (TemplateNode& node : nodes) {
        if (node.kind == NodeKind::Partial) {
            auto found = all.find(node.text);
            if (found == all.end()) {
                return core::Error::invalid("template '" + template_name +
                                            "' includes an unknown partial '" + node.text + "'");
            }
            node.partial = &found->second;
        }
        if (auto result = resolve_partials(node.children, all, template_name); !result) {
            return result;
        }
    }
    return {};
}

core::Result<std::vector<TemplateNode>> compile_translation(
    const i18n::Catalog& catalog, const std::string& msgid, const i18n::Language& language,
    const std::map<std::string, CompiledTemplate, std::less<>>& all,
    const std::string& template_name) {
    std::string translated = catalog.translate(language.tag, msgid);
    std::string name = template_name + " {{#_}} in " + language.tag;
    auto nodes = Parser(translated, name, nullptr, nullptr).parse();
    if (!nodes) {
        return nodes.error();
    }
    if (auto resolved = resolve_partials(*nodes, all, template_name); !resolved) {
        return resolved.error();
    }
    return nodes;
}

bool is_falsy(const mstch::node& value) {
    if (boost::get<std::nullptr_t>(&value) != nullptr) {
        return true;
    }
    if (const bool* flag = boost::get<bool>(&value)) {
        return !*flag;
    }
    if (const int* number = boost::get<int>(&value)) {
        return *number == 0;
    }
    if (const double* number = boost::get<double>(&value)) {
        return *number == 0.0;
    }
    if (const std::string* text = boost::get<std::string>(&value)) {
        return text->empty();
    }
    if (const mstch::array* items = boost::get<mstch::array>(&value)) {
        return items->empty();
    }
    return false;
}

const mstch::node* member(const mstch::node& value, const std::string& name) {
    if (const mstch::map* map = boost::get<mstch::map>(&value)) {
        auto found = map->find(name);
        return found == map->end() ? nullptr : &found->second;
    }
    if (const auto* object = boost::get<std::shared_ptr<mstch::object>>(&value)) {
        if (*object != nullptr && (*object)->has(name)) {
            return &(*object)->at(name);
        }
    }
    return nullptr;
}

class Renderer {
public:
    // `translations`: the render language's compiled translations, indexed by msgid.
    Renderer(const std::vector<std::vector<TemplateNode>>& translations,
             std::vector<const mstch::node*> stack, std::string& out)
        : translations_(translations), stack_(std::move(stack)), out_(out) {}

    void render(const std::vector<TemplateNode>& nodes) {
        COALITION_ASSERT(depth_ < kMaxRenderDepth,
                         "templates nest too deep (a recursive partial?)");
        ++depth_;
        for (const TemplateNode& node : nodes) {
            render_node(node);
        }
        --depth_;
    }

private:
    void render_node(const TemplateNode& node) {
        switch (node.kind) {
            case NodeKind::Text:
                out_.append(node.text);
                return;
            case NodeKind::Variable:
            case NodeKind::RawVariable:
                if (const mstch::node* value = lookup(node.path)) {
                    append_value(*value, node.kind == NodeKind::Variable);
                }
                return;
            case NodeKind::Section:
                render_section(node);
                return;
            case NodeKind::Inverted: {
                const mstch::node* value = lookup(node.path);
                if (value == nullptr || is_falsy(*value)) {
                    render(node.children);
                }
                return;
            }
            case NodeKind::Partial:
                render(node.partial->nodes);
                return;
            case NodeKind::Translation:
                render(node.translation == kNoTranslation ? node.children
                                                          : translations_[node.translation]);
                return;
        }
    }

    void render_section(const TemplateNode& node) {
        const mstch::node* value = lookup(node.path);
        if (value == nullptr || is_falsy(*value)) {
            return;
        }
        if (const mstch::array* items = boost::get<mstch::array>(value)) {
            for (const mstch::node& item : *items) {
                stack_.push_back(&item);
                render(node.children);
                stack_.pop_back();
            }
            return;
        }
        if (const mstch::lambda* lambda = boost::get<mstch::lambda>(value)) {
            out_.append(
                (*lambda)([this](const mstch::node& result) { return expand(result); }, node.text));
            return;
        }
        stack_.push_back(value);
        render(node.children);
        stack_.pop_back();
    }

    // A lambda's result is a template (Mustache spec): compiled on the spot, without a catalog.
    std::string expand(const mstch::node& result) {
        const std::string* text = boost::get<std::string>(&result);
        if (text == nullptr) {
            std::string scalar;
            std::swap(scalar, out_);
            append_value(result, true);
            std::swap(scalar, out_);
            return scalar;
        }
        auto nodes = Parser(*text, "lambda result", nullptr, nullptr).parse();
        COALITION_ASSERT(nodes.has_value(), "a template lambda returned a malformed template");
        COALITION_ASSERT(!has_partial(*nodes), "a template lambda returned a partial tag");
        std::string expanded;
        Renderer nested(translations_, stack_, expanded);
        nested.depth_ = depth_;
        nested.render(*nodes);
        return expanded;
    }

    static bool has_partial(const std::vector<TemplateNode>& nodes) {
        for (const TemplateNode& node : nodes) {
            if (node.kind == NodeKind::Partial || has_partial(node.children)) {
                return true;
            }
        }
        return false;
    }

    const mstch::node* lookup(const std::vector<std::string>& path) const {
        if (path.empty()) {
            return stack_.back();
        }
        const mstch::node* found = nullptr;
        for (auto frame = stack_.rbegin(); frame != stack_.rend() && found == nullptr; ++frame) {
            found = member(**frame, path[0]);
        }
        for (std::size_t part_idx = 1; part_idx < path.size() && found != nullptr; ++part_idx) {
            found = member(*found, path[part_idx]);
        }
        return found;
    }

    void append_value(const mstch::node& value, bool escape) {
        if (const std::string* text = boost::get<std::string>(&value)) {
            if (escape) {
                append_escaped_html(out_, *text);
            } else {
                out_.append(*text);
            }
        } else if (const int* number = boost::get<int>(&value)) {
            out_.append(std::to_string(*number));
        } else if (const double* real = boost::get<double>(&value)) {
            char buffer[32];
            auto result = std::to_chars(buffer, buffer + sizeof buffer, *real);
            out_.append(buffer, result.ptr);
        } else if (const bool* flag = boost::get<bool>(&value)) {
            out_.append(*flag ? "true" : "false");
        } else if (const mstch::lambda* lambda = boost::get<mstch::lambda>(&value)) {
            std::string expanded =
                (*lambda)([this](const mstch::node& result) { return expand(result); }, "");
            if (escape) {
                append_escaped_html(out_, expanded);
            } else {
                out_.append(expanded);
            }
        }
    }

    const std::vector<std::vector<TemplateNode>>& translations_;
    std::vector<const mstch::node*> stack_;
    std::string& out_;
    int depth_ = 0;
};

}  // namespace

Templates::Templates(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
}
Templates::Templates(Templates&&) noexcept = default;
Templates& Templates::operator=(Templates&&) noexcept = default;
Templates::~Templates() = default;

core::Result<Templates> Templates::compile(
    const std::vector<std::pair<std::string, std::string>>& sources, const i18n::Catalog& catalog) {
    auto impl = std::make_unique<Impl>();
    Msgids msgids;
    for (const auto& [name, source] : sources) {
        if (impl->templates.count(name) != 0) {
            return core::Error::invalid("template '" + name + "' is defined twice");
        }
        auto nodes = Parser(source, name, &catalog, &msgids).parse();
        if (!nodes) {
            return nodes.error();
        }
        impl->templates.emplace(name, CompiledTemplate{name, std::move(*nodes)});
    }
    for (auto& [name, compiled] : impl->templates) {
        if (auto resolved = resolve_partials(compiled.nodes, impl->templates, name); !resolved) {
            return resolved.error();
        }
    }
    // The partials named in translations, checked now in every language; a language's trees
    // are compiled again on its first render (Impl::translations).
    for (const i18n::Language& language : i18n::supported_languages()) {
        for (std::size_t index = 0; index < msgids.texts.size(); ++index) {
            auto compiled = compile_translation(catalog, msgids.texts[index], language,
                                                impl->templates, msgids.template_names[index]);
            if (!compiled) {
                return compiled.error();
            }
        }
    }
    impl->catalog = &catalog;
    impl->msgids = std::move(msgids.texts);
    impl->languages = std::make_unique<Impl::Language[]>(i18n::supported_languages().size());
    return Templates(std::move(impl));
}

const std::vector<std::vector<TemplateNode>>& Templates::Impl::translations(
    std::size_t language_index) {
    Language& language = languages[language_index];
    std::call_once(language.compiled, [&] {
        const i18n::Language& tag = i18n::supported_languages()[language_index];
        language.translations.reserve(msgids.size());
        for (const std::string& msgid : msgids) {
            auto compiled = compile_translation(*catalog, msgid, tag, templates, "");
            COALITION_ASSERT(compiled.has_value(), "a translation that compiled at start-up fails");
            language.translations.push_back(std::move(*compiled));
        }
    });
    return language.translations;
}

Templates Templates::embedded(const i18n::Catalog& catalog) {
    std::vector<std::pair<std::string, std::string>> sources;
    for (const auto& [file_name, bytes] : embedded_template_files()) {
        std::string_view name = file_name;
        if (name.size() > kTemplateSuffix.size() &&
            name.substr(name.size() - kTemplateSuffix.size()) == kTemplateSuffix) {
            name.remove_suffix(kTemplateSuffix.size());
        }
        sources.emplace_back(std::string(name), std::string(bytes));
    }
    auto compiled = compile(sources, catalog);
    if (!compiled) {
        throw core::StartupError(compiled.error().message);
    }
    return std::move(*compiled);
}

bool Templates::has(std::string_view name) const {
    return impl_->templates.count(name) != 0;
}

TemplateRef Templates::require(std::string_view name) const {
    auto found = impl_->templates.find(name);
    if (found == impl_->templates.end()) {
        throw core::StartupError("no template named '" + std::string(name) +
                                 "' (templates/*.mustache)");
    }
    return TemplateRef(&found->second);
}

void Templates::render(TemplateRef compiled, const std::vector<const mstch::node*>& stack,
                       std::string_view language, std::string& out) const {
    COALITION_ASSERT(!stack.empty(), "render needs at least one data node");
    Renderer(impl_->translations(i18n::language_index(language)), stack, out)
        .render(compiled.compiled_->nodes);
}

std::string Templates::render(TemplateRef compiled, const mstch::node& data,
                              std::string_view language) const {
    std::string out;
    render(compiled, {&data}, language, out);
    return out;
}

}  // namespace coalition::web
