#include "store/array_literal.hpp"

#include <utility>

namespace coalition::store {

void ArrayLiteral::separate() {
    if (elements_++ > 0) {
        text_ += ',';
    }
}

ArrayLiteral& ArrayLiteral::add(std::string_view text) {
    separate();
    text_.reserve(text_.size() + text.size() + 2);
    text_ += '"';
    // Inside double quotes only the backslash and the quote itself need escaping (PostgreSQL
    // "Array Value Input"); braces, commas and white space are kept as they are.
    while (!text.empty()) {
        const std::size_t special = text.find_first_of("\"\\");
        text_.append(text.substr(0, special));
        if (special == std::string_view::npos) {
            break;
        }
        text_ += '\\';
        text_ += text[special];
        text.remove_prefix(special + 1);
    }
    text_ += '"';
    return *this;
}

ArrayLiteral& ArrayLiteral::add(std::int64_t number) {
    separate();
    text_ += std::to_string(number);
    return *this;
}

ArrayLiteral& ArrayLiteral::add_null() {
    separate();
    text_ += "NULL";
    return *this;
}

std::string ArrayLiteral::take() {
    std::string out = std::move(text_);
    out += '}';
    text_ = "{";
    elements_ = 0;
    return out;
}

}  // namespace coalition::store
