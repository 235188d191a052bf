#include "core/html.hpp"

namespace coalition::core {

void append_escaped_html(std::string& out, std::string_view text) {
    std::size_t start = 0;
    for (std::size_t index = 0; index < text.size(); ++index) {
        std::string_view entity;
        switch (text[index]) {
            case '&':
                entity = "&amp;";
                break;
            case '<':
                entity = "&lt;";
                break;
            case '>':
                entity = "&gt;";
                break;
            case '"':
                entity = "&quot;";
                break;
            case '\'':
                entity = "&#39;";
                break;
            default:
                continue;
        }
        out.append(text.substr(start, index - start));
        out.append(entity);
        start = index + 1;
    }
    out.append(text.substr(start));
}

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    append_escaped_html(out, text);
    return out;
}

}  // namespace coalition::core
