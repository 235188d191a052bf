// The ids of statuses and states, and the validation of the admin's response form.

#include "core/names.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "responses/responses.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace coalition::responses {
namespace {

constexpr std::array<std::pair<ResponseStatus, std::string_view>, 3> kStatuses = {
    {{ResponseStatus::Draft, "draft"},
     {ResponseStatus::OpenForEndorsement, "open-for-endorsement"},
     {ResponseStatus::Published, "published"}}};
constexpr std::array<std::pair<AmendmentState, std::string_view>, 4> kStates = {
    {{AmendmentState::Open, "open"},
     {AmendmentState::Accepted, "accepted"},
     {AmendmentState::Rejected, "rejected"},
     {AmendmentState::Merged, "merged"}}};

// One line of text from a form: valid UTF-8, no control characters (line breaks included),
// trimmed and NFC. An error names `field`.
core::Result<std::string> one_line(std::string_view input, const std::string& field,
                                   std::size_t max_characters) {
    if (!core::is_valid_utf8(input)) {
        return core::Error::invalid(std::string(i18n::gettext_noop("This is not valid UTF-8.")),
                                    field);
    }
    if (core::has_control_characters(input) ||
        input.find_first_of("\r\n\t") != std::string_view::npos) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Use one line without control characters.")), field);
    }
    std::string text = core::to_nfc(core::trim(input));
    if (core::character_count(text) > max_characters) {
        return core::Error::invalid(
            "Use at most " + std::to_string(max_characters) + " characters.", field);
    }
    return text;
}

}  // namespace

std::string_view id(ResponseStatus status) {
    return core::name_of(kStatuses, status);
}
std::string_view id(AmendmentState state) {
    return core::name_of(kStates, state);
}
std::optional<ResponseStatus> parse_response_status(std::string_view text) {
    return core::value_of(kStatuses, text);
}
std::optional<AmendmentState> parse_amendment_state(std::string_view text) {
    return core::value_of(kStates, text);
}

accounts::Validated<ResponseFields> validate(const ResponseDraft& draft) {
    accounts::FieldErrors errors;
    ResponseFields fields;

    if (auto title = one_line(draft.title, "title", kMaxTitleCharacters); !title) {
        errors.push_back(title.error());
    } else if (title->empty()) {
        errors.push_back(core::Error::invalid(
            std::string(i18n::gettext_noop("Give the response a title.")), "title"));
    } else {
        fields.title = std::move(*title);
    }

    if (auto slug = one_line(draft.slug, "slug", accounts::Slug::kMaxLength * 4); !slug) {
        errors.push_back(slug.error());
    } else if (!slug->empty()) {
        if (auto parsed = accounts::Slug::parse(*slug)) {
            fields.slug = *parsed;
        } else {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop(
                    "Use lower-case letters, digits and single hyphens in the short name.")),
                "slug"));
        }
    }

    const bool has_milestone = !core::trim(draft.milestone_id).empty();
    if (has_milestone) {
        const std::string text = core::trim(draft.milestone_id);
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("Choose a milestone from the list.")),
                "milestone_id"));
        } else {
            fields.milestone = processes::MilestoneId(value);
        }
    }

    const bool has_deadline = !draft.deadline_date.empty() || !draft.deadline_time.empty() ||
                              !draft.deadline_zone.empty();
    if (has_deadline && has_milestone) {
        errors.push_back(core::Error::invalid(
            std::string(i18n::gettext_noop(
                "Give either a milestone or a deadline of the response's own, not both.")),
            "deadline_date"));
    } else if (has_deadline) {
        if (draft.deadline_date.empty() || draft.deadline_time.empty() ||
            draft.deadline_zone.empty()) {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("Give the deadline's date, time and time zone.")),
                draft.deadline_date.empty()   ? "deadline_date"
                : draft.deadline_time.empty() ? "deadline_time"
                                              : "deadline_zone"));
        } else if (!core::is_valid_utf8(draft.deadline_zone) ||
                   core::has_control_characters(draft.deadline_zone)) {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("This time zone is not known.")), "deadline_zone"));
        } else {
            auto moment = processes::Moment::date_time(draft.deadline_date, draft.deadline_time,
                                                       draft.deadline_zone, "deadline");
            if (moment) {
                fields.deadline = *moment;
            } else {
                errors.push_back(moment.error());
            }
        }
    }

    if (auto link = one_line(draft.link, "link", processes::kMaxUrlCharacters); !link) {
        errors.push_back(link.error());
    } else if (!link->empty() && !processes::is_http_url(*link)) {
        errors.push_back(core::Error::invalid(
            std::string(i18n::gettext_noop("Give an address beginning with https:// or http://.")),
            "link"));
    } else {
        fields.link = std::move(*link);
    }

    if (!errors.empty()) {
        return errors;
    }
    return fields;
}

}  // namespace coalition::responses
