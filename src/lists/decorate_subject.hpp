#pragma once
// The subject prefix rule of decorate(), kept apart so it can be tested and fuzzed as plain text.
// Private to lists/ (decorate.cpp and its tests).

#include <string>
#include <string_view>

namespace coalition::lists {

// `subject` (decoded UTF-8; empty when the message has none) with `prefix` added once, as
// "PREFIX rest" or, for a reply, "Re: PREFIX rest". Every earlier occurrence of the prefix
// (ASCII case-insensitive) is removed wherever it stands, and the reply markers in front of it
// ("Re:", "RE:", "Re[2]:", "AW:", "SV:", "VS:", "Antw:", "Réf:", "Отв:", "رد:", "回复:", "答复:")
// collapse into one "Re: ": "Re: [x] Re: [x] hi" becomes "Re: [x] hi". An empty remainder
// becomes "(no subject)". Control characters become spaces. An empty `prefix` returns `subject`
// unchanged. Both arguments must be valid UTF-8; the result then is too.
std::string prefixed_subject(std::string_view subject, std::string_view prefix);

}  // namespace coalition::lists
