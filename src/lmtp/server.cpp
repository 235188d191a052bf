// lmtp::Server on standalone Asio (the one RESTinio uses; shared/research/stack.md §2): one I/O
// thread runs every connection as a C++20 coroutine; Mailbox calls go to a small thread pool and
// the coroutine resumes on the I/O thread with their answer. The protocol itself is Session's.

#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "lmtp/lmtp.hpp"
#include "lmtp/replies.hpp"
#include "lmtp/session.hpp"

#include <asio.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <list>
#include <mutex>
#include <thread>

namespace coalition::lmtp {

namespace {

using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = std::size_t{16} * 1024;

SessionLimits limits_from(const ServerSettings& settings) {
    return SessionLimits{
        .server_name = settings.server_name,
        .max_message_bytes = settings.max_message_bytes,
        .max_recipients = settings.max_recipients,
        .max_line_bytes = settings.max_line_bytes,
        .max_errors = settings.max_errors,
    };
}

}  // namespace

struct Server::Impl {
    class Connection;  // Nested so that it may name Server::Impl.

    Impl(Mailbox& mailbox_ref, ServerSettings server_settings)
        : mailbox(mailbox_ref),
          settings(std::move(server_settings)),
          pool(settings.worker_threads == 0 ? 1 : settings.worker_threads) {}

    Mailbox& mailbox;
    const ServerSettings settings;

    std::atomic<std::uint16_t> bound_port{0};
    std::atomic<std::size_t> connections{0};  // Open sessions; rejected sockets not counted.
    std::mutex mutex;
    std::condition_variable all_closed;  // Notified when `connections` drops to 0.
    enum class State { Created, Running, Stopped };
    State state = State::Created;  // Guarded by mutex.
    std::mutex stop_mutex;         // Serialises stop().

    // Touched on the I/O thread only.
    bool stopping = false;
    std::list<std::weak_ptr<Connection>> open;

    // Declared after everything connections touch, so that coroutine frames still queued in the
    // io_context are destroyed first; the pool is joined in stop() before either goes.
    asio::thread_pool pool;
    asio::io_context io_context{1};
    tcp::acceptor acceptor{io_context};
    std::thread io_thread;

    asio::awaitable<void> accept_loop();
    asio::awaitable<void> reject(tcp::socket socket);
    void connection_closed() {
        std::lock_guard lock(mutex);
        if (--connections == 0) {
            all_closed.notify_all();
        }
    }
};

// One client. Lives as long as its run() coroutine (which holds a shared_ptr to it).
class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(Server::Impl& server, tcp::socket socket)
        : server_(server),
          socket_(std::move(socket)),
          timer_(server.io_context),
          session_(limits_from(server.settings)) {}
    ~Connection() { server_.connection_closed(); }

    asio::awaitable<void> run();

    // On the I/O thread, when the server stops: a client waiting to send is told 421 now; one
    // whose Mailbox call runs gets its replies first (run() checks `stopping` before each read).
    void shut_down() {
        if (reading_) {
            asio::error_code ignored;
            socket_.cancel(ignored);
        }
    }

private:
    asio::awaitable<bool> flush();
    asio::awaitable<bool> read_more();
    template <typename Function>
    asio::awaitable<std::invoke_result_t<Function>> on_worker(Function function);
    void arm(SteadyClock::time_point deadline);
    void disarm() { timer_.cancel(); }

    Server::Impl& server_;
    tcp::socket socket_;
    asio::steady_timer timer_;
    Session session_;
    std::array<char, kReadChunk> buffer_{};
    std::uint64_t timer_generation_ = 0;
    bool timed_out_ = false;
    bool reading_ = false;
    bool was_reading_message_ = false;
    SteadyClock::time_point data_deadline_{};
};

// Starts the deadline for the next read or write: when it passes, the operation is cancelled and
// timed_out_ set. The generation keeps a timer that fired just as its operation completed from
// cancelling the next one.
void Server::Impl::Connection::arm(SteadyClock::time_point deadline) {
    timed_out_ = false;
    const std::uint64_t generation = ++timer_generation_;
    timer_.expires_at(deadline);
    timer_.async_wait([self = shared_from_this(), generation](const asio::error_code& error) {
        if (error || generation != self->timer_generation_) {
            return;
        }
        self->timed_out_ = true;
        asio::error_code ignored;
        self->socket_.cancel(ignored);
    });
}

asio::awaitable<bool> Server::Impl::Connection::flush() {
    if (!session_.has_output()) {
        co_return true;
    }
    const std::string output = session_.take_output();
    arm(SteadyClock::now() + server_.settings.idle_timeout);
    asio::error_code error;
    co_await asio::async_write(socket_, asio::buffer(output),
                               asio::redirect_error(asio::use_awaitable, error));
    disarm();
    co_return !error && !timed_out_;
}

// Reads into the session; false when the connection is gone. A timeout or shutdown closes the
// session with its 421 (written by the caller's next flush).
asio::awaitable<bool> Server::Impl::Connection::read_more() {
    const auto now = SteadyClock::now();
    auto deadline = now + server_.settings.idle_timeout;
    if (session_.is_reading_message()) {
        if (!was_reading_message_) {
            data_deadline_ = now + server_.settings.data_timeout;
        }
        deadline = std::min(deadline, data_deadline_);
    }
    was_reading_message_ = session_.is_reading_message();
    arm(deadline);
    reading_ = true;
    asio::error_code error;
    const std::size_t count = co_await socket_.async_read_some(
        asio::buffer(buffer_), asio::redirect_error(asio::use_awaitable, error));
    reading_ = false;
    disarm();
    if (timed_out_) {
        session_.close_with(Session::timeout_reply());
        co_return true;
    }
    if (server_.stopping) {
        session_.close_with(Session::shutdown_reply());
        co_return true;
    }
    if (error) {
        co_return false;  // The client went away; an unfinished transaction is dropped.
    }
    session_.receive(std::string_view(buffer_.data(), count));
    co_return true;
}

// Runs `function` on the worker pool and resumes on the I/O thread with its result.
template <typename Function>
asio::awaitable<std::invoke_result_t<Function>> Server::Impl::Connection::on_worker(
    Function function) {
    using Result = std::invoke_result_t<Function>;
    // Named rather than temporary: g++ 12 destroys a temporary closure with captures in a
    // co_await expression twice (a double free seen in this file).
    auto task = [function = std::move(function)]() -> asio::awaitable<Result> {
        co_return function();
    };
    Result result = co_await asio::co_spawn(server_.pool, std::move(task), asio::use_awaitable);
    co_return result;
}

asio::awaitable<void> Server::Impl::Connection::run() {
    auto self = shared_from_this();
    Mailbox& mailbox = server_.mailbox;
    try {
        for (;;) {
            const Step step = session_.next();
            if (!co_await flush() || step == Step::Close) {
                break;
            }
            if (step == Step::NeedInput) {
                if (server_.stopping) {
                    session_.close_with(Session::shutdown_reply());
                } else if (!co_await read_more()) {
                    break;
                }
            } else if (step == Step::CheckRecipient) {
                auto check = [&mailbox, address = session_.pending_recipient()] {
                    return check_recipient_safely(mailbox, address);
                };
                Reply reply = co_await on_worker(std::move(check));
                session_.finish_recipient_check(reply);
            } else {
                // The envelope and message live in session_, which outlives the call: this
                // coroutine waits for it, and stop() joins the pool before the io_context goes.
                const Envelope* envelope = &session_.envelope();
                std::string_view message = session_.message();
                auto deliver = [&mailbox, envelope, message] {
                    return deliver_safely(mailbox, *envelope, message);
                };
                std::vector<Reply> replies = co_await on_worker(std::move(deliver));
                session_.finish_delivery(replies);
            }
        }
    } catch (const std::exception& failure) {
        std::cerr << "coalition: lmtp: connection failed: " << failure.what() << std::endl;
    }
    asio::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
}

asio::awaitable<void> Server::Impl::accept_loop() {
    asio::steady_timer pause(io_context);
    for (;;) {
        asio::error_code error;
        tcp::socket socket =
            co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
        if (stopping || !acceptor.is_open()) {
            co_return;
        }
        if (error) {
            // Out of file descriptors and the like: wait a moment rather than spin.
            std::cerr << "coalition: lmtp: accept failed: " << error.message() << std::endl;
            pause.expires_after(std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
            continue;
        }
        socket.set_option(tcp::no_delay(true), error);
        if (connections.load() >= settings.max_connections) {
            asio::co_spawn(io_context, reject(std::move(socket)), asio::detached);
            continue;
        }
        {
            std::lock_guard lock(mutex);
            ++connections;
        }
        auto connection = std::make_shared<Connection>(*this, std::move(socket));
        open.remove_if([](const std::weak_ptr<Connection>& weak) { return weak.expired(); });
        open.push_back(connection);
        asio::co_spawn(io_context, connection->run(), asio::detached);
    }
}

// Over the connection bound: RFC 5321 §3.8 allows 421 in place of the greeting.
asio::awaitable<void> Server::Impl::reject(tcp::socket socket) {
    const std::string reply = format_reply(
        {421, "4.3.2", settings.server_name + " Too many connections, try again later"});
    asio::steady_timer timer(io_context);
    timer.expires_after(settings.idle_timeout);
    timer.async_wait([&socket](const asio::error_code& error) {
        if (!error) {
            asio::error_code ignored;
            socket.cancel(ignored);
        }
    });
    asio::error_code error;
    co_await asio::async_write(socket, asio::buffer(reply),
                               asio::redirect_error(asio::use_awaitable, error));
    timer.cancel();
    socket.shutdown(tcp::socket::shutdown_both, error);
    socket.close(error);
}

Server::Server(Mailbox& mailbox, ServerSettings settings)
    : impl_(std::make_unique<Impl>(mailbox, std::move(settings))) {
}

Server::~Server() {
    stop();
}

void Server::start() {
    Impl& impl = *impl_;
    {
        std::lock_guard lock(impl.mutex);
        COALITION_ASSERT(impl.state == Impl::State::Created,
                         "lmtp::Server::start() is called once");
        impl.state = Impl::State::Running;
    }
    const ServerSettings& settings = impl.settings;
    try {
        tcp::resolver resolver(impl.io_context);
        const auto endpoints = resolver.resolve(settings.host, std::to_string(settings.port),
                                                tcp::resolver::numeric_service);
        const tcp::endpoint endpoint = endpoints.begin()->endpoint();
        impl.acceptor.open(endpoint.protocol());
        impl.acceptor.set_option(tcp::acceptor::reuse_address(true));
        impl.acceptor.bind(endpoint);
        impl.acceptor.listen();
        impl.bound_port = impl.acceptor.local_endpoint().port();
    } catch (const std::exception& error) {
        std::lock_guard lock(impl.mutex);
        impl.state = Impl::State::Stopped;
        throw core::StartupError("cannot listen for LMTP on " + settings.host + ":" +
                                 std::to_string(settings.port) + ": " + error.what());
    }
    asio::co_spawn(impl.io_context, impl.accept_loop(), asio::detached);
    impl.io_thread = std::thread([&impl] {
        // Connection coroutines catch their own exceptions; anything reaching here is a bug.
        impl.io_context.run();
    });
}

std::uint16_t Server::port() const {
    return impl_->bound_port.load();
}

std::size_t Server::connection_count() const {
    return impl_->connections.load();
}

void Server::stop() {
    Impl& impl = *impl_;
    std::lock_guard stop_lock(impl.stop_mutex);
    {
        std::lock_guard lock(impl.mutex);
        if (impl.state != Impl::State::Running) {
            return;
        }
        impl.state = Impl::State::Stopped;
    }
    // 1. Stop accepting; tell the clients waiting to send that the server goes away.
    asio::post(impl.io_context, [&impl] {
        impl.stopping = true;
        asio::error_code ignored;
        impl.acceptor.close(ignored);
        for (const auto& weak : impl.open) {
            if (auto connection = weak.lock()) {
                connection->shut_down();
            }
        }
    });
    // 2. Let running Mailbox calls finish and their replies be written.
    {
        std::unique_lock lock(impl.mutex);
        impl.all_closed.wait_for(lock, impl.settings.idle_timeout,
                                 [&impl] { return impl.connections.load() == 0; });
    }
    // 3. Stop the I/O thread, then wait for Mailbox calls still running (their completions are
    // dropped with the io_context; the MTA sees the connection close and retries).
    impl.io_context.stop();
    impl.io_thread.join();
    impl.pool.join();
}

}  // namespace coalition::lmtp
