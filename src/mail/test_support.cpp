#include "mail/test_support.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

extern char** environ;

namespace coalition::mail::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    return contents.str();
}

std::filesystem::path sink_script() {
    const char* source_dir = std::getenv("COALITION_SOURCE_DIR");
    const std::filesystem::path root =
        source_dir != nullptr ? source_dir : COALITION_SOURCE_DIR_FALLBACK;
    return root / "tests" / "support" / "smtp_sink.py";
}

}  // namespace

TemporaryDirectory::TemporaryDirectory() {
    core::SecureRandom random;
    std::uint8_t bytes[8];
    random.fill(bytes, sizeof bytes);
    path_ = std::filesystem::temp_directory_path() /
            ("coalition-mail-test-" + core::to_hex(bytes, sizeof bytes));
    std::filesystem::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::unique_ptr<SmtpSink> SmtpSink::start(const std::vector<std::string>& arguments,
                                          std::string& skip_reason) {
    constexpr const char* kPython = "/usr/bin/python3";
    if (::access(kPython, X_OK) != 0) {
        skip_reason = "the SMTP sink needs Debian's /usr/bin/python3";
        return nullptr;
    }
    std::unique_ptr<SmtpSink> sink(new SmtpSink());
    const std::filesystem::path stderr_path = sink->directory_.path() / "sink.stderr";
    std::vector<std::string> argv_strings = {kPython,
                                             sink_script().string(),
                                             "--dir",
                                             (sink->directory_.path() / "mail").string(),
                                             "--port",
                                             "0",
                                             "--stop-on-stdin-eof"};
    argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    argv.reserve(argv_strings.size() + 1);
    for (std::string& argument : argv_strings) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);

    int stdin_pipe[2];
    int stdout_pipe[2];
    COALITION_ASSERT(::pipe2(stdin_pipe, O_CLOEXEC) == 0 && ::pipe2(stdout_pipe, O_CLOEXEC) == 0,
                     "pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, stdout_pipe[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    const int spawned = posix_spawn(&sink->pid_, kPython, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(stdin_pipe[0]);
    ::close(stdout_pipe[1]);
    COALITION_ASSERT(spawned == 0, "posix_spawn of the SMTP sink");
    sink->stdin_fd_ = stdin_pipe[1];

    // The sink prints "LISTENING <port>\n" once it accepts connections, or exits.
    std::string line;
    char c = 0;
    while (::read(stdout_pipe[0], &c, 1) == 1 && c != '\n') {
        line += c;
    }
    ::close(stdout_pipe[0]);
    if (!line.starts_with("LISTENING ")) {
        int status = 0;
        ::close(sink->stdin_fd_);
        sink->stdin_fd_ = -1;
        ::waitpid(sink->pid_, &status, 0);
        sink->pid_ = -1;
        const std::string errors = read_file(stderr_path);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
            skip_reason = "the SMTP sink needs python3-aiosmtpd: " + errors;
            return nullptr;
        }
        ADD_FAILURE() << "the SMTP sink did not start: " << errors;
        skip_reason = "the SMTP sink did not start";
        return nullptr;
    }
    sink->port_ = std::stoi(line.substr(10));
    return sink;
}

SmtpSink::~SmtpSink() {
    if (stdin_fd_ >= 0) {
        ::close(stdin_fd_);  // The sink stops at end of file on its stdin.
    }
    if (pid_ > 0) {
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

std::vector<SinkMessage> SmtpSink::messages() const {
    std::vector<SinkMessage> messages;
    const std::filesystem::path mail = directory_.path() / "mail";
    for (int number = 1;; ++number) {
        const std::filesystem::path record = mail / (std::to_string(number) + ".json");
        if (!std::filesystem::exists(record)) {
            return messages;
        }
        const auto json = nlohmann::json::parse(read_file(record));
        SinkMessage message;
        message.bytes = read_file(mail / (std::to_string(number) + ".eml"));
        message.mail_from = json.at("mail_from").get<std::string>();
        message.rcpt_tos = json.at("rcpt_tos").get<std::vector<std::string>>();
        message.smtputf8 = json.at("smtputf8").get<bool>();
        message.connection = json.at("connection").get<int>();
        if (!json.at("authenticated_as").is_null()) {
            message.authenticated_as = json.at("authenticated_as").get<std::string>();
        }
        message.pipelined = json.value("pipelined", false);
        messages.push_back(std::move(message));
    }
}

int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    COALITION_ASSERT(fd >= 0, "socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    COALITION_ASSERT(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0,
                     "bind");
    socklen_t length = sizeof address;
    COALITION_ASSERT(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0,
                     "getsockname");
    ::close(fd);
    return ntohs(address.sin_port);
}

}  // namespace coalition::mail::testing
