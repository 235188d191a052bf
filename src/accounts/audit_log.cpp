#include "accounts/audit_log.hpp"

#include "accounts/audit_store.hpp"

namespace coalition::accounts {

void AuditLog::record(store::Connection& connection, std::int64_t at, const Actor& actor,
                      std::string_view action, std::string_view subject,
                      std::string_view details_json) {
    audit_store::insert(connection, AuditEntry{
                                        .id = 0,
                                        .created_at = at,
                                        .actor_user_id = actor.user_id(),
                                        .actor = actor.label(),
                                        .action = std::string(action),
                                        .subject = std::string(subject),
                                        .details = std::string(details_json),
                                    });
}

std::vector<AuditEntry> AuditLog::recent(int limit,
                                         const std::optional<std::string>& subject) const {
    return audit_store::recent(database_, limit, subject);
}

}  // namespace coalition::accounts
