#include "web/forms.hpp"

#include "core/text.hpp"

namespace coalition::web {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Decodes into `out`; returns a reason on failure.
const char* decode_into(std::string_view text, PlusIsSpace plus, std::string& out) {
    out.clear();
    out.reserve(text.size());
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        char c = text[idx];
        if (c == '%') {
            if (idx + 2 >= text.size()) {
                return "has an incomplete %-escape";
            }
            int high = hex_value(text[idx + 1]);
            int low = hex_value(text[idx + 2]);
            if (high < 0 || low < 0) {
                return "has an invalid %-escape";
            }
            out.push_back(static_cast<char>(high * 16 + low));
            idx += 2;
        } else if (c == '+' && plus == PlusIsSpace::Yes) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    if (out.find('\0') != std::string::npos) {
        return "contains a NUL byte";
    }
    if (!core::is_valid_utf8(out)) {
        return "is not valid UTF-8";
    }
    return nullptr;
}

}  // namespace

std::optional<std::string_view> Form::get(std::string_view name) const {
    for (const auto& [field_name, field_value] : fields_) {
        if (field_name == name) {
            return std::string_view(field_value);
        }
    }
    return std::nullopt;
}

std::string Form::value(std::string_view name) const {
    auto found = get(name);
    return found ? std::string(*found) : std::string();
}

std::vector<std::string_view> Form::all(std::string_view name) const {
    std::vector<std::string_view> values;
    for (const auto& [field_name, field_value] : fields_) {
        if (field_name == name) {
            values.emplace_back(field_value);
        }
    }
    return values;
}

core::Result<std::string> percent_decode(std::string_view text, PlusIsSpace plus) {
    std::string out;
    if (const char* reason = decode_into(text, plus, out)) {
        return core::Error::invalid(std::string("The text ") + reason + ".");
    }
    return out;
}

core::Result<Form> parse_form(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> fields;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('&', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view pair = text.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) {
            continue;
        }
        if (fields.size() == Form::kMaxFields) {
            return core::Error{core::ErrorCode::TooLarge, "The form has too many fields.", {}};
        }
        std::size_t equals = pair.find('=');
        std::string_view raw_name = pair.substr(0, equals);
        std::string_view raw_value =
            equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
        std::string name;
        if (const char* reason = decode_into(raw_name, PlusIsSpace::Yes, name)) {
            return core::Error::invalid(std::string("A field name ") + reason + ".");
        }
        std::string value;
        if (const char* reason = decode_into(raw_value, PlusIsSpace::Yes, value)) {
            return core::Error::invalid(std::string("This field ") + reason + ".", name);
        }
        fields.emplace_back(std::move(name), std::move(value));
    }
    return Form(std::move(fields));
}

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                          (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                          byte == '_' || byte == '~';
        if (unreserved) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0F]);
        }
    }
    return out;
}

}  // namespace coalition::web
