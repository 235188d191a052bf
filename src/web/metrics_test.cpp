#include "web/metrics.hpp"

#include "core/unavailable.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace coalition::web {
namespace {

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

TEST(Metrics, CountsRequestsByRouteMethodAndStatus) {
    Metrics metrics;
    metrics.record_request("/members/:slug", Method::Get, 200, 0.002);
    metrics.record_request("/members/:slug", Method::Get, 200, 0.02);
    metrics.record_request("/members/:slug", Method::Get, 404, 0.0005);
    metrics.record_request("", Method::Post, 404, 7.0);
    std::string text = metrics.render();
    EXPECT_TRUE(contains(text, "# TYPE coalition_http_requests_total counter\n"));
    EXPECT_TRUE(contains(text,
                         "coalition_http_requests_total{route=\"/members/"
                         ":slug\",method=\"GET\",status=\"200\"} 2\n"));
    EXPECT_TRUE(contains(text,
                         "coalition_http_requests_total{route=\"/members/"
                         ":slug\",method=\"GET\",status=\"404\"} 1\n"));
    EXPECT_TRUE(contains(
        text,
        "coalition_http_requests_total{route=\"unmatched\",method=\"POST\",status=\"404\"} 1\n"));
}

TEST(Metrics, RendersACumulativeHistogram) {
    Metrics metrics;
    metrics.record_request("/", Method::Get, 200, 0.0005);
    metrics.record_request("/", Method::Get, 200, 0.003);
    metrics.record_request("/", Method::Get, 200, 10.0);
    std::string text = metrics.render();
    EXPECT_TRUE(contains(text, "# TYPE coalition_http_request_duration_seconds histogram\n"));
    EXPECT_TRUE(contains(
        text, "coalition_http_request_duration_seconds_bucket{route=\"/\",le=\"0.001\"} 1\n"));
    EXPECT_TRUE(contains(
        text, "coalition_http_request_duration_seconds_bucket{route=\"/\",le=\"0.0025\"} 1\n"));
    EXPECT_TRUE(contains(
        text, "coalition_http_request_duration_seconds_bucket{route=\"/\",le=\"0.005\"} 2\n"));
    EXPECT_TRUE(
        contains(text, "coalition_http_request_duration_seconds_bucket{route=\"/\",le=\"5\"} 2\n"));
    EXPECT_TRUE(contains(
        text, "coalition_http_request_duration_seconds_bucket{route=\"/\",le=\"+Inf\"} 3\n"));
    EXPECT_TRUE(contains(text, "coalition_http_request_duration_seconds_count{route=\"/\"} 3\n"));
    EXPECT_TRUE(contains(text, "coalition_http_request_duration_seconds_sum{route=\"/\"} 10.0035"));
}

TEST(Metrics, EscapesLabelValues) {
    Metrics metrics;
    metrics.record_request("/a\"b\\c\nd", Method::Get, 200, 0.1);
    EXPECT_TRUE(contains(metrics.render(), "route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(Metrics, ReadsGaugesAtRenderTime) {
    Metrics metrics;
    double depth = 3;
    metrics.add_gauge("coalition_mail_outbox_depth", "Mail waiting to be sent.",
                      [&depth] { return depth; });
    metrics.add_gauge("coalition_database_up", "1 when the database answers.",
                      []() -> double { throw core::Unavailable("database gone"); });
    std::string text = metrics.render();
    EXPECT_TRUE(contains(text,
                         "# HELP coalition_mail_outbox_depth Mail waiting to be sent.\n"
                         "# TYPE coalition_mail_outbox_depth gauge\n"
                         "coalition_mail_outbox_depth 3\n"));
    EXPECT_TRUE(contains(text, "coalition_database_up NaN\n"));
    depth = 41.5;
    EXPECT_TRUE(contains(metrics.render(), "coalition_mail_outbox_depth 41.5\n"));
}

TEST(Metrics, EveryLineIsWellFormed) {
    Metrics metrics;
    metrics.record_request("/x", Method::Delete, 500, 0.3);
    metrics.add_gauge("g", "help", [] { return 1.0; });
    std::string text = metrics.render();
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ASSERT_FALSE(line.empty());
        if (line[0] == '#') {
            EXPECT_TRUE(line.starts_with("# HELP ") || line.starts_with("# TYPE ")) << line;
        } else {
            EXPECT_NE(line.rfind(' '), std::string::npos) << line;
        }
    }
}

TEST(Metrics, CountsFromManyThreads) {
    Metrics metrics;
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
        threads.emplace_back([&metrics] {
            for (int request_idx = 0; request_idx < 10000; ++request_idx) {
                metrics.record_request("/", Method::Get, 200, 0.001);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_TRUE(contains(metrics.render(),
                         "coalition_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"} "
                         "40000\n"));
}

}  // namespace
}  // namespace coalition::web
