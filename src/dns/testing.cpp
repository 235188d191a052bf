#include "dns/testing.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace coalition::dns::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::filesystem::path server_script() {
    const char* source_dir = std::getenv("COALITION_SOURCE_DIR");
    const std::filesystem::path root =
        source_dir != nullptr ? source_dir : COALITION_SOURCE_DIR_FALLBACK;
    return root / "tests" / "support" / "dns_server.py";
}

std::string read_and_remove(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream contents;
    contents << in.rdbuf();
    std::filesystem::remove(path);
    return contents.str();
}

}  // namespace

std::unique_ptr<LocalDnsServer> LocalDnsServer::start(const std::vector<std::string>& arguments) {
    if (::access(kPython, X_OK) != 0) {
        throw std::runtime_error("the local DNS server needs /usr/bin/python3");
    }
    std::vector<std::string> argv_strings = {kPython, server_script().string(),
                                             "--stop-on-stdin-eof"};
    argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    argv.reserve(argv_strings.size() + 1);
    for (std::string& argument : argv_strings) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);

    char stderr_template[] = "/tmp/coalition-dns-stderr-XXXXXX";
    const int stderr_fd = ::mkstemp(stderr_template);
    int stdin_pipe[2];
    int stdout_pipe[2];
    if (stderr_fd < 0 || ::pipe2(stdin_pipe, O_CLOEXEC) != 0 ||
        ::pipe2(stdout_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("cannot create pipes for the local DNS server");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, stdout_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    std::unique_ptr<LocalDnsServer> server(new LocalDnsServer());
    const int spawned =
        posix_spawn(&server->pid_, kPython, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(stdin_pipe[0]);
    ::close(stdout_pipe[1]);
    ::close(stderr_fd);
    if (spawned != 0) {
        ::close(stdin_pipe[1]);
        ::close(stdout_pipe[0]);
        server->pid_ = -1;
        read_and_remove(stderr_template);
        throw std::runtime_error("cannot start /usr/bin/python3 for the local DNS server");
    }
    server->stdin_fd_ = stdin_pipe[1];

    server->stdout_fd_ = stdout_pipe[0];

    // "LISTENING <port> <anchor-file>\n" once nsd answers; end of file if the script failed.
    const std::string line = server->read_line();
    std::istringstream fields(line);
    std::string word;
    fields >> word >> server->port_ >> server->trust_anchor_file_;
    if (word != "LISTENING" || server->port_ <= 0) {
        server.reset();  // Closes its stdin and waits for it.
        throw std::runtime_error(
            "the local DNS server (tests/support/dns_server.py) did not start: " +
            read_and_remove(stderr_template));
    }
    read_and_remove(stderr_template);
    return server;
}

std::string LocalDnsServer::read_line() {
    std::string line;
    char c = 0;
    while (::read(stdout_fd_, &c, 1) == 1 && c != '\n') {
        line += c;
    }
    return line;
}

void LocalDnsServer::command(const std::string& line) {
    if (line.find('\n') != std::string::npos) {
        throw std::invalid_argument("a DNS server command is one line");
    }
    const std::string text = line + "\n";
    if (::write(stdin_fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        throw std::runtime_error("cannot write to the local DNS server");
    }
    const std::string reply = read_line();
    if (reply != "OK") {
        throw std::runtime_error("local DNS server: \"" + line + "\": " + reply);
    }
}

void LocalDnsServer::add(const std::string& record) {
    command("ADD " + record);
}

void LocalDnsServer::add_unsigned(const std::string& record) {
    command("ADD-UNSIGNED " + record);
}

void LocalDnsServer::remove(const std::string& owner) {
    command("REMOVE " + owner);
}

LocalDnsServer::~LocalDnsServer() {
    if (stdout_fd_ >= 0) {
        ::close(stdout_fd_);
    }
    if (stdin_fd_ >= 0) {
        ::close(stdin_fd_);  // The script stops nsd and exits at end of file on its stdin.
    }
    if (pid_ > 0) {
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

int unused_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("bind/getsockname");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

}  // namespace coalition::dns::testing
