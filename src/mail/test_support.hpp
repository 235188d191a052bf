#pragma once
// Helpers for mail's tests only: a temporary directory and the SMTP sink process
// (tests/support/smtp_sink.py) running on a kernel-chosen port.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace coalition::mail::testing {

// A fresh directory under the system temporary directory, removed with everything in it.
class TemporaryDirectory {
public:
    TemporaryDirectory();
    ~TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// One received message as the sink recorded it.
struct SinkMessage {
    std::string bytes;
    std::string mail_from;
    std::vector<std::string> rcpt_tos;
    bool smtputf8 = false;
    int connection = 0;
    std::string authenticated_as;  // "" when no AUTH.
    bool pipelined = false;        // The client's next commands had arrived when it ended.
};

// The sink, started with Debian's /usr/bin/python3. Stopped (and waited for) on destruction.
class SmtpSink {
public:
    // Starts the sink with `arguments` added to its command line and waits for its LISTENING
    // line. Returns nullptr and sets `skip_reason` when it cannot run here (no /usr/bin/python3,
    // no aiosmtpd); aborts the test binary for any other failure to start.
    static std::unique_ptr<SmtpSink> start(const std::vector<std::string>& arguments,
                                           std::string& skip_reason);
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    int port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    // Messages received so far, in order of arrival.
    std::vector<SinkMessage> messages() const;

private:
    SmtpSink() = default;
    TemporaryDirectory directory_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int port_ = 0;
};

// A loopback TCP port that nothing listens on (bound, then closed).
int closed_port();

}  // namespace coalition::mail::testing
