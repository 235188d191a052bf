// Fuzzes the application/x-www-form-urlencoded parser (web::parse_form) and the percent-encoding
// helpers with arbitrary bytes. Invariants: never crashes; an accepted form has at most
// Form::kMaxFields fields and every name and value is valid UTF-8 without NUL; encoding the fields
// again and parsing that gives the same fields; percent_encode output is plain ASCII that
// percent_decode turns back into its input.

#include "fuzz_support.hpp"
#include "web/forms.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::fuzz::is_well_formed_utf8;
using coalition::web::Form;
using coalition::web::parse_form;
using coalition::web::percent_decode;
using coalition::web::percent_encode;
using coalition::web::PlusIsSpace;

bool is_clean(std::string_view text) {
    return is_well_formed_utf8(text) && text.find('\0') == std::string_view::npos;
}

bool is_encoded(std::string_view text) {
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~' || c == '%';
        if (!unreserved) {
            return false;
        }
    }
    return true;
}

void check_round_trip(std::string_view input, const std::string& decoded) {
    const std::string encoded = percent_encode(decoded);
    COALITION_FUZZ_CHECK(is_encoded(encoded), "percent_encode left a reserved character", input);
    auto back = percent_decode(encoded);
    COALITION_FUZZ_CHECK(back.has_value(), "percent_decode refused percent_encode's output", input);
    COALITION_FUZZ_CHECK(*back == decoded, "percent_decode(percent_encode(x)) != x", input);
}

void check_form(std::string_view input) {
    auto form = parse_form(input);
    if (!form) {
        COALITION_FUZZ_CHECK(!form.error().message.empty(), "parse_form failed without a message",
                             input);
        return;
    }
    COALITION_FUZZ_CHECK(form->size() <= Form::kMaxFields, "more fields than Form::kMaxFields",
                         input);
    std::string encoded;
    for (const auto& [name, value] : form->fields()) {
        COALITION_FUZZ_CHECK(is_clean(name), "a field name is not clean UTF-8", input);
        COALITION_FUZZ_CHECK(is_clean(value), "a field value is not clean UTF-8", input);
        if (!encoded.empty()) {
            encoded += '&';
        }
        encoded += percent_encode(name) + "=" + percent_encode(value);
    }
    if (!form->empty()) {
        const auto& [first_name, first_value] = form->fields().front();
        auto found = form->get(first_name);
        COALITION_FUZZ_CHECK(found.has_value() && *found == first_value,
                             "get() misses the first field", input);
    }
    auto again = parse_form(encoded);
    COALITION_FUZZ_CHECK(again.has_value(), "re-encoded fields do not parse", input);
    COALITION_FUZZ_CHECK(again->fields() == form->fields(), "re-encoded fields parse differently",
                         input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_form(input);
    for (auto plus : {PlusIsSpace::No, PlusIsSpace::Yes}) {
        auto decoded = percent_decode(input, plus);
        if (decoded) {
            COALITION_FUZZ_CHECK(is_clean(*decoded), "percent_decode produced unclean text", input);
            check_round_trip(input, *decoded);
        }
    }
    return 0;
}
