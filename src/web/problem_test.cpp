#include "web/problem.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <vector>

namespace coalition::web {
namespace {

TEST(Problem, MapsEveryErrorCode) {
    EXPECT_EQ(http_status(core::ErrorCode::Invalid), 422);
    EXPECT_EQ(http_status(core::ErrorCode::NotFound), 404);
    EXPECT_EQ(http_status(core::ErrorCode::Forbidden), 403);
    EXPECT_EQ(http_status(core::ErrorCode::Unauthorised), 401);
    EXPECT_EQ(http_status(core::ErrorCode::Conflict), 409);
    EXPECT_EQ(http_status(core::ErrorCode::Expired), 410);
    EXPECT_EQ(http_status(core::ErrorCode::RateLimited), 429);
    EXPECT_EQ(http_status(core::ErrorCode::TooLarge), 413);
}

TEST(Problem, RendersOneError) {
    Response response = problem_response(core::Error::not_found("No such organisation."));
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.headers.value("Content-Type"), "application/problem+json");
    auto json = nlohmann::json::parse(response.body);
    EXPECT_EQ(json["type"], "about:blank");
    EXPECT_EQ(json["title"], "Not Found");
    EXPECT_EQ(json["status"], 404);
    EXPECT_EQ(json["detail"], "No such organisation.");
    EXPECT_FALSE(json.contains("errors"));
}

TEST(Problem, ListsFieldErrors) {
    std::vector<core::Error> errors = {
        core::Error::invalid("Enter an e-mail address.", "email"),
        core::Error::invalid("Names are at most 200 characters.", "name"),
    };
    Response response = problem_response(errors);
    EXPECT_EQ(response.status, 422);
    auto json = nlohmann::json::parse(response.body);
    EXPECT_EQ(json["title"], "Unprocessable Content");
    ASSERT_EQ(json["errors"].size(), 2u);
    EXPECT_EQ(json["errors"][0]["field"], "email");
    EXPECT_EQ(json["errors"][1]["message"], "Names are at most 200 characters.");
}

TEST(Problem, EscapesHostileTextAsJson) {
    Response response =
        problem_response(core::Error::invalid("\"</script><script>alert(1)</script>", "x\"y"));
    auto json = nlohmann::json::parse(response.body);
    EXPECT_EQ(json["detail"], "\"</script><script>alert(1)</script>");
    EXPECT_EQ(json["errors"][0]["field"], "x\"y");
}

TEST(Problem, InvalidUtf8DoesNotThrow) {
    Response response = problem_response(core::Error::invalid("bad \xff byte"));
    EXPECT_EQ(response.status, 422);
    EXPECT_TRUE(nlohmann::json::accept(response.body));
}

TEST(Problem, RendersAStatusWithoutAnError) {
    Response response = problem_response(503, "Try again soon.");
    EXPECT_EQ(response.status, 503);
    auto json = nlohmann::json::parse(response.body);
    EXPECT_EQ(json["title"], "Service Unavailable");
    EXPECT_EQ(json["status"], 503);
}

}  // namespace
}  // namespace coalition::web
