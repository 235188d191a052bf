#pragma once
// mail::FileTransport: the default when no relay is configured. Each message becomes one file,
// DIR/<unix seconds>-<message id>.eml, so a developer or an operator can read what would have
// been sent.

#include "core/clock.hpp"
#include "mail/transport.hpp"

#include <filesystem>
#include <string>

namespace coalition::mail {

class FileTransport final : public Transport {
public:
    // `directory` is created on first delivery if missing. `clock` must outlive the transport.
    FileTransport(std::filesystem::path directory, const core::Clock& clock);

    // mail::Transport
    // Writes the message atomically (a temporary file, fsync, rename): a reader never sees half
    // a message. The Message-ID header names the file; a redelivery replaces the same file when
    // the second is the same. Any I/O failure is Retry with the reason.
    DeliveryOutcome deliver(const Envelope& envelope, const std::string& bytes) override;
    std::string describe() const override;

private:
    std::filesystem::path directory_;
    const core::Clock& clock_;
};

// The part of a file name made from `message_id`: letters, digits, '.', '-', '_' and '@' kept,
// anything else (path separators included) replaced by '_', at most 100 characters.
std::string file_name_safe(const std::string& message_id);

}  // namespace coalition::mail
