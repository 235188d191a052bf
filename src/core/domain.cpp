#include "core/domain.hpp"

#include "core/text.hpp"
#include "core/unavailable.hpp"

#include <unicode/idna.h>

#include <memory>

namespace coalition::core {
namespace {

const icu::IDNA& uts46() {
    static const std::unique_ptr<icu::IDNA> idna = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::IDNA> instance(icu::IDNA::createUTS46Instance(
            UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI |
                UIDNA_CHECK_CONTEXTJ | UIDNA_USE_STD3_RULES,
            status));
        if (U_FAILURE(status)) {
            throw Unavailable("ICU UTS #46 is unavailable");
        }
        return instance;
    }();
    return *idna;
}

}  // namespace

Result<Domain> Domain::parse(std::string_view input) {
    const auto invalid = [] { return Error::invalid("This is not a valid domain name."); };
    if (input.empty() || input.size() > 1024 || !is_valid_utf8(input)) {
        return invalid();
    }
    std::string name(input);
    if (name.back() == '.') {
        name.pop_back();
    }
    // One trailing dot names the root; anything else that leaves an empty label is malformed.
    if (name.empty() || name.find('.') == std::string::npos || name.back() == '.' ||
        name.front() == '.' || name.find("..") != std::string::npos) {
        return invalid();
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::IDNAInfo ascii_info;
    std::string ascii;
    icu::StringByteSink<std::string> ascii_sink(&ascii);
    uts46().nameToASCII_UTF8(name, ascii_sink, ascii_info, status);
    if (U_FAILURE(status) || ascii_info.hasErrors() || ascii.empty() || ascii.size() > 253) {
        return invalid();
    }
    icu::IDNAInfo unicode_info;
    std::string unicode;
    icu::StringByteSink<std::string> unicode_sink(&unicode);
    uts46().nameToUnicodeUTF8(ascii, unicode_sink, unicode_info, status);
    if (U_FAILURE(status) || unicode_info.hasErrors()) {
        return invalid();
    }
    return Domain(std::move(unicode), std::move(ascii));
}

bool Domain::is_within(const Domain& other) const {
    if (ascii_ == other.ascii_) {
        return true;
    }
    const std::string suffix = "." + other.ascii_;
    return ascii_.size() > suffix.size() &&
           ascii_.compare(ascii_.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace coalition::core
