#pragma once
// app::ListMailbox: the LMTP listener's Mailbox over the list manager. RCPT asks
// lists::Lists::resolve whether an address names a list here; DATA hands the message to
// lists::Intake::receive once per recipient and turns each outcome into that recipient's reply.
// It lives in app/ because it joins two edges' neighbours (lmtp/ and lists/), which may not
// include each other (STYLE.md §2).

#include "lists/intake.hpp"
#include "lists/lists.hpp"
#include "lmtp/lmtp.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::app {

class ListMailbox final : public lmtp::Mailbox {
public:
    // `lists` and `intake` must outlive the mailbox. `log` receives one line per unexpected
    // failure (a database outage); may be empty.
    ListMailbox(lists::Lists& lists, lists::Intake& intake,
                std::function<void(const std::string&)> log = {});

    // 250 2.1.5 when `address` names a list address here (posting, -request, -owner, VERP
    // bounces, …); 550 5.1.1 otherwise, also for an address that does not parse. 451 4.3.0
    // when the database is away.
    lmtp::Reply check_recipient(std::string_view address) override;

    // One Intake::receive per recipient, each its own transaction, so a failure for one
    // recipient never undoes another's 250. Success (accepted, held, rejected or discarded: the
    // message was taken responsibly) → 250 2.0.0; NotFound → 550 5.1.1; TooLarge → 552 5.3.4;
    // Invalid → 554 5.6.0 (reply_for's table); core::Unavailable → 451 4.3.0.
    std::vector<lmtp::Reply> deliver(const lmtp::Envelope& envelope,
                                     std::string_view message) override;

private:
    lists::Lists& lists_;
    lists::Intake& intake_;
    std::function<void(const std::string&)> log_;
};

}  // namespace coalition::app
