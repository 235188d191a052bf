#include "publications/pdf.hpp"

#include "core/unavailable.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace coalition::publications {
namespace {

namespace fs = std::filesystem;

// A private directory removed with everything in it when the call ends, whichever way it ends.
class TempDirectory {
public:
    explicit TempDirectory(const std::string& parent) {
        std::string pattern =
            (fs::path(parent.empty() ? fs::temp_directory_path().string() : parent) /
             "coalition-pdf-XXXXXX")
                .string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw core::Unavailable("PDF: cannot create a temporary directory: " +
                                    std::string(std::strerror(errno)));
        }
        path_ = pattern;
    }
    ~TempDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// The child: its own process group (so every helper Chromium starts can be killed at once), a
// cap on file sizes, standard streams away from ours. Only async-signal-safe calls between fork
// and exec: the server is multithreaded.
[[noreturn]] void exec_child(const std::vector<char*>& argv, const std::vector<char*>& envp,
                             const char* log_path, rlim_t file_limit) {
    setpgid(0, 0);
    const rlimit limit{file_limit, file_limit};
    setrlimit(RLIMIT_FSIZE, &limit);
    const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
    }
    if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
}

// Waits for `pid` to exit within `limit`; on timeout kills its whole process group. The leader is
// waited for without being reaped first (WNOWAIT), so its id cannot be reused by another group
// before the group is killed. Returns the exit status, or nullopt on timeout.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit) {
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    bool exited = false;
    if (pidfd >= 0) {
        pollfd descriptor{pidfd, POLLIN, 0};
        int ready = 0;
        do {
            ready = poll(&descriptor, 1, static_cast<int>(limit.count()));
        } while (ready < 0 && errno == EINTR);
        exited = ready > 0;
        close(pidfd);
    } else {
        // Kernels before 5.3: poll the child every 10 ms.
        for (auto waited = std::chrono::milliseconds(0); waited < limit;
             waited += std::chrono::milliseconds(10)) {
            siginfo_t info{};
            if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                info.si_pid == pid) {
                exited = true;
                break;
            }
            usleep(10'000);
        }
    }
    // Helpers left behind by an exited leader, or everything on timeout.
    kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!exited) {
        return std::nullopt;
    }
    return status;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string tail(const std::string& text, std::size_t length) {
    return text.size() <= length ? text : text.substr(text.size() - length);
}

}  // namespace

core::Result<std::string> render_pdf(const std::string& html, const PdfOptions& options) {
    if (access(options.renderer.c_str(), X_OK) != 0) {
        throw core::Unavailable("PDF: the renderer " + options.renderer +
                                " is not installed (scripts/install-deps)");
    }
    const TempDirectory directory(options.temp_directory);
    const fs::path input = directory.path() / "input.html";
    const fs::path output = directory.path() / "output.pdf";
    const fs::path profile = directory.path() / "profile";
    const fs::path log = directory.path() / "renderer.log";
    {
        std::ofstream out(input, std::ios::binary);
        out.write(html.data(), static_cast<std::streamsize>(html.size()));
        if (!out) {
            throw core::Unavailable("PDF: cannot write " + input.string());
        }
    }

    std::vector<std::string> arguments = {
        options.renderer,
        "--headless",
        // Chromium's sandbox needs user namespaces or root's absence, neither of which a
        // container promises; the page is our own escaped HTML, whose CSP forbids scripts.
        // (--blink-settings=scriptEnabled=false would be simpler, but then --print-to-pdf
        // silently writes nothing: Chromium 156, measured.)
        "--no-sandbox",
        "--disable-gpu",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        // Nothing leaves the machine: any http(s) fetch goes to a closed port.
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--no-pdf-header-footer",
        "--user-data-dir=" + profile.string(),
        "--crash-dumps-dir=" + profile.string(),
        "--print-to-pdf=" + output.string(),
        "file://" + input.string(),
    };
    std::vector<std::string> environment = {
        "HOME=" + directory.path().string(),
        "PATH=/usr/bin:/bin",
        "LANG=C.UTF-8",
        "XDG_CONFIG_HOME=" + (directory.path() / "config").string(),
        "XDG_CACHE_HOME=" + (directory.path() / "cache").string(),
    };
    std::vector<char*> argv;
    argv.reserve(arguments.size() + 1);
    for (auto& argument : arguments) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(environment.size() + 1);
    for (auto& variable : environment) {
        envp.push_back(variable.data());
    }
    envp.push_back(nullptr);
    const std::string log_path = log.string();
    // One byte over the limit lets an oversized PDF be told apart from one exactly at it.
    const auto file_limit = static_cast<rlim_t>(options.max_bytes) + 1;

    const pid_t pid = fork();
    if (pid < 0) {
        throw core::Unavailable("PDF: cannot start the renderer: " +
                                std::string(std::strerror(errno)));
    }
    if (pid == 0) {
        exec_child(argv, envp, log_path.c_str(), file_limit);
    }
    // Also from the parent, so the group exists before a kill even if the child has not run yet.
    setpgid(pid, pid);
    const auto status = wait_for(pid, options.time_limit);
    if (!status) {
        throw core::Unavailable("PDF: the renderer took longer than " +
                                std::to_string(options.time_limit.count()) + " ms and was stopped");
    }
    std::error_code error;
    const auto size = fs::file_size(output, error);
    if (!error && size > options.max_bytes) {
        return core::Error{core::ErrorCode::TooLarge, "The PDF is too large.", {}};
    }
    if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0 || error || size == 0) {
        if (WIFSIGNALED(*status) && WTERMSIG(*status) == SIGXFSZ) {
            return core::Error{core::ErrorCode::TooLarge, "The PDF is too large.", {}};
        }
        throw core::Unavailable("PDF: the renderer failed (status " + std::to_string(*status) +
                                "): " + tail(read_file(log), 500));
    }
    std::string pdf = read_file(output);
    if (pdf.rfind("%PDF-", 0) != 0) {
        throw core::Unavailable("PDF: the renderer wrote something that is not a PDF");
    }
    return pdf;
}

}  // namespace coalition::publications
