#pragma once
// accounts::Slug: the short ASCII name of an organisation in URLs ("internetnz"). Valid by
// construction: 1–64 characters of [a-z0-9], single hyphens between them.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace coalition::accounts {

class Slug {
public:
    static constexpr std::size_t kMaxLength = 64;

    // Accepts a slug exactly as it will be stored (no case folding, no trimming). Fails with
    // Invalid (field "slug") otherwise.
    static core::Result<Slug> parse(std::string_view input);

    // A slug made from any valid UTF-8 text: transliterated to Latin and ASCII by ICU
    // ("Bücher Straße" → "bucher-strasse", "中国" → "zhong-guo"), lower-cased, every run of other
    // characters made one hyphen, cut at kMaxLength on a word boundary when it can be.
    // "organisation" when nothing usable is left. `text` must be valid UTF-8.
    static Slug derive(std::string_view text);

    // This slug with "-<number>" appended, shortened first if needed to stay within kMaxLength:
    // how a derived slug is made unique.
    Slug with_suffix(int number) const;

    const std::string& value() const { return value_; }
    bool operator==(const Slug& other) const = default;

private:
    explicit Slug(std::string value) : value_(std::move(value)) {}
    std::string value_;
};

}  // namespace coalition::accounts
