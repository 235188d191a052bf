#include "lists/list.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace coalition::lists {
namespace {

template <typename Enum, std::size_t N>
struct EnumNames {
    std::array<std::pair<Enum, const char*>, N> names;

    const char* name(Enum value) const {
        for (const auto& [candidate, text] : names) {
            if (candidate == value) {
                return text;
            }
        }
        return names.front().second;
    }
    core::Result<Enum> parse(std::string_view text, const char* field) const {
        for (const auto& [candidate, name] : names) {
            if (text == name) {
                return candidate;
            }
        }
        std::string choices;
        for (const auto& entry : names) {
            choices += choices.empty() ? "" : ", ";
            choices += entry.second;
        }
        return core::Error::invalid("Choose one of: " + choices + ".", field);
    }
};

constexpr EnumNames<PostingPolicy, 3> kPostingPolicies{{{
    {PostingPolicy::Members, "members"},
    {PostingPolicy::Anyone, "anyone"},
    {PostingPolicy::Moderated, "moderated"},
}}};
constexpr EnumNames<NonmemberPolicy, 4> kNonmemberPolicies{{{
    {NonmemberPolicy::Hold, "hold"},
    {NonmemberPolicy::Reject, "reject"},
    {NonmemberPolicy::Discard, "discard"},
    {NonmemberPolicy::Accept, "accept"},
}}};
constexpr EnumNames<ArchiveVisibility, 3> kArchiveVisibilities{{{
    {ArchiveVisibility::Public, "public"},
    {ArchiveVisibility::Members, "members"},
    {ArchiveVisibility::None, "none"},
}}};
constexpr EnumNames<DigestPeriod, 3> kDigestPeriods{{{
    {DigestPeriod::Daily, "daily"},
    {DigestPeriod::Weekly, "weekly"},
    {DigestPeriod::Monthly, "monthly"},
}}};
constexpr EnumNames<ReplyToPolicy, 3> kReplyToPolicies{{{
    {ReplyToPolicy::None, "none"},
    {ReplyToPolicy::List, "list"},
    {ReplyToPolicy::Explicit, "explicit"},
}}};
constexpr EnumNames<DmarcMitigation, 3> kDmarcMitigations{{{
    {DmarcMitigation::MungeFromWhenNeeded, "munge-when-needed"},
    {DmarcMitigation::MungeFromAlways, "munge-always"},
    {DmarcMitigation::Never, "never"},
}}};

// Normalises single-line text in place; returns an error message or "".
std::string check_line(std::string& text, std::size_t max_characters) {
    if (!core::is_valid_utf8(text)) {
        return "This text is not valid UTF-8.";
    }
    if (core::has_control_characters(text) || text.find_first_of("\r\n\t") != std::string::npos) {
        return "This text must be one line without control characters.";
    }
    text = core::to_nfc(core::trim(text));
    if (core::character_count(text) > max_characters) {
        return "This text is longer than " + std::to_string(max_characters) + " characters.";
    }
    return "";
}

// Normalises multi-line text in place (CRLF and CR become LF); returns an error message or "".
std::string check_text(std::string& text, std::size_t max_characters) {
    if (!core::is_valid_utf8(text)) {
        return "This text is not valid UTF-8.";
    }
    if (core::has_control_characters(text)) {
        return "This text contains control characters.";
    }
    std::string lf;
    lf.reserve(text.size());
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        if (text[idx] == '\r') {
            lf += '\n';
            if (idx + 1 < text.size() && text[idx + 1] == '\n') {
                ++idx;
            }
        } else {
            lf += text[idx];
        }
    }
    text = core::to_nfc(core::trim(lf));
    if (core::character_count(text) > max_characters) {
        return "This text is longer than " + std::to_string(max_characters) + " characters.";
    }
    return "";
}

}  // namespace

const char* to_string(PostingPolicy value) {
    return kPostingPolicies.name(value);
}
const char* to_string(NonmemberPolicy value) {
    return kNonmemberPolicies.name(value);
}
const char* to_string(ArchiveVisibility value) {
    return kArchiveVisibilities.name(value);
}
const char* to_string(DigestPeriod value) {
    return kDigestPeriods.name(value);
}
const char* to_string(ReplyToPolicy value) {
    return kReplyToPolicies.name(value);
}
const char* to_string(DmarcMitigation value) {
    return kDmarcMitigations.name(value);
}

core::Result<PostingPolicy> parse_posting_policy(std::string_view text) {
    return kPostingPolicies.parse(text, "posting_policy");
}
core::Result<NonmemberPolicy> parse_nonmember_policy(std::string_view text) {
    return kNonmemberPolicies.parse(text, "nonmember_policy");
}
core::Result<ArchiveVisibility> parse_archive_visibility(std::string_view text) {
    return kArchiveVisibilities.parse(text, "archive_visibility");
}
core::Result<DigestPeriod> parse_digest_period(std::string_view text) {
    return kDigestPeriods.parse(text, "digest_period");
}
core::Result<ReplyToPolicy> parse_reply_to_policy(std::string_view text) {
    return kReplyToPolicies.parse(text, "reply_to_policy");
}
core::Result<DmarcMitigation> parse_dmarc_mitigation(std::string_view text) {
    return kDmarcMitigations.parse(text, "dmarc_mitigation");
}

std::vector<core::Error> ListSettings::normalise_and_check() {
    std::vector<core::Error> errors;
    const auto add = [&errors](const std::string& message, const char* field) {
        if (!message.empty()) {
            errors.push_back(core::Error::invalid(message, field));
        }
    };
    add(check_line(display_name, 100), "display_name");
    add(check_text(description, 2000), "description");
    add(check_line(subject_prefix, 64), "subject_prefix");
    add(check_text(footer, 4000), "footer");
    if (max_message_bytes < kMinMaxMessageBytes || max_message_bytes > kMaxMaxMessageBytes) {
        add("The maximum message size must be between 1 KiB and 64 MiB.", "max_message_bytes");
    }
    if (digest_size_threshold_bytes < 1024 || digest_size_threshold_bytes > kMaxMaxMessageBytes) {
        add("The digest size threshold must be between 1 KiB and 64 MiB.",
            "digest_size_threshold_bytes");
    }
    if (reply_to_policy == ReplyToPolicy::Explicit && !reply_to_address) {
        add("Give the address replies should go to.", "reply_to_address");
    }
    if (reply_to_policy != ReplyToPolicy::Explicit) {
        reply_to_address.reset();
    }
    const i18n::Language* language = i18n::find_language(preferred_language);
    if (language == nullptr) {
        add("Choose one of the site's languages.", "preferred_language");
    } else {
        preferred_language = language->tag;
    }
    return errors;
}

core::Email List::posting_address() const {
    auto email = core::Email::parse(name + "@" + domain.unicode());
    COALITION_ASSERT(email.has_value(), "a stored list has a valid posting address");
    return std::move(*email);
}

std::string List::list_id_header() const {
    // RFC 2919 §2: list-id = list-label "." list-id-namespace; the label is a dot-atom of ASCII.
    return name + "." + domain.ascii();
}

std::string List::title() const {
    return settings.display_name.empty() ? name : settings.display_name;
}

bool List::is_owner(const core::Email& email) const {
    return std::find(owners.begin(), owners.end(), email) != owners.end();
}

bool List::is_moderator(const core::Email& email) const {
    return is_owner(email) ||
           std::find(moderators.begin(), moderators.end(), email) != moderators.end();
}

}  // namespace coalition::lists
