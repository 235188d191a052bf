// Markdown for the Statement of Purpose: cmark-gfm with the GitHub extensions, never raw HTML,
// never a script: link. The statement is written by admins, but its HTML is served to everyone,
// so a stolen admin session must not become stored cross-site scripting.

#include "core/text.hpp"
#include "statement/statement.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace coalition::statement {
namespace {

// CMARK_OPT_UNSAFE is deliberately absent: raw HTML blocks and inline HTML render as
// "<!-- raw HTML omitted -->", and cmark blanks javascript:/vbscript:/file:/data: URLs.
// VALIDATE_UTF8 replaces invalid sequences, for callers that pass a text that is not canonical.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

constexpr const char* kExtensions[] = {"table", "autolink", "strikethrough", "tagfilter"};

struct ParserDeleter {
    void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
    void operator()(cmark_node* node) const { cmark_node_free(node); }
};
using ParserPtr = std::unique_ptr<cmark_parser, ParserDeleter>;
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

enum class Extensions { Gfm, None };

// A parser with the GFM extensions attached. The extension registry is process-wide and filled
// once; registration is not thread-safe, hence call_once.
ParserPtr make_parser(Extensions extensions) {
    ParserPtr parser(cmark_parser_new(kOptions));
    if (extensions == Extensions::Gfm) {
        static std::once_flag registered;
        std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
        for (const char* name : kExtensions) {
            cmark_syntax_extension* extension = cmark_find_syntax_extension(name);
            COALITION_ASSERT(extension != nullptr, "a cmark-gfm core extension is missing");
            cmark_parser_attach_syntax_extension(parser.get(), extension);
        }
    }
    return parser;
}

NodePtr parse(cmark_parser* parser, std::string_view markdown) {
    cmark_parser_feed(parser, markdown.data(), markdown.size());
    return NodePtr(cmark_parser_finish(parser));
}

// The text of `node` and its descendants: literal text and code, breaks as spaces.
std::string plain_text(cmark_node* node) {
    std::string out;
    for (cmark_node* child = cmark_node_first_child(node); child != nullptr;
         child = cmark_node_next(child)) {
        switch (cmark_node_get_type(child)) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
                if (const char* literal = cmark_node_get_literal(child)) {
                    out += literal;
                }
                break;
            case CMARK_NODE_SOFTBREAK:
            case CMARK_NODE_LINEBREAK:
                out += ' ';
                break;
            case CMARK_NODE_HTML_INLINE:
                break;  // Omitted from the page, so not part of the heading's text either.
            default:
                out += plain_text(child);
        }
    }
    return out;
}

std::string collapse_white_space(std::string_view text) {
    std::string out;
    bool in_space = false;
    for (char character : text) {
        if (character == ' ' || character == '\t' || character == '\n') {
            in_space = true;
            continue;
        }
        if (in_space && !out.empty()) {
            out += ' ';
        }
        in_space = false;
        out += character;
    }
    return core::trim(out);
}

// The URL's scheme in lower case ("javascript"), or "" for a relative URL. Browsers ignore ASCII
// tab, newline and other C0 characters and spaces inside a scheme ("java\tscript:"), so they are
// skipped here too.
std::string scheme_of(std::string_view url) {
    std::string scheme;
    for (char character : url) {
        const auto byte = static_cast<unsigned char>(character);
        if (byte <= 0x20) {
            continue;
        }
        if (character == ':') {
            return scheme;
        }
        if (character == '/' || character == '?' || character == '#') {
            return "";
        }
        scheme += static_cast<char>(character >= 'A' && character <= 'Z' ? character - 'A' + 'a'
                                                                         : character);
    }
    return "";
}

bool is_safe_url(std::string_view url, cmark_node_type type) {
    const std::string scheme = scheme_of(url);
    if (scheme.empty()) {
        return true;
    }
    return scheme == "http" || scheme == "https" || (type == CMARK_NODE_LINK && scheme == "mailto");
}

// Replaces `node` by its children: a dropped link keeps its text, a dropped image its alt text.
void unwrap(cmark_node* node) {
    while (cmark_node* child = cmark_node_first_child(node)) {
        cmark_node_insert_before(node, child);
    }
    cmark_node_free(node);
}

// Drops links and images with unsafe URLs, moves every heading one level down (h1 → h2, at most
// h6); returns the plain text of each heading in order.
std::vector<std::string> sanitise(cmark_node* document) {
    std::vector<cmark_node*> unsafe;
    std::vector<std::string> headings;
    cmark_iter* iter = cmark_iter_new(document);
    for (auto event = cmark_iter_next(iter); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter)) {
        if (event != CMARK_EVENT_ENTER) {
            continue;
        }
        cmark_node* node = cmark_iter_get_node(iter);
        const auto type = cmark_node_get_type(node);
        if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
            const char* url = cmark_node_get_url(node);
            if (!is_safe_url(url != nullptr ? url : "", type)) {
                unsafe.push_back(node);
            }
        } else if (type == CMARK_NODE_HEADING) {
            // The page has its own <h1>: the text's headings sit one level below it.
            cmark_node_set_heading_level(node, std::min(cmark_node_get_heading_level(node) + 1, 6));
            headings.push_back(plain_text(node));
        }
    }
    cmark_iter_free(iter);
    // Innermost first (the iterator entered them outermost first), so no freed node is touched.
    std::reverse(unsafe.begin(), unsafe.end());
    for (cmark_node* node : unsafe) {
        unwrap(node);
    }
    return headings;
}

// "Our objectives" → "our-objectives"; letters (any script) and digits kept, lower-cased; other
// characters dropped; white space, "-" and "_" become one "-".
std::string slug(std::string_view text) {
    std::string out;
    bool pending_hyphen = false;
    std::int32_t offset = 0;
    const auto length = static_cast<std::int32_t>(text.size());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    while (offset < length) {
        UChar32 code_point = 0;
        U8_NEXT(bytes, offset, length, code_point);
        if (code_point < 0) {
            continue;
        }
        const auto category = U_GET_GC_MASK(code_point);
        if (u_isalnum(code_point) || (category & (U_GC_MN_MASK | U_GC_MC_MASK)) != 0) {
            if (pending_hyphen && !out.empty()) {
                out += '-';
            }
            pending_hyphen = false;
            char buffer[U8_MAX_LENGTH];
            std::int32_t written = 0;
            UBool error = false;
            U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), written, U8_MAX_LENGTH,
                      u_tolower(code_point), error);
            if (!error) {
                out.append(buffer, static_cast<std::size_t>(written));
            }
        } else if (u_isUWhiteSpace(code_point) || code_point == '-' || code_point == '_') {
            pending_hyphen = true;
        }
    }
    return out.empty() ? std::string("section") : out;
}

// Gives the rendered "<hN>" tags their ids, in document order. Safe to do on the HTML because
// raw HTML is omitted and every "<" of text is escaped: each "<hN>" in the output is a heading.
std::string add_heading_ids(const std::string& html, const std::vector<std::string>& headings) {
    std::map<std::string, int> seen;
    std::string out;
    out.reserve(html.size() + headings.size() * 24);
    std::size_t heading_idx = 0;
    std::size_t position = 0;
    while (true) {
        const std::size_t found = html.find("<h", position);
        if (found == std::string::npos || found + 3 >= html.size()) {
            break;
        }
        const char level = html[found + 2];
        if (level < '1' || level > '6' || html[found + 3] != '>' ||
            heading_idx >= headings.size()) {
            out.append(html, position, found + 2 - position);
            position = found + 2;
            continue;
        }
        std::string id = "h-" + slug(headings[heading_idx++]);
        const int count = ++seen[id];
        if (count > 1) {
            id += "-" + std::to_string(count);
        }
        out.append(html, position, found + 3 - position);
        out += " id=\"" + id + "\">";  // Letters, digits and "-" only: nothing to escape.
        position = found + 4;
    }
    out.append(html, position, std::string::npos);
    return out;
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
    auto parser = make_parser(Extensions::Gfm);
    auto document = parse(parser.get(), markdown);
    const auto headings = sanitise(document.get());
    char* rendered = cmark_render_html(document.get(), kOptions,
                                       cmark_parser_get_syntax_extensions(parser.get()));
    std::string html(rendered);
    cmark_get_default_mem_allocator()->free(rendered);
    return add_heading_ids(html, headings);
}

std::string first_heading(std::string_view markdown) {
    auto parser = make_parser(Extensions::None);
    auto document = parse(parser.get(), markdown);
    cmark_iter* iter = cmark_iter_new(document.get());
    std::string title;
    for (auto event = cmark_iter_next(iter); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter)) {
        cmark_node* node = cmark_iter_get_node(iter);
        if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            title = collapse_white_space(plain_text(node));
            break;
        }
    }
    cmark_iter_free(iter);
    return title;
}

}  // namespace coalition::statement
