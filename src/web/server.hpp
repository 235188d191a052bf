#pragma once
// The HTTP listener: RESTinio behind our own Request/Response (this header and the rest of web/
// never include RESTinio or Asio; server.cpp alone does). Handlers are synchronous and may block
// on the database. GET and HEAD run on the I/O threads (few: one per core keeps the latency tail
// short, as a reader answers in microseconds); every other method (a write, which waits for its
// commit) runs on a separate, larger pool, so that many writes wait for one group commit together
// without adding threads that contend for the network's work.
//
// Every response gets the security headers (Content-Security-Policy, X-Content-Type-Options,
// Referrer-Policy). A body over max_body_bytes answers 413; core::Unavailable from a handler 503;
// any other exception 500 (logged to stderr); the server keeps serving in every case.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace coalition::web {

class Router;
class Metrics;

struct ServerOptions {
    std::string host = "127.0.0.1";  // An IP address or a host name to bind to.
    std::uint16_t port = 8080;       // 0: the kernel picks one; read it from port().
    std::size_t threads = 2;         // I/O threads; they also run GET and HEAD handlers.
    std::size_t write_threads = 8;   // Run the handlers of every other method, one at a time each.
    std::size_t max_body_bytes = std::size_t{1024} * 1024;
    std::chrono::seconds read_timeout{30};    // For a whole request, and for idle keep-alive.
    std::chrono::seconds handle_timeout{30};  // For a handler's answer and its write.
    std::size_t max_connections = 1024;       // Further connections wait in the listen backlog.
};

class HttpServer {
public:
    // `router` (and `metrics`, when given) must outlive the server and be fully set up.
    HttpServer(Router& router, ServerOptions options, Metrics* metrics = nullptr);
    // Stops the server if it is running.
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds, listens and starts the worker threads; returns once connections are accepted.
    // Throws core::StartupError naming host and port when binding fails. Call once.
    void start();

    // The port actually bound (the chosen one when options.port was 0); 0 before start().
    std::uint16_t port() const;

    // Stops accepting, lets requests already being handled finish and be written (bounded by
    // handle_timeout), closes idle keep-alive connections and joins the workers. Safe to call
    // more than once and from any thread except a handler's (that would wait for itself).
    // Installs no signal handlers: the application calls stop() from its own.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace coalition::web
