#include "accounts/audit_log.hpp"

#include "accounts/organisations.hpp"
#include "accounts/test_support.hpp"
#include "accounts/users.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace coalition::accounts {
namespace {

using testing::draft;
using testing::email;
using testing::fields;

class AuditLogTest : public testing::DatabaseTest {
protected:
    std::vector<std::string> actions() {
        std::vector<std::string> out;
        for (const auto& entry : AuditLog(database()).recent(100)) {
            out.insert(out.begin(), entry.action);  // Oldest first.
        }
        return out;
    }
};

TEST_P(AuditLogTest, EveryAdminActionWritesARow) {
    Organisations organisations(database(), clock_);
    Users users(database(), clock_);
    auto organisation = organisations.create(Actor::cli(), fields(draft("CIRA", "CA", "cira.ca")));
    ASSERT_TRUE(organisation.has_value());
    auto admin =
        users.add_user(Actor::cli(), NewUser{.email = email("admin@cira.ca"), .role = Role::Admin});
    ASSERT_TRUE(admin.has_value());
    const auto by_admin = Actor::user(admin->id);

    auto input = organisation->to_draft();
    input.website = "https://www.cira.ca";
    ASSERT_TRUE(organisations.update(by_admin, organisation->id, fields(input)).has_value());
    auto member = users.add_user(by_admin, NewUser{.email = email("member@cira.ca")});
    ASSERT_TRUE(member.has_value());
    ASSERT_TRUE(users.set_role(by_admin, member->id, Role::Moderator).has_value());
    ASSERT_TRUE(users.set_organisation(by_admin, member->id, organisation->id).has_value());
    ASSERT_TRUE(users.set_password(by_admin, member->id, "a long enough secret").has_value());

    EXPECT_EQ(actions(), (std::vector<std::string>{
                             "organisation.create", "user.add", "organisation.update", "user.add",
                             "user.set_role", "user.set_organisation", "user.set_password"}));

    const auto entries = AuditLog(database()).recent(100);
    const auto& newest = entries.front();
    EXPECT_EQ(newest.actor, "user:" + std::to_string(admin->id.value()));
    EXPECT_EQ(newest.actor_user_id, admin->id);
    EXPECT_EQ(newest.subject, "user:" + std::to_string(member->id.value()));
    EXPECT_EQ(newest.created_at, clock_.unix_now());
    EXPECT_EQ(newest.details.find("secret"), std::string::npos);
    const auto& oldest = entries.back();
    EXPECT_EQ(oldest.actor, "cli");
    EXPECT_FALSE(oldest.actor_user_id.has_value());
    EXPECT_EQ(nlohmann::json::parse(oldest.details).at("domain"), "cira.ca");

    const auto update =
        AuditLog(database()).recent(10, "organisation:" + std::to_string(organisation->id.value()));
    ASSERT_EQ(update.size(), 2u);
    EXPECT_EQ(nlohmann::json::parse(update.front().details).at("changed"),
              nlohmann::json::array({"website"}));
}

TEST_P(AuditLogTest, FailedActionLeavesNoRow) {
    Organisations organisations(database(), clock_);
    Users users(database(), clock_);
    auto first = organisations.create(Actor::cli(), fields(draft("First", "NZ", "first.example")));
    auto second =
        organisations.create(Actor::cli(), fields(draft("Second", "NZ", "second.example")));
    auto user = users.add_user(Actor::cli(), NewUser{.email = email("ana@example.org")});
    ASSERT_TRUE(first && second && user);
    const auto before = count("SELECT COUNT(*) FROM audit_log");

    // The audit row is written before these checks fail; it is rolled back with the action.
    auto linked = users.set_organisation(Actor::cli(), user->id, OrganisationId(9999));
    ASSERT_FALSE(linked.has_value());
    EXPECT_EQ(linked.error().code, core::ErrorCode::NotFound);
    auto input = second->to_draft();
    input.domain = "first.example";
    auto updated = organisations.update(Actor::cli(), second->id, fields(input));
    ASSERT_FALSE(updated.has_value());
    EXPECT_EQ(updated.error().code, core::ErrorCode::Conflict);
    EXPECT_FALSE(users.set_role(Actor::cli(), UserId(9999), Role::Admin).has_value());
    EXPECT_FALSE(
        users.add_user(Actor::cli(), NewUser{.email = email("ANA@example.org")}).has_value());

    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), before);
    EXPECT_FALSE(users.find_by_id(user->id)->organisation.has_value());
    EXPECT_EQ(organisations.find_by_id(second->id)->domain->unicode(), "second.example");
}

TEST_P(AuditLogTest, RecordGoesWithItsTransaction) {
    EXPECT_THROW(database().transact([&](store::Connection& connection) {
        AuditLog::record(connection, clock_.unix_now(), Actor::cli(), "test.action", "thing:1");
        throw std::runtime_error("the action failed");
    }),
                 std::runtime_error);
    EXPECT_TRUE(AuditLog(database()).recent(10).empty());

    database().transact([&](store::Connection& connection) {
        AuditLog::record(connection, clock_.unix_now(), Actor::cli(), "test.action", "thing:1",
                         R"({"note":"<script>'; DROP TABLE audit_log;--"})");
    });
    const auto entries = AuditLog(database()).recent(10);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries.front().details, R"({"note":"<script>'; DROP TABLE audit_log;--"})");
}

COALITION_INSTANTIATE_FOR_DIALECTS(AuditLogTest);

}  // namespace
}  // namespace coalition::accounts
