// The listener over real sockets on an ephemeral port, with a recording Mailbox. Timeouts are
// short here so that stalled clients are cut off quickly; nothing in the tests sleeps: a client
// blocks in recv() until the server answers or closes (with a 20 s safety limit).

#include "core/unavailable.hpp"
#include "lmtp/lmtp.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace coalition::lmtp {
namespace {

using std::chrono::milliseconds;

class RecordingMailbox : public Mailbox {
public:
    Reply check_recipient(std::string_view address) override {
        if (address.starts_with("list")) {
            return {250, "2.1.5", "OK"};
        }
        return {550, "5.1.1", "No such list"};
    }

    std::vector<Reply> deliver(const Envelope& envelope, std::string_view message) override {
        std::unique_lock lock(mutex_);
        ++started_;
        changed_.notify_all();
        changed_.wait(lock, [this] { return !hold_; });
        if (unavailable_) {
            throw core::Unavailable("database gone");
        }
        messages_.emplace_back(message);
        return std::vector<Reply>(envelope.recipients.size(), Reply{250, "2.1.5", "Committed"});
    }

    void set_unavailable() {
        std::lock_guard lock(mutex_);
        unavailable_ = true;
    }
    // While held, deliver() waits for release().
    void hold() {
        std::lock_guard lock(mutex_);
        hold_ = true;
    }
    void release() {
        std::lock_guard lock(mutex_);
        hold_ = false;
        changed_.notify_all();
    }
    void wait_until_started(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return started_ >= count; });
    }
    std::vector<std::string> messages() {
        std::lock_guard lock(mutex_);
        return messages_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool unavailable_ = false;           // Guarded by mutex_.
    bool hold_ = false;                  // Guarded by mutex_.
    std::size_t started_ = 0;            // Guarded by mutex_.
    std::vector<std::string> messages_;  // Guarded by mutex_.
};

// A blocking LMTP client on a plain socket.
class Client {
public:
    explicit Client(std::uint16_t port) {
        socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval limit{20, 0};
        ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~Client() { ::close(socket_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return connected_; }

    void send(std::string_view text) {
        while (!text.empty()) {
            ssize_t sent = ::send(socket_, text.data(), text.size(), MSG_NOSIGNAL);
            if (sent <= 0) {
                return;
            }
            text.remove_prefix(static_cast<std::size_t>(sent));
        }
    }

    // One reply line without CRLF; "" when the connection ends first.
    std::string line() {
        for (;;) {
            std::size_t end = buffer_.find("\r\n");
            if (end != std::string::npos) {
                std::string result = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                return result;
            }
            if (!fill()) {
                return "";
            }
        }
    }

    // The code and enhanced code of the next reply ("250 2.1.5"), skipping continuation lines.
    std::string reply() {
        for (;;) {
            std::string text = line();
            if (text.size() < 4 || text[3] != '-') {
                return text.substr(0, std::min<std::size_t>(9, text.size()));
            }
        }
    }

    // Everything until the server closes the connection.
    std::string rest() {
        while (fill()) {
        }
        std::string result;
        result.swap(buffer_);
        return result;
    }

private:
    bool fill() {
        char chunk[4096];
        ssize_t received = ::recv(socket_, chunk, sizeof chunk, 0);
        if (received <= 0) {
            return false;
        }
        buffer_.append(chunk, static_cast<std::size_t>(received));
        return true;
    }

    int socket_ = -1;
    bool connected_ = false;
    std::string buffer_;
};

ServerSettings test_settings() {
    ServerSettings settings;
    settings.port = 0;
    settings.server_name = "lists.example";
    settings.max_message_bytes = 100'000;
    settings.idle_timeout = milliseconds(10'000);
    settings.data_timeout = milliseconds(10'000);
    return settings;
}

// Greets and sends a transaction to list@ and nobody@; returns the replies after DATA.
std::vector<std::string> transaction(Client& client, std::string_view body) {
    std::vector<std::string> replies;
    replies.reserve(8);
    client.send(
        "LHLO test\r\nMAIL FROM:<anna@example.org>\r\nRCPT TO:<list@lists.example>\r\n"
        "RCPT TO:<nobody@lists.example>\r\nRCPT TO:<list-owner@lists.example>\r\n"
        "DATA\r\n");
    for (int reply_idx = 0; reply_idx < 6; ++reply_idx) {
        replies.push_back(client.reply());
    }
    client.send(body);
    client.send("\r\n.\r\n");
    replies.push_back(client.reply());
    replies.push_back(client.reply());
    return replies;
}

// What transaction() gets when both list recipients are accepted.
std::vector<std::string> accepted() {
    return {"250 SIZE ", "250 2.1.0", "250 2.1.5", "550 5.1.1",
            "250 2.1.5", "354 Start", "250 2.1.5", "250 2.1.5"};
}

TEST(LmtpServer, DeliversAndClosesAfterQuit) {
    RecordingMailbox mailbox;
    Server server(mailbox, test_settings());
    server.start();
    ASSERT_NE(server.port(), 0);
    Client client(server.port());
    ASSERT_TRUE(client.connected());
    EXPECT_EQ(client.line(), "220 lists.example LMTP server ready");
    EXPECT_EQ(transaction(client, "Subject: hello\r\n\r\n..dot"), accepted());
    client.send("QUIT\r\n");
    EXPECT_EQ(client.rest(), "221 2.0.0 lists.example closing connection\r\n");
    EXPECT_EQ(mailbox.messages(), (std::vector<std::string>{"Subject: hello\r\n\r\n.dot\r\n"}));
}

TEST(LmtpServer, ServesConcurrentClients) {
    RecordingMailbox mailbox;
    Server server(mailbox, test_settings());
    server.start();
    constexpr int kClients = 8;
    std::vector<std::vector<std::string>> results(kClients);
    std::vector<std::thread> threads;
    threads.reserve(kClients);
    for (int client_idx = 0; client_idx < kClients; ++client_idx) {
        threads.emplace_back([&, client_idx] {
            Client client(server.port());
            client.line();
            std::string body = "Subject: " + std::to_string(client_idx) + "\r\n\r\n";
            body += std::string(20'000, 'x');
            results[client_idx] = transaction(client, body);
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (const auto& result : results) {
        EXPECT_EQ(result, accepted());
    }
    EXPECT_EQ(mailbox.messages().size(), std::size_t{kClients});
}

TEST(LmtpServer, ClientStalledInDataIsCutOffWhileAnotherCompletes) {
    RecordingMailbox mailbox;
    ServerSettings settings = test_settings();
    settings.data_timeout = milliseconds(300);  // The idle timeout stays at 10 s.
    Server server(mailbox, settings);
    server.start();
    Client stalled(server.port());
    stalled.line();
    stalled.send(
        "LHLO test\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\n"
        "DATA\r\nSubject: never ends\r\n");
    Client other(server.port());
    other.line();
    EXPECT_EQ(transaction(other, "fine"), accepted());
    std::string rest = stalled.rest();
    EXPECT_NE(rest.find("354 "), std::string::npos);
    EXPECT_TRUE(rest.ends_with("421 4.4.2 Timeout, closing connection\r\n")) << rest;
    EXPECT_EQ(mailbox.messages(), (std::vector<std::string>{"fine\r\n"}));
}

TEST(LmtpServer, IdleClientIsCutOff) {
    RecordingMailbox mailbox;
    ServerSettings settings = test_settings();
    settings.idle_timeout = milliseconds(200);
    Server server(mailbox, settings);
    server.start();
    Client idle(server.port());
    EXPECT_EQ(idle.rest(),
              "220 lists.example LMTP server ready\r\n"
              "421 4.4.2 Timeout, closing connection\r\n");
}

TEST(LmtpServer, ConnectionsAreBounded) {
    RecordingMailbox mailbox;
    ServerSettings settings = test_settings();
    settings.max_connections = 2;
    Server server(mailbox, settings);
    server.start();
    auto first = std::make_unique<Client>(server.port());
    Client second(server.port());
    EXPECT_EQ(first->reply(), "220 lists");
    EXPECT_EQ(second.reply(), "220 lists");
    Client third(server.port());
    EXPECT_EQ(third.rest(), "421 4.3.2 lists.example Too many connections, try again later\r\n");
    EXPECT_EQ(server.connection_count(), 2U);

    first->send("QUIT\r\n");
    EXPECT_EQ(first->reply(), "221 2.0.0");
    first->rest();
    first.reset();
    // The server counts the connection closed just after the client sees it close.
    while (server.connection_count() > 1) {
        std::this_thread::yield();
    }
    Client fourth(server.port());
    EXPECT_EQ(fourth.reply(), "220 lists");
}

TEST(LmtpServer, PipelinedGarbageIsCutOffWithoutDisturbingOthers) {
    RecordingMailbox mailbox;
    Server server(mailbox, test_settings());
    server.start();
    Client garbage(server.port());
    Client good(server.port());
    garbage.line();
    good.line();
    std::string noise;
    for (int repeat_idx = 0; repeat_idx < 2000; ++repeat_idx) {
        for (int byte = 0; byte < 256; ++byte) {
            noise.push_back(static_cast<char>((byte * 37 + repeat_idx) & 0xFF));
        }
    }
    garbage.send(noise);
    std::string rest = garbage.rest();
    EXPECT_TRUE(rest.ends_with("421 4.7.0 Too many errors, closing connection\r\n")) << rest;
    EXPECT_EQ(transaction(good, "still served"), accepted());
}

TEST(LmtpServer, UnavailableMailboxAnswers451PerRecipient) {
    RecordingMailbox mailbox;
    mailbox.set_unavailable();
    Server server(mailbox, test_settings());
    server.start();
    Client client(server.port());
    client.line();
    std::vector<std::string> expected = accepted();
    expected[6] = expected[7] = "451 4.3.0";
    EXPECT_EQ(transaction(client, "lost?"), expected);
    EXPECT_TRUE(mailbox.messages().empty());
}

TEST(LmtpServer, StopLetsARunningDeliveryFinishAndTellsIdleClients) {
    RecordingMailbox mailbox;
    Server server(mailbox, test_settings());
    server.start();
    Client idle(server.port());
    idle.line();
    Client busy(server.port());
    busy.line();
    mailbox.hold();
    busy.send(
        "LHLO test\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<list@lists.example>\r\n"
        "DATA\r\nSubject: in flight\r\n.\r\n");
    mailbox.wait_until_started(1);
    std::thread stopper([&server] { server.stop(); });
    EXPECT_EQ(idle.rest(), "421 4.3.2 Server shutting down, try again later\r\n");
    mailbox.release();
    stopper.join();
    std::string rest = busy.rest();
    EXPECT_NE(rest.find("250 2.1.5 Committed\r\n"), std::string::npos) << rest;
    EXPECT_TRUE(rest.ends_with("421 4.3.2 Server shutting down, try again later\r\n")) << rest;
    EXPECT_EQ(mailbox.messages(), (std::vector<std::string>{"Subject: in flight\r\n"}));
    server.stop();
}

TEST(LmtpServer, BindingATakenPortIsAStartupError) {
    RecordingMailbox mailbox;
    Server first(mailbox, test_settings());
    first.start();
    ServerSettings settings = test_settings();
    settings.port = first.port();
    Server second(mailbox, settings);
    EXPECT_THROW(second.start(), core::StartupError);
    settings.host = "not a host name";
    Server third(mailbox, settings);
    EXPECT_THROW(third.start(), core::StartupError);
}

}  // namespace
}  // namespace coalition::lmtp
