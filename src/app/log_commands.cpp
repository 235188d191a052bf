#include "app/log_commands.hpp"

#include "app/cli.hpp"
#include "signon/log/log_verifier.hpp"

#include <CLI/CLI.hpp>
#include <curl/curl.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace coalition::app {
namespace {

constexpr long kTimeoutSeconds = 60;
constexpr std::size_t kMaxBodyBytes = std::size_t{64} * 1024 * 1024;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    if (body->size() + size * count > kMaxBodyBytes) {
        return 0;  // Aborts the transfer.
    }
    body->append(data, size * count);
    return size * count;
}

// GETs base_url + target with one reused handle (keep-alive across the many requests).
class HttpFetch {
public:
    explicit HttpFetch(std::string base_url)
        : base_url_(std::move(base_url)), handle_(curl_easy_init(), &curl_easy_cleanup) {
        while (!base_url_.empty() && base_url_.back() == '/') {
            base_url_.pop_back();
        }
    }

    core::Result<std::string> operator()(const std::string& target) {
        if (!handle_) {
            return core::Error::invalid("libcurl could not start");
        }
        CURL* curl = handle_.get();
        std::string body;
        const std::string url = base_url_ + target;
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, kTimeoutSeconds);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "coalition-log-verify");
        const CURLcode code = curl_easy_perform(curl);
        if (code != CURLE_OK) {
            return core::Error::invalid(curl_easy_strerror(code));
        }
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200) {
            return core::Error::invalid("HTTP " + std::to_string(status));
        }
        return body;
    }

private:
    std::string base_url_;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle_;
};

// Replaces `path` atomically, so a crash never leaves half a state file.
bool write_state(const std::filesystem::path& path, const std::string& contents) {
    const std::filesystem::path temporary = path.string() + ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file << contents;
        file.flush();
        if (!file) {
            return false;
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    return !error;
}

}  // namespace

int log_verify(const LogVerifyCommandOptions& options) {
    signon::LogVerifyOptions verify_options;
    if (!options.state_file.empty() && std::filesystem::exists(options.state_file)) {
        std::ifstream file(options.state_file, std::ios::binary);
        std::ostringstream contents;
        contents << file.rdbuf();
        auto previous = signon::VerifiedHead::from_json(contents.str());
        if (!previous) {
            std::cerr << "coalition log verify: " << options.state_file << ": "
                      << previous.error().message << "\n";
            return kExitFailure;
        }
        verify_options.previous = *previous;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    HttpFetch fetch(options.url);
    const auto result = signon::verify_log(std::ref(fetch), verify_options);
    if (!result) {
        std::cerr << "coalition log verify: FAILED: " << result.error().message << "\n";
        return kExitFailure;
    }
    if (!options.state_file.empty() && !write_state(options.state_file, result->head.to_json())) {
        std::cerr << "coalition log verify: cannot write " << options.state_file << "\n";
        return kExitFailure;
    }
    std::cout << result->summary << "\n";
    return kExitOk;
}

void add_log_commands(CLI::App& app, const std::function<void(int)>& done) {
    auto* log = app.add_subcommand("log", "The transparency log of public signature events");
    log->require_subcommand(1);
    static LogVerifyCommandOptions options;
    auto* verify = log->add_subcommand(
        "verify", "Audit a Coalition log over its API: entries, root, signature, consistency");
    verify
        ->add_option("--url", options.url,
                     "The site's base URL, e.g. https://coalition.example.org")
        ->required();
    verify->add_option("--state", options.state_file,
                       "File keeping the last verified tree head (checked, then replaced)");
    verify->callback([done] { done(log_verify(options)); });
}

}  // namespace coalition::app
