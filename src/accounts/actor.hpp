#pragma once
// accounts::Actor: who performs an admin action, for the audit log. Either a signed-in user or
// the command line (an operator with shell access, who has no account).

#include "accounts/ids.hpp"

#include <optional>
#include <string>

namespace coalition::accounts {

class Actor {
public:
    static Actor user(UserId id) { return Actor(id); }
    static Actor cli() { return Actor(std::nullopt); }

    // The acting user; nullopt for the command line.
    const std::optional<UserId>& user_id() const { return user_id_; }
    // "user:12" or "cli": how the audit log names the actor.
    std::string label() const {
        return user_id_ ? "user:" + std::to_string(user_id_->value()) : std::string("cli");
    }

private:
    explicit Actor(std::optional<UserId> user_id) : user_id_(user_id) {}
    std::optional<UserId> user_id_;
};

}  // namespace coalition::accounts
