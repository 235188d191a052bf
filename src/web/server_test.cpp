// Speaks real HTTP (libcurl) to an HttpServer bound to an ephemeral port.

#include "web/server.hpp"

#include "core/unavailable.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace coalition::web {
namespace {

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};
const CurlGlobal curl_global_state;

struct Reply {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // Lower-case names.
    long new_connections = 0;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* out) {
    std::string line(data, size * count);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of("\r\n") + 1);
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
    }
    return size * count;
}

class Client {
public:
    Client() : curl_(curl_easy_init()) {}
    ~Client() { curl_easy_cleanup(curl_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    Reply send(const std::string& method, const std::string& url, const std::string& body = {},
               const std::vector<std::string>& extra_headers = {}) {
        Reply reply;
        curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl_, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
        curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST,
                         method == "HEAD" || method == "GET" ? nullptr : method.c_str());
        if (method != "GET" && method != "HEAD") {
            curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(body.size()));
        } else {
            curl_easy_setopt(curl_, CURLOPT_HTTPGET, method == "GET" ? 1L : 0L);
        }
        curl_slist* headers = curl_slist_append(nullptr, "Expect:");
        for (const std::string& header : extra_headers) {
            headers = curl_slist_append(headers, header.c_str());
        }
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect_body);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply.body);
        curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, collect_header);
        curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply.headers);
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 60L);
        reply.code = curl_easy_perform(curl_);
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply.status);
        curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &reply.new_connections);
        curl_slist_free_all(headers);
        return reply;
    }

private:
    CURL* curl_;
};

// Lets a test hold a handler until it says so, without sleeping.
struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    bool entered = false;
    bool released = false;

    void enter_and_wait() {
        std::unique_lock lock(mutex);
        entered = true;
        changed.notify_all();
        changed.wait(lock, [this] { return released; });
    }
    void wait_until_entered() {
        std::unique_lock lock(mutex);
        changed.wait(lock, [this] { return entered; });
    }
    void release() {
        std::lock_guard lock(mutex);
        released = true;
        changed.notify_all();
    }
};

bool accepts_connections(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

// Stops `server` from another thread while `gate` holds a handler: checks that stop() closes the
// listener and then waits for the handler, releases it, and returns once stop() has returned.
void stop_while_a_handler_waits(HttpServer& server, Gate& gate) {
    const std::uint16_t port = server.port();
    std::atomic<bool> stop_returned{false};
    std::thread stopper([&server, &stop_returned] {
        server.stop();
        stop_returned = true;
    });
    // Once the listener is closed, stop() is waiting for the handler.
    while (accepts_connections(port)) {
        std::this_thread::yield();
    }
    EXPECT_FALSE(stop_returned.load());
    gate.release();
    stopper.join();
    EXPECT_TRUE(stop_returned.load());
    EXPECT_FALSE(accepts_connections(port));
}

class ServerTest : public ::testing::Test {
protected:
    ServerTest() : router_(RouterOptions{"server-test-secret", true, "/signin"}) {
        router_.add(Method::Get, "/hello", [](Request&) { return Response::text("hello"); });
        router_.add(Method::Get, "/members/:slug", [](Request& request) {
            return Response::text("member " + std::string(request.param("slug")));
        });
        router_.add(Method::Post, "/api/v1/echo",
                    [](Request& request) { return Response::json(request.body); });
        router_.add(Method::Post, "/upload", [](Request& request) {
            return Response::text(std::to_string(request.body.size()));
        });
        router_.add(Method::Get, "/database-gone", [](Request&) -> Response {
            throw core::Unavailable("connection to the database lost");
        });
        router_.add(Method::Get, "/bug",
                    [](Request&) -> Response { throw std::logic_error("a bug in a handler"); });
        router_.add(Method::Get, "/slow", [this](Request&) {
            gate_.enter_and_wait();
            return Response::text("slow done");
        });
        router_.add(Method::Get, "/query", [](Request& request) {
            return Response::text(std::string(request.query_value("q").value_or("-")));
        });
        ServerOptions options;
        options.port = 0;
        options.threads = 2;
        options.max_body_bytes = 1024;
        server_ = std::make_unique<HttpServer>(router_, options, &metrics_);
        server_->start();
    }

    std::string url(std::string_view path) const {
        return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
    }

    Router router_;
    Metrics metrics_;
    Gate gate_;
    std::unique_ptr<HttpServer> server_;
};

TEST_F(ServerTest, BindsAnEphemeralPort) {
    EXPECT_NE(server_->port(), 0);
}

TEST_F(ServerTest, Answers200WithSecurityHeaders) {
    Client client;
    Reply reply = client.send("GET", url("/hello"));
    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "hello");
    EXPECT_EQ(reply.headers["content-type"], "text/plain; charset=utf-8");
    EXPECT_EQ(reply.headers["content-security-policy"],
              "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(reply.headers["referrer-policy"], "same-origin");
}

TEST_F(ServerTest, DecodesPathAndQuery) {
    Client client;
    EXPECT_EQ(client.send("GET", url("/members/caf%C3%A9")).body, "member café");
    EXPECT_EQ(client.send("GET", url("/query?q=a+b%26c")).body, "a b&c");
}

TEST_F(ServerTest, BadlyEncodedTargetIs400) {
    Client client;
    EXPECT_EQ(client.send("GET", url("/hello?q=%ZZ")).status, 400);
    EXPECT_EQ(client.send("GET", url("/members/%FF")).status, 400);
    EXPECT_EQ(client.send("GET", url("/members/a%00")).status, 400);
}

TEST_F(ServerTest, UnknownPathIs404) {
    Client client;
    Reply reply = client.send("GET", url("/no/such/page"));
    EXPECT_EQ(reply.status, 404);
    EXPECT_NE(reply.body.find("There is no page at this address."), std::string::npos);
    EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
}

TEST_F(ServerTest, WrongMethodIs405) {
    Client client;
    Reply reply = client.send("DELETE", url("/hello"));
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.headers["allow"], "GET, HEAD");
}

TEST_F(ServerTest, HeadHasGetsLengthButNoBody) {
    Client client;
    Reply reply = client.send("HEAD", url("/hello"));
    EXPECT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "");
    EXPECT_EQ(reply.headers["content-length"], "5");
    // The connection is still usable: no stray body bytes were sent.
    Reply next = client.send("GET", url("/hello"));
    EXPECT_EQ(next.body, "hello");
    EXPECT_EQ(next.new_connections, 0);
}

TEST_F(ServerTest, TooLargeBodyIs413ThenServerGoesOn) {
    Client client;
    Reply fits = client.send("POST", url("/upload"), std::string(1024, 'x'));
    EXPECT_EQ(fits.status, 403);  // Reached the router: no CSRF token, so 403, not 413.
    Reply page = client.send("POST", url("/upload"), std::string(3000, 'x'));
    EXPECT_EQ(page.status, 413);
    EXPECT_NE(page.headers["content-type"].find("text/html"), std::string::npos);
    EXPECT_NE(page.body.find("larger than this site accepts"), std::string::npos);
    Reply api = client.send("POST", url("/api/v1/echo"), std::string(3000, 'x'),
                            {"Content-Type: application/json"});
    EXPECT_EQ(api.status, 413);
    EXPECT_EQ(api.headers["content-type"], "application/problem+json");
    // Far past the limit the connection is cut before the body is read.
    Client other;
    Reply huge = other.send("POST", url("/upload"), std::string(std::size_t{2} * 1024 * 1024, 'x'));
    EXPECT_NE(huge.status, 200);
    EXPECT_EQ(client.send("GET", url("/hello")).status, 200);
}

TEST_F(ServerTest, UnavailableIs503AndTheNextRequestWorks) {
    Client client;
    Reply reply = client.send("GET", url("/database-gone"));
    EXPECT_EQ(reply.status, 503);
    EXPECT_NE(reply.body.find("unavailable"), std::string::npos);
    EXPECT_EQ(reply.body.find("connection to the database lost"), std::string::npos);
    EXPECT_EQ(client.send("GET", url("/hello")).status, 200);
}

TEST_F(ServerTest, OtherExceptionIs500WithoutDetails) {
    Client client;
    Reply reply = client.send("GET", url("/bug"));
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.body.find("a bug in a handler"), std::string::npos);
    EXPECT_EQ(client.send("GET", url("/hello")).status, 200);
}

TEST_F(ServerTest, ApiJsonRoundTrip) {
    Client client;
    Reply reply =
        client.send("POST", url("/api/v1/echo"), "{\"a\":1}", {"Content-Type: application/json"});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, "{\"a\":1}");
    EXPECT_EQ(reply.headers["content-type"], "application/json");
}

TEST_F(ServerTest, KeepsConnectionsAlive) {
    Client client;
    Reply first = client.send("GET", url("/hello"));
    EXPECT_EQ(first.new_connections, 1);
    for (int request_idx = 0; request_idx < 5; ++request_idx) {
        Reply again = client.send("GET", url("/hello"));
        EXPECT_EQ(again.status, 200);
        EXPECT_EQ(again.new_connections, 0);
    }
}

TEST_F(ServerTest, ServesConcurrentClients) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int thread_idx = 0; thread_idx < 8; ++thread_idx) {
        threads.emplace_back([this, thread_idx, &ok] {
            Client client;
            for (int request_idx = 0; request_idx < 50; ++request_idx) {
                std::string slug = std::to_string(thread_idx) + "-" + std::to_string(request_idx);
                Reply reply = client.send("GET", url("/members/" + slug));
                if (reply.status == 200 && reply.body == "member " + slug) {
                    ++ok;
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(ok.load(), 400);
}

TEST_F(ServerTest, RecordsMetricsByRoutePattern) {
    Client client;
    (void)client.send("GET", url("/members/a"));
    (void)client.send("GET", url("/members/b"));
    (void)client.send("GET", url("/nowhere"));
    std::string text = metrics_.render();
    EXPECT_NE(text.find("coalition_http_requests_total{route=\"/members/:slug\",method=\"GET\","
                        "status=\"200\"} 2"),
              std::string::npos);
    EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1"), std::string::npos);
}

TEST_F(ServerTest, StopFinishesTheRequestInFlight) {
    Reply slow_reply;
    std::thread slow_client([this, &slow_reply] {
        Client client;
        slow_reply = client.send("GET", url("/slow"));
    });
    gate_.wait_until_entered();
    stop_while_a_handler_waits(*server_, gate_);
    slow_client.join();
    EXPECT_EQ(slow_reply.code, CURLE_OK);
    EXPECT_EQ(slow_reply.status, 200);
    EXPECT_EQ(slow_reply.body, "slow done");
    EXPECT_EQ(slow_reply.headers["connection"], "close");
    server_->stop();  // A second stop() is harmless.
}

// A write waiting for its commit runs on the write pool: with one I/O thread and one write
// thread, a read is answered while the write waits, and stop() waits for the write's answer.
TEST(HttpServer, ReadsAreAnsweredWhileAWriteWaitsAndStopWaitsForTheWrite) {
    Router router(RouterOptions{"secret", true, "/signin"});
    Gate gate;
    router.add(Method::Get, "/hello", [](Request&) { return Response::text("hello"); });
    router.add(Method::Post, "/api/v1/slow", [&gate](Request&) {
        gate.enter_and_wait();
        return Response::json("{}");
    });
    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.write_threads = 1;
    HttpServer server(router, options);
    server.start();
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());

    Reply write_reply;
    std::thread writer([&base, &write_reply] {
        Client client;
        write_reply =
            client.send("POST", base + "/api/v1/slow", "{}", {"Content-Type: application/json"});
    });
    gate.wait_until_entered();
    Client reader;
    const Reply read_reply = reader.send("GET", base + "/hello");
    if (read_reply.body != "hello") {  // The read waited for the write (and timed out).
        gate.release();
        writer.join();
        FAIL() << "the read was not answered while the write waited";
    }

    stop_while_a_handler_waits(server, gate);
    writer.join();
    EXPECT_EQ(write_reply.status, 200);
    EXPECT_EQ(write_reply.body, "{}");
}

TEST(HttpServer, BindFailureIsAStartupError) {
    Router router(RouterOptions{"secret", true, "/signin"});
    ServerOptions options;
    options.port = 0;
    HttpServer first(router, options);
    first.start();
    options.port = first.port();
    HttpServer second(router, options);
    EXPECT_THROW(second.start(), core::StartupError);
}

}  // namespace
}  // namespace coalition::web
