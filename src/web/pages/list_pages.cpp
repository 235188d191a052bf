// The mailing lists' public pages (see the header).

#include "web/pages/list_pages.hpp"

#include "core/clock.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "i18n/messages.hpp"
#include "web/csrf.hpp"
#include "web/multipart.hpp"
#include "web/page.hpp"
#include "web/problem.hpp"
#include "web/router.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

namespace coalition::web {
namespace list_pages {

ListRole role_of(const Site& site, const Request& request, const lists::List& list) {
    ListRole role;
    if (!request.visitor.user_id) {
        return role;
    }
    role.is_site_admin = request.visitor.role == "admin";
    if (auto user = site.users.find_by_id(accounts::UserId(*request.visitor.user_id))) {
        role.email = user->email;
    }
    role.is_owner = role.is_site_admin || (role.email && list.is_owner(*role.email));
    role.is_moderator = role.is_site_admin || (role.email && list.is_moderator(*role.email));
    return role;
}

Response error(const Site& site, const Request& request, int status) {
    std::string_view title = i18n::gettext_noop("Something went wrong");
    if (status == 403) {
        title = i18n::gettext_noop("Not allowed");
    } else if (status == 404) {
        title = i18n::gettext_noop("Page not found");
    } else if (status == 503) {
        title = i18n::gettext_noop("Service unavailable");
    }
    return Response::html(site.pages.render_error_page(page_context(site, request, title), status),
                          status);
}

std::string_view state_msgid(lists::MemberState state) {
    switch (state) {
        case lists::MemberState::Pending:
            return i18n::gettext_noop("Waiting for confirmation");
        case lists::MemberState::Subscribed:
            return i18n::gettext_noop("Subscribed");
        case lists::MemberState::Unsubscribed:
            return i18n::gettext_noop("Unsubscribed");
    }
    return "";
}

std::string format_time(std::int64_t unix_seconds) {
    std::string text = core::format_rfc3339(unix_seconds);  // 2025-03-01T14:05:09Z
    if (text.size() < 16) {
        return text;
    }
    return text.substr(0, 10) + " " + text.substr(11, 5) + " UTC";
}

std::string list_url(const lists::List& list) {
    return "/lists/" + percent_encode(list.name);
}

}  // namespace list_pages

namespace {

constexpr i18n::PluralMessage kMembers = i18n::ngettext_noop("{count} member", "{count} members");
constexpr std::size_t kMaxSubjectCharacters = 200;
constexpr std::size_t kMaxBodyCharacters = 100000;
constexpr std::size_t kMaxMessageIdCharacters = 250;

// Tokens are 20 random bytes in lower-case base32: anything else is not a token of ours.
bool looks_like_token(std::string_view token) {
    return token.size() == 32 && std::all_of(token.begin(), token.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
           });
}

mstch::map list_data(const lists::List& list) {
    return mstch::map{
        {"name", list.name},
        {"title", list.title()},
        {"description", list.settings.description},
        {"address", list.posting_address().unicode()},
        {"url", list_pages::list_url(list)},
    };
}

// A delivery mode as a member chooses it on the preferences page.
std::string_view delivery_choice_msgid(lists::DeliveryMode mode) {
    switch (mode) {
        case lists::DeliveryMode::Regular:
            return i18n::gettext_noop("Each message as it is sent");
        case lists::DeliveryMode::Digest:
            return i18n::gettext_noop("A digest of the messages");
        case lists::DeliveryMode::PlainDigest:
            return i18n::gettext_noop("A digest as one plain-text message");
        case lists::DeliveryMode::None:
            return i18n::gettext_noop("No mail (I read the archive or only post)");
    }
    return "";
}

std::optional<core::Email> parse_email(std::string_view typed) {
    auto parsed = core::Email::parse(core::trim(typed));
    if (!parsed) {
        return std::nullopt;
    }
    return std::move(*parsed);
}

constexpr std::string_view kBadEmail =
    i18n::gettext_noop("Enter an e-mail address, like name@example.org.");

}  // namespace

ListPages::ListPages(Site& site)
    : site_(site),
      index_(site.pages.require("list_index")),
      info_(site.pages.require("list_info")),
      message_(site.pages.require("list_message")),
      confirm_(site.pages.require("list_confirm")),
      unsubscribe_(site.pages.require("list_unsubscribe")),
      preferences_(site.pages.require("list_preferences")),
      post_(site.pages.require("list_post")) {
}

bool ListPages::wired() const {
    return site_.lists != nullptr && site_.subscriptions != nullptr;
}

std::optional<lists::List> ListPages::list_of(const Request& request) const {
    return site_.lists->find_by_name(request.param("name"));
}

Response ListPages::message(Request& request, std::string_view title_msgid,
                            std::string_view lead_msgid, std::string_view text_msgid,
                            const lists::List* list, int status,
                            const std::vector<std::pair<std::string, std::string>>& values) const {
    const auto t = [&](std::string_view msgid) {
        return msgid.empty() ? std::string()
                             : i18n::format(translate(site_, request, msgid), values);
    };
    mstch::map data{
        {"heading", translate(site_, request, title_msgid)},
        {"lead", t(lead_msgid)},
        {"text", t(text_msgid)},
    };
    if (list != nullptr) {
        data.emplace("list", list_data(*list));
    }
    return render(site_, request, message_, title_msgid, std::move(data), status);
}

Response ListPages::link_expired(Request& request, const lists::List& list) const {
    return message(request, i18n::gettext_noop("This link no longer works"),
                   i18n::gettext_noop("The link may have expired, been used already, or been "
                                      "copied incompletely from the e-mail."),
                   i18n::gettext_noop("A confirmation link works for three days and only once. "
                                      "If yours expired, ask again on the list's page: we will "
                                      "send a new link."),
                   &list, 410);
}

Response ListPages::index(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    mstch::array rows;
    for (const auto& list : site_.lists->all()) {
        auto data = list_data(list);
        const auto members = site_.subscriptions->counts(list.id).subscribed;
        data.emplace("members", translate_count(site_, request, kMembers, members));
        rows.push_back(std::move(data));
    }
    const bool has_lists = !rows.empty();
    return render(site_, request, index_, "Mailing lists",
                  {{"lists", std::move(rows)},
                   {"has_lists", has_lists},
                   {"is_admin", request.visitor.role == "admin"}});
}

Response ListPages::info(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    return info_page(request, *list, Form{}, {}, "", 200);
}

Response ListPages::info_page(Request& request, const lists::List& list, const Form& typed,
                              const std::vector<core::Error>& errors, std::string_view form,
                              int status) const {
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    const auto error_in = [&](std::string_view which, std::string_view field) {
        return which == form ? field_error(site_, request, errors, field) : std::string();
    };
    const std::string language =
        typed.has("language") ? typed.value("language") : std::string(language_of(request));
    auto subscribe_form = form_data({
        Field{.name = "email",
              .label = t("Your e-mail address"),
              .value = form == "subscribe" ? typed.value("email") : "",
              .hint = t("We send a link to confirm. Nobody else sees the address."),
              .error = error_in("subscribe", "email"),
              .autocomplete = "email",
              .required = true},
        Field{.name = "name",
              .label = t("Your name (optional)"),
              .value = form == "subscribe" ? typed.value("name") : "",
              .error = error_in("subscribe", "name"),
              .autocomplete = "name"},
        Field{.name = "language",
              .label = t("Language of the list's messages to you"),
              .error = error_in("subscribe", "language")},
    });
    set_select_options(subscribe_form, "language", language_options(language));
    auto leave_form = form_data({
        Field{.name = "leave_email",
              .label = t("Your e-mail address"),
              .value = form == "leave" ? typed.value("leave_email") : "",
              .hint = t("We send a link to confirm that you leave the list."),
              .error = error_in("leave", "leave_email"),
              .autocomplete = "email",
              .required = true},
    });
    mstch::array summary =
        boost::get<mstch::array>((form == "leave" ? leave_form : subscribe_form).at("errors"));
    for (const auto& each : errors) {
        if (each.field.empty()) {
            summary.push_back(
                mstch::map{{"field_id", std::string("subscribe")}, {"message", t(each.message)}});
        }
    }
    const auto role = list_pages::role_of(site_, request, list);
    auto data = list_data(list);
    data.emplace("members", translate_count(site_, request, kMembers,
                                            site_.subscriptions->counts(list.id).subscribed));
    const bool has_errors = !summary.empty();
    return render(site_, request, info_, list.title(),
                  {{"list", std::move(data)},
                   {"subscribe_form", std::move(subscribe_form)},
                   {"leave_form", std::move(leave_form)},
                   {"has_errors", has_errors},
                   {"errors", std::move(summary)},
                   {"is_signed_in", request.visitor.is_signed_in()},
                   {"can_moderate", role.is_moderator}},
                  status, HasForm::Yes);
}

Response ListPages::subscribe(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const Form& form = form_of(request);
    const auto email = parse_email(form.value("email"));
    if (!email) {
        return info_page(request, *list, form,
                         {core::Error::invalid(std::string(kBadEmail), "email")}, "subscribe", 422);
    }
    const i18n::Language* language = i18n::find_language(form.value("language"));
    lists::SubscriptionRequest subscription{
        .email = *email,
        .display_name = core::trim(form.value("name")),
        .language = language != nullptr ? language->tag : std::string(language_of(request)),
        .source = lists::MemberSource::Web};
    auto requested = site_.subscriptions->request_subscription(*list, subscription);
    if (!requested) {
        auto problem = requested.error();
        if (problem.code == core::ErrorCode::RateLimited) {
            auto response = message(
                request, i18n::gettext_noop("Too many requests"),
                i18n::gettext_noop("We already sent several messages to this address for this "
                                   "list in the last hour."),
                i18n::gettext_noop("Check your mailbox (and spam folder) for the messages we "
                                   "sent, or try again in an hour."),
                &*list, 429);
            response.headers.set("Retry-After", "3600");
            return response;
        }
        if (problem.field == "display_name") {
            problem.field = "name";
        }
        return info_page(request, *list, form, {problem}, "subscribe", http_status(problem.code));
    }
    return message(request, i18n::gettext_noop("Check your e-mail"),
                   i18n::gettext_noop("We sent a message to {email} about joining {list}."),
                   i18n::gettext_noop("To subscribe, open the link in that message and press the "
                                      "button on the page. The link works for three days. If the "
                                      "message does not arrive within a few minutes, check your "
                                      "spam folder."),
                   &*list, 202, {{"email", email->unicode()}, {"list", list->title()}});
}

Response ListPages::request_unsubscribe(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const Form& form = form_of(request);
    const auto email = parse_email(form.value("leave_email"));
    if (!email) {
        return info_page(request, *list, form,
                         {core::Error::invalid(std::string(kBadEmail), "leave_email")}, "leave",
                         422);
    }
    auto requested =
        site_.subscriptions->request_unsubscription(*list, *email, language_of(request));
    if (!requested) {
        if (requested.error().code == core::ErrorCode::RateLimited) {
            auto response = message(
                request, i18n::gettext_noop("Too many requests"),
                i18n::gettext_noop("We already sent several messages to this address for this "
                                   "list in the last hour."),
                i18n::gettext_noop("Check your mailbox (and spam folder) for the messages we "
                                   "sent, or try again in an hour."),
                &*list, 429);
            response.headers.set("Retry-After", "3600");
            return response;
        }
        return info_page(request, *list, form, {requested.error()}, "leave",
                         http_status(requested.error().code));
    }
    return message(request, i18n::gettext_noop("Check your e-mail"),
                   i18n::gettext_noop("If {email} is subscribed to {list}, we sent it a message "
                                      "with a link to confirm that it leaves the list."),
                   i18n::gettext_noop("Open the link and press the button on the page. The link "
                                      "works for three days."),
                   &*list, 202, {{"email", email->unicode()}, {"list", list->title()}});
}

Response ListPages::confirm_form(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    auto confirmation = site_.subscriptions->find_confirmation(request.param("token"));
    if (!confirmation || confirmation->list.id != list->id) {
        return link_expired(request, *list);
    }
    const bool subscribe = confirmation->action == lists::ConfirmationAction::Subscribe;
    return render(site_, request, confirm_,
                  subscribe ? i18n::gettext_noop("Confirm your subscription")
                            : i18n::gettext_noop("Confirm that you leave the list"),
                  {{"list", list_data(*list)},
                   {"email", confirmation->member.email.unicode()},
                   {"subscribe", subscribe},
                   {"expires", list_pages::format_time(confirmation->expires_at)},
                   {"action", action_of(request)}},
                  200, HasForm::Yes);
}

Response ListPages::confirm(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const auto token = request.param("token");
    auto pending = site_.subscriptions->find_confirmation(token);
    if (!pending || pending->list.id != list->id) {
        return link_expired(request, *list);
    }
    auto confirmed = site_.subscriptions->confirm(token);
    if (!confirmed) {
        return link_expired(request, *list);
    }
    const std::vector<std::pair<std::string, std::string>> values{
        {"email", confirmed->member.email.unicode()}, {"list", list->title()}};
    if (confirmed->action == lists::ConfirmationAction::Subscribe) {
        return message(request, i18n::gettext_noop("You are subscribed"),
                       i18n::gettext_noop("{email} is now a member of {list}."),
                       i18n::gettext_noop("We sent a welcome message with your personal link: "
                                          "use it to choose how you receive the list or to "
                                          "leave it."),
                       &*list, 200, values);
    }
    return message(request, i18n::gettext_noop("You have left the list"),
                   i18n::gettext_noop("{email} is no longer subscribed to {list}."),
                   i18n::gettext_noop("You will receive no more messages from the list."), &*list,
                   200, values);
}

Response ListPages::unsubscribe_form(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list || !looks_like_token(request.param("token"))) {
        return list_pages::error(site_, request, 404);
    }
    // A link that names no member says so now, not after the button.
    const auto member = site_.subscriptions->member_by_unsubscribe_token(request.param("token"));
    if (!member) {
        return list_pages::error(site_, request, 404);
    }
    // The token names the member, whatever list the path names: show the member's own list.
    const std::optional<lists::List> own = site_.lists->find(member->list_id);
    const lists::List& shown = own ? *own : *list;
    return render(site_, request, unsubscribe_, "Leave the list",
                  {{"list", list_data(shown)},
                   {"action", action_of(request)},
                   {"email", member->email.unicode()},
                   {"already_left", member->state != lists::MemberState::Subscribed}},
                  200, HasForm::Yes);
}

Response ListPages::unsubscribe(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    // RFC 8058 §3.2: the mail client's POST carries no cookies and no token of ours; anything
    // else is the page's button, which must carry its CSRF token like every other form.
    const bool one_click = is_one_click_unsubscribe(request);
    if (!one_click) {
        const auto& form = request.form();
        if (!form) {
            return list_pages::error(site_, request, 400);
        }
        const auto token = form->get(csrf::kFieldName);
        if (!token || !csrf::verify(request.visitor, site_.settings.site_secret, *token)) {
            return list_pages::error(site_, request, 403);
        }
    }
    const auto list = list_of(request);
    if (!list || !looks_like_token(request.param("token"))) {
        return list_pages::error(site_, request, 404);
    }
    auto member = site_.subscriptions->unsubscribe(request.param("token"));
    if (!member) {
        return list_pages::error(site_, request,
                                 member.error().code == core::ErrorCode::NotFound
                                     ? 404
                                     : http_status(member.error().code));
    }
    // The token names the member, whatever list the path names: show the member's own list.
    std::optional<lists::List> left = site_.lists->find(member->list_id);
    const lists::List& shown = left ? *left : *list;
    return message(request, i18n::gettext_noop("You have left the list"),
                   i18n::gettext_noop("{email} is no longer subscribed to {list}."),
                   i18n::gettext_noop("You will receive no more messages from the list. To come "
                                      "back, subscribe again on the list's page."),
                   &shown, 200, {{"email", member->email.unicode()}, {"list", shown.title()}});
}

Response ListPages::preferences_form(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const auto token = request.param("token");
    auto member = site_.subscriptions->member_by_preferences_token(token);
    if (!member || member->list_id != list->id) {
        return list_pages::error(site_, request, 404);
    }
    return preferences_page(request, *list, *member, token, {}, false, 200);
}

Response ListPages::preferences_page(Request& request, const lists::List& list,
                                     const lists::Member& member, std::string_view token,
                                     const std::vector<core::Error>& errors, bool saved,
                                     int status) const {
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    mstch::array modes;
    for (const auto mode : {lists::DeliveryMode::Regular, lists::DeliveryMode::Digest,
                            lists::DeliveryMode::PlainDigest, lists::DeliveryMode::None}) {
        if (lists::receives_digests(mode) && !list.settings.digest_enabled &&
            member.delivery_mode != mode) {
            continue;
        }
        const std::string value = lists::to_string(mode);
        modes.push_back(mstch::map{{"value", value},
                                   {"id", "delivery-" + value},
                                   {"label", t(delivery_choice_msgid(mode))},
                                   {"checked", member.delivery_mode == mode}});
    }
    std::string unsubscribe_url;
    if (auto links = site_.subscriptions->links(list, member.id)) {
        unsubscribe_url = list_pages::list_url(list) + "/unsubscribe/" + links->unsubscribe_token;
    }
    mstch::array summary;
    for (const auto& each : errors) {
        summary.push_back(mstch::map{
            {"field_id",
             std::string(each.field == "language" ? "field-language" : "delivery-regular")},
            {"message", t(each.message)}});
    }
    const bool has_errors = !summary.empty();
    return render(site_, request, preferences_, "Your subscription",
                  {{"list", list_data(list)},
                   {"email", member.email.unicode()},
                   {"state", t(list_pages::state_msgid(member.state))},
                   {"is_subscribed", member.state == lists::MemberState::Subscribed},
                   {"modes", std::move(modes)},
                   {"languages", language_options(member.language)},
                   {"language_error", field_error(site_, request, errors, "language")},
                   {"delivery_error", field_error(site_, request, errors, "delivery")},
                   {"has_errors", has_errors},
                   {"errors", std::move(summary)},
                   {"saved", saved},
                   {"action", list_pages::list_url(list) + "/preferences/" + std::string(token)},
                   {"unsubscribe_url", unsubscribe_url}},
                  status, HasForm::Yes);
}

Response ListPages::save_preferences(Request& request) const {
    if (!wired()) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const auto token = request.param("token");
    auto member = site_.subscriptions->member_by_preferences_token(token);
    if (!member || member->list_id != list->id) {
        return list_pages::error(site_, request, 404);
    }
    const Form& form = form_of(request);
    auto mode = lists::parse_delivery_mode(form.value("delivery"));
    if (!mode) {
        return preferences_page(
            request, *list, *member, token,
            {core::Error::invalid(
                std::string(i18n::gettext_noop("Choose how you receive the list.")), "delivery")},
            false, 422);
    }
    auto updated = site_.subscriptions->update_preferences(token, *mode, form.value("language"));
    if (!updated) {
        auto problem = updated.error();
        if (problem.field.empty()) {
            problem.field = "delivery";
        }
        return preferences_page(request, *list, *member, token, {problem}, false,
                                http_status(problem.code));
    }
    return preferences_page(request, *list, *updated, token, {}, true, 200);
}

std::optional<core::Email> ListPages::poster(const Request& request,
                                             const lists::List& list) const {
    const auto role = list_pages::role_of(site_, request, list);
    if (!role.email) {
        return std::nullopt;
    }
    const auto member = site_.subscriptions->find_member(list.id, *role.email);
    if (!member || member->state != lists::MemberState::Subscribed) {
        return std::nullopt;
    }
    return role.email;
}

Response ListPages::post_page(Request& request, const lists::List& list, const PostInput& typed,
                              const std::vector<core::Error>& errors, int status) const {
    const auto t = [&](std::string_view msgid) { return translate(site_, request, msgid); };
    auto form = form_data({
        Field{.name = "subject",
              .label = t("Subject"),
              .value = typed.subject,
              .error = field_error(site_, request, errors, "subject"),
              .required = true},
        Field{.name = "body",
              .label = t("Message"),
              .value = typed.body,
              .hint = t("Plain text. The list adds its footer."),
              .error = field_error(site_, request, errors, "body"),
              .type = "textarea",
              .required = true},
        Field{.name = "in_reply_to",
              .label = t("In reply to (optional)"),
              .value = typed.in_reply_to,
              .hint = t("The Message-ID of the message you answer, to keep the thread together."),
              .error = field_error(site_, request, errors, "in_reply_to")},
    });
    mstch::array summary = boost::get<mstch::array>(form.at("errors"));
    for (const auto& each : errors) {
        if (each.field != "subject" && each.field != "body" && each.field != "in_reply_to") {
            summary.push_back(mstch::map{{"field_id", std::string("field-subject")},
                                         {"message", t(each.message)}});
        }
    }
    form["has_errors"] = !summary.empty();
    form["errors"] = std::move(summary);
    return render(site_, request, post_, "Write to the list",
                  {{"list", list_data(list)}, {"form", std::move(form)}}, status, HasForm::Yes);
}

Response ListPages::post_form(Request& request) const {
    if (!wired() || site_.intake == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    if (!poster(request, *list)) {
        return message(request, i18n::gettext_noop("Only members can write here"),
                       i18n::gettext_noop("Writing to {list} from the web is open to its members, "
                                          "signed in with the address they subscribed."),
                       i18n::gettext_noop("Subscribe on the list's page first, or write to the "
                                          "list's address from your mail program."),
                       &*list, 403, {{"list", list->title()}});
    }
    PostInput typed;
    if (auto replying = request.query_value("in_reply_to")) {
        typed.in_reply_to = std::string(*replying);
    }
    return post_page(request, *list, typed, {}, 200);
}

Response ListPages::post(Request& request) const {
    if (!wired() || site_.intake == nullptr) {
        return list_pages::error(site_, request, 503);
    }
    const auto list = list_of(request);
    if (!list) {
        return list_pages::error(site_, request, 404);
    }
    const auto author = poster(request, *list);
    if (!author) {
        return list_pages::error(site_, request, 403);
    }
    const Form& form = form_of(request);
    PostInput typed{.subject = core::trim(form.value("subject")),
                    .body = form.value("body"),
                    .in_reply_to = core::trim(form.value("in_reply_to"))};
    std::vector<core::Error> errors;
    if (typed.subject.empty()) {
        errors.push_back(core::Error::invalid("Write a subject.", "subject"));
    } else if (core::character_count(typed.subject) > kMaxSubjectCharacters ||
               core::has_control_characters(typed.subject) ||
               typed.subject.find_first_of("\r\n") != std::string::npos) {
        errors.push_back(core::Error::invalid(
            "Write a subject of at most 200 characters on one line.", "subject"));
    }
    if (core::trim(typed.body).empty()) {
        errors.push_back(core::Error::invalid("Write a message.", "body"));
    } else if (core::character_count(typed.body) > kMaxBodyCharacters ||
               core::has_control_characters(typed.body)) {
        errors.push_back(core::Error::invalid(
            "Write at most 100,000 characters, without control characters.", "body"));
    }
    std::optional<std::string> in_reply_to;
    if (!typed.in_reply_to.empty()) {
        std::string_view id = typed.in_reply_to;
        if (id.size() >= 2 && id.front() == '<' && id.back() == '>') {
            id = id.substr(1, id.size() - 2);
        }
        const bool bad = id.empty() || id.size() > kMaxMessageIdCharacters ||
                         id.find('@') == std::string_view::npos ||
                         std::any_of(id.begin(), id.end(), [](char c) {
                             const auto byte = static_cast<unsigned char>(c);
                             return byte <= 0x20 || byte >= 0x7f || c == '<' || c == '>';
                         });
        if (bad) {
            errors.push_back(core::Error::invalid(
                "Give a Message-ID such as 1234@example.org, or leave this empty.", "in_reply_to"));
        } else {
            in_reply_to = std::string(id);
        }
    }
    if (!errors.empty()) {
        return post_page(request, *list, typed, errors, 422);
    }
    std::string author_name = request.visitor.display_name;
    if (author_name == author->unicode()) {
        author_name.clear();  // The layout's name falls back to the address.
    }
    auto disposition = site_.intake->post_from_web(*list, *author, author_name, typed.subject,
                                                   typed.body, in_reply_to);
    if (!disposition) {
        return post_page(request, *list, typed, {disposition.error()},
                         http_status(disposition.error().code));
    }
    const std::vector<std::pair<std::string, std::string>> values{{"list", list->title()}};
    switch (disposition->kind) {
        case lists::Disposition::Kind::Accepted:
            return message(request, i18n::gettext_noop("Your message was posted"),
                           i18n::gettext_noop("Your message is on its way to the members of "
                                              "{list}."),
                           "", &*list, 200, values);
        case lists::Disposition::Kind::Held:
            return message(request, i18n::gettext_noop("Your message waits for a moderator"),
                           i18n::gettext_noop("A moderator of {list} will look at your message "
                                              "before it goes to the members."),
                           i18n::gettext_noop("You will hear by e-mail if it is not accepted."),
                           &*list, 202, values);
        case lists::Disposition::Kind::Rejected:
        case lists::Disposition::Kind::Discarded:
            break;
    }
    return message(request, i18n::gettext_noop("Your message was not posted"),
                   i18n::gettext_noop("The rules of {list} did not let your message through."),
                   i18n::gettext_noop("If the list told you why, it did so by e-mail. Write to "
                                      "the list's owners if you think this is a mistake."),
                   &*list, 200, values);
}

}  // namespace coalition::web
