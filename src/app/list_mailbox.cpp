#include "app/list_mailbox.hpp"

#include "core/unavailable.hpp"
#include "lmtp/replies.hpp"

namespace coalition::app {

ListMailbox::ListMailbox(lists::Lists& lists, lists::Intake& intake,
                         std::function<void(const std::string&)> log)
    : lists_(lists), intake_(intake), log_(std::move(log)) {
}

lmtp::Reply ListMailbox::check_recipient(std::string_view address) {
    try {
        const auto resolved = lists_.resolve(address);
        if (resolved) {
            return {250, "2.1.5", "Recipient OK"};
        }
        return {550, "5.1.1", "No such list or list address here"};
    } catch (const core::Unavailable& error) {
        if (log_) {
            log_(std::string("lmtp: RCPT: ") + error.what());
        }
        return lmtp::unavailable_reply();
    }
}

std::vector<lmtp::Reply> ListMailbox::deliver(const lmtp::Envelope& envelope,
                                              std::string_view message) {
    std::vector<lmtp::Reply> replies;
    replies.reserve(envelope.recipients.size());
    for (const auto& recipient : envelope.recipients) {
        try {
            const auto received =
                intake_.receive(recipient, envelope.mail_from, message, lists::PostSource::Lmtp);
            if (received) {
                replies.push_back({250, "2.0.0", "Message accepted"});
            } else {
                replies.push_back(lmtp::reply_for(received.error()));
            }
        } catch (const core::Unavailable& error) {
            if (log_) {
                log_(std::string("lmtp: DATA: ") + error.what());
            }
            replies.push_back(lmtp::unavailable_reply());
        }
    }
    return replies;
}

}  // namespace coalition::app
