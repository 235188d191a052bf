#include "web/page.hpp"

#include "core/random.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "web/csrf.hpp"
#include "web/pages/archive_view.hpp"

#include <nlohmann/json.hpp>
#include <unicode/coll.h>
#include <unicode/locid.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <memory>

namespace coalition::web {
namespace {

// The decoded request path encoded again segment by segment, for links back to this page.
std::string encode_path(std::string_view path) {
    std::string encoded;
    std::size_t start = 0;
    while (start < path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        encoded += percent_encode(path.substr(start, end - start));
        if (slash != std::string_view::npos) {
            encoded += '/';
        }
        start = end + 1;
    }
    return encoded.empty() ? "/" : encoded;
}

}  // namespace

std::string_view language_of(const Request& request) {
    return request.visitor.language.empty() ? std::string_view("en")
                                            : std::string_view(request.visitor.language);
}

std::string translate(const Site& site, const Request& request, std::string_view msgid) {
    return site.pages.translate(language_of(request), msgid);
}

std::string translate_count(const Site& site, const Request& request, i18n::PluralMessage message,
                            long count) {
    return i18n::format(site.pages.translate_plural(language_of(request), message, count),
                        {{"count", std::to_string(count)}});
}

PageContext page_context(const Site& site, const Request& request, std::string_view title_msgid) {
    PageContext context;
    context.language = std::string(language_of(request));
    context.title = translate(site, request, title_msgid);
    context.site_name = site.settings.name;
    context.contact_email = site.settings.contact_email;
    if (request.visitor.is_signed_in()) {
        context.visitor =
            PageVisitor{request.visitor.display_name, request.visitor.role == "admin"};
    }
    if (!request.visitor.csrf_secret.empty()) {
        context.csrf_token = csrf::token_for(request.visitor, site.settings.site_secret);
    }
    context.path = encode_path(request.path);
    return context;
}

Response render(const Site& site, Request& request, TemplateRef body, std::string_view title_msgid,
                mstch::map data, int status, HasForm has_form) {
    std::string anonymous_secret;
    if (has_form == HasForm::Yes && request.visitor.csrf_secret.empty()) {
        static thread_local core::SecureRandom random;
        anonymous_secret = random.token();
        request.visitor.csrf_secret = anonymous_secret;
        request.visitor.session_token_hash_or_anon_id = anonymous_secret;
    }
    auto response = Response::html(
        site.pages.render_page(page_context(site, request, title_msgid), body, std::move(data)),
        status);
    if (!anonymous_secret.empty()) {
        response.set_cookie(kAnonymousCookie, anonymous_secret, cookie_options(site));
    }
    return response;
}

Response error_page(const Site& site, const Request& request, int status) {
    static constexpr std::pair<int, std::string_view> kTitles[] = {
        {400, "Bad request"},         {403, "Not allowed"},          {404, "Page not found"},
        {405, "Not allowed"},         {413, "Too much data"},        {415, "Unsupported data"},
        {503, "Service unavailable"}, {500, "Something went wrong"},
    };
    std::string_view title = "Something went wrong";
    for (const auto& [code, text] : kTitles) {
        if (code == status) {
            title = text;
        }
    }
    return Response::html(site.pages.render_error_page(page_context(site, request, title), status),
                          status);
}

accounts::Actor member_actor(const Request& request) {
    return accounts::Actor::user(accounts::UserId(request.visitor.user_id.value_or(0)));
}

std::optional<accounts::Actor> actor_of(const Request& request) {
    if (!request.visitor.user_id) {
        return std::nullopt;
    }
    return accounts::Actor::user(accounts::UserId(*request.visitor.user_id));
}

std::string action_of(const Request& request) {
    return request.raw_target.substr(0, request.raw_target.find('?'));
}

const Form& form_of(const Request& request) {
    static const Form empty;
    const auto& parsed = request.form();
    return parsed ? *parsed : empty;
}

std::string form_value(const Request& request, std::string_view name) {
    const auto& form = request.form();
    return form ? std::string(form->value(name)) : std::string();
}

int form_status(const std::vector<core::Error>& errors) {
    return !errors.empty() && errors.front().code == core::ErrorCode::Conflict ? 409 : 422;
}

core::Error tied_to_field(core::Error error, std::string_view field) {
    if (error.field.empty()) {
        error.field = std::string(field);
    }
    return error;
}

Response render_with_flash(const Site& site, const Request& request, TemplateRef body,
                           std::string_view title_msgid, mstch::map data, int status,
                           std::string flash) {
    auto context = page_context(site, request, title_msgid);
    context.flash = std::move(flash);
    return Response::html(site.pages.render_page(context, body, std::move(data)), status);
}

Response json_response(const nlohmann::json& body, int status) {
    auto response = Response::json(body.dump(), status);
    response.headers.set("Content-Type", "application/json; charset=utf-8");
    return response;
}

std::string text(std::string_view view) {
    return std::string(view);
}

std::string upper_ascii(std::string value) {
    for (char& character : value) {
        if (character >= 'a' && character <= 'z') {
            character = static_cast<char>(character - 'a' + 'A');
        }
    }
    return value;
}

std::optional<std::int64_t> read_integer(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::int64_t> positive_integer(std::string_view text) {
    const auto value = read_integer(text);
    return value && *value > 0 ? value : std::nullopt;
}

std::optional<int> positive_int(std::string_view text) {
    const auto value = positive_integer(text);
    if (!value || *value > std::numeric_limits<int>::max()) {
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

Response file_download(std::string body, std::string_view content_type, std::string_view filename) {
    auto response = Response::text(std::move(body));
    response.headers.set("Content-Type", std::string(content_type));
    response.headers.set("Content-Disposition", archive_view::attachment_disposition(filename));
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
}

std::string field_error(const Site& site, const Request& request,
                        const std::vector<core::Error>& errors, std::string_view field) {
    for (const auto& error : errors) {
        if (error.field == field) {
            return translate(site, request, error.message);
        }
    }
    return "";
}

mstch::map select_option(std::string_view value, std::string label, std::string_view current) {
    return mstch::map{
        {"value", std::string(value)}, {"label", std::move(label)}, {"selected", value == current}};
}

void set_select_options(mstch::map& form, const std::string& name, mstch::array options) {
    auto& by_name = boost::get<mstch::map>(form.at("field"));
    boost::get<mstch::map>(by_name.at(name)).emplace("options", std::move(options));
}

mstch::array language_options(std::string_view selected) {
    mstch::array options;
    for (const auto& language : i18n::supported_languages()) {
        options.push_back(select_option(language.tag, language.native_name, selected));
    }
    return options;
}

namespace {

std::vector<CountryName> countries_sorted_for(const std::string& language) {
    std::vector<CountryName> countries;
    for (const auto& country : accounts::all_countries()) {
        countries.push_back({country.code(), country.name(language)});
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(
        icu::Collator::createInstance(icu::Locale(language.c_str()), status));
    std::sort(countries.begin(), countries.end(),
              [&](const CountryName& lhs, const CountryName& rhs) {
                  if (U_FAILURE(status) || collator == nullptr) {
                      return lhs.name < rhs.name;
                  }
                  UErrorCode compare_status = U_ZERO_ERROR;
                  return collator->compareUTF8(lhs.name, rhs.name, compare_status) == UCOL_LESS;
              });
    return countries;
}

}  // namespace

const std::vector<CountryName>& countries_by_name(std::string_view language) {
    // About 250 ICU look-ups and a collator per language.
    static const PerLanguage<std::vector<CountryName>> table(countries_sorted_for);
    return table.get(language);
}

mstch::array country_options(std::string_view language, std::string_view selected,
                             std::string placeholder) {
    const std::vector<CountryName>& countries = countries_by_name(language);
    std::string code;
    for (const char c : core::trim(selected)) {
        code += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    mstch::array options{select_option("", std::move(placeholder), code)};
    for (const auto& entry : countries) {
        options.push_back(select_option(entry.code, entry.name, code));
    }
    return options;
}

CookieOptions cookie_options(const Site& site) {
    CookieOptions options;
    options.secure = site.settings.secure_cookies;
    return options;
}

}  // namespace coalition::web
