#pragma once
// Checks one free-text form field (a name, a description). Private to accounts/.

#include "core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace coalition::accounts {

enum class Lines { Single, Multiple };
enum class Required { Yes, No };

// `input` trimmed and NFC-normalised, or Invalid (with `field`) when it is not valid UTF-8, holds
// a control character (NUL always; tab and line breaks unless Lines::Multiple), is longer than
// `max_characters` after trimming, or is empty while Required::Yes (`missing_message` then; an
// English msgid marked with i18n::gettext_noop).
core::Result<std::string> check_text(std::string_view input, const std::string& field,
                                     std::size_t max_characters, Lines lines, Required required,
                                     std::string_view missing_message = {});

}  // namespace coalition::accounts
