#include "mail/file_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <string_view>
#include <system_error>

namespace coalition::mail {
namespace {

// The Message-ID field's value without angle brackets, or "" when the header has none.
std::string message_id_of(const std::string& bytes) {
    std::size_t start = 0;
    while (start < bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        if (end == std::string::npos) {
            end = bytes.size();
        }
        std::string_view line(bytes.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            break;  // The header ends at the first empty line.
        }
        constexpr std::string_view kField = "message-id:";
        if (line.size() > kField.size()) {
            bool matches = true;
            for (std::size_t idx = 0; idx < kField.size(); ++idx) {
                if (std::tolower(static_cast<unsigned char>(line[idx])) != kField[idx]) {
                    matches = false;
                    break;
                }
            }
            if (matches) {
                std::string_view value = line.substr(kField.size());
                const auto open = value.find('<');
                const auto close = value.find('>');
                if (open != std::string_view::npos && close != std::string_view::npos &&
                    close > open) {
                    return std::string(value.substr(open + 1, close - open - 1));
                }
            }
        }
        start = end + 1;
    }
    return {};
}

// Writes all of `bytes` to `path` and flushes it to disk; returns an errno-style error.
std::error_code write_durably(const std::filesystem::path& path, const std::string& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        return {errno, std::generic_category()};
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t count = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (count < 0) {
            if (errno == EINTR) {
                continue;
            }
            const std::error_code error(errno, std::generic_category());
            ::close(fd);
            return error;
        }
        written += static_cast<std::size_t>(count);
    }
    if (::fsync(fd) != 0) {
        const std::error_code error(errno, std::generic_category());
        ::close(fd);
        return error;
    }
    if (::close(fd) != 0) {
        return {errno, std::generic_category()};
    }
    return {};
}

}  // namespace

std::string file_name_safe(const std::string& message_id) {
    std::string safe;
    for (char c : message_id) {
        if (safe.size() == 100) {
            break;
        }
        const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                          c == '_' || c == '@';
        safe += keep ? c : '_';
    }
    // A name of dots alone would be "." or ".." once joined.
    if (safe.find_first_not_of('.') == std::string::npos) {
        safe = "message" + safe;
    }
    return safe;
}

FileTransport::FileTransport(std::filesystem::path directory, const core::Clock& clock)
    : directory_(std::move(directory)), clock_(clock) {
}

DeliveryOutcome FileTransport::deliver(const Envelope& /*envelope*/, const std::string& bytes) {
    std::error_code error;
    std::filesystem::create_directories(directory_, error);
    if (error) {
        return {DeliveryOutcome::Kind::Retry,
                "cannot create " + directory_.string() + ": " + error.message()};
    }
    const std::string name =
        std::to_string(clock_.unix_now()) + "-" + file_name_safe(message_id_of(bytes)) + ".eml";
    const std::filesystem::path final_path = directory_ / name;
    // A leading dot keeps a half-written file out of "*.eml" listings.
    const std::filesystem::path temporary_path = directory_ / ("." + name + ".tmp");
    error = write_durably(temporary_path, bytes);
    if (!error) {
        std::filesystem::rename(temporary_path, final_path, error);
    }
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(temporary_path, ignored);
        return {DeliveryOutcome::Kind::Retry,
                "cannot write " + final_path.string() + ": " + error.message()};
    }
    return {DeliveryOutcome::Kind::Sent, "written to " + final_path.string()};
}

std::string FileTransport::describe() const {
    return "files in " + directory_.string();
}

}  // namespace coalition::mail
