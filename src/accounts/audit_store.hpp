#pragma once
// SQL for the audit_log table. Private to accounts/.

#include "accounts/audit_log.hpp"
#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coalition::accounts::audit_store {

void insert(store::Connection& connection, const AuditEntry& entry);
std::vector<AuditEntry> recent(store::Database& database, int limit,
                               const std::optional<std::string>& subject);

}  // namespace coalition::accounts::audit_store
