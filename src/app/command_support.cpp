#include "app/command_support.hpp"

#include "app/cli.hpp"
#include "core/email.hpp"
#include "lists/lists.hpp"

#include <iostream>

namespace coalition::app {

int report(const core::Error& error) {
    std::cerr << "coalition: " << (error.field.empty() ? "" : error.field + ": ") << error.message
              << "\n";
    return kExitFailure;
}

int report(const accounts::FieldErrors& errors) {
    for (const auto& error : errors) {
        std::cerr << "coalition: " << error.field << ": " << error.message << "\n";
    }
    return kExitFailure;
}

std::optional<lists::List> find_list(const lists::Lists& lists, const std::string& name) {
    if (name.find('@') != std::string::npos) {
        auto address = core::Email::parse(name);
        return address ? lists.find_by_address(*address) : std::nullopt;
    }
    return lists.find_by_name(name);
}

}  // namespace coalition::app
