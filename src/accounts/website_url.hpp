#pragma once
// accounts::WebsiteUrl: an organisation's web site, an absolute http or https URL whose host is
// a domain name (IDN allowed). Valid by construction, so it is safe to put in an href once
// HTML-escaped: no other scheme ("javascript:") can get in.

#include "core/domain.hpp"
#include "core/result.hpp"

#include <string>
#include <string_view>

namespace coalition::accounts {

class WebsiteUrl {
public:
    static constexpr std::size_t kMaxLength = 2000;

    // Accepts "http://host[:port][/path][?query][#fragment]" and https, white space around it
    // trimmed, scheme in any case. The host must be a domain (core::Domain; no IP literals, no
    // user name). The rest may hold UTF-8 but no white space, control characters or <>"\`{}|^.
    // Fails with Invalid (field "website") otherwise.
    static core::Result<WebsiteUrl> parse(std::string_view input);

    // "https://bücher.example/about": lower-case scheme, the host as its U-label, the rest as
    // typed.
    const std::string& value() const { return value_; }
    const core::Domain& host() const { return host_; }

    bool operator==(const WebsiteUrl& other) const { return value_ == other.value_; }

private:
    WebsiteUrl(std::string value, core::Domain host)
        : value_(std::move(value)), host_(std::move(host)) {}
    std::string value_;
    core::Domain host_;
};

}  // namespace coalition::accounts
