#include "web/page.hpp"

#include "core/random.hpp"
#include "web/csrf.hpp"

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

CookieOptions cookie_options(const Site& site) {
    CookieOptions options;
    options.secure = site.settings.secure_cookies;
    return options;
}

}  // namespace coalition::web
