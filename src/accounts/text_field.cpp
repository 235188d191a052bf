#include "accounts/text_field.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"

namespace coalition::accounts {

core::Result<std::string> check_text(std::string_view input, const std::string& field,
                                     std::size_t max_characters, Lines lines, Required required,
                                     std::string_view missing_message) {
    const auto too_long = [&] {
        return core::Error::invalid(
            "Use at most " + std::to_string(max_characters) + " characters.", field);
    };
    // A UTF-8 character is at most 4 bytes; anything longer cannot fit, so refuse it before
    // spending time on it (and allow some surrounding white space).
    if (input.size() > max_characters * 4 + 1024) {
        return too_long();
    }
    if (!core::is_valid_utf8(input)) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("This text is not valid UTF-8.")), field);
    }
    bool has_control = core::has_control_characters(input);
    if (lines == Lines::Single && input.find_first_of("\t\r\n") != std::string_view::npos) {
        has_control = true;
    }
    if (has_control) {
        return core::Error::invalid(
            std::string(lines == Lines::Single
                            ? i18n::gettext_noop("Use one line of text without control characters.")
                            : i18n::gettext_noop("Remove the control characters from this text.")),
            field);
    }
    std::string text = core::to_nfc(core::trim(input));
    if (core::character_count(text) > max_characters) {
        return too_long();
    }
    if (text.empty() && required == Required::Yes) {
        return core::Error::invalid(std::string(missing_message), field);
    }
    return text;
}

}  // namespace coalition::accounts
