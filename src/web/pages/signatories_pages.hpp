#pragma once
// The public signatory list of the Statement of Purpose and its exports: /statement/signatories
// (filters, search, sorting and pages through a plain GET form; totals; inline SVG charts by
// region, by stakeholder group and over time), /statement/signatories.csv (the same filters, every
// matching row) and the embeddable /statement/badge.svg. GET /api/v1/signatures
// (api/signatories_api.cpp) shares the query parsing. Only what signon::PublicSignatory holds is
// ever shown: hidden individuals are counted, never named, and no e-mail address leaves here.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "signon/signon.hpp"
#include "statement/statement.hpp"
#include "web/http.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

// The campaign the Statement of Purpose is signed under (signon::Campaign::key).
inline constexpr std::string_view kStatementCampaign = "statement";

// One page of the public list holds this many rows.
inline constexpr std::int64_t kSignatoriesPageSize = 50;

// The list's query string: ?kind=&group=&region=&country=&level=&version=&q=&sort=&page=.
struct SignatoryQuery {
    // The values as given (trimmed), for showing the form again; "" when absent.
    std::string kind;
    std::string group;
    std::string region;
    std::string country;  // Upper-cased ISO code once valid.
    std::string level;
    std::string version;
    std::string search;
    std::string sort;
    std::int64_t page = 1;
    // The valid filters (offset and limit for the HTML page; exports page through themselves).
    signon::SignatoryFilter filter;
    // One Invalid error per value not understood, with field "kind", "group", "region",
    // "country", "level", "version", "q" or "sort" (English messages, translated at the edge;
    // hostile text is never echoed in them). Empty when every value is valid. A page number that
    // is not one gives page 1.
    std::vector<core::Error> errors;

    bool is_filtered() const;
    // The filters (and sort) as a query string without page, offset or limit: "kind=individual&q=
    // %C3%A9" ("" when none), for links to other pages and to the exports.
    std::string query_string() const;
};

// Reads the query from `request`. Never fails: bad values become errors in the result.
SignatoryQuery parse_signatory_query(const Request& request);

// Shown texts for a verification level and a kind ("DNSSEC", "Organisation"): English msgids.
std::string_view verification_msgid(signon::Verification level);
std::string_view kind_msgid(signon::SignatoryKind kind);

// A CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF (quotes doubled), and
// prefixed with an apostrophe when it starts with = + - @ tab or CR, so that a spreadsheet
// never runs it as a formula (OWASP "CSV injection").
std::string csv_cell(std::string_view text);

// A published version as the list names it: "Version 2" and its hash.
struct VersionLabel {
    std::int64_t number = 0;
    std::string hash;
};

class SignatoriesPages {
public:
    explicit SignatoriesPages(Site& site);
    ~SignatoriesPages();
    Response list(Request& request) const;   // GET /statement/signatories
    Response csv(Request& request) const;    // GET /statement/signatories.csv
    Response badge(Request& request) const;  // GET /statement/badge.svg

    // The published versions, newest first, read at most every few seconds.
    std::shared_ptr<const std::vector<VersionLabel>> versions() const;

private:
    // The campaign's totals, counted at most every few seconds.
    signon::Totals totals() const;
    // The list page's template data for `query` (valid or not).
    mstch::map list_data(Request& request, const SignatoryQuery& query) const;

    struct Cache;  // Versions, totals, breakdown and charts, a few seconds old at most.
    Site& site_;
    TemplateRef list_;
    TemplateRef prerendered_;
    core::SystemClock clock_;
    std::unique_ptr<Cache> cache_;
};

}  // namespace coalition::web
