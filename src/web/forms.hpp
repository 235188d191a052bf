#pragma once
// application/x-www-form-urlencoded (WHATWG URL §5) for request bodies and query strings, and the
// percent-encoding helpers the router and redirects use. Every decoded name and value is valid
// UTF-8 without NUL bytes, so nothing later has to check that again.

#include "core/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::web {

// The decoded fields of one form or query string, in order. Repeated names are kept.
class Form {
public:
    static constexpr std::size_t kMaxFields = 1000;

    Form() = default;
    explicit Form(std::vector<std::pair<std::string, std::string>> fields)
        : fields_(std::move(fields)) {}

    // The first value called `name`, or nullopt. The view lives as long as this Form.
    std::optional<std::string_view> get(std::string_view name) const;
    // The first value called `name`, or "" when absent.
    std::string value(std::string_view name) const;
    // Every value called `name`, in order (checkbox groups, multi-selects).
    std::vector<std::string_view> all(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }

    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
    std::size_t size() const { return fields_.size(); }
    bool empty() const { return fields_.empty(); }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

// Parses `text` ("a=1&b=x+y%21"). `+` is a space; empty pairs are skipped; a name without `=` has
// an empty value. Fails with Invalid (field = the offending name when it could be decoded) on a
// bad %-escape, invalid UTF-8 or a NUL byte, and with TooLarge past Form::kMaxFields fields.
core::Result<Form> parse_form(std::string_view text);

enum class PlusIsSpace { No, Yes };

// Decodes %XX escapes (and `+` when asked). Fails with Invalid on a truncated or non-hex escape,
// on invalid UTF-8 and on NUL bytes in the result.
core::Result<std::string> percent_decode(std::string_view text, PlusIsSpace plus = PlusIsSpace::No);

// Encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so the result
// is safe in a path segment, a query value and a form field.
std::string percent_encode(std::string_view text);

}  // namespace coalition::web
