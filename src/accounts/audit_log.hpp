#pragma once
// The audit log: one row for every admin action, written in the same transaction as the action,
// so an action that rolls back leaves no row and a recorded action always happened.

#include "accounts/actor.hpp"
#include "accounts/ids.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::accounts {

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t created_at = 0;  // Unix seconds.
    std::optional<UserId> actor_user_id;
    std::string actor;    // Actor::label(): "user:12", "cli".
    std::string action;   // "organisation.create", "user.set_role", …
    std::string subject;  // What was acted on: "organisation:4", "user:12".
    std::string details;  // A JSON object.
};

// Thread-safe.
class AuditLog {
public:
    explicit AuditLog(store::Database& database) : database_(database) {}

    // Writes one row inside the caller's transaction `connection`, stamped `at` (Unix seconds).
    // `details_json` must be a JSON object (the callers in this module build it with nlohmann).
    // Other modules record their admin actions through this too.
    static void record(store::Connection& connection, std::int64_t at, const Actor& actor,
                       std::string_view action, std::string_view subject,
                       std::string_view details_json = "{}");

    // The newest `limit` entries, newest first; only those about `subject` when it is given.
    std::vector<AuditEntry> recent(int limit, const std::optional<std::string>& subject = {}) const;

private:
    store::Database& database_;
};

}  // namespace coalition::accounts
