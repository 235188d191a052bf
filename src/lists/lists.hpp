#pragma once
// lists: mailing lists — the lists and their settings, owners and moderators, the list addresses
// (list_address.hpp), and subscriptions (subscriptions.hpp). A domain module: it uses core, store,
// mail (the outbox), i18n and accounts (Actor, AuditLog); web/ and lmtp/ use it through this
// header only. Next to come here: intake.hpp (parse → rules/ → chain → hold or accept),
// pipeline/, delivery, bounces, digests. Start reading at class Lists below, then
// Subscriptions; the SQL is in list_store.cpp and member_store.cpp.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"           // IWYU pragma: export
#include "lists/list_address.hpp"   // IWYU pragma: export
#include "lists/member.hpp"         // IWYU pragma: export
#include "lists/subscriptions.hpp"  // IWYU pragma: export
#include "store/database.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {

struct NewList {
    std::string address;              // "NAME@DOMAIN", as typed; the domain may be an IDN.
    std::vector<core::Email> owners;  // At least one.
    std::vector<core::Email> moderators;
    std::string display_name;
    std::string description;
};

// A recipient address resolved to an existing list.
struct ResolvedAddress {
    List list;
    ListAddress address;
};

// The lists themselves. Thread-safe; `database` and `clock` must outlive it. Every method throws
// core::Unavailable when the database is gone.
class Lists {
public:
    Lists(store::Database& database, const core::Clock& clock);

    // Creates a list with default settings (subject prefix "[NAME]") and records it in the audit
    // log ("list.create"). Invalid (field "address", "owners", "display_name", …) for bad input;
    // Conflict (field "address") when a list already has this name: names are unique across
    // domains, because pages live at /lists/NAME.
    core::Result<List> create(const accounts::Actor& actor, const NewList& draft);

    // Replaces the settings after ListSettings::normalise_and_check (the first problem is returned
    // as Invalid with its field; call normalise_and_check yourself to show them all). Audited
    // ("list.update_settings", with the changed fields). NotFound for an unknown list.
    core::Result<List> update_settings(const accounts::Actor& actor, ListId list,
                                       ListSettings settings);

    // Replaces the owners and moderators (duplicates dropped; an owner is not also listed as a
    // moderator). Invalid (field "owners") without an owner. Audited ("list.set_roles").
    core::Result<List> set_roles(const accounts::Actor& actor, ListId list,
                                 const std::vector<core::Email>& owners,
                                 const std::vector<core::Email>& moderators);

    std::optional<List> find(ListId id) const;
    // By name, case-insensitively ("Coalition-Discuss" finds "coalition-discuss").
    std::optional<List> find_by_name(std::string_view name) const;
    // By posting address; the domain matched by A-label.
    std::optional<List> find_by_address(const core::Email& posting_address) const;
    // Every list, by name.
    std::vector<List> all() const;

    // The list and role a recipient address names (what LMTP's RCPT TO asks). NotFound when it
    // parses but names no list here or names one at another domain; Invalid when it does not
    // parse.
    core::Result<ResolvedAddress> resolve(std::string_view recipient) const;

private:
    store::Database& database_;
    const core::Clock& clock_;
};

}  // namespace coalition::lists
