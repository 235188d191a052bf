// Moderation, administration and creation of mailing lists (see the header).

#include "web/pages/list_admin_pages.hpp"

#include "accounts/accounts.hpp"
#include "archive/archive.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "web/page.hpp"
#include "web/pages/list_pages.hpp"
#include "web/problem.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace coalition::web {
namespace {

constexpr std::size_t kPreviewBytes = 2000;
constexpr std::size_t kRosterPage = 200;

struct Choice {
    std::string_view value;
    std::string_view msgid;
};

constexpr Choice kPostingPolicies[] = {
    {"members", i18n::gettext_noop("Members post; others meet the nonmember policy")},
    {"anyone", i18n::gettext_noop("Anyone may post")},
    {"moderated", i18n::gettext_noop("Every post is held for a moderator")},
};
constexpr Choice kNonmemberPolicies[] = {
    {"hold", i18n::gettext_noop("Hold for a moderator")},
    {"reject", i18n::gettext_noop("Reject, telling the sender")},
    {"discard", i18n::gettext_noop("Discard silently")},
    {"accept", i18n::gettext_noop("Accept")},
};
constexpr Choice kArchiveVisibilities[] = {
    {"public", i18n::gettext_noop("Public")},
    {"members", i18n::gettext_noop("Members only")},
    {"none", i18n::gettext_noop("No archive")},
};
constexpr Choice kDigestPeriods[] = {
    {"daily", i18n::gettext_noop("Daily")},
    {"weekly", i18n::gettext_noop("Weekly")},
    {"monthly", i18n::gettext_noop("Monthly")},
};
constexpr Choice kReplyToPolicies[] = {
    {"none", i18n::gettext_noop("Leave Reply-To as the author set it")},
    {"list", i18n::gettext_noop("Replies go to the list")},
    {"explicit", i18n::gettext_noop("Replies go to the address below")},
};
constexpr Choice kDmarcMitigations[] = {
    {"munge-when-needed",
     i18n::gettext_noop("Rewrite From when the author's domain publishes a strict DMARC policy")},
    {"munge-always", i18n::gettext_noop("Always rewrite From")},
    {"never", i18n::gettext_noop("Never rewrite From")},
};

template <std::size_t N>
mstch::array choice_options(const Site& site, const Request& request, const Choice (&choices)[N],
                            std::string_view current) {
    mstch::array options;
    for (const auto& choice : choices) {
        options.push_back(
            select_option(choice.value, translate(site, request, choice.msgid), current));
    }
    return options;
}

std::string human_size(std::int64_t bytes) {
    char text[32];
    if (bytes < 1024) {
        std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
    } else if (bytes < std::int64_t{1024} * 1024) {
        std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
    } else {
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
    }
    return text;
}

// The length of the well-formed UTF-8 sequence at `text[at]`, or 0 when it is not one.
std::size_t utf8_sequence(std::string_view text, std::size_t at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    std::size_t length = 0;
    if (byte < 0x80) {
        return 1;
    }
    if (byte >= 0xC2 && byte <= 0xDF) {
        length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
        length = 3;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
        length = 4;
    } else {
        return 0;
    }
    if (at + length > text.size()) {
        return 0;
    }
    return core::is_valid_utf8(text.substr(at, length)) ? length : 0;
}

// What a moderator sees of a held message: its text as the archive reads it (GMime: the
// text/plain parts with their transfer encoding undone and their charset made UTF-8; an HTML-only
// message as plain text, never rendered), cut to kPreviewBytes on a character boundary, with
// control characters other than line ends and tabs dropped (the template escapes the rest), and
// its attachments (name, type, size; never their bytes).
mstch::map held_preview(std::string_view raw,
                        const std::function<std::string(std::string_view)>& t) {
    const archive::ParsedMessage parsed = archive::parse_message(raw);
    std::string_view text = parsed.text;
    const bool truncated = text.size() > kPreviewBytes;
    std::string preview;
    preview.reserve(std::min(text.size(), kPreviewBytes) + 4);
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = std::max<std::size_t>(1, utf8_sequence(text, at));
        if (at + length > kPreviewBytes) {
            break;
        }
        const auto byte = static_cast<unsigned char>(text[at]);
        if (length > 1 || byte == '\n' || byte == '\t' || (byte >= 0x20 && byte != 0x7f)) {
            preview.append(text.substr(at, length));
        }
        at += length;
    }
    if (truncated) {
        preview += "\n…";
    }
    mstch::array attachments;
    for (const auto& attachment : parsed.attachments) {
        attachments.push_back(
            mstch::map{{"name", attachment.filename.empty() ? t("(no name)") : attachment.filename},
                       {"type", attachment.content_type},
                       {"size", human_size(static_cast<std::int64_t>(attachment.size))}});
    }
    const bool has_attachments = !attachments.empty();
    return mstch::map{{"text", preview},
                      {"has_text", !preview.empty()},
                      {"unreadable", !parsed.parseable},
                      {"attachments", std::move(attachments)},
                      {"has_attachments", has_attachments}};
}

// Addresses typed one a line (or separated by commas); errors name `field`.
std::vector<core::Email> parse_addresses(std::string_view text, const std::string& field,
                                         std::vector<core::Error>& errors) {
    std::vector<core::Email> addresses;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(",\n", start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string item = core::trim(text.substr(start, end - start));
        if (!item.empty()) {
            if (auto email = core::Email::parse(item)) {
                addresses.push_back(std::move(*email));
            } else {
                errors.push_back(core::Error::invalid(
                    std::string(i18n::gettext_noop(
                        "Write one e-mail address a line, like name@example.org.")),
                    field));
                break;
            }
        }
        start = end + 1;
    }
    return addresses;
}

std::string join_addresses(const std::vector<core::Email>& addresses) {
    std::string text;
    for (const auto& address : addresses) {
        text += address.unicode() + "\n";
    }
    return text;
}

// A delivery mode's short name, for the roster.
std::string_view delivery_label_msgid(lists::DeliveryMode mode) {
    switch (mode) {
        case lists::DeliveryMode::Regular:
            return i18n::gettext_noop("Regular");
        case lists::DeliveryMode::Digest:
            return i18n::gettext_noop("Digest");
        case lists::DeliveryMode::PlainDigest:
            return i18n::gettext_noop("Plain-text digest");
        case lists::DeliveryMode::None:
            return i18n::gettext_noop("No mail");
    }
    return "";
}

// The settings a posted form describes, starting from `current` (so a field the form lacks keeps
// its value), with each problem of the form's own (numbers, choices, the reply-to address).
lists::ListSettings settings_from(const Form& form, lists::ListSettings settings,
                                  std::vector<core::Error>& errors) {
    settings.display_name = form.value("display_name");
    settings.description = form.value("description");
    settings.subject_prefix = form.value("subject_prefix");
    settings.footer = form.value("footer");
    const auto choose = [&](auto parsed, auto& into) {
        if (parsed) {
            into = *parsed;
        } else {
            errors.push_back(parsed.error());
        }
    };
    choose(lists::parse_posting_policy(form.value("posting_policy")), settings.posting_policy);
    choose(lists::parse_nonmember_policy(form.value("nonmember_policy")),
           settings.nonmember_policy);
    choose(lists::parse_archive_visibility(form.value("archive_visibility")),
           settings.archive_visibility);
    choose(lists::parse_digest_period(form.value("digest_period")), settings.digest_period);
    choose(lists::parse_reply_to_policy(form.value("reply_to_policy")), settings.reply_to_policy);
    choose(lists::parse_dmarc_mitigation(form.value("dmarc_mitigation")),
           settings.dmarc_mitigation);
    const auto number = [&](const char* field, std::int64_t& into) {
        if (auto parsed = read_integer(core::trim(form.value(field)))) {
            into = *parsed;
        } else {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("Enter a whole number of bytes, like 1048576.")),
                field));
        }
    };
    number("max_message_bytes", settings.max_message_bytes);
    number("digest_size_threshold_bytes", settings.digest_size_threshold_bytes);
    settings.digest_enabled = form.has("digest_enabled");
    settings.emergency_moderation = form.has("emergency_moderation");
    settings.preferred_language = form.value("preferred_language");
    settings.reply_to_address.reset();
    if (const auto typed = core::trim(form.value("reply_to_address")); !typed.empty()) {
        if (auto email = core::Email::parse(typed)) {
            settings.reply_to_address = std::move(*email);
        } else {
            errors.push_back(core::Error::invalid(
                std::string(i18n::gettext_noop("Enter an e-mail address, like name@example.org.")),
                "reply_to_address"));
        }
    }
    return settings;
}

// Each error once per field: a field the form already flagged keeps its first message.
void add_unique(std::vector<core::Error>& errors, std::vector<core::Error> more) {
    for (auto& each : more) {
        bool seen = false;
        for (const auto& existing : errors) {
            seen = seen || existing.field == each.field;
        }
        if (!seen) {
            errors.push_back(std::move(each));
        }
    }
}

}  // namespace

ListAdminPages::ListAdminPages(Site& site)
    : site_(site),
      moderation_(site.pages.require("list_moderation")),
      admin_(site.pages.require("list_admin")),
      site_lists_(site.pages.require("list_admin_index")) {
}

std::optional<lists::List> ListAdminPages::list_of(const Request& request) const {
    return site_.lists->find_by_name(request.param("name"));
}

// Moderation ------------------------------------------------------------------------------------

Response ListAdminPages::moderation(Request& request) const {
    if (site_.lists == nullptr || site_.intake == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    if (!list_pages::role_of(site_, request, *list).is_moderator) {
        return list_pages::error(site_, request, 403);
    }
    std::string_view notice;
    const auto done = request.query_value("done").value_or("");
    if (done == "approve" || done == "accept") {
        notice = i18n::gettext_noop("The message was approved.");
    } else if (done == "reject") {
        notice = i18n::gettext_noop("The message was rejected and its author told why.");
    } else if (done == "discard") {
        notice = i18n::gettext_noop("The message was discarded.");
    }
    return moderation_page(request, *list, {}, notice, 200);
}

Response ListAdminPages::moderation_page(Request& request, const lists::List& list,
                                         const std::vector<RowError>& errors,
                                         std::string_view notice_msgid, int status) const {
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    mstch::array rows;
    mstch::array summary;
    for (const auto& post : site_.intake->held(list.id)) {
        const std::string id = std::to_string(post.id.value());
        std::string reason_error;
        std::string reason_value;
        for (const auto& each : errors) {
            if (each.post == post.id.value()) {
                reason_error = t(each.message);
                reason_value = each.typed;
                summary.push_back(
                    mstch::map{{"field_id", "reason-" + id}, {"message", reason_error}});
            }
        }
        rows.push_back(mstch::map{
            {"id", id},
            {"author_name", post.author_name},
            {"author_email", post.author_email.empty() ? post.envelope_sender : post.author_email},
            {"subject", post.subject},
            {"has_subject", !post.subject.empty()},
            {"reason", post.hold_reason},
            {"detail", post.hold_detail},
            {"received", list_pages::format_time(post.received_at)},
            {"size", human_size(post.size_bytes)},
            {"preview", held_preview(post.raw, t)},
            {"reason_error", reason_error},
            {"reason_value", reason_value},
        });
    }
    const bool has_rows = !rows.empty();
    const bool has_errors = !summary.empty();
    return render(site_, request, moderation_, "Messages to moderate",
                  {{"list", mstch::map{{"title", list.title()},
                                       {"url", "/lists/" + percent_encode(list.name)}}},
                   {"rows", std::move(rows)},
                   {"has_rows", has_rows},
                   {"has_errors", has_errors},
                   {"errors", std::move(summary)},
                   {"notice", notice_msgid.empty() ? std::string() : t(notice_msgid)}},
                  status, HasForm::Yes);
}

Response ListAdminPages::moderate(Request& request) const {
    if (site_.lists == nullptr || site_.intake == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    if (!list_pages::role_of(site_, request, *list).is_moderator) {
        return list_pages::error(site_, request, 403);
    }
    const auto id = read_integer(request.param("post"));
    const auto actor = actor_of(request);
    if (!id || *id <= 0 || !actor) {
        return list_pages::error(site_, request, 404);
    }
    const lists::PostId post(*id);
    const Form& form = form_of(request);
    const std::string action = form.value("action");
    core::Result<lists::Post> decided = core::Error::invalid("Choose what to do.");
    if (action == "approve") {
        decided = site_.intake->approve(*actor, list->id, post);
    } else if (action == "accept") {
        decided = site_.intake->approve_and_accept_sender(*actor, list->id, post);
    } else if (action == "discard") {
        decided = site_.intake->discard(*actor, list->id, post);
    } else if (action == "reject") {
        const std::string reason = core::trim(form.value("reason"));
        if (reason.empty() || core::character_count(reason) > kMaxReasonCharacters ||
            core::has_control_characters(reason)) {
            return moderation_page(
                request, *list,
                {RowError{*id,
                          reason.empty() ? "Give the reason, for the author."
                                         : "Write at most 2,000 characters, without control "
                                           "characters.",
                          form.value("reason")}},
                "", 422);
        }
        decided = site_.intake->reject(*actor, list->id, post, reason);
    } else {
        return list_pages::error(site_, request, 400);
    }
    if (!decided) {
        const auto& problem = decided.error();
        if (problem.code == core::ErrorCode::NotFound) {
            return list_pages::error(site_, request, 404);
        }
        if (problem.code == core::ErrorCode::Conflict) {
            return moderation_page(
                request, *list, {},
                i18n::gettext_noop("Another moderator has already decided on this message."), 409);
        }
        return moderation_page(request, *list,
                               {RowError{*id, problem.message, form.value("reason")}}, "",
                               http_status(problem.code));
    }
    return Response::redirect_see_other("/lists/" + percent_encode(list->name) +
                                        "/moderation?done=" + action);
}

// Settings --------------------------------------------------------------------------------------

Response ListAdminPages::settings(Request& request) const {
    if (site_.lists == nullptr || site_.subscriptions == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    if (!list_pages::role_of(site_, request, *list).is_moderator) {
        return list_pages::error(site_, request, 403);
    }
    return settings_page(request, *list, nullptr, {}, nullptr, {},
                         request.query_value("saved").has_value(), 200);
}

Response ListAdminPages::settings_page(Request& request, const lists::List& list, const Form* typed,
                                       const std::vector<core::Error>& errors,
                                       const Form* typed_roles,
                                       const std::vector<core::Error>& role_errors, bool saved,
                                       int status) const {
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    const auto& s = list.settings;
    const auto value = [&](const char* name, const std::string& current) {
        return typed != nullptr ? typed->value(name) : current;
    };
    const auto e = [&](const char* name) { return field_error(site_, request, errors, name); };
    auto form = form_data({
        Field{.name = "display_name",
              .label = t("Display name"),
              .value = value("display_name", s.display_name),
              .hint = t("Up to 100 characters. Empty shows the list's name."),
              .error = e("display_name")},
        Field{.name = "description",
              .label = t("Description"),
              .value = value("description", s.description),
              .hint = t("Plain text, up to 2,000 characters, shown on the list's page."),
              .error = e("description"),
              .type = "textarea"},
        Field{.name = "posting_policy", .label = t("Who may post"), .error = e("posting_policy")},
        Field{.name = "nonmember_policy",
              .label = t("Posts from nonmembers"),
              .error = e("nonmember_policy")},
        Field{.name = "subject_prefix",
              .label = t("Subject prefix"),
              .value = value("subject_prefix", s.subject_prefix),
              .hint = t("Up to 64 characters, like [discuss]. Empty adds none."),
              .error = e("subject_prefix")},
        Field{.name = "footer",
              .label = t("Footer"),
              .value = value("footer", s.footer),
              .hint = t("Plain text added to every post, up to 4,000 characters."),
              .error = e("footer"),
              .type = "textarea"},
        Field{.name = "max_message_bytes",
              .label = t("Largest message, in bytes"),
              .value = value("max_message_bytes", std::to_string(s.max_message_bytes)),
              .hint = t("Between 1024 (1 KiB) and 67108864 (64 MiB)."),
              .error = e("max_message_bytes")},
        Field{.name = "archive_visibility",
              .label = t("Who may read the archive"),
              .error = e("archive_visibility")},
        Field{.name = "digest_period", .label = t("Digest period"), .error = e("digest_period")},
        Field{.name = "digest_size_threshold_bytes",
              .label = t("Send the digest early at this size, in bytes"),
              .value = value("digest_size_threshold_bytes",
                             std::to_string(s.digest_size_threshold_bytes)),
              .error = e("digest_size_threshold_bytes")},
        Field{.name = "reply_to_policy",
              .label = t("Where replies go"),
              .error = e("reply_to_policy")},
        Field{.name = "reply_to_address",
              .label = t("Reply-To address"),
              .value = value("reply_to_address",
                             s.reply_to_address ? s.reply_to_address->unicode() : ""),
              .hint = t("Only used when replies go to the address below."),
              .error = e("reply_to_address"),
              .autocomplete = "off"},
        Field{.name = "dmarc_mitigation",
              .label = t("DMARC mitigation"),
              .error = e("dmarc_mitigation")},
        Field{.name = "preferred_language",
              .label = t("Language of the list's mail when a member's is unknown"),
              .error = e("preferred_language")},
    });
    set_select_options(form, "posting_policy",
                       choice_options(site_, request, kPostingPolicies,
                                      value("posting_policy", lists::to_string(s.posting_policy))));
    set_select_options(
        form, "nonmember_policy",
        choice_options(site_, request, kNonmemberPolicies,
                       value("nonmember_policy", lists::to_string(s.nonmember_policy))));
    set_select_options(
        form, "archive_visibility",
        choice_options(site_, request, kArchiveVisibilities,
                       value("archive_visibility", lists::to_string(s.archive_visibility))));
    set_select_options(form, "digest_period",
                       choice_options(site_, request, kDigestPeriods,
                                      value("digest_period", lists::to_string(s.digest_period))));
    set_select_options(
        form, "reply_to_policy",
        choice_options(site_, request, kReplyToPolicies,
                       value("reply_to_policy", lists::to_string(s.reply_to_policy))));
    set_select_options(
        form, "dmarc_mitigation",
        choice_options(site_, request, kDmarcMitigations,
                       value("dmarc_mitigation", lists::to_string(s.dmarc_mitigation))));
    mstch::array languages;
    const std::string language = value("preferred_language", s.preferred_language);
    for (const auto& each : i18n::supported_languages()) {
        languages.push_back(select_option(each.tag, each.native_name, language));
    }
    set_select_options(form, "preferred_language", std::move(languages));
    form["digest_enabled"] = typed != nullptr ? typed->has("digest_enabled") : s.digest_enabled;
    form["emergency_moderation"] =
        typed != nullptr ? typed->has("emergency_moderation") : s.emergency_moderation;

    auto roles = form_data({
        Field{.name = "owners",
              .label = t("Owners"),
              .value = typed_roles != nullptr ? typed_roles->value("owners")
                                              : join_addresses(list.owners),
              .hint = t("One address a line; at least one. Owners change the settings."),
              .error = field_error(site_, request, role_errors, "owners"),
              .type = "textarea",
              .required = true},
        Field{.name = "moderators",
              .label = t("Moderators"),
              .value = typed_roles != nullptr ? typed_roles->value("moderators")
                                              : join_addresses(list.moderators),
              .hint = t("One address a line. Moderators decide on held messages."),
              .error = field_error(site_, request, role_errors, "moderators"),
              .type = "textarea"},
    });

    // The roster, a page at a time; bounce states by member.
    std::map<std::int64_t, lists::BounceState> bounces;
    if (site_.bounces != nullptr) {
        for (auto& state : site_.bounces->states(list.id)) {
            bounces.emplace(state.member.value(), std::move(state));
        }
    }
    const auto roster = site_.subscriptions->roster(list.id);
    std::size_t page = 1;
    if (auto asked = read_integer(request.query_value("page").value_or("1")); asked && *asked > 1) {
        page = static_cast<std::size_t>(*asked);
    }
    const std::size_t first = std::min(roster.size(), (page - 1) * kRosterPage);
    const std::size_t last = std::min(roster.size(), first + kRosterPage);
    mstch::array members;
    for (std::size_t member_idx = first; member_idx < last; ++member_idx) {
        const auto& member = roster[member_idx];
        mstch::map row{
            {"email", member.email.unicode()},
            {"name", member.display_name},
            {"state", t(list_pages::state_msgid(member.state))},
            {"state_id", std::string(lists::to_string(member.state))},
            {"delivery", t(delivery_label_msgid(member.delivery_mode))},
            {"language", member.language},
            {"since", list_pages::format_time(member.subscribed_at.value_or(member.created_at))},
            {"has_bounces", false},
        };
        if (auto found = bounces.find(member.id.value()); found != bounces.end()) {
            char score[16];
            std::snprintf(score, sizeof score, "%.1f", found->second.score);
            row["has_bounces"] = true;
            row["bounce_score"] = std::string(score);
            row["delivery_disabled"] = found->second.delivery_disabled;
            row["last_bounce"] = list_pages::format_time(found->second.last_bounce_at);
            row["diagnostic"] = found->second.last_diagnostic;
        }
        members.push_back(std::move(row));
    }
    const std::string base = "/lists/" + percent_encode(list.name) + "/admin";
    const auto counts = site_.subscriptions->counts(list.id);
    const bool can_edit = list_pages::role_of(site_, request, list).is_owner;
    mstch::array summary = boost::get<mstch::array>(form.at("errors"));
    for (const auto& each : boost::get<mstch::array>(roles.at("errors"))) {
        summary.push_back(each);
    }
    const bool has_errors = !summary.empty();
    return render(site_, request, admin_, "List settings",
                  {{"list", mstch::map{{"title", list.title()},
                                       {"address", list.posting_address().unicode()},
                                       {"url", "/lists/" + percent_encode(list.name)}}},
                   {"form", std::move(form)},
                   {"roles", std::move(roles)},
                   {"can_edit", can_edit},
                   {"saved", saved},
                   {"has_errors", has_errors},
                   {"errors", std::move(summary)},
                   {"members", std::move(members)},
                   {"has_members", !roster.empty()},
                   {"counts", mstch::map{{"subscribed", std::to_string(counts.subscribed)},
                                         {"pending", std::to_string(counts.pending)},
                                         {"unsubscribed", std::to_string(counts.unsubscribed)},
                                         {"regular", std::to_string(counts.regular)},
                                         {"digest", std::to_string(counts.digest)},
                                         {"no_mail", std::to_string(counts.no_mail)}}},
                   {"has_previous", page > 1},
                   {"previous_url", base + "?page=" + std::to_string(page - 1)},
                   {"has_next", last < roster.size()},
                   {"next_url", base + "?page=" + std::to_string(page + 1)}},
                  status, HasForm::Yes);
}

Response ListAdminPages::save_settings(Request& request) const {
    if (site_.lists == nullptr || site_.subscriptions == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const auto actor = actor_of(request);
    if (!actor || !list_pages::role_of(site_, request, *list).is_owner) {
        return list_pages::error(site_, request, 403);
    }
    const Form& form = form_of(request);
    std::vector<core::Error> errors;
    auto settings = settings_from(form, list->settings, errors);
    add_unique(errors, settings.normalise_and_check());
    if (errors.empty()) {
        auto updated = site_.lists->update_settings(*actor, list->id, settings);
        if (updated) {
            return Response::redirect_see_other("/lists/" + percent_encode(list->name) +
                                                "/admin?saved=1");
        }
        if (updated.error().code == core::ErrorCode::NotFound) {
            return list_pages::error(site_, request, 404);
        }
        errors.push_back(updated.error());
    }
    return settings_page(request, *list, &form, errors, nullptr, {}, false, 422);
}

Response ListAdminPages::save_roles(Request& request) const {
    if (site_.lists == nullptr || site_.subscriptions == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const auto actor = actor_of(request);
    if (!actor || !list_pages::role_of(site_, request, *list).is_owner) {
        return list_pages::error(site_, request, 403);
    }
    const Form& form = form_of(request);
    std::vector<core::Error> errors;
    const auto owners = parse_addresses(form.value("owners"), "owners", errors);
    const auto moderators = parse_addresses(form.value("moderators"), "moderators", errors);
    if (errors.empty()) {
        auto updated = site_.lists->set_roles(*actor, list->id, owners, moderators);
        if (updated) {
            return Response::redirect_see_other("/lists/" + percent_encode(list->name) +
                                                "/admin?saved=1");
        }
        auto problem = updated.error();
        if (problem.field.empty()) {
            problem.field = "owners";
        }
        errors.push_back(std::move(problem));
    }
    return settings_page(request, *list, nullptr, {}, &form, errors, false, 422);
}

// Site admins' list of lists --------------------------------------------------------------------

Response ListAdminPages::site_lists(Request& request) const {
    if (site_.lists == nullptr || site_.subscriptions == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    return site_lists_page(request, nullptr, {}, 200);
}

Response ListAdminPages::site_lists_page(Request& request, const Form* typed,
                                         const std::vector<core::Error>& errors, int status) const {
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    const auto value = [&](const char* name) {
        return typed != nullptr ? typed->value(name) : std::string();
    };
    mstch::array rows;
    for (const auto& list : site_.lists->all()) {
        const std::string url = "/lists/" + percent_encode(list.name);
        rows.push_back(mstch::map{
            {"title", list.title()},
            {"address", list.posting_address().unicode()},
            {"url", url},
            {"members", std::to_string(site_.subscriptions->counts(list.id).subscribed)},
            {"held", site_.intake != nullptr ? std::to_string(site_.intake->held(list.id).size())
                                             : std::string("–")},
        });
    }
    auto form = form_data({
        Field{.name = "address",
              .label = t("Posting address"),
              .value = value("address"),
              .hint = t("NAME@DOMAIN, like discuss@lists.example.org. The name is the list's "
                        "page: /lists/NAME."),
              .error = field_error(site_, request, errors, "address"),
              .required = true},
        Field{.name = "owners",
              .label = t("Owners"),
              .value = value("owners"),
              .hint = t("One address a line; at least one."),
              .error = field_error(site_, request, errors, "owners"),
              .type = "textarea",
              .required = true},
        Field{.name = "display_name",
              .label = t("Display name (optional)"),
              .value = value("display_name"),
              .error = field_error(site_, request, errors, "display_name")},
        Field{.name = "description",
              .label = t("Description (optional)"),
              .value = value("description"),
              .error = field_error(site_, request, errors, "description"),
              .type = "textarea"},
    });
    mstch::array& summary = boost::get<mstch::array>(form.at("errors"));
    for (const auto& each : errors) {
        if (each.field != "address" && each.field != "owners" && each.field != "display_name" &&
            each.field != "description") {
            summary.push_back(mstch::map{{"field_id", std::string("field-address")},
                                         {"message", t(each.message)}});
        }
    }
    form["has_errors"] = !summary.empty();
    const bool has_rows = !rows.empty();
    return render(site_, request, site_lists_, "Mailing lists",
                  {{"rows", std::move(rows)}, {"has_rows", has_rows}, {"form", std::move(form)}},
                  status, HasForm::Yes);
}

Response ListAdminPages::create_list(Request& request) const {
    if (site_.lists == nullptr || site_.subscriptions == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto actor = actor_of(request);
    if (!actor) {
        return list_pages::error(site_, request, 403);
    }
    const Form& form = form_of(request);
    std::vector<core::Error> errors;
    lists::NewList draft{
        .address = core::trim(form.value("address")),
        .owners = parse_addresses(form.value("owners"), "owners", errors),
        .moderators = {},
        .display_name = core::trim(form.value("display_name")),
        .description = form.value("description"),
    };
    if (errors.empty()) {
        auto created = site_.lists->create(*actor, draft);
        if (created) {
            return Response::redirect_see_other("/lists/" + percent_encode(created->name) +
                                                "/admin");
        }
        errors.push_back(created.error());
    }
    const int status =
        errors.front().code == core::ErrorCode::Conflict ? 409 : http_status(errors.front().code);
    return site_lists_page(request, &form, errors, status);
}

}  // namespace coalition::web
