#include "lists/lists.hpp"

#include "lists/list_store.hpp"
#include "lists/transaction.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace coalition::lists {
namespace {

std::vector<core::Email> unique_emails(const std::vector<core::Email>& emails,
                                       const std::vector<core::Email>& excluded = {}) {
    std::vector<core::Email> unique;
    for (const auto& email : emails) {
        if (std::find(unique.begin(), unique.end(), email) == unique.end() &&
            std::find(excluded.begin(), excluded.end(), email) == excluded.end()) {
            unique.push_back(email);
        }
    }
    return unique;
}

nlohmann::json addresses_json(const std::vector<core::Email>& emails) {
    auto array = nlohmann::json::array();
    for (const auto& email : emails) {
        array.push_back(email.unicode());
    }
    return array;
}

nlohmann::json settings_json(const ListSettings& settings) {
    return {
        {"display_name", settings.display_name},
        {"description", settings.description},
        {"posting_policy", to_string(settings.posting_policy)},
        {"nonmember_policy", to_string(settings.nonmember_policy)},
        {"subject_prefix", settings.subject_prefix},
        {"footer", settings.footer},
        {"max_message_bytes", settings.max_message_bytes},
        {"archive_visibility", to_string(settings.archive_visibility)},
        {"digest_enabled", settings.digest_enabled},
        {"digest_period", to_string(settings.digest_period)},
        {"digest_size_threshold_bytes", settings.digest_size_threshold_bytes},
        {"reply_to_policy", to_string(settings.reply_to_policy)},
        {"reply_to_address", settings.reply_to_address ? settings.reply_to_address->unicode() : ""},
        {"emergency_moderation", settings.emergency_moderation},
        {"dmarc_mitigation", to_string(settings.dmarc_mitigation)},
        {"preferred_language", settings.preferred_language}};
}

std::string subject(ListId id) {
    return "list:" + std::to_string(id.value());
}

core::Error not_found() {
    return core::Error::not_found("There is no such mailing list.");
}

}  // namespace

Lists::Lists(store::Database& database, const core::Clock& clock)
    : database_(database), clock_(clock) {
}

core::Result<List> Lists::create(const accounts::Actor& actor, const NewList& draft) {
    auto address = ListAddress::parse(draft.address);
    if (!address || address->role() != AddressRole::Post) {
        return core::Error::invalid(
            "Give the list's posting address as NAME@DOMAIN: the name in lower-case letters, "
            "digits, dots, hyphens and underscores, not ending in -request, -owner or another "
            "list address suffix.",
            "address");
    }
    // Every address of the list must be a valid e-mail address (the longest fixed suffix is
    // eight characters: -request, -confirm, -bounces).
    if (!address->email() ||
        !ListAddress::of(address->list_name(), address->domain(), AddressRole::Request).email()) {
        return core::Error::invalid("This address is too long for a list.", "address");
    }
    const auto owners = unique_emails(draft.owners);
    if (owners.empty()) {
        return core::Error::invalid("A list needs at least one owner.", "owners");
    }
    ListSettings settings;
    settings.display_name = draft.display_name;
    settings.description = draft.description;
    settings.subject_prefix = "[" + address->list_name() + "]";
    if (auto errors = settings.normalise_and_check(); !errors.empty()) {
        return errors.front();
    }
    List list{.id = {},
              .name = address->list_name(),
              .domain = address->domain(),
              .settings = std::move(settings),
              .owners = owners,
              .moderators = unique_emails(draft.moderators, owners),
              .created_at = 0,
              .updated_at = 0};
    const auto now = clock_.unix_now();
    const core::Error taken =
        core::Error::conflict("A list with this name already exists.", "address");
    return run_transaction<List>(database_, taken, [&](store::Connection& connection) {
        if (connection.query_one("SELECT id FROM lists WHERE name = $1", {list.name})) {
            throw Rejection(taken);
        }
        list.id = list_store::insert(connection, list, now);
        list.created_at = now;
        list.updated_at = now;
        const nlohmann::json details = {{"address", list.posting_address().unicode()},
                                        {"owners", addresses_json(list.owners)},
                                        {"moderators", addresses_json(list.moderators)}};
        accounts::AuditLog::record(connection, now, actor, "list.create", subject(list.id),
                                   details.dump());
        return list;
    });
}

core::Result<List> Lists::update_settings(const accounts::Actor& actor, ListId id,
                                          ListSettings settings) {
    if (auto errors = settings.normalise_and_check(); !errors.empty()) {
        return errors.front();
    }
    const auto now = clock_.unix_now();
    return run_transaction<List>(database_, not_found(), [&](store::Connection& connection) {
        auto list = list_store::find(connection, id);
        if (!list) {
            throw Rejection(not_found());
        }
        const auto before = settings_json(list->settings);
        const auto after = settings_json(settings);
        nlohmann::json changed = nlohmann::json::object();
        for (const auto& [key, value] : after.items()) {
            if (before[key] != value) {
                changed[key] = {{"from", before[key]}, {"to", value}};
            }
        }
        list_store::update_settings(connection, id, settings, now);
        accounts::AuditLog::record(connection, now, actor, "list.update_settings", subject(id),
                                   changed.dump());
        list->settings = std::move(settings);
        list->updated_at = now;
        return std::move(*list);
    });
}

core::Result<List> Lists::set_roles(const accounts::Actor& actor, ListId id,
                                    const std::vector<core::Email>& owners,
                                    const std::vector<core::Email>& moderators) {
    const auto unique_owners = unique_emails(owners);
    if (unique_owners.empty()) {
        return core::Error::invalid("A list needs at least one owner.", "owners");
    }
    const auto unique_moderators = unique_emails(moderators, unique_owners);
    const auto now = clock_.unix_now();
    return run_transaction<List>(database_, not_found(), [&](store::Connection& connection) {
        auto list = list_store::find(connection, id);
        if (!list) {
            throw Rejection(not_found());
        }
        list_store::replace_roles(connection, id, unique_owners, unique_moderators, now);
        const nlohmann::json details = {{"owners", addresses_json(unique_owners)},
                                        {"moderators", addresses_json(unique_moderators)}};
        accounts::AuditLog::record(connection, now, actor, "list.set_roles", subject(id),
                                   details.dump());
        list->owners = unique_owners;
        list->moderators = unique_moderators;
        list->updated_at = now;
        return std::move(*list);
    });
}

std::optional<List> Lists::find(ListId id) const {
    return list_store::find(database_, id);
}

std::optional<List> Lists::find_by_name(std::string_view name) const {
    auto parsed = parse_list_name(name);
    if (!parsed) {
        return std::nullopt;
    }
    return list_store::find_by_name(database_, *parsed);
}

std::optional<List> Lists::find_by_address(const core::Email& posting_address) const {
    auto list = find_by_name(posting_address.local_part());
    if (!list || !(list->domain == posting_address.domain())) {
        return std::nullopt;
    }
    return list;
}

std::vector<List> Lists::all() const {
    return list_store::all(database_);
}

core::Result<ResolvedAddress> Lists::resolve(std::string_view recipient) const {
    auto address = ListAddress::parse(recipient);
    if (!address) {
        return address.error();
    }
    auto list = list_store::find_by_name(database_, address->list_name());
    if (!list || !(list->domain == address->domain())) {
        return not_found();
    }
    return ResolvedAddress{std::move(*list), std::move(*address)};
}

}  // namespace coalition::lists
