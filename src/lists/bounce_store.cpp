#include "lists/bounce_store.hpp"

namespace coalition::lists::bounce_store {
namespace {

constexpr const char* kColumns =
    "member_id, list_id, score_milli, bounces, last_bounce_at, delivery_disabled, disabled_at, "
    "warnings_sent, last_warning_at, last_diagnostic";

ScoreRow to_row(const store::Row& row) {
    return ScoreRow{.member = MemberId(row.integer(0)),
                    .list = ListId(row.integer(1)),
                    .score_milli = row.integer(2),
                    .bounces = static_cast<int>(row.integer(3)),
                    .last_bounce_at = row.integer(4),
                    .delivery_disabled = row.boolean(5),
                    .disabled_at = row.optional_integer(6),
                    .warnings_sent = static_cast<int>(row.integer(7)),
                    .last_warning_at = row.optional_integer(8),
                    .last_diagnostic = row.text(9)};
}

}  // namespace

std::optional<ScoreRow> find(store::Connection& connection, MemberId member) {
    const auto row = connection.query_one(
        std::string("SELECT ") + kColumns + " FROM list_bounce_scores WHERE member_id = $1",
        {member.value()});
    return row ? std::optional(to_row(*row)) : std::nullopt;
}

void save(store::Connection& connection, const ScoreRow& row, std::int64_t now) {
    connection.execute(
        "INSERT INTO list_bounce_scores (member_id, list_id, score_milli, bounces, "
        "last_bounce_at, delivery_disabled, disabled_at, warnings_sent, last_warning_at, "
        "last_diagnostic, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (member_id) DO UPDATE SET score_milli = excluded.score_milli, "
        "bounces = excluded.bounces, last_bounce_at = excluded.last_bounce_at, "
        "delivery_disabled = excluded.delivery_disabled, disabled_at = excluded.disabled_at, "
        "warnings_sent = excluded.warnings_sent, last_warning_at = excluded.last_warning_at, "
        "last_diagnostic = excluded.last_diagnostic, updated_at = excluded.updated_at",
        {row.member.value(), row.list.value(), row.score_milli, std::int64_t{row.bounces},
         row.last_bounce_at, std::int64_t{row.delivery_disabled ? 1 : 0},
         store::nullable(row.disabled_at), std::int64_t{row.warnings_sent},
         store::nullable(row.last_warning_at), row.last_diagnostic, now});
}

void remove(store::Connection& connection, MemberId member) {
    connection.execute("DELETE FROM list_bounce_scores WHERE member_id = $1", {member.value()});
}

bool is_disabled(store::Database& database, MemberId member) {
    const auto row = database.query_one(
        "SELECT delivery_disabled FROM list_bounce_scores WHERE member_id = $1", {member.value()});
    return row && row->boolean(0);
}

std::vector<StateRow> for_list(store::Database& database, ListId list) {
    std::vector<StateRow> rows;
    for (const auto& row : database.query(
             "SELECT b.member_id, b.list_id, b.score_milli, b.bounces, b.last_bounce_at, "
             "b.delivery_disabled, b.disabled_at, b.warnings_sent, b.last_warning_at, "
             "b.last_diagnostic, m.email FROM list_bounce_scores b "
             "JOIN list_members m ON m.id = b.member_id WHERE b.list_id = $1 "
             "AND (b.score_milli > 0 OR b.delivery_disabled = 1) "
             "ORDER BY b.delivery_disabled DESC, b.score_milli DESC, m.email_canonical",
             {list.value()})) {
        rows.push_back(StateRow{to_row(row), row.text(10)});
    }
    return rows;
}

std::vector<ScoreRow> periodic_candidates(store::Database& database, std::int64_t warned_before,
                                          std::int64_t stale_before) {
    std::vector<ScoreRow> rows;
    for (const auto& row :
         database.query(std::string("SELECT ") + kColumns +
                            " FROM list_bounce_scores WHERE (delivery_disabled = 1 AND "
                            "COALESCE(last_warning_at, 0) <= $1) OR (delivery_disabled = 0 AND "
                            "last_bounce_at <= $2) ORDER BY member_id",
                        {warned_before, stale_before})) {
        rows.push_back(to_row(row));
    }
    return rows;
}

}  // namespace coalition::lists::bounce_store
