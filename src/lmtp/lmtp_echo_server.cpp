// A test peer for real LMTP clients (smtplib_test.py): the listener on an ephemeral port with a
// recording Mailbox. Prints "LISTENING <port>", then one line per delivery:
// "DELIVERED <mail_from or -> <recipient,…> <smtputf8 0|1> <message as hex>". Recipients whose
// local part starts with "list" exist; a transaction to one starting with "down" fails as
// Unavailable. Stops when its standard input closes.

#include "core/unavailable.hpp"
#include "lmtp/lmtp.hpp"

#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>

namespace {

using coalition::lmtp::Envelope;
using coalition::lmtp::Reply;

class EchoMailbox : public coalition::lmtp::Mailbox {
public:
    Reply check_recipient(std::string_view address) override {
        if (address.starts_with("list") || address.starts_with("down")) {
            return {250, "2.1.5", "OK"};
        }
        return {550, "5.1.1", "No such list here"};
    }

    std::vector<Reply> deliver(const Envelope& envelope, std::string_view message) override {
        std::string recipients;
        for (const std::string& recipient : envelope.recipients) {
            if (recipient.starts_with("down")) {
                throw coalition::core::Unavailable("database gone");
            }
            recipients += (recipients.empty() ? "" : ",") + recipient;
        }
        std::string hex;
        for (unsigned char c : message) {
            static constexpr char kDigits[] = "0123456789abcdef";
            hex += kDigits[c >> 4];
            hex += kDigits[c & 15];
        }
        std::lock_guard lock(mutex_);
        std::cout << "DELIVERED " << (envelope.mail_from.empty() ? "-" : envelope.mail_from) << " "
                  << recipients << " " << (envelope.smtputf8 ? 1 : 0) << " " << hex << std::endl;
        return std::vector<Reply>(envelope.recipients.size(), Reply{250, "2.1.5", "Stored"});
    }

private:
    std::mutex mutex_;  // Keeps output lines whole.
};

}  // namespace

int main() {
    EchoMailbox mailbox;
    coalition::lmtp::ServerSettings settings;
    settings.port = 0;
    settings.server_name = "lists.example";
    settings.max_message_bytes = 100'000;
    coalition::lmtp::Server server(mailbox, settings);
    server.start();
    std::cout << "LISTENING " << server.port() << std::endl;
    while (std::cin.get() != EOF) {
    }
    server.stop();
    return 0;
}
