#include "web/multipart.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>

namespace coalition::web {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim_ows(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// The value of parameter `name` in a header value (`form-data; name="x"; filename="a.txt"`),
// quotes removed and backslash escapes undone; nullopt when absent.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
    constexpr auto kNpos = std::string_view::npos;
    std::size_t at = header.find(';');
    while (at != kNpos && at < header.size()) {
        ++at;
        const std::size_t equals = header.find('=', at);
        if (equals == kNpos) {
            return std::nullopt;
        }
        const std::string key = lower(trim_ows(header.substr(at, equals - at)));
        at = equals + 1;
        std::string value;
        if (at < header.size() && header[at] == '"') {
            for (++at; at < header.size() && header[at] != '"'; ++at) {
                if (header[at] == '\\' && at + 1 < header.size()) {
                    ++at;
                }
                value += header[at];
            }
            at = header.find(';', at);
        } else {
            const std::size_t end = header.find(';', at);
            value = std::string(trim_ows(header.substr(at, end == kNpos ? kNpos : end - at)));
            at = end;
        }
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

core::Error malformed() {
    return core::Error::invalid("The uploaded form is malformed.");
}

}  // namespace

bool is_multipart(const Request& request) {
    return lower(trim_ows(request.headers.value("Content-Type")
                              .substr(0, request.headers.value("Content-Type").find(';')))) ==
           "multipart/form-data";
}

core::Result<MultipartForm> parse_multipart(const Request& request) {
    const auto boundary = parameter(request.headers.value("Content-Type"), "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 200) {
        return malformed();
    }
    const std::string delimiter = "--" + *boundary;
    const std::string_view body = request.body;
    std::size_t position = body.find(delimiter);
    if (position == std::string_view::npos) {
        return malformed();
    }
    MultipartForm form;
    std::vector<std::pair<std::string, std::string>> fields;
    while (true) {
        position += delimiter.size();
        if (body.substr(position, 2) == "--") {
            break;  // The close delimiter.
        }
        if (body.substr(position, 2) != "\r\n") {
            return malformed();
        }
        position += 2;
        const std::size_t headers_end = body.find("\r\n\r\n", position);
        if (headers_end == std::string_view::npos) {
            return malformed();
        }
        std::string name;
        std::optional<std::string> filename;
        std::string content_type;
        for (std::size_t line_start = position; line_start < headers_end;) {
            std::size_t line_end = body.find("\r\n", line_start);
            if (line_end == std::string_view::npos || line_end > headers_end) {
                line_end = headers_end;
            }
            const std::string_view line = body.substr(line_start, line_end - line_start);
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos) {
                const std::string header = lower(trim_ows(line.substr(0, colon)));
                const std::string_view value = trim_ows(line.substr(colon + 1));
                if (header == "content-disposition") {
                    name = parameter(value, "name").value_or("");
                    filename = parameter(value, "filename");
                } else if (header == "content-type") {
                    content_type = std::string(value);
                }
            }
            line_start = line_end + 2;
        }
        const std::size_t content_start = headers_end + 4;
        const std::size_t next = body.find("\r\n" + delimiter, content_start);
        if (next == std::string_view::npos) {
            return malformed();
        }
        std::string content(body.substr(content_start, next - content_start));
        if (filename) {
            if (form.files.size() >= kMaxFiles) {
                return core::Error{core::ErrorCode::TooLarge, "The form has too many files.", ""};
            }
            form.files.push_back(UploadedFile{.field = name,
                                              .filename = *filename,
                                              .content_type = content_type,
                                              .bytes = std::move(content)});
        } else {
            if (!core::is_valid_utf8(name) || !core::is_valid_utf8(content) ||
                name.find('\0') != std::string::npos || content.find('\0') != std::string::npos) {
                return core::Error::invalid("The form holds text that is not valid UTF-8.", name);
            }
            fields.emplace_back(std::move(name), std::move(content));
            if (fields.size() > Form::kMaxFields) {
                return core::Error{core::ErrorCode::TooLarge, "The form has too many fields.", ""};
            }
        }
        position = next + 2;
    }
    form.fields = Form(std::move(fields));
    return form;
}

core::Result<MultipartForm> parse_any_form(const Request& request) {
    if (is_multipart(request)) {
        return parse_multipart(request);
    }
    const auto& parsed = request.form();
    if (!parsed) {
        return parsed.error();
    }
    return MultipartForm{.fields = *parsed, .files = {}};
}

bool is_one_click_unsubscribe(const Request& request) {
    if (request.method != Method::Post) {
        return false;
    }
    const auto form = parse_any_form(request);
    return form && form->fields.get("List-Unsubscribe") == "One-Click";
}

}  // namespace coalition::web
