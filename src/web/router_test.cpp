#include "web/router.hpp"

#include "web/csrf.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace coalition::web {
namespace {

constexpr std::string_view kSecret = "router-test-site-secret";

Request make_request(Method method, std::string target, std::string body = {},
                     std::string content_type = {}) {
    Request request;
    request.method = method;
    request.raw_target = std::move(target);
    request.path = request.raw_target.substr(0, request.raw_target.find('?'));
    request.body = std::move(body);
    if (!content_type.empty()) {
        request.headers.add("Content-Type", std::move(content_type));
    }
    return request;
}

Handler echo(const std::string& name) {
    return [name](Request& request) {
        std::string body = name;
        for (const auto& [key, value] : request.route_params) {
            body.append(" ").append(key).append("=").append(value);
        }
        return Response::text(body);
    };
}

class RouterTest : public ::testing::Test {
protected:
    RouterTest() : router_(RouterOptions{std::string(kSecret), true, "/signin"}) {
        router_.add(Method::Get, "/", echo("home"));
        router_.add(Method::Get, "/members", echo("members"));
        router_.add(Method::Get, "/members/:slug", echo("member"));
        router_.add(Method::Post, "/members/:slug", echo("member-post"));
        router_.add(Method::Get, "/members/:slug/edit", echo("edit"), Access::Member);
        router_.add(Method::Get, "/moderation", echo("moderation"), Access::Moderator);
        router_.add(Method::Get, "/admin", echo("admin"), Access::Admin);
        router_.add(Method::Get, "/static/*path", echo("static"));
        router_.add(Method::Post, "/api/v1/organisations", echo("api-create"));
        router_.add(Method::Get, "/api/v1/private", echo("api-private"), Access::Member);
        router_.add(Method::Get, "/explode",
                    [](Request&) -> Response { throw std::runtime_error("boom"); });
    }

    Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoutes) {
    Request request = make_request(Method::Get, "/");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "home");
    EXPECT_EQ(request.route, "/");

    request = make_request(Method::Get, "/members");
    EXPECT_EQ(router_.handle(request).body, "members");
}

TEST_F(RouterTest, BindsDecodedParameters) {
    Request request = make_request(Method::Get, "/members/caf%C3%A9%20ab");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "member slug=café ab");
    EXPECT_EQ(request.param("slug"), "café ab");
    EXPECT_EQ(request.route, "/members/:slug");
}

TEST_F(RouterTest, EncodedSlashStaysInsideOneParameter) {
    Request request = make_request(Method::Get, "/members/a%2Fb");
    EXPECT_EQ(router_.handle(request).body, "member slug=a/b");
}

TEST_F(RouterTest, ParameterWithBadEncodingIs400) {
    for (std::string target : {"/members/%ZZ", "/members/%C3", "/members/a%00b"}) {
        Request request = make_request(Method::Get, target);
        EXPECT_EQ(router_.handle(request).status, 400) << target;
    }
}

TEST_F(RouterTest, RestParameterTakesTheRemainder) {
    Request request = make_request(Method::Get, "/static/css/site.css");
    EXPECT_EQ(router_.handle(request).body, "static path=css/site.css");
    request = make_request(Method::Get, "/static");
    EXPECT_EQ(router_.handle(request).status, 404);
}

TEST_F(RouterTest, UnknownPathIs404FromTheRenderer) {
    router_.set_error_page_renderer([](const Request&, int status, std::string_view message) {
        return Response::html(
            "<p>custom " + std::to_string(status) + " " + std::string(message) + "</p>", status);
    });
    for (std::string target : {"/nope", "/members/a/b/c", "//members", "/members//edit"}) {
        Request request = make_request(Method::Get, target);
        Response response = router_.handle(request);
        EXPECT_EQ(response.status, 404) << target;
        EXPECT_NE(response.body.find("custom 404"), std::string::npos) << target;
        EXPECT_EQ(request.route, "") << target;
    }
}

TEST_F(RouterTest, ErrorPageRendererThatThrowsFallsBackToBuiltIn) {
    router_.set_error_page_renderer([](const Request&, int, std::string_view) -> Response {
        throw std::runtime_error("templates gone");
    });
    Request request = make_request(Method::Get, "/nope");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 404);
    EXPECT_NE(response.body.find("There is no page at this address."), std::string::npos);
}

TEST_F(RouterTest, UnknownApiPathIsProblemJson) {
    Request request = make_request(Method::Get, "/api/v1/nope");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.headers.value("content-type"), "application/problem+json");
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
    Request request = make_request(Method::Delete, "/members/someone");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.headers.value("Allow"), "GET, HEAD, POST");

    request = make_request(Method::Put, "/members");
    response = router_.handle(request);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.headers.value("Allow"), "GET, HEAD");
}

TEST_F(RouterTest, HeadIsServedByGet) {
    Request request = make_request(Method::Head, "/members/x");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "member slug=x");  // The server drops the body, keeps its length.
}

TEST_F(RouterTest, TrailingSlashRedirectsKeepingTheQuery) {
    Request request = make_request(Method::Get, "/members/?page=2");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 308);
    EXPECT_EQ(response.headers.value("Location"), "/members?page=2");
}

TEST_F(RouterTest, TrailingSlashNeverRedirectsOffSite) {
    router_.add(Method::Get, "/evil.example", echo("x"));
    Request request = make_request(Method::Get, "//evil.example/");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 404);
    EXPECT_FALSE(response.headers.has("Location"));
}

TEST_F(RouterTest, MembersOnlyRouteRedirectsAnonymousToSignIn) {
    Request request = make_request(Method::Get, "/members/x/edit?tab=a&b=c");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 303);
    EXPECT_EQ(response.headers.value("Location"),
              "/signin?next=%2Fmembers%2Fx%2Fedit%3Ftab%3Da%26b%3Dc");
}

TEST_F(RouterTest, MembersOnlyApiRouteIs401Problem) {
    Request request = make_request(Method::Get, "/api/v1/private");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(response.headers.value("Content-Type"), "application/problem+json");
}

TEST_F(RouterTest, RolesAreEnforced) {
    auto as = [this](std::string role, std::string target) {
        Request request = make_request(Method::Get, std::move(target));
        request.visitor.user_id = 7;
        request.visitor.role = std::move(role);
        return router_.handle(request).status;
    };
    EXPECT_EQ(as("member", "/members/x/edit"), 200);
    EXPECT_EQ(as("member", "/moderation"), 403);
    EXPECT_EQ(as("moderator", "/moderation"), 200);
    EXPECT_EQ(as("admin", "/moderation"), 200);
    EXPECT_EQ(as("moderator", "/admin"), 403);
    EXPECT_EQ(as("admin", "/admin"), 200);
    EXPECT_EQ(as("", "/admin"), 403);
}

TEST_F(RouterTest, VisitorResolverRunsFirstAndItsCookiesAreKept) {
    router_.set_visitor_resolver([](Request& request, Response& response) {
        request.visitor.user_id = 1;
        request.visitor.role = "admin";
        response.set_cookie("anon", "abc");
    });
    Request request = make_request(Method::Get, "/admin");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.headers.value("Set-Cookie"), "anon=abc; Path=/; HttpOnly; SameSite=Lax");

    request = make_request(Method::Get, "/nope");
    response = router_.handle(request);
    EXPECT_EQ(response.status, 404);
    EXPECT_TRUE(response.headers.has("Set-Cookie"));
}

TEST_F(RouterTest, VisitorResolverCanAnswerAtOnce) {
    router_.set_visitor_resolver(
        [](Request&, Response& response) { response = Response::text("slow down", 429); });
    Request request = make_request(Method::Get, "/");
    EXPECT_EQ(router_.handle(request).status, 429);
}

TEST_F(RouterTest, FormPostNeedsTheVisitorsCsrfToken) {
    Visitor visitor;
    visitor.csrf_secret = "anon-cookie-value";
    std::string token = csrf::token_for(visitor, kSecret);
    auto post = [this, &visitor](std::string body, std::string content_type) {
        Request request =
            make_request(Method::Post, "/members/x", std::move(body), std::move(content_type));
        request.visitor = visitor;
        return router_.handle(request);
    };
    constexpr std::string_view kForm = "application/x-www-form-urlencoded";
    EXPECT_EQ(post("name=a&_csrf=" + token, std::string(kForm)).status, 200);
    EXPECT_EQ(
        post("name=a&_csrf=" + token, "application/x-www-form-urlencoded; charset=UTF-8").status,
        200);
    Response missing = post("name=a", std::string(kForm));
    EXPECT_EQ(missing.status, 403);
    EXPECT_NE(missing.body.find("This form has expired."), std::string::npos);
    EXPECT_EQ(post("_csrf=" + token + "x", std::string(kForm)).status, 403);
    // A body that is not a well-formed form is refused as such (400), never handled.
    EXPECT_EQ(post("_csrf=" + token, "text/plain").status, 400);
    EXPECT_EQ(post("_csrf=%ZZ", std::string(kForm)).status, 400);
    EXPECT_EQ(post("name=%FF&_csrf=" + token, std::string(kForm)).status, 400);
    visitor.csrf_secret = "someone-else";
    EXPECT_EQ(post("_csrf=" + token, std::string(kForm)).status, 403);
}

TEST_F(RouterTest, ApiWritesNeedJson) {
    Request request = make_request(Method::Post, "/api/v1/organisations", "name=x",
                                   "application/x-www-form-urlencoded");
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 415);
    EXPECT_EQ(response.headers.value("Content-Type"), "application/problem+json");

    request = make_request(Method::Post, "/api/v1/organisations", "{}",
                           "Application/JSON; charset=utf-8");
    EXPECT_EQ(router_.handle(request).status, 200);
}

TEST_F(RouterTest, HandlerExceptionsPropagateToTheServer) {
    Request request = make_request(Method::Get, "/explode");
    EXPECT_THROW((void)router_.handle(request), std::runtime_error);
}

TEST_F(RouterTest, HostileSegmentsMatchNothingAndAreNotReflectedUnescaped) {
    Request request = make_request(Method::Get, "/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    request.path = "/<script>alert(1)</script>";
    Response response = router_.handle(request);
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.body.find("<script>"), std::string::npos);
}

}  // namespace
}  // namespace coalition::web
