#include "lists/list_store.hpp"

#include "core/assert.hpp"

#include <map>
#include <utility>

namespace coalition::lists::list_store {
namespace {

constexpr const char* kColumns =
    "id, name, domain, display_name, description, posting_policy, nonmember_policy, "
    "subject_prefix, footer, max_message_bytes, archive_visibility, digest_enabled, digest_period, "
    "digest_size_threshold_bytes, reply_to_policy, reply_to_address, emergency_moderation, "
    "dmarc_mitigation, preferred_language, created_at, updated_at";

template <typename T>
T stored(core::Result<T> parsed) {
    COALITION_ASSERT(parsed.has_value(), "a stored list setting parses");
    return std::move(*parsed);
}

core::Email stored_email(const std::string& text) {
    return stored(core::Email::parse(text));
}

List from_row(const store::Row& row) {
    ListSettings settings;
    settings.display_name = row.text(3);
    settings.description = row.text(4);
    settings.posting_policy = stored(parse_posting_policy(row.text(5)));
    settings.nonmember_policy = stored(parse_nonmember_policy(row.text(6)));
    settings.subject_prefix = row.text(7);
    settings.footer = row.text(8);
    settings.max_message_bytes = row.integer(9);
    settings.archive_visibility = stored(parse_archive_visibility(row.text(10)));
    settings.digest_enabled = row.boolean(11);
    settings.digest_period = stored(parse_digest_period(row.text(12)));
    settings.digest_size_threshold_bytes = row.integer(13);
    settings.reply_to_policy = stored(parse_reply_to_policy(row.text(14)));
    if (!row.text(15).empty()) {
        settings.reply_to_address = stored_email(row.text(15));
    }
    settings.emergency_moderation = row.boolean(16);
    settings.dmarc_mitigation = stored(parse_dmarc_mitigation(row.text(17)));
    settings.preferred_language = row.text(18);
    return List{.id = ListId(row.integer(0)),
                .name = row.text(1),
                .domain = stored(core::Domain::parse(row.text(2))),
                .settings = std::move(settings),
                .owners = {},
                .moderators = {},
                .created_at = row.integer(19),
                .updated_at = row.integer(20)};
}

void add_roles(List& list, const store::Rows& roles) {
    for (const auto& role : roles) {
        if (role.integer(0) != list.id.value()) {
            continue;
        }
        (role.text(1) == "owner" ? list.owners : list.moderators)
            .push_back(stored_email(role.text(2)));
    }
}

constexpr const char* kRoles = "SELECT list_id, role, email FROM list_roles ";

store::Params settings_params(const ListSettings& settings) {
    return {settings.display_name,
            settings.description,
            std::string(to_string(settings.posting_policy)),
            std::string(to_string(settings.nonmember_policy)),
            settings.subject_prefix,
            settings.footer,
            settings.max_message_bytes,
            std::string(to_string(settings.archive_visibility)),
            std::int64_t{settings.digest_enabled ? 1 : 0},
            std::string(to_string(settings.digest_period)),
            settings.digest_size_threshold_bytes,
            std::string(to_string(settings.reply_to_policy)),
            settings.reply_to_address ? settings.reply_to_address->unicode() : std::string(),
            std::int64_t{settings.emergency_moderation ? 1 : 0},
            std::string(to_string(settings.dmarc_mitigation)),
            settings.preferred_language};
}

void insert_roles(store::Connection& connection, ListId id, const char* role,
                  const std::vector<core::Email>& emails) {
    for (const auto& email : emails) {
        connection.execute(
            "INSERT INTO list_roles (list_id, role, email, email_canonical) VALUES ($1, $2, $3, "
            "$4) "
            "ON CONFLICT (list_id, role, email_canonical) DO NOTHING",
            {id.value(), std::string(role), email.unicode(), email.canonical()});
    }
}

}  // namespace

ListId insert(store::Connection& connection, const List& list, std::int64_t now) {
    store::Params params = {list.name, list.domain.unicode(), list.domain.ascii()};
    for (auto& value : settings_params(list.settings)) {
        params.push_back(std::move(value));
    }
    params.emplace_back(now);
    const auto row = connection.query_one(
        "INSERT INTO lists (name, domain, domain_ascii, display_name, description, posting_policy, "
        "nonmember_policy, subject_prefix, footer, max_message_bytes, archive_visibility, "
        "digest_enabled, digest_period, digest_size_threshold_bytes, reply_to_policy, "
        "reply_to_address, emergency_moderation, dmarc_mitigation, preferred_language, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
        "$14, $15, $16, $17, $18, $19, $20, $20) RETURNING id",
        params);
    COALITION_ASSERT(row.has_value(), "INSERT … RETURNING gives a row");
    const ListId id(row->integer(0));
    insert_roles(connection, id, "owner", list.owners);
    insert_roles(connection, id, "moderator", list.moderators);
    return id;
}

void update_settings(store::Connection& connection, ListId id, const ListSettings& settings,
                     std::int64_t now) {
    store::Params params = settings_params(settings);
    params.emplace_back(now);
    params.emplace_back(id.value());
    connection.execute(
        "UPDATE lists SET display_name = $1, description = $2, posting_policy = $3, "
        "nonmember_policy = $4, subject_prefix = $5, footer = $6, max_message_bytes = $7, "
        "archive_visibility = $8, digest_enabled = $9, digest_period = $10, "
        "digest_size_threshold_bytes = $11, reply_to_policy = $12, reply_to_address = $13, "
        "emergency_moderation = $14, dmarc_mitigation = $15, preferred_language = $16, "
        "updated_at = $17 WHERE id = $18",
        params);
}

void replace_roles(store::Connection& connection, ListId id, const std::vector<core::Email>& owners,
                   const std::vector<core::Email>& moderators, std::int64_t now) {
    connection.execute("DELETE FROM list_roles WHERE list_id = $1", {id.value()});
    insert_roles(connection, id, "owner", owners);
    insert_roles(connection, id, "moderator", moderators);
    connection.execute("UPDATE lists SET updated_at = $1 WHERE id = $2", {now, id.value()});
}

std::optional<List> find(store::Connection& connection, ListId id) {
    const auto row = connection.query_one(
        std::string("SELECT ") + kColumns + " FROM lists WHERE id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    List list = from_row(*row);
    add_roles(list, connection.query(std::string(kRoles) + "WHERE list_id = $1 ORDER BY id",
                                     {id.value()}));
    return list;
}

std::optional<List> find(store::Database& database, ListId id) {
    const auto row = database.query_one(
        std::string("SELECT ") + kColumns + " FROM lists WHERE id = $1", {id.value()});
    if (!row) {
        return std::nullopt;
    }
    List list = from_row(*row);
    add_roles(list,
              database.query(std::string(kRoles) + "WHERE list_id = $1 ORDER BY id", {id.value()}));
    return list;
}

// Memoised: every archive page and post looks its list up by name (store::Database).
std::optional<List> find_by_name(store::Database& database, const std::string& name) {
    const auto row = database.query_one_memoised(
        std::string("SELECT ") + kColumns + " FROM lists WHERE name = $1", {name});
    if (!row) {
        return std::nullopt;
    }
    List list = from_row(*row);
    add_roles(list, database.query_memoised(std::string(kRoles) + "WHERE list_id = $1 ORDER BY id",
                                            {list.id.value()}));
    return list;
}

std::vector<List> all(store::Database& database) {
    std::vector<List> lists;
    for (const auto& row :
         database.query(std::string("SELECT ") + kColumns + " FROM lists ORDER BY name")) {
        lists.push_back(from_row(row));
    }
    const auto roles = database.query(std::string(kRoles) + "ORDER BY id");
    for (auto& list : lists) {
        add_roles(list, roles);
    }
    return lists;
}

}  // namespace coalition::lists::list_store
