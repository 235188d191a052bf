// The only translation unit that includes RESTinio and Asio (shared/research/stack.md §2): it turns
// RESTinio requests into web::Request, runs the Router, and writes web::Response back.

#include "web/server.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "web/forms.hpp"
#include "web/http.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"

#include <restinio/all.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

namespace coalition::web {

namespace {

struct Traits : public restinio::default_traits_t {
    using request_handler_t =
        std::function<restinio::request_handling_status_t(restinio::request_handle_t)>;
    // RESTinio's name for this trait, so it cannot follow our constant naming.
    // NOLINTNEXTLINE(readability-identifier-naming)
    static constexpr bool use_connection_count_limiter = true;
};

using RestinioServer = restinio::http_server_t<Traits>;

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

// Fields RESTinio writes itself from the response it is given.
bool is_framing_field(std::string_view name) {
    auto equals = [name](std::string_view other) {
        if (name.size() != other.size()) {
            return false;
        }
        for (std::size_t idx = 0; idx < name.size(); ++idx) {
            char c = name[idx];
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
            }
            if (c != other[idx]) {
                return false;
            }
        }
        return true;
    };
    return equals("content-length") || equals("transfer-encoding") || equals("connection");
}

// Control characters from a request must not forge extra lines in the log.
std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c);
    }
    return out;
}

}  // namespace

// An io_context whose services can be shut down before it is destroyed (see ~Impl).
struct IoContext : asio::io_context {
    using asio::io_context::shutdown;
};

struct HttpServer::Impl {
    Impl(Router& router_ref, ServerOptions server_options, Metrics* metrics_ptr)
        : router(router_ref), options(std::move(server_options)), metrics(metrics_ptr) {}

    Router& router;
    const ServerOptions options;
    Metrics* const metrics;

    IoContext io_context;
    std::unique_ptr<RestinioServer> server;

    // Handlers still queued on the io_context hold connections whose destructors reach into the
    // server's connection limiter, while the server's strands live in the io_context's services.
    // So: free the queued handlers first (shutdown), then the server, then the io_context.
    ~Impl() {
        io_context.shutdown();
        server.reset();
    }
    std::vector<std::thread> workers;
    std::unique_ptr<asio::thread_pool> write_pool;  // Handlers of methods other than GET/HEAD.
    std::atomic<std::uint16_t> bound_port{0};
    std::atomic<bool> stopping{false};

    std::mutex mutex;
    std::condition_variable idle;
    std::size_t in_flight = 0;  // Guarded by mutex: requests handled but not yet written.
    enum class State { Created, Running, Stopped };
    State state = State::Created;  // Guarded by mutex.
    std::mutex stop_mutex;         // Serialises stop().

    void begin_request() {
        std::lock_guard lock(mutex);
        ++in_flight;
    }
    void end_request() {
        std::lock_guard lock(mutex);
        if (--in_flight == 0) {
            idle.notify_all();
        }
    }

    // Fills `request` from RESTinio's; false when the target cannot be decoded (400).
    static bool convert(const restinio::request_t& source, Request& request) {
        const auto& header = source.header();
        request.method = method_from_name(header.method().c_str());
        auto target = header.request_target();
        request.raw_target.assign(target.data(), target.size());
        std::string_view raw = request.raw_target;
        std::size_t question = raw.find('?');
        std::string_view raw_path = raw.substr(0, question);
        request.headers.reserve(header.fields_count());
        header.for_each_field([&request](const restinio::http_header_field_t& field) {
            request.headers.add(field.name(), field.value());
        });
        request.body = source.body();
        request.remote_address = source.remote_endpoint().address().to_string();
        // RFC 9112 §3.2: origin-form only; absolute-form and "*" are not for us.
        if (!raw_path.starts_with("/")) {
            request.path = "/";
            return false;
        }
        auto path = percent_decode(raw_path);
        if (!path) {
            request.path = "/";
            return false;
        }
        request.path = std::move(*path);
        if (question != std::string_view::npos) {
            auto query = parse_form(raw.substr(question + 1));
            if (!query) {
                return false;
            }
            request.query = std::move(*query).fields();
        }
        return true;
    }

    Response respond(Request& request, bool readable) {
        if (!readable) {
            return router.error_response(request, 400, Router::default_message(400));
        }
        if (request.body.size() > options.max_body_bytes) {
            return router.error_response(request, 413, Router::default_message(413));
        }
        try {
            return router.handle(request);
        } catch (const core::Unavailable& error) {
            std::cerr << "coalition: 503 for " << method_name(request.method) << " "
                      << printable(request.path) << ": " << error.what() << std::endl;
            return router.error_response(request, 503, Router::default_message(503));
        } catch (const std::exception& error) {
            std::cerr << "coalition: 500 for " << method_name(request.method) << " "
                      << printable(request.path) << ": " << error.what() << std::endl;
            return router.error_response(request, 500, Router::default_message(500));
        }
    }

    // Reads answer on the I/O thread that parsed them; anything else waits for a commit and goes
    // to the write pool. Counted in flight from here, so stop() waits for queued writes too.
    void accept(const restinio::request_handle_t& source) {
        const auto started = std::chrono::steady_clock::now();
        begin_request();
        const auto method = source->header().method();
        if (method == restinio::http_method_get() || method == restinio::http_method_head()) {
            handle(source, started);
            return;
        }
        asio::post(*write_pool, [this, source, started] { handle(source, started); });
    }

    void handle(const restinio::request_handle_t& source,
                std::chrono::steady_clock::time_point started) {
        Request request;
        bool readable = convert(*source, request);
        Response response = respond(request, readable);

        Headers& headers = response.headers;
        if (!headers.has("Content-Security-Policy")) {
            headers.add("Content-Security-Policy", std::string(kContentSecurityPolicy));
        }
        headers.set("X-Content-Type-Options", "nosniff");
        if (!headers.has("Referrer-Policy")) {
            headers.add("Referrer-Policy", "same-origin");
        }
        if (metrics != nullptr) {
            std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
            metrics->record_request(request.route, request.method, response.status,
                                    elapsed.count());
        }

        auto status = static_cast<std::uint16_t>(response.status);
        auto builder = source->create_response<restinio::user_controlled_output_t>(
            restinio::http_status_line_t{restinio::http_status_code_t{status},
                                         std::string(reason_phrase(response.status))});
        for (auto& [name, value] : headers.take_entries()) {
            if (!is_framing_field(name)) {
                builder.append_header(std::move(name), std::move(value));
            }
        }
        // RFC 9110 §9.3.2: HEAD answers with the GET's fields, Content-Length included, no body.
        builder.set_content_length(response.body.size());
        if (request.method != Method::Head && !response.body.empty()) {
            builder.set_body(std::move(response.body));
        }
        if (stopping.load(std::memory_order_relaxed)) {
            builder.connection_close();
        }
        // The callback runs once the response is written, or dropped with its connection.
        builder.done([this](const asio::error_code&) { end_request(); });
    }
};

HttpServer::HttpServer(Router& router, ServerOptions options, Metrics* metrics)
    : impl_(std::make_unique<Impl>(router, std::move(options), metrics)) {
}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    Impl& impl = *impl_;
    {
        std::lock_guard lock(impl.mutex);
        COALITION_ASSERT(impl.state == Impl::State::Created, "HttpServer::start() is called once");
        impl.state = Impl::State::Running;
    }
    const ServerOptions& options = impl.options;
    std::size_t threads = options.threads == 0 ? 1 : options.threads;
    // RESTinio drops the connection without an answer past its own body limit, so it gets a
    // margin: bodies between max_body_bytes and the margin are read and answered with a readable
    // 413; only larger ones are cut off.
    std::size_t hard_limit =
        options.max_body_bytes <= SIZE_MAX / 4 ? options.max_body_bytes * 4 : SIZE_MAX;
    if (hard_limit < options.max_body_bytes + 65536) {
        hard_limit = options.max_body_bytes + 65536;
    }

    restinio::server_settings_t<Traits> settings;
    settings.address(options.host)
        .port(options.port)
        .request_handler([&impl](const restinio::request_handle_t& request) {
            impl.accept(request);
            return restinio::request_accepted();
        })
        .read_next_http_message_timelimit(options.read_timeout)
        .handle_request_timeout(options.handle_timeout)
        .write_http_response_timelimit(options.handle_timeout)
        .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(hard_limit))
        .max_parallel_connections(options.max_connections)
        .concurrent_accepts_count(threads)
        .socket_options_setter([](restinio::socket_options_t& socket) {
            socket.set_option(asio::ip::tcp::no_delay{true});
        })
        .acceptor_post_bind_hook([&impl](asio::ip::tcp::acceptor& acceptor) {
            impl.bound_port = acceptor.local_endpoint().port();
        });

    try {
        impl.server = std::make_unique<RestinioServer>(
            restinio::external_io_context(impl.io_context), std::move(settings));
        // Nothing runs the io_context yet, so opening here cannot race with the acceptor's strand.
        impl.server->open_sync();
    } catch (const std::exception& error) {
        std::lock_guard lock(impl.mutex);
        impl.state = Impl::State::Stopped;
        throw core::StartupError("cannot listen on " + options.host + ":" +
                                 std::to_string(options.port) + ": " + error.what());
    }
    impl.write_pool =
        std::make_unique<asio::thread_pool>(std::max<std::size_t>(1, options.write_threads));
    impl.workers.reserve(threads);
    for (std::size_t thread_idx = 0; thread_idx < threads; ++thread_idx) {
        impl.workers.emplace_back([&impl] {
            // A handler's exceptions are caught in handle(); anything reaching here is a bug in
            // the library, and std::terminate names it.
            impl.io_context.run();
        });
    }
}

std::uint16_t HttpServer::port() const {
    return impl_->bound_port.load();
}

void HttpServer::stop() {
    Impl& impl = *impl_;
    std::lock_guard stop_lock(impl.stop_mutex);
    {
        std::lock_guard lock(impl.mutex);
        if (impl.state != Impl::State::Running) {
            return;
        }
        impl.state = Impl::State::Stopped;
    }
    impl.stopping = true;
    // 1. Stop accepting. close_async runs on the acceptor's strand.
    std::promise<void> closed;
    impl.server->close_async([&closed]() noexcept { closed.set_value(); },
                             [&closed](const std::exception_ptr&) noexcept { closed.set_value(); });
    closed.get_future().wait();
    // 2. Let requests being handled finish and their responses be written.
    {
        std::unique_lock lock(impl.mutex);
        impl.idle.wait_for(lock, impl.options.handle_timeout,
                           [&impl] { return impl.in_flight == 0; });
    }
    // 3. Drop idle keep-alive connections and join the workers.
    impl.io_context.stop();
    for (std::thread& worker : impl.workers) {
        worker.join();
    }
    impl.workers.clear();
    impl.write_pool->join();
}

}  // namespace coalition::web
