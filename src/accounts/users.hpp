#pragma once
// accounts::Users: adding users, roles, organisation representatives and passwords. Changes made
// by an admin take the Actor and write an audit row in the same transaction.

#include "accounts/actor.hpp"
#include "accounts/user.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace coalition::accounts {

// Thread-safe. `database` and `clock` must outlive it.
class Users {
public:
    Users(store::Database& database, const core::Clock& clock);

    // Adds a user (`coalition user add`). Fails with Conflict (field "email") when an account
    // has the same canonical address (case-insensitive, NFC, IDN-aware); Invalid (field
    // "display_name") for a bad display name; NotFound (field "organisation") when the
    // organisation does not exist. Audit action "user.add".
    core::Result<User> add_user(const Actor& actor, const NewUser& user);

    // add_user, or the existing user with that address left as it is: for demo data and scripts.
    core::Result<User> ensure_user(const Actor& actor, const NewUser& user);

    std::optional<User> find_by_id(UserId id) const;
    std::optional<User> find_by_email(const core::Email& email) const;
    // Every user, by address (for the admin pages).
    std::vector<User> list() const;
    // The users who represent `organisation`, by display name.
    std::vector<User> list_representatives(OrganisationId organisation) const;

    // NotFound when the user (or the organisation) does not exist. Audit actions
    // "user.set_role" and "user.set_organisation"; nullopt unlinks the user.
    core::Result<void> set_role(const Actor& actor, UserId user, Role role);
    core::Result<void> set_organisation(const Actor& actor, UserId user,
                                        std::optional<OrganisationId> organisation);

    // Sets (or replaces) the user's password: Invalid (field "password") when it has fewer than
    // 10 characters, more than 1024 bytes or is not UTF-8; NotFound for an unknown user. The
    // actor is the user themself or an admin. Audit action "user.set_password" (no secret in it).
    core::Result<void> set_password(const Actor& actor, UserId user, std::string_view password);

    // The user whose address and password these are, and records the sign-in time. Otherwise
    // Unauthorised with one message for every cause (unknown address, no password, wrong
    // password), and in about the same time: a missing user still costs one argon2id check.
    core::Result<User> verify_password(const core::Email& email, std::string_view password);

private:
    store::Database& database_;
    const core::Clock& clock_;
};

}  // namespace coalition::accounts
