#pragma once
// Users: people with an account. A user has a role, may represent one organisation, and signs in
// by a one-time link or, if they set one, a password.

#include "accounts/ids.hpp"
#include "core/email.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::accounts {

enum class Role { Admin, Moderator, Member };

std::string_view id(Role role);  // "admin", "moderator", "member"
std::optional<Role> parse_role(std::string_view id);

inline constexpr std::size_t kMaxDisplayNameLength = 200;

struct User {
    UserId id;
    core::Email email;         // As given; unique by email.canonical().
    std::string display_name;  // May be empty.
    Role role = Role::Member;
    std::optional<OrganisationId> organisation;  // The organisation this user represents.
    bool has_password = false;
    std::int64_t created_at = 0;  // Unix seconds.
    std::optional<std::int64_t> last_sign_in_at;

    // The display name, or the address when there is none.
    std::string name() const { return display_name.empty() ? email.unicode() : display_name; }
};

// What `user add` and admin forms give to Users::add_user.
struct NewUser {
    core::Email email;
    std::string display_name = {};  // Checked by add_user: one line, kMaxDisplayNameLength.
    Role role = Role::Member;
    std::optional<OrganisationId> organisation = std::nullopt;
};

}  // namespace coalition::accounts
