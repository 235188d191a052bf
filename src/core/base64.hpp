#pragma once
// Standard base64 (RFC 4648 §4, padded), as the store keeps bytes that a PostgreSQL TEXT column
// would refuse (mail may hold 8-bit and NUL bytes): list posts, digests, archived messages.

#include <optional>
#include <string>
#include <string_view>

namespace coalition::core {

std::string encode_base64(std::string_view bytes);
// Accepts padded or unpadded input and ignores line breaks and spaces; nullopt for anything else.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace coalition::core
