#include "lmtp/replies.hpp"

#include "core/assert.hpp"

namespace coalition::lmtp {

namespace {

void append_text(std::string& out, std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(byte < 0x20 || byte == 0x7F ? ' ' : c);
    }
}

}  // namespace

std::string format_reply(const Reply& reply) {
    COALITION_ASSERT(reply.code >= 200 && reply.code <= 599, "an LMTP reply code is 200..599");
    std::string out = std::to_string(reply.code);
    if (!reply.enhanced.empty()) {
        out += ' ';
        append_text(out, reply.enhanced);
    }
    out += ' ';
    append_text(out, reply.text);
    out += "\r\n";
    return out;
}

std::string format_multiline(int code, const std::vector<std::string>& lines) {
    COALITION_ASSERT(code >= 200 && code <= 599, "an LMTP reply code is 200..599");
    COALITION_ASSERT(!lines.empty(), "a reply has at least one line");
    std::string out;
    for (std::size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
        out += std::to_string(code);
        out += line_idx + 1 < lines.size() ? '-' : ' ';
        append_text(out, lines[line_idx]);
        out += "\r\n";
    }
    return out;
}

Reply reply_for(const core::Error& error) {
    using core::ErrorCode;
    switch (error.code) {
        case ErrorCode::NotFound:
            return {550, "5.1.1", error.message};
        case ErrorCode::Forbidden:
        case ErrorCode::Unauthorised:
            return {550, "5.7.1", error.message};
        case ErrorCode::TooLarge:
            return {552, "5.3.4", error.message};
        case ErrorCode::RateLimited:
            return {450, "4.7.1", error.message};
        case ErrorCode::Conflict:
        case ErrorCode::Expired:
            return {550, "5.7.0", error.message};
        case ErrorCode::Invalid:
            return {554, "5.6.0", error.message};
    }
    return {554, "5.0.0", error.message};
}

Reply unavailable_reply() {
    return {451, "4.3.0", "Temporary local error, try again later"};
}

}  // namespace coalition::lmtp
