// Fuzzes the multipart/form-data parser (web::parse_multipart): the input's first line is the
// Content-Type header value, the rest the body. Invariants: never crashes; failures are Invalid
// or TooLarge with a message; an accepted form has at most Form::kMaxFields text fields and
// kMaxFiles files, every text name and value valid UTF-8 without NUL; writing the parsed parts
// again with the same boundary and parsing that gives the same fields and files (when no part
// holds what would break the writing: the delimiter, CR/LF or quotes in a name).

#include "fuzz_support.hpp"
#include "web/multipart.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::fuzz::is_well_formed_utf8;
using coalition::web::Form;
using coalition::web::kMaxFiles;
using coalition::web::MultipartForm;
using coalition::web::parse_multipart;
using coalition::web::Request;

constexpr std::string_view kBoundary = "fuzz-boundary-7Qx";

bool is_clean(std::string_view text) {
    return is_well_formed_utf8(text) && text.find('\0') == std::string_view::npos;
}

// A header parameter value we can write back quoted without escapes.
bool is_writable_parameter(std::string_view text) {
    return text.find_first_of("\"\\\r\n;") == std::string_view::npos;
}

bool is_writable_content(std::string_view text) {
    return text.find(std::string("\r\n--") + std::string(kBoundary)) == std::string_view::npos &&
           text.find(std::string("--") + std::string(kBoundary)) == std::string_view::npos;
}

void append_part(std::string& body, std::string_view name, const std::string* filename,
                 std::string_view content) {
    body += "--";
    body += kBoundary;
    body += "\r\nContent-Disposition: form-data; name=\"";
    body += name;
    body += '"';
    if (filename != nullptr) {
        body += "; filename=\"" + *filename + '"';
    }
    body += "\r\n\r\n";
    body += content;
    body += "\r\n";
}

void check_round_trip(std::string_view input, const MultipartForm& form) {
    std::string body;
    for (const auto& [name, value] : form.fields.fields()) {
        if (!is_writable_parameter(name) || !is_writable_content(value)) {
            return;
        }
        append_part(body, name, nullptr, value);
    }
    for (const auto& file : form.files) {
        if (!is_writable_parameter(file.field) || !is_writable_parameter(file.filename) ||
            !is_writable_content(file.bytes)) {
            return;
        }
        append_part(body, file.field, &file.filename, file.bytes);
    }
    body += "--";
    body += kBoundary;
    body += "--\r\n";
    Request request;
    request.headers.add("Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary));
    request.body = body;
    auto again = parse_multipart(request);
    COALITION_FUZZ_CHECK(again.has_value(), "the parts written again do not parse", input);
    COALITION_FUZZ_CHECK(again->fields.fields() == form.fields.fields(),
                         "the fields written again parse differently", input);
    COALITION_FUZZ_CHECK(again->files.size() == form.files.size(),
                         "the files written again parse differently", input);
    for (std::size_t index = 0; index < form.files.size(); ++index) {
        COALITION_FUZZ_CHECK(again->files[index].bytes == form.files[index].bytes &&
                                 again->files[index].field == form.files[index].field &&
                                 again->files[index].filename == form.files[index].filename,
                             "a file written again parses differently", input);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t line_end = input.find('\n');
    Request request;
    request.headers.add("Content-Type", std::string(input.substr(0, line_end)));
    request.body = line_end == std::string_view::npos ? "" : input.substr(line_end + 1);
    auto form = parse_multipart(request);
    if (!form) {
        COALITION_FUZZ_CHECK(!form.error().message.empty(), "a failure without a message", input);
        COALITION_FUZZ_CHECK(form.error().code == coalition::core::ErrorCode::Invalid ||
                                 form.error().code == coalition::core::ErrorCode::TooLarge,
                             "a failure neither Invalid nor TooLarge", input);
        return 0;
    }
    COALITION_FUZZ_CHECK(form->fields.size() <= Form::kMaxFields, "too many fields", input);
    COALITION_FUZZ_CHECK(form->files.size() <= kMaxFiles, "too many files", input);
    for (const auto& [name, value] : form->fields.fields()) {
        COALITION_FUZZ_CHECK(is_clean(name) && is_clean(value), "a text field is not clean UTF-8",
                             input);
    }
    check_round_trip(input, *form);
    return 0;
}
