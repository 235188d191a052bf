#include "accounts/user_store.hpp"

namespace coalition::accounts::user_store {
namespace {

std::string select_from_users() {
    return "SELECT " + columns("users") + " FROM users ";
}

template <typename Source>
std::optional<User> find_one(Source& source, const std::string& where,
                             const store::Params& params) {
    auto row = source.query_one(select_from_users() + where, params);
    if (!row) {
        return std::nullopt;
    }
    return from_row(*row);
}

std::vector<User> all(const store::Rows& rows) {
    std::vector<User> users;
    users.reserve(rows.size());
    for (const auto& row : rows) {
        users.push_back(from_row(row));
    }
    return users;
}

}  // namespace

std::string columns(const std::string& alias) {
    const std::string a = alias + ".";
    return a + "id, " + a + "email, " + a + "display_name, " + a + "role, " + a +
           "organisation_id, CASE WHEN " + a + "password_hash IS NULL THEN 0 ELSE 1 END, " + a +
           "created_at, " + a + "last_sign_in_at";
}

User from_row(const store::Row& row, std::size_t first_column) {
    const std::size_t c = first_column;
    auto email = core::Email::parse(row.text(c + 1));
    COALITION_ASSERT(email.has_value(), "stored e-mail address does not parse");
    const auto role = parse_role(row.text(c + 3));
    COALITION_ASSERT(role.has_value(), "stored role is unknown");
    User user{.id = UserId(row.integer(c)),
              .email = std::move(*email),
              .display_name = row.text(c + 2),
              .role = *role,
              .organisation = std::nullopt,
              .has_password = row.integer(c + 5) != 0,
              .created_at = row.integer(c + 6),
              .last_sign_in_at = row.optional_integer(c + 7)};
    if (auto organisation = row.optional_integer(c + 4)) {
        user.organisation = OrganisationId(*organisation);
    }
    return user;
}

UserId insert(store::Connection& connection, const NewUser& user, const std::string& display_name,
              std::int64_t now) {
    const auto row = connection.query_one(
        "INSERT INTO users (email, email_canonical, display_name, role, organisation_id, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {user.email.unicode(), user.email.canonical(), display_name, std::string(id(user.role)),
         user.organisation ? store::Value(user.organisation->value()) : store::Value(nullptr),
         now});
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING id returned no row");
    return UserId(row->integer(0));
}

std::optional<User> find_by_id(store::Connection& connection, UserId id) {
    return find_one(connection, "WHERE id = $1", {id.value()});
}

std::optional<User> find_by_id(store::Database& database, UserId id) {
    return find_one(database, "WHERE id = $1", {id.value()});
}

std::optional<User> find_by_email(store::Connection& connection, const core::Email& email) {
    return find_one(connection, "WHERE email_canonical = $1", {email.canonical()});
}

std::optional<User> find_by_email(store::Database& database, const core::Email& email) {
    return find_one(database, "WHERE email_canonical = $1", {email.canonical()});
}

std::optional<Credentials> find_credentials(store::Database& database, const core::Email& email) {
    auto row = database.query_one(
        "SELECT " + columns("users") + ", password_hash FROM users WHERE email_canonical = $1",
        {email.canonical()});
    if (!row) {
        return std::nullopt;
    }
    return Credentials{from_row(*row), row->optional_text(8)};
}

std::vector<User> representatives(store::Database& database, OrganisationId organisation) {
    return all(database.query(
        select_from_users() + "WHERE organisation_id = $1 ORDER BY display_name, email_canonical",
        {organisation.value()}));
}

std::vector<User> list(store::Database& database) {
    return all(database.query(select_from_users() + "ORDER BY email_canonical"));
}

bool set_role(store::Connection& connection, UserId id, Role role) {
    return connection.execute("UPDATE users SET role = $1 WHERE id = $2",
                              {std::string(accounts::id(role)), id.value()}) > 0;
}

bool set_organisation(store::Connection& connection, UserId id,
                      std::optional<OrganisationId> organisation) {
    return connection.execute(
               "UPDATE users SET organisation_id = $1 WHERE id = $2",
               {organisation ? store::Value(organisation->value()) : store::Value(nullptr),
                id.value()}) > 0;
}

bool set_password_hash(store::Connection& connection, UserId id, const std::string& password_hash) {
    return connection.execute("UPDATE users SET password_hash = $1 WHERE id = $2",
                              {password_hash, id.value()}) > 0;
}

bool set_last_sign_in(store::Connection& connection, UserId id, std::int64_t at) {
    return connection.execute("UPDATE users SET last_sign_in_at = $1 WHERE id = $2",
                              {at, id.value()}) > 0;
}

}  // namespace coalition::accounts::user_store
