#pragma once
// core::Domain: an internet domain name, valid by construction, IDN-aware (Universal Acceptance).
// Kept as its U-label form for people and its A-label form for protocols; two domains are equal
// when their UTS #46 (nontransitional) ASCII forms are equal, so "Bücher.example",
// "bücher.example" and "xn--bcher-kva.example" are one domain.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace coalition::core {

class Domain {
public:
    // Accepts U-labels or A-labels, any case, an optional trailing dot. Fails with a field-less
    // Invalid error for empty input, a single label, a label over 63 octets, a name over 253
    // octets, or anything UTS #46 rejects.
    static Result<Domain> parse(std::string_view input);

    const std::string& unicode() const { return unicode_; }  // "bücher.example"
    const std::string& ascii() const { return ascii_; }      // "xn--bcher-kva.example"
    bool operator==(const Domain& other) const { return ascii_ == other.ascii_; }

    // True when this domain is `other` or a subdomain of it.
    bool is_within(const Domain& other) const;

private:
    Domain(std::string unicode, std::string ascii)
        : unicode_(std::move(unicode)), ascii_(std::move(ascii)) {}
    std::string unicode_;
    std::string ascii_;
};

}  // namespace coalition::core
