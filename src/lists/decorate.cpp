// Placeholder until the decoration helper implements lists/decorate.hpp.
#include "lists/decorate.hpp"

namespace coalition::lists {

core::Result<std::string> decorate(const List& /*list*/, std::string_view raw,
                                   const DecorationContext& /*context*/) {
    return std::string(raw);
}

std::string personal_header_block(const PersonalHeaders& headers) {
    return "List-Unsubscribe: <" + headers.unsubscribe_url + ">, <" + headers.unsubscribe_mailto +
           ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
}

std::string personalise(std::string_view decorated, const PersonalHeaders& headers) {
    return personal_header_block(headers) + std::string(decorated);
}

}  // namespace coalition::lists
