#pragma once
// LMTP replies: how a Reply is written on the wire, the replies the listener gives itself, and the
// one table from core::ErrorCode to an LMTP reply (web/problem.cpp holds the HTTP one).

#include "core/result.hpp"
#include "lmtp/lmtp.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace coalition::lmtp {

// "250 2.1.5 Recipient OK\r\n". Control characters in the text become spaces so that a reply can
// never forge a second line. COALITION_ASSERT: code is 200..599.
std::string format_reply(const Reply& reply);

// A multi-line reply (RFC 5321 §4.2.1): "250-first\r\n250-…\r\n250 last\r\n". `lines` not empty.
std::string format_multiline(int code, const std::vector<std::string>& lines);

// The reply for a failed domain call, e.g. from the adapter over lists::Intake:
// NotFound → 550 5.1.1, Forbidden/Unauthorised → 550 5.7.1, TooLarge → 552 5.3.4,
// RateLimited → 450 4.7.1, Conflict → 550 5.7.0, Expired → 550 5.7.0, Invalid → 554 5.6.0.
// The text is the error's message. Adding an ErrorCode? Add its line here.
Reply reply_for(const core::Error& error);

// Infrastructure lost (core::Unavailable): the MTA keeps the message and retries.
Reply unavailable_reply();

}  // namespace coalition::lmtp
