#pragma once
// SQL for bounce scores (table list_bounce_scores, migration 0011). Private to lists/.

#include "lists/list.hpp"
#include "lists/member.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::lists::bounce_store {

struct ScoreRow {
    MemberId member;
    ListId list;
    std::int64_t score_milli = 0;  // 1000 = a score of 1.0.
    int bounces = 0;
    std::int64_t last_bounce_at = 0;
    bool delivery_disabled = false;
    std::optional<std::int64_t> disabled_at;
    int warnings_sent = 0;
    std::optional<std::int64_t> last_warning_at;
    std::string last_diagnostic;
};

std::optional<ScoreRow> find(store::Connection& connection, MemberId member);
void save(store::Connection& connection, const ScoreRow& row, std::int64_t now);
void remove(store::Connection& connection, MemberId member);
bool is_disabled(store::Database& database, MemberId member);

// Every row of `list` with the member's address, worst first.
struct StateRow {
    ScoreRow score;
    std::string email;
};
std::vector<StateRow> for_list(store::Database& database, ListId list);

// Rows the periodic work looks at: disabled ones whose last warning is at or before
// `warned_before`, and enabled ones whose last bounce is at or before `stale_before`.
std::vector<ScoreRow> periodic_candidates(store::Database& database, std::int64_t warned_before,
                                          std::int64_t stale_before);

}  // namespace coalition::lists::bounce_store
