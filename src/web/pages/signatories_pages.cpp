// The public signatory list (/statement/signatories), its CSV export and the count badge. Each
// request makes one list() call; the totals, the published versions, the breakdown and the
// charts drawn from it are shared by every request for a few seconds (SignatoriesPages::Cache),
// because they change slowly and counting or drawing them for each visitor would cost more than
// the list itself.

#include "web/pages/signatories_pages.hpp"

#include "accounts/accounts.hpp"
#include "core/background_worker.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/problem.hpp"
#include "web/render_cache.hpp"
#include "web/svg_chart.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace coalition::web {
namespace {

constexpr std::size_t kMaxSearchCharacters = 200;
constexpr std::int64_t kMaxSignatoriesPage = 1'000'000;
constexpr std::int64_t kExportBatch = 1000;  // signon::SignatoryFilter::limit's cap.
constexpr std::int64_t kCacheSeconds = 5;
// Rendered list bodies, one per language and address, each kept for the second it was made in.
constexpr std::size_t kListBodyBytes = 8 << 20;

bool is_hex_hash(std::string_view value) {
    return value.size() == 64 && std::all_of(value.begin(), value.end(), [](char character) {
               return (character >= '0' && character <= '9') ||
                      (character >= 'a' && character <= 'f');
           });
}

std::optional<signon::SignatorySort> parse_sort(std::string_view value) {
    static constexpr std::pair<std::string_view, signon::SignatorySort> kSorts[] = {
        {"newest", signon::SignatorySort::Newest},
        {"oldest", signon::SignatorySort::Oldest},
        {"name", signon::SignatorySort::Name},
        {"country", signon::SignatorySort::Country},
    };
    for (const auto& [name, sort] : kSorts) {
        if (name == value) {
            return sort;
        }
    }
    return std::nullopt;
}

// --- Country names in every supported language, looked up once (ICU is slow per call). ---

// Code → name, for the rows (the filter's select comes from web::country_options).
struct CountryNames {
    std::map<std::string, std::string, std::less<>> by_code;
};

// From the select's table, whose names are already looked up (one ICU pass per language).
CountryNames country_names_for(const std::string& language) {
    CountryNames names;
    for (const auto& country : countries_by_name(language)) {
        names.by_code.emplace(country.code, country.name);
    }
    return names;
}

const CountryNames& country_names(std::string_view language) {
    static const PerLanguage<CountryNames> table(country_names_for);
    return table.get(language);
}

std::string country_name(std::string_view code, std::string_view language) {
    const auto& names = country_names(language).by_code;
    const auto found = names.find(code);
    return found == names.end() ? std::string(code) : found->second;
}

std::string group_label(const Site& site, const Request& request, std::string_view id) {
    const auto group = accounts::parse_stakeholder_group(id);
    return group ? translate(site, request, accounts::label(*group)) : std::string(id);
}

svg::Direction direction_of(std::string_view language) {
    const auto* found = i18n::find_language(language);
    return found != nullptr && found->direction == i18n::Direction::Rtl
               ? svg::Direction::RightToLeft
               : svg::Direction::LeftToRight;
}

// Days since 1970-01-01 for "YYYY-MM-DD" (H. Hinnant's days_from_civil); nullopt if malformed.
std::optional<std::int64_t> day_number(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
        return std::nullopt;
    }
    auto read = [&](std::size_t start, std::size_t length) -> std::optional<std::int64_t> {
        std::int64_t value = 0;
        const char* first = date.data() + start;
        const auto [end, error] = std::from_chars(first, first + length, value);
        if (error != std::errc() || end != first + length) {
            return std::nullopt;
        }
        return value;
    };
    const auto year = read(0, 4);
    const auto month = read(5, 2);
    const auto day = read(8, 2);
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) {
        return std::nullopt;
    }
    const std::int64_t shifted_year = *year - (*month <= 2 ? 1 : 0);
    const std::int64_t era = shifted_year / 400;
    const std::int64_t year_of_era = shifted_year - era * 400;
    const std::int64_t day_of_year = (153 * (*month + (*month > 2 ? -3 : 9)) + 2) / 5 + *day - 1;
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

// --- The rows and the page. ---

std::string version_label(const Site& site, const Request& request,
                          const std::vector<VersionLabel>& versions, const std::string& hash) {
    for (const auto& version : versions) {
        if (version.hash == hash) {
            return i18n::format(translate(site, request, "Version {number}"),
                                {{"number", std::to_string(version.number)}});
        }
    }
    return hash.substr(0, 12);
}

mstch::map signatory_row(const Site& site, const Request& request,
                         const std::vector<VersionLabel>& versions,
                         const signon::PublicSignatory& signatory) {
    const std::string_view language = language_of(request);
    return mstch::map{
        {"name", signatory.name},
        {"is_organisation", signatory.kind == signon::SignatoryKind::Organisation},
        {"kind", translate(site, request, kind_msgid(signatory.kind))},
        {"representative", signatory.representative},
        {"affiliation", signatory.affiliation},
        {"country",
         signatory.country.empty() ? std::string() : country_name(signatory.country, language)},
        {"group", signatory.stakeholder_group.empty()
                      ? std::string()
                      : group_label(site, request, signatory.stakeholder_group)},
        {"verification", translate(site, request, verification_msgid(signatory.verification))},
        {"verification_id", text(signon::to_string(signatory.verification))},
        {"version", version_label(site, request, versions, signatory.version_hash)},
        {"version_hash", signatory.version_hash},
    };
}

// The numbered page links around `current` (first, last and two either side), with gaps.
mstch::array page_links(const SignatoryQuery& query, std::int64_t current, std::int64_t pages) {
    const std::string base =
        "/statement/signatories?" + query.query_string() + (query.is_filtered() ? "&" : "");
    mstch::array links;
    std::int64_t previous = 0;
    for (std::int64_t page = 1; page <= pages; ++page) {
        const bool shown =
            page == 1 || page == pages || (page >= current - 2 && page <= current + 2);
        if (!shown) {
            continue;
        }
        if (previous != 0 && page != previous + 1) {
            links.push_back(mstch::map{{"is_gap", true}});
        }
        links.push_back(mstch::map{{"is_gap", false},
                                   {"number", std::to_string(page)},
                                   {"href", base + "page=" + std::to_string(page)},
                                   {"is_current", page == current}});
        previous = page;
    }
    return links;
}

}  // namespace

// --- The query. ---

bool SignatoryQuery::is_filtered() const {
    return !query_string().empty();
}

std::string SignatoryQuery::query_string() const {
    std::string out;
    auto add = [&](std::string_view name, const std::string& value) {
        if (!value.empty()) {
            out += (out.empty() ? "" : "&") + std::string(name) + "=" + percent_encode(value);
        }
    };
    add("kind", kind);
    add("group", group);
    add("region", region);
    add("country", country);
    add("level", level);
    add("version", version);
    add("q", search);
    add("sort", sort);
    return out;
}

SignatoryQuery parse_signatory_query(const Request& request) {
    SignatoryQuery query;
    auto value = [&](std::string_view name) {
        return core::trim(request.query_value(name).value_or(""));
    };
    auto invalid = [&](std::string_view message, std::string field) {
        query.errors.push_back(core::Error::invalid(std::string(message), std::move(field)));
    };
    query.kind = value("kind");
    query.group = value("group");
    query.region = value("region");
    query.country = upper_ascii(value("country"));
    query.level = value("level");
    query.version = value("version");
    query.search = value("q");
    query.sort = value("sort");
    if (!query.kind.empty()) {
        query.filter.kind = signon::parse_kind(query.kind);
        if (!query.filter.kind) {
            invalid(i18n::gettext_noop("Choose a kind of signatory from the list."), "kind");
        }
    }
    if (!query.group.empty()) {
        if (accounts::parse_stakeholder_group(query.group)) {
            query.filter.stakeholder_group = query.group;
        } else {
            invalid(i18n::gettext_noop("Choose a stakeholder group from the list."), "group");
        }
    }
    if (!query.region.empty()) {
        if (accounts::parse_region(query.region)) {
            query.filter.region = query.region;
        } else {
            invalid(i18n::gettext_noop("Choose a region from the list."), "region");
        }
    }
    if (!query.country.empty()) {
        if (auto country = accounts::Country::parse(query.country)) {
            query.country = country->code();
            query.filter.country = country->code();
        } else {
            invalid(i18n::gettext_noop("Choose a country from the list."), "country");
        }
    }
    if (!query.level.empty()) {
        query.filter.verification = signon::parse_verification(query.level);
        if (!query.filter.verification) {
            invalid(i18n::gettext_noop("Choose a verification level from the list."), "level");
        }
    }
    if (!query.version.empty()) {
        if (is_hex_hash(query.version)) {
            query.filter.version_hash = query.version;
        } else {
            invalid(i18n::gettext_noop("Choose a version from the list."), "version");
        }
    }
    if (!query.search.empty()) {
        if (core::character_count(query.search) > kMaxSearchCharacters ||
            core::has_control_characters(query.search)) {
            invalid(i18n::gettext_noop("Search for a name of at most 200 characters."), "q");
        } else {
            query.filter.search = core::to_nfc(query.search);
        }
    }
    if (!query.sort.empty()) {
        if (auto sort = parse_sort(query.sort)) {
            query.filter.sort = *sort;
        } else {
            invalid(i18n::gettext_noop("Choose an order from the list."), "sort");
        }
    }
    // A page number that is not one (a hand-edited link) shows the first page.
    if (auto page = request.query_value("page"); page && !page->empty()) {
        std::int64_t number = 0;
        const auto [end, error] =
            std::from_chars(page->data(), page->data() + page->size(), number);
        if (error == std::errc() && end == page->data() + page->size() && number >= 1 &&
            number <= kMaxSignatoriesPage) {
            query.page = number;
        }
    }
    // Hostile values are not shown back: the form shows what was valid.
    const std::pair<std::string_view, std::string*> shown[] = {
        {"kind", &query.kind},       {"group", &query.group}, {"region", &query.region},
        {"country", &query.country}, {"level", &query.level}, {"version", &query.version},
        {"sort", &query.sort},
    };
    for (const auto& error : query.errors) {
        for (const auto& [field, value] : shown) {
            if (error.field == field) {
                value->clear();
            }
        }
    }
    query.filter.limit = kSignatoriesPageSize;
    query.filter.offset = (query.page - 1) * kSignatoriesPageSize;
    return query;
}

std::string_view verification_msgid(signon::Verification level) {
    switch (level) {
        case signon::Verification::None:
            return i18n::gettext_noop("Not verified");
        case signon::Verification::Email:
            return i18n::gettext_noop("E-mail confirmed");
        case signon::Verification::OrganisationDomain:
            return i18n::gettext_noop("Organisation domain");
        case signon::Verification::Dns:
            return i18n::gettext_noop("DNS-proven");
        case signon::Verification::DnsSec:
            return i18n::gettext_noop("DNSSEC");
    }
    return "";
}

std::string_view kind_msgid(signon::SignatoryKind kind) {
    return kind == signon::SignatoryKind::Organisation ? i18n::gettext_noop("Organisation")
                                                       : i18n::gettext_noop("Individual");
}

std::string csv_cell(std::string_view text) {
    std::string cell;
    if (!text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                          text.front() == '@' || text.front() == '\t' || text.front() == '\r')) {
        cell += '\'';
    }
    cell += text;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        return cell;
    }
    std::string quoted = "\"";
    for (const char character : cell) {
        quoted += character;
        if (character == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

// --- The cache. ---

namespace {

// The charts of one breakdown in one language (inline SVG).
struct Charts {
    std::string by_region;
    std::string by_group;
    std::string over_time;
};

}  // namespace

// A value shared by every request for kCacheSeconds. Once it is older, the first request to
// notice has it reloaded on the cache's background worker and every request keeps using the
// previous value meanwhile: at 100,000 signatures the breakdown takes a few hundred milliseconds
// to count, and the request that paid for it was what the list page's p99 latency measured.
template <typename T>
struct SharedValue {
    std::shared_ptr<const T> value;
    std::int64_t at = 0;
    bool reloading = false;
};

struct SignatoriesPages::Cache {
    std::mutex mutex;
    SharedValue<std::vector<VersionLabel>> versions;       // Guarded by mutex.
    SharedValue<signon::Totals> totals;                    // Guarded by mutex.
    SharedValue<signon::Breakdown> breakdown;              // Guarded by mutex.
    RenderCache<std::string> list_bodies{kListBodyBytes};  // Stamped with the Unix second.
    // The charts of `charts_of`, by language. Guarded by mutex.
    std::shared_ptr<const signon::Breakdown> charts_of;
    std::map<std::string, std::shared_ptr<const Charts>> charts;
    core::BackgroundWorker reloads;  // Last: stopped before the values its tasks write.
};

namespace {

Charts draw_charts(const Site& site, const Request& request, const signon::Breakdown& breakdown) {
    const std::string_view language = language_of(request);
    const auto direction = direction_of(language);
    const std::string empty = translate(site, request, "No signatures yet.");
    std::vector<svg::Bar> regions;
    for (const auto region : accounts::all_regions()) {
        std::int64_t count = 0;
        for (const auto& entry : breakdown.by_region) {
            count += entry.key == accounts::id(region) ? entry.count : 0;
        }
        regions.push_back({translate(site, request, accounts::label(region)), count});
    }
    std::vector<svg::Bar> groups;
    for (const auto group : accounts::all_stakeholder_groups()) {
        std::int64_t count = 0;
        for (const auto& entry : breakdown.by_stakeholder_group) {
            count += entry.key == accounts::id(group) ? entry.count : 0;
        }
        groups.push_back({translate(site, request, accounts::label(group)), count});
    }
    std::vector<svg::DayCount> days;
    for (const auto& entry : breakdown.by_day) {
        if (auto day = day_number(entry.key)) {
            days.push_back({*day, entry.count});
        }
    }
    const bool has_any = !breakdown.by_region.empty() || !breakdown.by_day.empty();
    Charts charts;
    charts.by_region = svg::bar_chart(
        {"chart-region", translate(site, request, "Signatories by ICANN region"),
         translate(site, request,
                   "Published signatures by the region of the signatory's country.")},
        has_any ? regions : std::vector<svg::Bar>{}, direction, empty);
    charts.by_group = svg::bar_chart(
        {"chart-group", translate(site, request, "Organisations by stakeholder group"),
         translate(site, request, "Published organisations by stakeholder group.")},
        breakdown.by_stakeholder_group.empty() ? std::vector<svg::Bar>{} : groups, direction,
        empty);
    charts.over_time = svg::cumulative_line_chart(
        {"chart-time", translate(site, request, "Signatures over time"),
         translate(site, request, "The total number of published signatures, day by day.")},
        days, direction, empty);
    return charts;
}

}  // namespace

SignatoriesPages::SignatoriesPages(Site& site)
    : site_(site),
      list_(site.pages.require("statement_signatories")),
      prerendered_(site.pages.require("prerendered")),
      cache_(std::make_unique<Cache>()) {
    site.pages.require("admin_select");
}

SignatoriesPages::~SignatoriesPages() = default;

namespace {

// The cached value of `slot`, reloaded with `load()` as described at SharedValue. Only the very
// first value (after a start) is loaded by the request itself, possibly by several at once.
template <typename T>
std::shared_ptr<const T> shared_value(std::mutex& mutex, core::BackgroundWorker& reloads,
                                      SharedValue<T>& slot, std::int64_t now,
                                      std::function<T()> load) {
    {
        std::lock_guard lock(mutex);
        if (slot.value) {
            if (now - slot.at >= kCacheSeconds && !slot.reloading) {
                slot.reloading = true;
                reloads.post([&mutex, &slot, now, load = std::move(load)] {
                    std::shared_ptr<const T> loaded;
                    try {
                        loaded = std::make_shared<const T>(load());
                    } catch (...) {
                        std::lock_guard lock(mutex);
                        slot.reloading = false;  // The next request due tries again.
                        throw;
                    }
                    std::lock_guard lock(mutex);
                    slot.value = std::move(loaded);
                    slot.at = now;
                    slot.reloading = false;
                });
            }
            return slot.value;
        }
    }
    auto loaded = std::make_shared<const T>(load());
    std::lock_guard lock(mutex);
    if (!slot.value) {
        slot.value = loaded;
        slot.at = now;
    }
    return slot.value;
}

}  // namespace

std::shared_ptr<const std::vector<VersionLabel>> SignatoriesPages::versions() const {
    return shared_value<std::vector<VersionLabel>>(
        cache_->mutex, cache_->reloads, cache_->versions, clock_.unix_now(), [this] {
            std::vector<VersionLabel> labels;
            for (const auto& version : site_.statements.versions()) {
                labels.push_back({version.number, version.hash});
            }
            return labels;
        });
}

signon::Totals SignatoriesPages::totals() const {
    // Counting every published signature reads the whole index (tens of milliseconds at 100,000
    // rows), so the count shown is at most a few seconds old instead.
    return *shared_value<signon::Totals>(
        cache_->mutex, cache_->reloads, cache_->totals, clock_.unix_now(),
        [this] { return site_.signatures.totals(std::string(kStatementCampaign)); });
}

// The body (the same for every visitor: no form in it posts) is kept for each language and
// address until the list changes on this server, and for one second at most: on launch day
// thousands of visitors a second ask for the same first page, whose totals and charts are
// already a few seconds old (Cache). What this server changes shows at once, another server's
// changes within a second; the layout is still each visitor's own.
Response SignatoriesPages::list(Request& request) const {
    const SignatoryQuery query = parse_signatory_query(request);
    if (!query.errors.empty()) {
        return render(site_, request, list_, "Signatories", list_data(request, query), 422);
    }
    const std::string_view language = language_of(request);
    const std::string key = std::to_string(site_.signatures.public_list_generation()) + '\n' +
                            std::string(language) + '\n' + request.raw_target;
    const std::int64_t second = clock_.unix_now();
    auto body = cache_->list_bodies.find(key, second);
    if (!body) {
        body = std::make_shared<const std::string>(
            site_.pages.templates().render(list_, list_data(request, query), language));
        cache_->list_bodies.keep(key, second, body, body->size());
    }
    return render(site_, request, prerendered_, "Signatories", mstch::map{{"content_html", *body}});
}

mstch::map SignatoriesPages::list_data(Request& request, const SignatoryQuery& query) const {
    const std::string campaign(kStatementCampaign);
    const std::string_view language = language_of(request);
    const auto page = site_.signatures.list(campaign, query.filter);
    const auto totals = this->totals();
    const auto versions = this->versions();

    // The charts of the shared breakdown, drawn once per language.
    const auto breakdown = shared_value<signon::Breakdown>(
        cache_->mutex, cache_->reloads, cache_->breakdown, clock_.unix_now(),
        [this, campaign] { return site_.signatures.breakdown(campaign); });
    std::shared_ptr<const Charts> charts;
    {
        std::lock_guard lock(cache_->mutex);
        if (cache_->charts_of == breakdown) {
            if (auto found = cache_->charts.find(std::string(language));
                found != cache_->charts.end()) {
                charts = found->second;
            }
        }
    }
    if (!charts) {
        charts = std::make_shared<const Charts>(draw_charts(site_, request, *breakdown));
        // Only supported languages are kept, so visitors cannot grow the map at will.
        if (i18n::find_language(language) != nullptr &&
            i18n::find_language(language)->tag == language) {
            std::lock_guard lock(cache_->mutex);
            if (cache_->charts_of != cache_->breakdown.value) {
                cache_->charts_of = cache_->breakdown.value;
                cache_->charts.clear();
            }
            if (cache_->charts_of == breakdown) {
                cache_->charts[std::string(language)] = charts;
            }
        }
    }

    // The filter form.
    auto label = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    auto error = [&](std::string_view field) {
        return field_error(site_, request, query.errors, field);
    };
    std::vector<Field> fields = {
        Field{.name = "q",
              .label = label("Name"),
              .value = query.search,
              .hint = label("Part of a person's or an organisation's name."),
              .error = error("q"),
              .type = "search"},
        Field{.name = "kind", .label = label("Kind"), .error = error("kind")},
        Field{.name = "group", .label = label("Stakeholder group"), .error = error("group")},
        Field{.name = "region", .label = label("Region"), .error = error("region")},
        Field{.name = "country", .label = label("Country"), .error = error("country")},
        Field{.name = "level", .label = label("Verification"), .error = error("level")},
        Field{.name = "version", .label = label("Version signed"), .error = error("version")},
        Field{.name = "sort", .label = label("Order"), .error = error("sort")},
    };
    auto data = form_data(fields);
    set_select_options(data, "kind",
                       {select_option("", label("Organisations and individuals"), query.kind),
                        select_option(signon::to_string(signon::SignatoryKind::Organisation),
                                      label("Organisations"), query.kind),
                        select_option(signon::to_string(signon::SignatoryKind::Individual),
                                      label("Individuals"), query.kind)});
    mstch::array groups{select_option("", label("All stakeholder groups"), query.group)};
    for (const auto group : accounts::all_stakeholder_groups()) {
        groups.push_back(
            select_option(accounts::id(group), label(accounts::label(group)), query.group));
    }
    set_select_options(data, "group", std::move(groups));
    mstch::array regions{select_option("", label("All regions"), query.region)};
    for (const auto region : accounts::all_regions()) {
        regions.push_back(
            select_option(accounts::id(region), label(accounts::label(region)), query.region));
    }
    set_select_options(data, "region", std::move(regions));
    set_select_options(data, "country",
                       country_options(language, query.country, label("All countries")));
    mstch::array levels{select_option("", label("Any verification"), query.level)};
    for (const auto level : {signon::Verification::Email, signon::Verification::OrganisationDomain,
                             signon::Verification::Dns, signon::Verification::DnsSec}) {
        levels.push_back(select_option(
            signon::to_string(level),
            i18n::format(label("At least: {level}"), {{"level", label(verification_msgid(level))}}),
            query.level));
    }
    set_select_options(data, "level", std::move(levels));
    mstch::array version_options{select_option("", label("Any version"), query.version)};
    bool version_listed = query.version.empty();
    for (const auto& version : *versions) {
        version_listed = version_listed || version.hash == query.version;
        version_options.push_back(select_option(
            version.hash,
            i18n::format(label("Version {number}"), {{"number", std::to_string(version.number)}}),
            query.version));
    }
    if (!version_listed) {
        version_options.push_back(
            select_option(query.version, query.version.substr(0, 12), query.version));
    }
    set_select_options(data, "version", std::move(version_options));
    set_select_options(data, "sort",
                       {select_option("", label("Newest first"), query.sort),
                        select_option("oldest", label("Oldest first"), query.sort),
                        select_option("name", label("By name"), query.sort),
                        select_option("country", label("By country"), query.sort)});

    // The rows, the counts and the page links.
    mstch::array rows;
    for (const auto& signatory : page.rows) {
        rows.push_back(signatory_row(site_, request, *versions, signatory));
    }
    const std::int64_t pages = (page.total + kSignatoriesPageSize - 1) / kSignatoriesPageSize;
    const std::int64_t first = page.rows.empty() ? 0 : query.filter.offset + 1;
    const std::int64_t last = query.filter.offset + static_cast<std::int64_t>(page.rows.size());
    const std::string base = query.query_string();
    const std::string joiner = base.empty() ? "" : "&";
    data.emplace("rows", std::move(rows));
    data.emplace("has_rows", !page.rows.empty());
    data.emplace("total", std::to_string(page.total));
    data.emplace("first", std::to_string(first));
    data.emplace("last", std::to_string(last));
    data.emplace("published", std::to_string(totals.published));
    data.emplace("organisations", std::to_string(totals.organisations));
    data.emplace("individuals", std::to_string(totals.individuals));
    data.emplace("hidden_text", translate_count(site_, request, i18n::messages::kHiddenSignatories,
                                                static_cast<long>(totals.hidden_individuals)));
    data.emplace("has_hidden", totals.hidden_individuals > 0);
    data.emplace("is_filtered", query.is_filtered());
    data.emplace("has_pages", pages > 1);
    data.emplace("pages", page_links(query, query.page, pages));
    data.emplace("has_previous", query.page > 1 && pages > 0);
    data.emplace("previous_href", "/statement/signatories?" + base + joiner +
                                      "page=" + std::to_string(std::min(query.page - 1, pages)));
    data.emplace("has_next", query.page < pages);
    data.emplace("next_href", "/statement/signatories?" + base + joiner +
                                  "page=" + std::to_string(query.page + 1));
    data.emplace("csv_href", "/statement/signatories.csv" + (base.empty() ? "" : "?" + base));
    data.emplace("json_href", "/api/v1/signatures" + (base.empty() ? "" : "?" + base));
    data.emplace("badge_url", site_.settings.base_url + "/statement/badge.svg");
    data.emplace("region_chart_html", charts->by_region);
    data.emplace("group_chart_html", charts->by_group);
    data.emplace("time_chart_html", charts->over_time);
    return data;
}

Response SignatoriesPages::csv(Request& request) const {
    SignatoryQuery query = parse_signatory_query(request);
    if (!query.errors.empty()) {
        return problem_response(query.errors);
    }
    // Pages of kExportBatch rows; without an order asked for, oldest first, so rows published
    // while the export runs land after the ones already written instead of shifting them.
    if (query.sort.empty()) {
        query.filter.sort = signon::SignatorySort::Oldest;
    }
    const std::string campaign(kStatementCampaign);
    const std::string_view language = language_of(request);
    std::string body = "\xEF\xBB\xBF";  // A BOM, so spreadsheets read the file as UTF-8.
    body +=
        "name,kind,representative,affiliation,country,country_name,region,stakeholder_group,"
        "organisation_domain,verification,version,published_at\r\n";
    query.filter.limit = kExportBatch;
    query.filter.offset = 0;
    while (true) {
        const auto page = site_.signatures.list(campaign, query.filter);
        for (const auto& row : page.rows) {
            const std::string cells[] = {
                row.name,
                text(signon::to_string(row.kind)),
                row.representative,
                row.affiliation,
                row.country,
                row.country.empty() ? std::string() : country_name(row.country, language),
                row.region,
                row.stakeholder_group,
                row.organisation_domain,
                text(signon::to_string(row.verification)),
                row.version_hash,
                core::format_rfc3339(row.published_at),
            };
            bool first_cell = true;
            for (const auto& cell : cells) {
                body += first_cell ? "" : ",";
                body += csv_cell(cell);
                first_cell = false;
            }
            body += "\r\n";
        }
        query.filter.offset += static_cast<std::int64_t>(page.rows.size());
        if (static_cast<std::int64_t>(page.rows.size()) < kExportBatch ||
            query.filter.offset >= page.total) {
            break;
        }
    }
    Response response;
    response.status = 200;
    response.body = std::move(body);
    response.headers.set("Content-Type", "text/csv; charset=utf-8; header=present");
    response.headers.set("Content-Disposition", "attachment; filename=\"signatories.csv\"");
    return response;
}

Response SignatoriesPages::badge(Request& request) const {
    const auto totals = this->totals();
    Response response;
    response.status = 200;
    response.body =
        svg::badge(translate(site_, request, "signatories"), std::to_string(totals.published));
    response.headers.set("Content-Type", "image/svg+xml");
    response.headers.set("Cache-Control", "public, max-age=60");
    // Opened on its own, the badge may run nothing and load nothing.
    response.headers.set("Content-Security-Policy", "default-src 'none'");
    response.headers.set("Cross-Origin-Resource-Policy", "cross-origin");
    return response;
}

}  // namespace coalition::web
