#include "core/email.hpp"
#include "web/page.hpp"
#include "web/pages/pages.hpp"
#include "web/problem.hpp"

#include <chrono>

namespace coalition::web {
namespace {

// Only local paths may be a `next` target, so a sign-in link cannot send anyone elsewhere.
std::string safe_next(std::string_view next) {
    if (next.size() > 1 && next.size() < 2000 && next.front() == '/' && next[1] != '/' &&
        next[1] != '\\' && next.find_first_of("\r\n") == std::string_view::npos) {
        return std::string(next);
    }
    return next == "/" ? "/" : "";
}

std::string next_of(const Request& request) {
    if (const auto& form = request.form(); form && form->has("next")) {
        return safe_next(form->value("next"));
    }
    return safe_next(request.query_value("next").value_or(""));
}

}  // namespace

SignInPages::SignInPages(Site& site)
    : site_(site),
      form_(site.pages.require("signin")),
      sent_(site.pages.require("signin_sent")),
      confirm_(site.pages.require("signin_confirm")) {
}

Response SignInPages::form(Request& request) const {
    return submit_form(request, "", {}, 200);
}

Response SignInPages::submit_form(Request& request, std::string_view email,
                                  const std::vector<core::Error>& errors, int status) const {
    const std::vector<Field> fields = {
        Field{.name = "email",
              .label = translate(site_, request, "E-mail address"),
              .value = std::string(email),
              .error = field_error(site_, request, errors, "email"),
              .type = "email",
              .autocomplete = "email",
              .required = true},
        Field{
            .name = "password",
            .label = translate(site_, request, "Password (optional)"),
            .hint = translate(site_, request, "Leave this empty to get a sign-in link by e-mail."),
            .error = field_error(site_, request, errors, "password"),
            .type = "password",
            .autocomplete = "current-password"},
    };
    auto data = form_data(fields);
    data.emplace("next", next_of(request));
    return render(site_, request, form_, "Sign in", std::move(data), status, HasForm::Yes);
}

Response SignInPages::submit(Request& request) const {
    const auto& form = request.form();
    if (!form) {
        return submit_form(
            request, "",
            {core::Error::invalid("Enter an e-mail address like name@example.org.", "email")}, 422);
    }
    const std::string typed = form->value("email");
    auto email = core::Email::parse(typed);
    if (!email) {
        return submit_form(request, typed, {email.error()}, 422);
    }
    if (const std::string password = form->value("password"); !password.empty()) {
        auto user = site_.users.verify_password(*email, password);
        if (!user) {
            return submit_form(request, typed,
                               {core::Error::invalid(
                                   "The e-mail address or the password is not right.", "password")},
                               422);
        }
        return start_session(request, user->id.value(), next_of(request));
    }
    auto sent =
        site_.sign_in.request_sign_in_link(*email, language_of(request), site_.settings.base_url);
    if (!sent) {
        return submit_form(request, typed,
                           {core::Error{sent.error().code, sent.error().message, "email"}},
                           http_status(sent.error().code));
    }
    return render(site_, request, sent_, "Check your e-mail", {{"email", email->unicode()}});
}

Response SignInPages::confirm_form(Request& request) const {
    return render(site_, request, confirm_, "Sign in",
                  {{"action", request.raw_target.substr(0, request.raw_target.find('?'))},
                   {"next", next_of(request)}},
                  200, HasForm::Yes);
}

Response SignInPages::confirm(Request& request) const {
    auto user = site_.sign_in.consume_sign_in_token(request.param("token"));
    if (!user) {
        return render(site_, request, site_.pages.require("signin_failed"),
                      "This link no longer works", {}, 410);
    }
    return start_session(request, user->id.value(), next_of(request));
}

Response SignInPages::start_session(Request& request, std::int64_t user_id,
                                    std::string_view next) const {
    const auto session = site_.sessions.create_session(accounts::UserId(user_id));
    auto response = Response::redirect_see_other(next.empty() ? "/" : std::string(next));
    auto options = cookie_options(site_);
    options.max_age =
        std::chrono::duration_cast<std::chrono::seconds>(accounts::Sessions::kLifetime);
    response.set_cookie(kSessionCookie, session.token, options);
    // The anonymous form secret has done its job; the session brings its own.
    if (request.cookie(kAnonymousCookie)) {
        response.clear_cookie(kAnonymousCookie, cookie_options(site_));
    }
    return response;
}

Response SignInPages::sign_out(Request& request) const {
    if (auto token = request.cookie(kSessionCookie)) {
        site_.sessions.delete_session(*token);
    }
    auto response = Response::redirect_see_other("/");
    response.clear_cookie(kSessionCookie, cookie_options(site_));
    return response;
}

}  // namespace coalition::web
