#include "accounts/api_tokens.hpp"

#include "accounts/audit_log.hpp"
#include "accounts/user_store.hpp"
#include "core/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace coalition::accounts {
namespace {

constexpr std::string_view kPrefix = "ct_";
constexpr std::size_t kTokenBytes = 32;  // 43 base64url characters.
constexpr std::size_t kMaxLabelCharacters = 100;

bool is_well_formed(std::string_view token) {
    if (!token.starts_with(kPrefix) || token.size() != kPrefix.size() + 43) {
        return false;
    }
    return std::all_of(token.begin() + static_cast<std::ptrdiff_t>(kPrefix.size()), token.end(),
                       [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '-' || c == '_';
                       });
}

}  // namespace

ApiTokens::ApiTokens(store::Database& database, const core::Clock& clock, core::Random& random)
    : database_(database), clock_(clock), random_(random) {
}

core::Result<std::string> ApiTokens::create(const Actor& actor, UserId user,
                                            std::string_view label) {
    if (!core::is_valid_utf8(label) || core::has_control_characters(label) ||
        label.find_first_of("\r\n") != std::string_view::npos ||
        core::character_count(label) > kMaxLabelCharacters) {
        return core::Error{core::ErrorCode::Invalid, "A label is one line of up to 100 characters.",
                           "label"};
    }
    if (!user_store::find_by_id(database_, user)) {
        return core::Error{core::ErrorCode::NotFound, "There is no such user.", "user"};
    }
    const std::string token = std::string(kPrefix) + random_.token(kTokenBytes);
    const auto now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        connection.execute(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at) "
            "VALUES ($1, $2, $3, $4)",
            {user.value(), core::hash_token(token), std::string(label), now});
        AuditLog::record(connection, now, actor, "api_token.create",
                         "user:" + std::to_string(user.value()),
                         nlohmann::json{{"label", std::string(label)}}.dump());
    });
    return token;
}

std::optional<User> ApiTokens::authenticate(std::string_view token) {
    if (!is_well_formed(token)) {
        return std::nullopt;
    }
    const std::string hash = core::hash_token(std::string(token));
    const auto row = database_.query_one(
        "SELECT id, user_id, last_used_at FROM api_tokens "
        "WHERE token_hash = $1 AND revoked_at IS NULL",
        {hash});
    if (!row) {
        return std::nullopt;
    }
    auto user = user_store::find_by_id(database_, UserId(row->integer(1)));
    const auto now = clock_.unix_now();
    // Recorded at most once a minute, so a busy client does not write on every request.
    if (user && row->optional_integer(2).value_or(0) < now - 60) {
        database_.transact([&](store::Connection& connection) {
            connection.execute("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
                               {row->integer(0), now});
        });
    }
    return user;
}

namespace {

constexpr const char* kInfoColumns =
    "SELECT t.id, t.user_id, u.email, t.label, t.created_at, t.last_used_at, t.revoked_at "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id ";

ApiTokenInfo info_of(const store::Row& row) {
    auto email = core::Email::parse(row.text(2));
    return ApiTokenInfo{.id = row.integer(0),
                        .user = UserId(row.integer(1)),
                        .user_email = email ? email->unicode() : row.text(2),
                        .label = row.text(3),
                        .created_at = row.integer(4),
                        .last_used_at = row.optional_integer(5),
                        .revoked_at = row.optional_integer(6)};
}

}  // namespace

std::vector<ApiTokenInfo> ApiTokens::list() {
    std::vector<ApiTokenInfo> out;
    for (const auto& row : database_.query(std::string(kInfoColumns) + "ORDER BY t.id DESC", {})) {
        out.push_back(info_of(row));
    }
    return out;
}

core::Result<ApiTokenInfo> ApiTokens::revoke(const Actor& actor, std::int64_t id) {
    std::optional<ApiTokenInfo> revoked;
    const auto now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        const auto row = connection.query_one(std::string(kInfoColumns) + "WHERE t.id = $1", {id});
        if (!row) {
            return;
        }
        revoked = info_of(*row);
        if (revoked->revoked_at) {
            return;
        }
        connection.execute("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1", {id, now});
        revoked->revoked_at = now;
        AuditLog::record(connection, now, actor, "api_token.revoke",
                         "user:" + std::to_string(revoked->user.value()),
                         nlohmann::json{{"token", id}, {"label", revoked->label}}.dump());
    });
    if (!revoked) {
        return core::Error{core::ErrorCode::NotFound, "There is no token with this number.", "id"};
    }
    return *revoked;
}

}  // namespace coalition::accounts
