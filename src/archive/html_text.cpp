#include "archive/html_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace coalition::archive {
namespace {

constexpr std::size_t kMaxEntityLength = 12;

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool starts_with_ci(std::string_view text, std::size_t at, std::string_view prefix) {
    if (text.size() - at < prefix.size()) {
        return false;
    }
    for (std::size_t char_idx = 0; char_idx < prefix.size(); ++char_idx) {
        if (lower(text[at + char_idx]) != prefix[char_idx]) {
            return false;
        }
    }
    return true;
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code == 0 || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        code = 0xFFFD;
    }
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

constexpr std::array<std::pair<std::string_view, std::uint32_t>, 24> kEntities{{
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},     {"copy", 0xA9},     {"reg", 0xAE},     {"trade", 0x2122}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},   {"euro", 0x20AC},  {"bull", 0x2022},
    {"middot", 0xB7},  {"eacute", 0xE9},   {"egrave", 0xE8},  {"agrave", 0xE0},
}};

// Decodes the character reference at html[at] == '&'; returns the bytes consumed (0: not one).
std::size_t decode_entity(std::string_view html, std::size_t at, std::string& out) {
    const auto semicolon = html.find(';', at + 1);
    if (semicolon == std::string_view::npos || semicolon - at > kMaxEntityLength) {
        return 0;
    }
    const std::string_view name = html.substr(at + 1, semicolon - at - 1);
    if (name.size() >= 2 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        const std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty()) {
            return 0;
        }
        std::uint32_t code = 0;
        for (const char c : digits) {
            std::uint32_t digit = 0;
            if (c >= '0' && c <= '9') {
                digit = static_cast<std::uint32_t>(c - '0');
            } else if (hex && lower(c) >= 'a' && lower(c) <= 'f') {
                digit = static_cast<std::uint32_t>(lower(c) - 'a' + 10);
            } else {
                return 0;
            }
            code = std::min<std::uint32_t>(code * (hex ? 16 : 10) + digit, 0x110000);
        }
        append_utf8(out, code);
        return semicolon - at + 1;
    }
    for (const auto& [entity, code] : kEntities) {
        if (name == entity) {
            append_utf8(out, code);
            return semicolon - at + 1;
        }
    }
    return 0;
}

bool is_block(std::string_view tag) {
    static constexpr std::string_view kBlocks[] = {
        "p",       "div",     "br",      "li",     "tr",     "h1",         "h2",   "h3",
        "h4",      "h5",      "h6",      "ul",     "ol",     "table",      "pre",  "blockquote",
        "hr",      "section", "article", "header", "footer", "dd",         "dt",   "dl",
        "address", "nav",     "aside",   "figure", "main",   "figcaption", "form", "fieldset"};
    return std::find(std::begin(kBlocks), std::end(kBlocks), tag) != std::end(kBlocks);
}

bool drops_content(std::string_view tag) {
    return tag == "script" || tag == "style" || tag == "title" || tag == "template" ||
           tag == "head";
}

// The end of the tag that opens at html[at] == '<': the '>' outside quoted attribute values.
std::size_t tag_end(std::string_view html, std::size_t at) {
    char quote = 0;
    for (std::size_t position = at + 1; position < html.size(); ++position) {
        const char c = html[position];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return position;
        }
    }
    return html.size();
}

class Writer {
public:
    void text(char c, bool preformatted) {
        if (!preformatted && is_space(c)) {
            pending_space_ = !out_.empty() && out_.back() != '\n';
            return;
        }
        flush_space();
        out_ += c;
    }
    void bytes(const std::string& decoded) {
        flush_space();
        out_ += decoded;
    }
    void line_break() {
        pending_space_ = false;
        while (!out_.empty() && out_.back() == ' ') {
            out_.pop_back();
        }
        // Adjacent block elements make one line break, as a browser shows them.
        if (out_.empty() || out_.back() == '\n') {
            return;
        }
        out_ += '\n';
    }
    std::string finish() {
        while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) {
            out_.pop_back();
        }
        return std::move(out_);
    }

private:
    void flush_space() {
        if (pending_space_) {
            out_ += ' ';
            pending_space_ = false;
        }
    }
    std::string out_;
    bool pending_space_ = false;
};

}  // namespace

std::string html_to_text(std::string_view html) {
    Writer writer;
    int preformatted = 0;
    std::size_t position = 0;
    while (position < html.size()) {
        const char c = html[position];
        if (c == '&') {
            std::string decoded;
            if (const auto used = decode_entity(html, position, decoded); used > 0) {
                writer.bytes(decoded);
                position += used;
                continue;
            }
            writer.text(c, preformatted > 0);
            ++position;
            continue;
        }
        if (c != '<') {
            writer.text(c, preformatted > 0);
            ++position;
            continue;
        }
        if (html.compare(position, 4, "<!--") == 0) {
            const auto end = html.find("-->", position + 4);
            position = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        std::size_t name_start = position + 1;
        const bool closing = name_start < html.size() && html[name_start] == '/';
        if (closing) {
            ++name_start;
        }
        std::size_t name_end = name_start;
        while (name_end < html.size() &&
               ((lower(html[name_end]) >= 'a' && lower(html[name_end]) <= 'z') ||
                (html[name_end] >= '0' && html[name_end] <= '9'))) {
            ++name_end;
        }
        if (name_end == name_start &&
            !(name_start < html.size() && (html[name_start] == '!' || html[name_start] == '?'))) {
            // "a < b": not a tag.
            writer.text(c, preformatted > 0);
            ++position;
            continue;
        }
        std::string tag;
        for (std::size_t char_idx = name_start; char_idx < name_end; ++char_idx) {
            tag += lower(html[char_idx]);
        }
        position = tag_end(html, position) + 1;
        if (!closing && drops_content(tag)) {
            // Skip to the matching end tag, whatever is inside (a script may hold "<p>").
            const std::string end_tag = "</" + tag;
            std::size_t search = position;
            while (search < html.size() && !starts_with_ci(html, search, end_tag)) {
                search = html.find('<', search + 1);
                if (search == std::string_view::npos) {
                    search = html.size();
                }
            }
            position = search < html.size() ? tag_end(html, search) + 1 : html.size();
            continue;
        }
        if (tag == "pre") {
            preformatted = std::max(0, preformatted + (closing ? -1 : 1));
        }
        if (is_block(tag)) {
            writer.line_break();
        } else if (tag == "td" || tag == "th") {
            writer.text(' ', false);
        }
    }
    return writer.finish();
}

}  // namespace coalition::archive
