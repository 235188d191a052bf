// The public members directory: /members (grouped by ICANN region, filtered by a GET form that
// works without JavaScript) and /members/:slug (one organisation and its representatives).

#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/pages/directory_query.hpp"
#include "web/pages/pages.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

std::string status_label(const Site& site, const Request& request,
                         accounts::OrganisationStatus status) {
    return translate(site, request, accounts::label(status));
}

// The description as paragraphs (blank lines between them) of lines, for the template to join
// with <br>: the text is escaped by the template, never turned into markup here.
mstch::array description_paragraphs(std::string_view description) {
    std::string normalised;
    normalised.reserve(description.size());
    for (std::size_t index = 0; index < description.size(); ++index) {
        if (description[index] == '\r') {
            normalised += '\n';
            if (index + 1 < description.size() && description[index + 1] == '\n') {
                ++index;
            }
        } else {
            normalised += description[index];
        }
    }
    mstch::array paragraphs;
    std::vector<std::string> lines;
    auto flush = [&] {
        if (lines.empty()) {
            return;
        }
        mstch::array line_nodes;
        for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
            line_nodes.push_back(
                mstch::map{{"line", lines[line_idx]}, {"is_last", line_idx + 1 == lines.size()}});
        }
        paragraphs.push_back(mstch::map{{"lines", std::move(line_nodes)}});
        lines.clear();
    };
    std::size_t start = 0;
    while (start <= normalised.size()) {
        const auto end = std::min(normalised.find('\n', start), normalised.size());
        std::string line = normalised.substr(start, end - start);
        if (line.find_first_not_of(" \t") == std::string::npos) {
            flush();
        } else {
            lines.push_back(std::move(line));
        }
        start = end + 1;
    }
    flush();
    return paragraphs;
}

// One organisation as a row of the directory.
mstch::map directory_row(const Site& site, const Request& request,
                         const accounts::Organisation& organisation) {
    return mstch::map{
        {"slug", organisation.slug.value()},
        {"name", organisation.name},
        {"short_name", organisation.short_name},
        {"country", organisation.country.name(language_of(request))},
        {"group", translate(site, request, accounts::label(organisation.stakeholder_group))},
        {"status", status_label(site, request, organisation.status)},
        {"status_id", text(accounts::id(organisation.status))},
        {"is_candidate", organisation.status == accounts::OrganisationStatus::Candidate},
    };
}

}  // namespace

DirectoryQuery parse_directory_query(const Request& request) {
    DirectoryQuery query;
    query.region = std::string(request.query_value("region").value_or(""));
    query.group = std::string(request.query_value("group").value_or(""));
    query.status = std::string(request.query_value("status").value_or(""));
    if (!query.region.empty()) {
        query.filter.region = accounts::parse_region(query.region);
        if (!query.filter.region) {
            query.errors.push_back(core::Error::invalid(
                text(i18n::gettext_noop("Choose a region from the list.")), "region"));
        }
    }
    if (!query.group.empty()) {
        query.filter.stakeholder_group = accounts::parse_stakeholder_group(query.group);
        if (!query.filter.stakeholder_group) {
            query.errors.push_back(core::Error::invalid(
                text(i18n::gettext_noop("Choose a stakeholder group from the list.")), "group"));
        }
    }
    if (!query.status.empty()) {
        query.filter.status = accounts::parse_organisation_status(query.status);
        if (!query.filter.status) {
            query.errors.push_back(core::Error::invalid(
                text(i18n::gettext_noop("Choose a status from the list.")), "status"));
        }
    }
    return query;
}

DirectoryListing directory_organisations(const Site& site, const DirectoryQuery& query,
                                         std::string_view language) {
    return directory_organisations(site.organisations.directory(), query, language);
}

DirectoryListing directory_organisations(
    std::shared_ptr<const accounts::OrganisationDirectory> directory, const DirectoryQuery& query,
    std::string_view language) {
    DirectoryListing listing;
    for (const accounts::Organisation* organisation : directory->list(query.filter, language)) {
        // Former members leave the directory unless asked for by name (status=former).
        if (query.filter.status || organisation->status != accounts::OrganisationStatus::Former) {
            listing.organisations.emplace_back(*organisation);
        }
    }
    std::stable_partition(listing.organisations.begin(), listing.organisations.end(),
                          [](const accounts::Organisation& organisation) {
                              return organisation.status == accounts::OrganisationStatus::Member;
                          });
    listing.directory = std::move(directory);
    return listing;
}

// The directory's body (templates/members.mustache) depends only on the organisations, the
// language and the filters, and the layout around it is what differs per visitor (name, CSRF
// token). So each body is rendered once per revision of the organisations table and kept here;
// a newer revision (a change by any server or command) empties the cache.
struct MembersPages::DirectoryCache {
    // Bodies are a few kB each and there are few keys (languages × valid filters), but a bound
    // keeps a crawler of every combination from growing the server past its memory budget.
    static constexpr std::size_t kMaxBytes = std::size_t{2} << 20;

    // The body kept for `key` at `revision`; nullptr when none is.
    std::shared_ptr<const std::string> find(std::int64_t wanted, const std::string& key) {
        std::lock_guard lock(mutex);
        if (revision != wanted) {
            // Revisions only grow: a request holding an older directory leaves the newer alone.
            if (!revision || *revision < wanted) {
                bodies.clear();
                bytes = 0;
                revision = wanted;
            }
            return nullptr;
        }
        const auto found = bodies.find(key);
        return found == bodies.end() ? nullptr : found->second;
    }

    // Keeps `body` for `key` if the cache still holds `rendered_at` and has room.
    void keep(std::int64_t rendered_at, std::string key, std::shared_ptr<const std::string> body) {
        std::lock_guard lock(mutex);
        if (revision != rendered_at || bytes + body->size() > kMaxBytes) {
            return;
        }
        bytes += body->size();
        bodies.emplace(std::move(key), std::move(body));
    }

    std::mutex mutex;
    std::optional<std::int64_t> revision;  // Guarded by mutex.
    // By language and filters (directory_cache_key). Guarded by mutex.
    std::map<std::string, std::shared_ptr<const std::string>, std::less<>> bodies;
    std::size_t bytes = 0;  // Guarded by mutex.
};

namespace {

// The cache key of a valid query in a supported language; nullopt when the body must not be kept
// (an unsupported language would let a visitor grow the cache at will).
std::optional<std::string> directory_cache_key(std::string_view language,
                                               const DirectoryQuery& query) {
    const auto& languages = i18n::supported_languages();
    const bool is_supported =
        std::any_of(languages.begin(), languages.end(),
                    [&](const i18n::Language& supported) { return supported.tag == language; });
    if (!is_supported || !query.errors.empty()) {
        return std::nullopt;
    }
    // Valid filter values are ids, which never hold a space.
    return std::string(language) + ' ' + query.region + ' ' + query.group + ' ' + query.status;
}

// The data of templates/members.mustache.
mstch::map directory_data(const Site& site, const Request& request, const DirectoryQuery& query,
                          const DirectoryListing& organisations) {
    const std::vector<Field> fields = {
        Field{.name = "group",
              .label = translate(site, request, "Stakeholder group"),
              .error = field_error(site, request, query.errors, "group")},
        Field{.name = "region",
              .label = translate(site, request, "Region"),
              .error = field_error(site, request, query.errors, "region")},
        Field{.name = "status",
              .label = translate(site, request, "Status"),
              .error = field_error(site, request, query.errors, "status")},
    };
    auto data = form_data(fields);

    mstch::array group_options{
        select_option("", translate(site, request, "All stakeholder groups"), query.group)};
    for (const auto group : accounts::all_stakeholder_groups()) {
        group_options.push_back(select_option(
            accounts::id(group), translate(site, request, accounts::label(group)), query.group));
    }
    set_select_options(data, "group", std::move(group_options));
    mstch::array region_options{
        select_option("", translate(site, request, "All regions"), query.region)};
    for (const auto region : accounts::all_regions()) {
        region_options.push_back(select_option(
            accounts::id(region), translate(site, request, accounts::label(region)), query.region));
    }
    set_select_options(data, "region", std::move(region_options));
    mstch::array status_options{
        select_option("", translate(site, request, "Members and candidates"), query.status),
        select_option(accounts::id(accounts::OrganisationStatus::Member),
                      translate(site, request, "Members only"), query.status),
        select_option(accounts::id(accounts::OrganisationStatus::Candidate),
                      translate(site, request, "Candidates only"), query.status),
        select_option(accounts::id(accounts::OrganisationStatus::Former),
                      translate(site, request, "Former members"), query.status),
    };
    set_select_options(data, "status", std::move(status_options));

    mstch::array regions;
    for (const auto region : accounts::all_regions()) {
        mstch::array rows;
        for (const accounts::Organisation& organisation : organisations) {
            if (organisation.region == region) {
                rows.push_back(directory_row(site, request, organisation));
            }
        }
        if (rows.empty()) {
            continue;
        }
        const auto count = rows.size();
        regions.push_back(mstch::map{{"region_id", text(accounts::id(region))},
                                     {"region", translate(site, request, accounts::label(region))},
                                     {"count", std::to_string(count)},
                                     {"organisations", std::move(rows)}});
    }
    data.emplace("regions", std::move(regions));
    data.emplace("total", std::to_string(organisations.size()));
    data.emplace("is_empty", organisations.empty());
    data.emplace("is_filtered",
                 query.filter.region || query.filter.stakeholder_group || query.filter.status);
    return data;
}

}  // namespace

MembersPages::MembersPages(Site& site)
    : site_(site),
      directory_(site.pages.require("members")),
      organisation_(site.pages.require("organisation")),
      prerendered_(site.pages.require("prerendered")),
      cache_(std::make_unique<DirectoryCache>()) {
}

MembersPages::~MembersPages() = default;

Response MembersPages::directory(Request& request) const {
    const DirectoryQuery query = parse_directory_query(request);
    const std::string_view language = language_of(request);
    auto organisations = site_.organisations.directory();
    const auto revision = organisations->revision();
    auto key = directory_cache_key(language, query);
    if (!revision || !key) {
        // Not kept: filter errors (a 422 that names them) or nothing to tell freshness by.
        auto data =
            directory_data(site_, request, query,
                           directory_organisations(std::move(organisations), query, language));
        return render(site_, request, directory_, "Members", std::move(data),
                      query.errors.empty() ? 200 : 422);
    }
    auto body = cache_->find(*revision, *key);
    if (!body) {
        // The body template reads only its own data (no layout names), so rendering it alone
        // gives the same HTML as rendering it inside the page.
        const mstch::node data =
            directory_data(site_, request, query,
                           directory_organisations(std::move(organisations), query, language));
        body = std::make_shared<const std::string>(
            site_.pages.templates().render(directory_, data, language));
        cache_->keep(*revision, std::move(*key), body);
    }
    return render(site_, request, prerendered_, "Members", mstch::map{{"content_html", *body}});
}

Response MembersPages::organisation(Request& request) const {
    const auto organisations = site_.organisations.directory();
    const accounts::Organisation* found = organisations->find_by_slug(request.param("slug"));
    if (found == nullptr) {
        return Response::html(
            site_.pages.render_error_page(page_context(site_, request, "Page not found"), 404),
            404);
    }
    const accounts::Organisation& organisation = *found;
    const std::string_view language = language_of(request);

    mstch::array representatives;
    for (const auto& user : site_.users.list_representatives(organisation.id)) {
        // Display names only: a representative's e-mail address is never published.
        if (!user.display_name.empty()) {
            representatives.push_back(mstch::map{{"name", user.display_name}});
        }
    }
    std::string website;
    if (organisation.website) {
        const std::string& url = organisation.website->value();
        if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) {
            website = url;
        }
    }
    auto paragraphs = description_paragraphs(organisation.description);
    const bool has_description = !paragraphs.empty();
    mstch::map data{
        {"name", organisation.name},
        {"short_name",
         organisation.short_name != organisation.name ? organisation.short_name : std::string()},
        {"country", organisation.country.name(language)},
        {"region", translate(site_, request, accounts::label(organisation.region))},
        {"region_id", text(accounts::id(organisation.region))},
        {"group", translate(site_, request, accounts::label(organisation.stakeholder_group))},
        {"status", status_label(site_, request, organisation.status)},
        {"status_id", text(accounts::id(organisation.status))},
        {"website", website},
        {"domain", organisation.domain ? organisation.domain->unicode() : std::string()},
        {"has_description", has_description},
        {"paragraphs", std::move(paragraphs)},
        {"has_representatives", !representatives.empty()},
        {"representatives", std::move(representatives)},
    };
    auto context = page_context(site_, request, "Members");
    context.title = organisation.name;  // A name, not a message to translate.
    return Response::html(site_.pages.render_page(context, organisation_, std::move(data)));
}

}  // namespace coalition::web
