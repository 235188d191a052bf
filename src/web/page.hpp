#pragma once
// Helpers every page handler uses: the page context from a request, translation in the
// visitor's language, rendering inside the layout, form fields from validation errors, and the
// anonymous visitor's CSRF cookie. Handlers stay short: parse input → one service call → render.

#include "core/result.hpp"
#include "web/http.hpp"
#include "web/layout.hpp"
#include "web/site.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::web {

// The visitor's language tag ("en" when none was chosen).
std::string_view language_of(const Request& request);

// `msgid` in the visitor's language.
std::string translate(const Site& site, const Request& request, std::string_view msgid);

// `message` in the visitor's language, in the plural form for `count`, with {count} replaced.
std::string translate_count(const Site& site, const Request& request, i18n::PluralMessage message,
                            long count);

// The layout's context for `request`: language, visitor, CSRF token, path; `title_msgid` is
// translated here.
PageContext page_context(const Site& site, const Request& request, std::string_view title_msgid);

// Whether a page holds a form of its own (beyond the layout's sign-out form).
enum class HasForm { No, Yes };

// `body` with `data` inside the layout, as an HTML response with `status`. With HasForm::Yes an
// anonymous visitor without a CSRF secret gets one (the `anon` cookie) so the form can be posted
// back; other pages set no cookie, so merely reading the site leaves no identifier behind.
Response render(const Site& site, Request& request, TemplateRef body, std::string_view title_msgid,
                mstch::map data = {}, int status = 200, HasForm has_form = HasForm::No);

// The error page for `status` (400, 403, 404, 405, 413, 415, 500 or 503; any other is titled
// "Something went wrong"), in the visitor's language, inside the layout.
Response error_page(const Site& site, const Request& request, int status);

// The signed-in visitor as the domain modules' actor (for routes that require a signed-in
// visitor: Access::Member and above).
accounts::Actor member_actor(const Request& request);

// The signed-in visitor as the domain modules' actor; nullopt for an anonymous visitor.
std::optional<accounts::Actor> actor_of(const Request& request);

// The path the request came to, without its query: the action of the page's button form.
std::string action_of(const Request& request);

// The request's form (the router has checked it parsed), or an empty one.
const Form& form_of(const Request& request);

// The value of field `name` in the request's form; "" when it has none.
std::string form_value(const Request& request, std::string_view name);

// The status of a form shown again with `errors`: 409 when the first is a conflict, else 422.
int form_status(const std::vector<core::Error>& errors);

// `error` with `field` as its field when it names none (a service error about the form as a
// whole), so the error summary can link to that field.
core::Error tied_to_field(core::Error error, std::string_view field);

// `body` with `data` inside the layout, with `flash` (a confirmation) in the layout's status
// region (role=status), as an HTML response with `status`. Only for signed-in visitors: their
// session already holds the CSRF secret a form needs.
Response render_with_flash(const Site& site, const Request& request, TemplateRef body,
                           std::string_view title_msgid, mstch::map data, int status,
                           std::string flash);

// `body` as an application/json response (charset=utf-8). Its strings must be valid UTF-8 (the
// domain validates stored text), or dump() throws.
Response json_response(const nlohmann::json& body, int status = 200);

// A string holding `view`: mstch values and error messages own their text.
std::string text(std::string_view view);

// `value` with ASCII letters a-z in upper case (country codes); other bytes unchanged.
std::string upper_ascii(std::string value);

// A whole decimal number as typed in a form (digits, after a minus sign when negative); nullopt
// for anything else, or beyond int64_t.
std::optional<std::int64_t> read_integer(std::string_view text);

// An id or number from a path, query or form: read_integer above zero; nullopt otherwise.
std::optional<std::int64_t> positive_integer(std::string_view text);
// The same within int (version and revision numbers).
std::optional<int> positive_int(std::string_view text);

// The longest reason or question a moderator may type (a rejected post, a reviewed signature).
inline constexpr std::size_t kMaxReasonCharacters = 2000;

// A file to save, not to show: `content_type` as given (with its charset when it is text),
// Content-Disposition attachment with an RFC 6266 filename (UTF-8 names kept), nosniff.
Response file_download(std::string body, std::string_view content_type, std::string_view filename);

// The message of the error about `field` among `errors`, translated; "" when there is none.
std::string field_error(const Site& site, const Request& request,
                        const std::vector<core::Error>& errors, std::string_view field);

// One <option> of a select field: {value, label, selected}.
mstch::map select_option(std::string_view value, std::string label, std::string_view current);

// Adds the <option>s of select field `name` to a form_data() map (templates/admin_select.mustache).
void set_select_options(mstch::map& form, const std::string& name, mstch::array options);

// The <option>s of a language select: each supported language by its own name; `selected` is
// the chosen tag.
mstch::array language_options(std::string_view selected);

// One value per supported language, built by `build(tag)` on the first get() in that language
// (not before: a table no visitor asks for costs no memory), then read-only; get() is safe from
// any thread. An unsupported tag gets English.
template <typename T>
class PerLanguage {
public:
    explicit PerLanguage(std::function<T(const std::string& tag)> build)
        : build_(std::move(build)),
          slots_(std::make_unique<Slot[]>(i18n::supported_languages().size())) {}

    const T& get(std::string_view language) const {
        const std::size_t index = i18n::language_index(language);
        Slot& slot = slots_[index];
        std::call_once(slot.built,
                       [&] { slot.value.emplace(build_(i18n::supported_languages()[index].tag)); });
        return *slot.value;
    }

private:
    struct Slot {
        std::once_flag built;
        std::optional<T> value;
    };
    std::function<T(const std::string&)> build_;
    std::unique_ptr<Slot[]> slots_;
};

// A country's ISO code and its name in one language.
struct CountryName {
    std::string code;
    std::string name;
};

// Every country by its name in `language`, sorted as readers of that language expect (ICU
// collation); built on the first use of each language.
const std::vector<CountryName>& countries_by_name(std::string_view language);

// The <option>s of a country select: `placeholder` (value "") first, then every country by its
// name in `language` (countries_by_name); `selected` is an ISO code in any case.
mstch::array country_options(std::string_view language, std::string_view selected,
                             std::string placeholder);

// Cookie settings for this site (Secure when the base URL is https).
CookieOptions cookie_options(const Site& site);

// The name of the session cookie and the anonymous visitor's cookie.
inline constexpr std::string_view kSessionCookie = "session";
inline constexpr std::string_view kAnonymousCookie = "anon";
inline constexpr std::string_view kLanguageCookie = "lang";

}  // namespace coalition::web
