// SQL for response announcements, written once for SQLite and PostgreSQL.

#include "responses/announcements_store.hpp"

#include <optional>

namespace coalition::responses::announcements_store {

std::int64_t insert(store::Connection& connection, ResponseId id, const Announcement& announcement,
                    const std::string& actor) {
    store::Value post = nullptr;
    if (announcement.post) {
        post = *announcement.post;
    }
    const auto row = connection.query_one(
        "INSERT INTO response_announcements (response_id, event, version_number, list_id, "
        "list_name, post_id, outcome, user_id, actor, subject, announced_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        {id.value(), std::string(responses::id(announcement.event)),
         static_cast<std::int64_t>(announcement.version_number), announcement.list_id,
         announcement.list_name, post, std::string(responses::id(announcement.outcome)),
         announcement.editor.value(), actor, announcement.subject, announcement.announced_at});
    return row->integer(0);
}

std::vector<Announcement> list(response_store::Source source, ResponseId id) {
    std::vector<Announcement> out;
    for (const auto& row : source.query(
             "SELECT id, event, version_number, list_id, list_name, post_id, outcome, user_id, "
             "actor, subject, announced_at FROM response_announcements WHERE response_id = $1 "
             "ORDER BY announced_at DESC, id DESC",
             {id.value()})) {
        Announcement announcement;
        announcement.id = row.integer(0);
        announcement.event =
            parse_announcement_event(row.text(1)).value_or(AnnouncementEvent::DraftOpened);
        announcement.version_number = static_cast<int>(row.integer(2));
        announcement.list_id = row.integer(3);
        announcement.list_name = row.text(4);
        announcement.post = row.optional_integer(5);
        announcement.outcome = parse_post_outcome(row.text(6)).value_or(PostOutcome::Accepted);
        announcement.editor = accounts::UserId(row.integer(7));
        announcement.editor_name = row.text(8);
        announcement.subject = row.text(9);
        announcement.announced_at = row.integer(10);
        out.push_back(std::move(announcement));
    }
    return out;
}

}  // namespace coalition::responses::announcements_store
