// Kinds and their ids, and the validation of process and milestone drafts (processes.hpp).

#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "processes/processes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace coalition::processes {
namespace {

template <typename Enum, std::size_t N>
using Table = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Table<ProcessKind, 4> kProcessKinds = {{{ProcessKind::UnProcess, "un-process"},
                                                  {ProcessKind::Forum, "forum"},
                                                  {ProcessKind::MeetingSeries, "meeting-series"},
                                                  {ProcessKind::Consultation, "consultation"}}};
constexpr Table<ProcessStatus, 3> kStatuses = {{{ProcessStatus::Upcoming, "upcoming"},
                                                {ProcessStatus::Active, "active"},
                                                {ProcessStatus::Concluded, "concluded"}}};
constexpr Table<MilestoneKind, 7> kMilestoneKinds = {
    {{MilestoneKind::ConsultationOpens, "consultation-opens"},
     {MilestoneKind::Deadline, "deadline"},
     {MilestoneKind::Meeting, "meeting"},
     {MilestoneKind::NegotiationRound, "negotiation-round"},
     {MilestoneKind::Adoption, "adoption"},
     {MilestoneKind::Report, "report"},
     {MilestoneKind::Other, "other"}}};
constexpr Table<LocationKind, 4> kLocationKinds = {{{LocationKind::None, "none"},
                                                    {LocationKind::InPerson, "in-person"},
                                                    {LocationKind::Online, "online"},
                                                    {LocationKind::Hybrid, "hybrid"}}};
constexpr Table<DatePrecision, 3> kPrecisions = {
    {{DatePrecision::Day, "day"}, {DatePrecision::Month, "month"}, {DatePrecision::Year, "year"}}};

template <typename Enum, std::size_t N>
std::string_view lookup(const Table<Enum, N>& table, Enum value) {
    for (const auto& [entry, text] : table) {
        if (entry == value) {
            return text;
        }
    }
    return "";
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const Table<Enum, N>& table, std::string_view text) {
    for (const auto& [entry, name] : table) {
        if (name == text) {
            return entry;
        }
    }
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::vector<Enum> all(const Table<Enum, N>& table) {
    std::vector<Enum> out;
    for (const auto& entry : table) {
        out.push_back(entry.first);
    }
    return out;
}

enum class Lines { Single, Multiple };

core::Error invalid(std::string_view message, std::string field) {
    return core::Error::invalid(std::string(message), std::move(field));
}

// `input` trimmed and NFC, or Invalid with `field`: not UTF-8, control characters (line breaks
// allowed with Lines::Multiple), longer than `max_characters`, or empty when `missing` is set.
core::Result<std::string> check_text(std::string_view input, const std::string& field,
                                     std::size_t max_characters, Lines lines,
                                     std::string_view missing = {}) {
    const auto too_long = [&] {
        return invalid("Use at most " + std::to_string(max_characters) + " characters.", field);
    };
    if (input.size() > max_characters * 4 + 1024) {
        return too_long();
    }
    if (!core::is_valid_utf8(input)) {
        return invalid(i18n::gettext_noop("This text is not valid UTF-8."), field);
    }
    if (core::has_control_characters(input) ||
        (lines == Lines::Single && input.find_first_of("\t\r\n") != std::string_view::npos)) {
        return invalid(lines == Lines::Single
                           ? i18n::gettext_noop("Use one line of text without control characters.")
                           : i18n::gettext_noop("Remove the control characters from this text."),
                       field);
    }
    std::string text = core::to_nfc(core::trim(input));
    if (core::character_count(text) > max_characters) {
        return too_long();
    }
    if (text.empty() && !missing.empty()) {
        return invalid(std::string(missing), field);
    }
    return text;
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

bool is_http_url(std::string_view url) {
    const std::string lower = lower_ascii(url.substr(0, 8));
    const std::size_t scheme = lower.rfind("https://", 0) == 0  ? 8
                               : lower.rfind("http://", 0) == 0 ? 7
                                                                : 0;
    if (scheme == 0 || url.size() <= scheme || url.size() > kMaxUrlCharacters) {
        return false;
    }
    for (const char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') {
            return false;
        }
    }
    return url[scheme] != '/' && url[scheme] != '?' && url[scheme] != '#';
}

namespace {

core::Result<std::vector<Link>> parse_links(std::string_view input) {
    const std::string field = "links";
    auto text = check_text(input, field, kMaxLinks * (kMaxUrlCharacters + kMaxTitleCharacters),
                           Lines::Multiple);
    if (!text) {
        return text.error();
    }
    std::vector<Link> links;
    std::size_t position = 0;
    while (position <= text->size()) {
        std::size_t end = text->find('\n', position);
        if (end == std::string::npos) {
            end = text->size();
        }
        const std::string line =
            core::trim(std::string_view(*text).substr(position, end - position));
        position = end + 1;
        if (line.empty()) {
            continue;
        }
        const std::size_t space = line.find_first_of(" \t");
        Link link{.title = space == std::string::npos ? "" : core::trim(line.substr(space)),
                  .url = line.substr(0, space)};
        if (!is_http_url(link.url)) {
            return invalid(
                i18n::gettext_noop("Start each line with an address beginning with https:// or "
                                   "http://, then an optional title."),
                field);
        }
        if (core::character_count(link.title) > kMaxTitleCharacters) {
            return invalid(
                "Use at most " + std::to_string(kMaxTitleCharacters) + " characters in a title.",
                field);
        }
        links.push_back(std::move(link));
        if (links.size() > kMaxLinks) {
            return invalid("Give at most " + std::to_string(kMaxLinks) + " links.", field);
        }
    }
    return links;
}

// True when `markdown` holds something the renderer would silently drop and the author must
// hear about: raw HTML tags (<script>, <img onerror=…>, comments, processing instructions) or a
// link to a script:, vbscript:, data: or file: address. Autolinks (<https://…>, <a@b.example>)
// and a lone "<" in prose are fine.
bool is_hostile_markdown(std::string_view markdown) {
    const std::string lower = lower_ascii(markdown);
    for (std::size_t index = 0; index + 1 < lower.size(); ++index) {
        if (lower[index] != '<') {
            continue;
        }
        std::size_t next = index + 1;
        const char first = lower[next];
        if (first == '!' || first == '?') {
            return true;
        }
        if (first == '/') {
            ++next;
        }
        std::size_t name_end = next;
        while (
            name_end < lower.size() &&
            (std::isalnum(static_cast<unsigned char>(lower[name_end])) || lower[name_end] == '-')) {
            ++name_end;
        }
        if (name_end == next || !std::isalpha(static_cast<unsigned char>(lower[next]))) {
            continue;
        }
        if (name_end == lower.size() || lower[name_end] == '>' || lower[name_end] == '/' ||
            std::isspace(static_cast<unsigned char>(lower[name_end]))) {
            return true;
        }
    }
    for (const std::string_view scheme : {"javascript:", "vbscript:", "data:", "file:"}) {
        for (std::size_t found = lower.find(scheme); found != std::string::npos;
             found = lower.find(scheme, found + 1)) {
            // Look back over white space and '<' for the start of a link destination.
            std::size_t before = found;
            while (before > 0 && (lower[before - 1] == ' ' || lower[before - 1] == '<' ||
                                  lower[before - 1] == '\t' || lower[before - 1] == '\n')) {
                --before;
            }
            if (before == 0 || lower[before - 1] == '(' || lower[before - 1] == ':' ||
                (found > 0 && lower[found - 1] == '<')) {
                return true;
            }
        }
    }
    return false;
}

template <typename T>
void take(core::Result<T> result, T& into, accounts::FieldErrors& errors) {
    if (result) {
        into = std::move(result).value();
    } else {
        errors.push_back(result.error());
    }
}

bool is_checked(std::string_view value) {
    return value == "1" || value == "on" || value == "true" || value == "yes";
}

// A start or end: a whole day, or a wall time with its zone.
core::Result<Moment> moment_from(std::string_view date, std::string_view time,
                                 std::string_view zone, const std::string& field) {
    const std::string trimmed_time = core::trim(time);
    if (trimmed_time.empty()) {
        if (!core::trim(zone).empty() && core::trim(zone) != "UTC" &&
            !is_known_zone(core::trim(zone))) {
            return invalid(
                "Enter a time zone from the IANA database, such as America/New_York or "
                "Pacific/Auckland.",
                field + "_zone");
        }
        return Moment::date(core::trim(date), field + "_date");
    }
    const std::string trimmed_zone = core::trim(zone);
    if (trimmed_zone.empty()) {
        return invalid(
            i18n::gettext_noop("Give the time zone of this time, such as America/New_York."),
            field + "_zone");
    }
    return Moment::date_time(core::trim(date), trimmed_time, trimmed_zone, field);
}

}  // namespace

std::string_view id(ProcessKind kind) {
    return lookup(kProcessKinds, kind);
}
std::string_view id(ProcessStatus status) {
    return lookup(kStatuses, status);
}
std::string_view id(MilestoneKind kind) {
    return lookup(kMilestoneKinds, kind);
}
std::string_view id(LocationKind kind) {
    return lookup(kLocationKinds, kind);
}
std::string_view id(DatePrecision precision) {
    return lookup(kPrecisions, precision);
}

std::string_view label(ProcessKind kind) {
    switch (kind) {
        case ProcessKind::UnProcess:
            return i18n::gettext_noop("UN process");
        case ProcessKind::Forum:
            return i18n::gettext_noop("Forum");
        case ProcessKind::MeetingSeries:
            return i18n::gettext_noop("Meeting series");
        case ProcessKind::Consultation:
            return i18n::gettext_noop("Consultation");
    }
    return "";
}

std::string_view label(ProcessStatus status) {
    switch (status) {
        case ProcessStatus::Upcoming:
            return i18n::gettext_noop("Upcoming");
        case ProcessStatus::Active:
            return i18n::gettext_noop("Active");
        case ProcessStatus::Concluded:
            return i18n::gettext_noop("Concluded");
    }
    return "";
}

std::string_view label(MilestoneKind kind) {
    switch (kind) {
        case MilestoneKind::ConsultationOpens:
            return i18n::gettext_noop("Consultation opens");
        case MilestoneKind::Deadline:
            return i18n::gettext_noop("Deadline");
        case MilestoneKind::Meeting:
            return i18n::gettext_noop("Meeting");
        case MilestoneKind::NegotiationRound:
            return i18n::gettext_noop("Negotiation round");
        case MilestoneKind::Adoption:
            return i18n::gettext_noop("Adoption");
        case MilestoneKind::Report:
            return i18n::gettext_noop("Report");
        case MilestoneKind::Other:
            return i18n::gettext_noop("Other");
    }
    return "";
}

std::string_view label(LocationKind kind) {
    switch (kind) {
        case LocationKind::None:
            return i18n::gettext_noop("No location");
        case LocationKind::InPerson:
            return i18n::gettext_noop("In person");
        case LocationKind::Online:
            return i18n::gettext_noop("Online");
        case LocationKind::Hybrid:
            return i18n::gettext_noop("Hybrid");
    }
    return "";
}

std::optional<ProcessKind> parse_process_kind(std::string_view text) {
    return parse(kProcessKinds, text);
}
std::optional<ProcessStatus> parse_process_status(std::string_view text) {
    return parse(kStatuses, text);
}
std::optional<MilestoneKind> parse_milestone_kind(std::string_view text) {
    return parse(kMilestoneKinds, text);
}
std::optional<LocationKind> parse_location_kind(std::string_view text) {
    return parse(kLocationKinds, text);
}
std::optional<DatePrecision> parse_precision(std::string_view text) {
    return parse(kPrecisions, text);
}
std::vector<ProcessKind> all_process_kinds() {
    return all(kProcessKinds);
}
std::vector<ProcessStatus> all_process_statuses() {
    return all(kStatuses);
}
std::vector<MilestoneKind> all_milestone_kinds() {
    return all(kMilestoneKinds);
}
std::vector<LocationKind> all_location_kinds() {
    return all(kLocationKinds);
}

std::string format_links(const std::vector<Link>& links) {
    std::string out;
    for (const auto& link : links) {
        out += link.url;
        if (!link.title.empty()) {
            out += " " + link.title;
        }
        out += "\n";
    }
    return out;
}

accounts::Validated<ProcessFields> validate(const ProcessDraft& draft) {
    accounts::FieldErrors errors;
    ProcessFields fields;
    take(check_text(draft.name, "name", kMaxNameCharacters, Lines::Single,
                    i18n::gettext_noop("Enter the name of the process.")),
         fields.name, errors);
    take(check_text(draft.short_name, "short_name", kMaxShortNameCharacters, Lines::Single),
         fields.short_name, errors);
    const std::string slug = core::trim(draft.slug);
    if (!slug.empty()) {
        if (auto parsed = accounts::Slug::parse(slug)) {
            fields.slug = *parsed;
        } else {
            errors.push_back(
                invalid(i18n::gettext_noop(
                            "Use lower-case letters, digits and single hyphens in the slug."),
                        "slug"));
        }
    }
    if (auto kind = parse_process_kind(core::trim(draft.kind))) {
        fields.kind = *kind;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Choose the kind of process."), "kind"));
    }
    take(check_text(draft.convenor, "convenor", kMaxConvenorCharacters, Lines::Single),
         fields.convenor, errors);
    if (auto description = check_text(draft.description, "description", kMaxDescriptionCharacters,
                                      Lines::Multiple)) {
        if (is_hostile_markdown(*description)) {
            errors.push_back(
                invalid(i18n::gettext_noop("Write the description in Markdown without HTML tags or "
                                           "script, data or file links: they would not be shown."),
                        "description"));
        } else {
            fields.description = std::move(description).value();
        }
    } else {
        errors.push_back(description.error());
    }
    take(parse_links(draft.links), fields.links, errors);
    if (auto status = parse_process_status(core::trim(draft.status))) {
        fields.status = *status;
    } else {
        errors.push_back(invalid(
            i18n::gettext_noop("Choose whether the process is upcoming, active or concluded."),
            "status"));
    }
    if (!errors.empty()) {
        return errors;
    }
    return fields;
}

accounts::Validated<MilestoneFields> validate(const MilestoneDraft& draft) {
    accounts::FieldErrors errors;
    MilestoneFields fields;
    if (auto kind = parse_milestone_kind(core::trim(draft.kind))) {
        fields.kind = *kind;
    } else {
        errors.push_back(invalid(i18n::gettext_noop("Choose the kind of milestone."), "kind"));
    }
    take(check_text(draft.title, "title", kMaxTitleCharacters, Lines::Single,
                    i18n::gettext_noop("Enter the milestone's title.")),
         fields.title, errors);
    const std::string precision = core::trim(draft.precision);
    if (auto parsed = parse_precision(precision.empty() ? "day" : precision)) {
        fields.precision = *parsed;
    } else {
        errors.push_back(invalid(
            i18n::gettext_noop("Choose whether the day, the month or only the year is known."),
            "precision"));
    }
    const auto start = moment_from(draft.start_date, draft.start_time, draft.start_zone, "start");
    if (start) {
        fields.start = *start;
    } else {
        errors.push_back(start.error());
    }
    const bool has_end = !core::trim(draft.end_date).empty() || !core::trim(draft.end_time).empty();
    if (has_end) {
        const auto end = moment_from(draft.end_date, draft.end_time, draft.end_zone, "end");
        if (!end) {
            errors.push_back(end.error());
        } else if (start) {
            if (end->is_date() != start->is_date()) {
                errors.push_back(invalid(
                    i18n::gettext_noop("Give the end as a date when the start is a date, and "
                                       "with a time when the start has one."),
                    "end_date"));
            } else if (end->utc() < start->utc()) {
                errors.push_back(invalid(
                    i18n::gettext_noop("The end must not be before the start."), "end_date"));
            } else {
                fields.end = *end;
            }
        }
    }
    if (start && fields.precision != DatePrecision::Day && (!start->is_date() || has_end)) {
        errors.push_back(invalid(
            i18n::gettext_noop("A milestone known only to the month or year has no time and no "
                               "end."),
            "precision"));
    }
    fields.tentative = is_checked(core::trim(draft.tentative));
    const std::string location_kind = core::trim(draft.location_kind);
    if (auto kind = parse_location_kind(location_kind.empty() ? "none" : location_kind)) {
        fields.location_kind = *kind;
    } else {
        errors.push_back(
            invalid(i18n::gettext_noop("Choose in person, online, hybrid or no location."),
                    "location_kind"));
    }
    if (auto location =
            check_text(draft.location, "location", kMaxLocationCharacters, Lines::Single)) {
        fields.location = std::move(location).value();
        const bool needs_place = fields.location_kind == LocationKind::InPerson ||
                                 fields.location_kind == LocationKind::Hybrid;
        if (needs_place && fields.location.empty()) {
            errors.push_back(
                invalid(i18n::gettext_noop("Give the city or venue of a meeting held in person."),
                        "location"));
        } else if (fields.location_kind == LocationKind::None && !fields.location.empty()) {
            errors.push_back(invalid(
                i18n::gettext_noop("Choose whether this place is in person, online or hybrid."),
                "location_kind"));
        }
    } else {
        errors.push_back(location.error());
    }
    take(parse_links(draft.links), fields.links, errors);
    take(check_text(draft.notes, "notes", kMaxNotesCharacters, Lines::Multiple), fields.notes,
         errors);
    if (!errors.empty()) {
        return errors;
    }
    return fields;
}

}  // namespace coalition::processes
