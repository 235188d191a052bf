#include "accounts/users.hpp"

#include "accounts/audit_log.hpp"
#include "accounts/organisation_store.hpp"
#include "accounts/password.hpp"
#include "accounts/text_field.hpp"
#include "accounts/transaction.hpp"
#include "accounts/user_store.hpp"
#include "i18n/i18n.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace coalition::accounts {
namespace {

struct RoleRow {
    Role role;
    std::string_view id;
};

constexpr std::array<RoleRow, 3> kRoles = {{
    {Role::Admin, "admin"},
    {Role::Moderator, "moderator"},
    {Role::Member, "member"},
}};

std::string subject(UserId id) {
    return "user:" + std::to_string(id.value());
}

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

core::Error user_not_found() {
    return core::Error::not_found(std::string(i18n::gettext_noop("There is no such user.")));
}

core::Error organisation_not_found() {
    return {core::ErrorCode::NotFound,
            std::string(i18n::gettext_noop("There is no such organisation.")), "organisation"};
}

core::Error email_taken() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("An account with this e-mail address already exists.")),
        "email");
}

void require_organisation(store::Connection& connection,
                          std::optional<OrganisationId> organisation) {
    if (organisation && !organisation_store::find_by_id(connection, *organisation)) {
        throw Rejection(organisation_not_found());
    }
}

}  // namespace

std::string_view id(Role role) {
    return kRoles.at(static_cast<std::size_t>(role)).id;
}

std::optional<Role> parse_role(std::string_view id) {
    for (const auto& row : kRoles) {
        if (row.id == id) {
            return row.role;
        }
    }
    return std::nullopt;
}

Users::Users(store::Database& database, const core::Clock& clock)
    : database_(database), clock_(clock) {
}

core::Result<User> Users::add_user(const Actor& actor, const NewUser& user) {
    auto display_name = check_text(user.display_name, "display_name", kMaxDisplayNameLength,
                                   Lines::Single, Required::No, {});
    if (!display_name) {
        return display_name.error();
    }
    const auto now = clock_.unix_now();
    return run_transaction<User>(database_, email_taken(), [&](store::Connection& connection) {
        if (user_store::find_by_email(connection, user.email)) {
            throw Rejection(email_taken());
        }
        require_organisation(connection, user.organisation);
        const auto id = user_store::insert(connection, user, *display_name, now);
        nlohmann::json details = {{"email", user.email.unicode()},
                                  {"role", accounts::id(user.role)}};
        if (user.organisation) {
            details["organisation_id"] = user.organisation->value();
        }
        AuditLog::record(connection, now, actor, "user.add", subject(id), dump(details));
        auto added = user_store::find_by_id(connection, id);
        COALITION_ASSERT(added.has_value(), "an inserted user is not found");
        return std::move(*added);
    });
}

core::Result<User> Users::ensure_user(const Actor& actor, const NewUser& user) {
    if (auto existing = find_by_email(user.email)) {
        return std::move(*existing);
    }
    auto added = add_user(actor, user);
    if (!added && added.error().code == core::ErrorCode::Conflict) {
        // Someone else added the same address meanwhile: theirs is the user.
        if (auto existing = find_by_email(user.email)) {
            return std::move(*existing);
        }
    }
    return added;
}

std::optional<User> Users::find_by_id(UserId id) const {
    return user_store::find_by_id(database_, id);
}

std::optional<User> Users::find_by_email(const core::Email& email) const {
    return user_store::find_by_email(database_, email);
}

std::vector<User> Users::list() const {
    return user_store::list(database_);
}

std::vector<User> Users::list_representatives(OrganisationId organisation) const {
    return user_store::representatives(database_, organisation);
}

core::Result<void> Users::set_role(const Actor& actor, UserId user, Role role) {
    const auto now = clock_.unix_now();
    return run_transaction_void(database_, user_not_found(), [&](store::Connection& connection) {
        AuditLog::record(connection, now, actor, "user.set_role", subject(user),
                         dump({{"role", accounts::id(role)}}));
        if (!user_store::set_role(connection, user, role)) {
            throw Rejection(user_not_found());
        }
    });
}

core::Result<void> Users::set_organisation(const Actor& actor, UserId user,
                                           std::optional<OrganisationId> organisation) {
    const auto now = clock_.unix_now();
    return run_transaction_void(
        database_, organisation_not_found(), [&](store::Connection& connection) {
            // Recorded first: if the checks below fail, the row goes with the rest of the
            // transaction.
            AuditLog::record(
                connection, now, actor, "user.set_organisation", subject(user),
                dump({{"organisation_id", organisation ? nlohmann::json(organisation->value())
                                                       : nlohmann::json(nullptr)}}));
            require_organisation(connection, organisation);
            if (!user_store::set_organisation(connection, user, organisation)) {
                throw Rejection(user_not_found());
            }
        });
}

core::Result<void> Users::set_password(const Actor& actor, UserId user, std::string_view password) {
    auto hash = password::hash(password);
    if (!hash) {
        return hash.error();
    }
    const auto now = clock_.unix_now();
    return run_transaction_void(database_, user_not_found(), [&](store::Connection& connection) {
        AuditLog::record(connection, now, actor, "user.set_password", subject(user));
        if (!user_store::set_password_hash(connection, user, *hash)) {
            throw Rejection(user_not_found());
        }
    });
}

core::Result<User> Users::verify_password(const core::Email& email, std::string_view password) {
    const core::Error refused{
        core::ErrorCode::Unauthorised,
        std::string(i18n::gettext_noop("The e-mail address or the password is wrong.")),
        "password"};
    auto credentials = user_store::find_credentials(database_, email);
    if (!credentials || !credentials->password_hash) {
        password::verify_dummy(password);
        return refused;
    }
    if (!password::verify(*credentials->password_hash, password)) {
        return refused;
    }
    const auto now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        user_store::set_last_sign_in(connection, credentials->user.id, now);
    });
    credentials->user.last_sign_in_at = now;
    return std::move(credentials->user);
}

}  // namespace coalition::accounts
