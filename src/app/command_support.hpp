#pragma once
// Shared by the subcommands' bodies: how a command reports a domain error, and how it finds the
// list it was given.

#include "accounts/validation.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"

#include <optional>
#include <string>

namespace coalition::lists {
class Lists;
}

namespace coalition::app {

// One line on stderr ("coalition: FIELD: MESSAGE"); returns kExitFailure.
int report(const core::Error& error);
// One line per invalid field; returns kExitFailure.
int report(const accounts::FieldErrors& errors);

// The list named by its name or its posting address, as `coalition list …` and
// `coalition archive …` take it.
std::optional<lists::List> find_list(const lists::Lists& lists, const std::string& name);

}  // namespace coalition::app
