#pragma once
// SQL for the users table. Private to accounts/: other modules use accounts.hpp.

#include "accounts/user.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::accounts::user_store {

// The user columns, for joins: "u.id, u.email, …" when `alias` is "u". from_row reads them
// starting at `first_column`.
std::string columns(const std::string& alias);
User from_row(const store::Row& row, std::size_t first_column = 0);

UserId insert(store::Connection& connection, const NewUser& user, const std::string& display_name,
              std::int64_t now);

std::optional<User> find_by_id(store::Connection& connection, UserId id);
std::optional<User> find_by_id(store::Database& database, UserId id);
std::optional<User> find_by_email(store::Connection& connection, const core::Email& email);
std::optional<User> find_by_email(store::Database& database, const core::Email& email);

// The user and their password hash (nullopt when they have none).
struct Credentials {
    User user;
    std::optional<std::string> password_hash;
};
std::optional<Credentials> find_credentials(store::Database& database, const core::Email& email);

// By display name, then address.
std::vector<User> representatives(store::Database& database, OrganisationId organisation);
std::vector<User> list(store::Database& database);

// Each returns false when there is no such user.
bool set_role(store::Connection& connection, UserId id, Role role);
bool set_organisation(store::Connection& connection, UserId id,
                      std::optional<OrganisationId> organisation);
bool set_password_hash(store::Connection& connection, UserId id, const std::string& password_hash);
bool set_last_sign_in(store::Connection& connection, UserId id, std::int64_t at);

}  // namespace coalition::accounts::user_store
