#include "accounts/users.hpp"

#include "accounts/organisations.hpp"
#include "accounts/test_support.hpp"

#include <gtest/gtest.h>

namespace coalition::accounts {
namespace {

using testing::email;

class UsersTest : public testing::DatabaseTest {
protected:
    Users users() { return Users(database(), clock_); }
    OrganisationId organisation(const std::string& name) {
        auto created = Organisations(database(), clock_)
                           .create(Actor::cli(), testing::fields(testing::draft(name)));
        EXPECT_TRUE(created.has_value());
        return created->id;
    }
};

TEST_P(UsersTest, AddsAndFinds) {
    auto service = users();
    auto added = service.add_user(Actor::cli(), NewUser{.email = email("Ana@Example.org"),
                                                        .display_name = "  Ana Pérez ",
                                                        .role = Role::Admin,
                                                        .organisation = std::nullopt});
    ASSERT_TRUE(added.has_value()) << added.error().message;
    EXPECT_EQ(added->email.unicode(), "Ana@example.org");
    EXPECT_EQ(added->display_name, "Ana Pérez");
    EXPECT_EQ(added->role, Role::Admin);
    EXPECT_FALSE(added->has_password);
    EXPECT_EQ(added->created_at, clock_.unix_now());
    EXPECT_FALSE(added->last_sign_in_at.has_value());

    auto found = service.find_by_email(email("ana@EXAMPLE.org"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, added->id);
    EXPECT_EQ(service.find_by_id(added->id)->display_name, "Ana Pérez");
    EXPECT_FALSE(service.find_by_email(email("bob@example.org")).has_value());
    EXPECT_EQ(service.list().size(), 1u);
}

TEST_P(UsersTest, DuplicateAddressIsAConflictWhateverItsCase) {
    auto service = users();
    ASSERT_TRUE(
        service.add_user(Actor::cli(), NewUser{.email = email("ana@bücher.example")}).has_value());
    for (const char* same :
         {"ANA@bücher.example", "Ana@xn--bcher-kva.example", "ana@BÜCHER.example"}) {
        auto duplicate = service.add_user(Actor::cli(), NewUser{.email = email(same)});
        ASSERT_FALSE(duplicate.has_value()) << same;
        EXPECT_EQ(duplicate.error().code, core::ErrorCode::Conflict);
        EXPECT_EQ(duplicate.error().field, "email");
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 1);

    auto ensured = service.ensure_user(Actor::cli(), NewUser{.email = email("ANA@bücher.example")});
    ASSERT_TRUE(ensured.has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1);
}

TEST_P(UsersTest, RefusesBadDisplayNamesAndUnknownOrganisations) {
    auto service = users();
    for (const std::string& name : {std::string("nul\0", 4), std::string("bad \xff"),
                                    std::string(201, 'x'), std::string("two\nlines")}) {
        auto added = service.add_user(
            Actor::cli(), NewUser{.email = email("a@example.org"), .display_name = name});
        ASSERT_FALSE(added.has_value());
        EXPECT_EQ(added.error().field, "display_name");
    }
    auto added = service.add_user(
        Actor::cli(), NewUser{.email = email("a@example.org"), .organisation = OrganisationId(77)});
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().code, core::ErrorCode::NotFound);
    EXPECT_EQ(added.error().field, "organisation");
    EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 0);

    const std::string hostile = "<b>Robert'); DROP TABLE users;--</b>";
    auto stored = service.add_user(
        Actor::cli(), NewUser{.email = email("r@example.org"), .display_name = hostile});
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(service.find_by_id(stored->id)->display_name, hostile);
}

TEST_P(UsersTest, RolesAndRepresentatives) {
    auto service = users();
    const auto internetnz = organisation("InternetNZ");
    const auto cira = organisation("CIRA");
    auto ana = service.add_user(Actor::cli(), NewUser{.email = email("ana@internetnz.nz"),
                                                      .display_name = "Ana",
                                                      .organisation = internetnz});
    auto bob = service.add_user(Actor::cli(),
                                NewUser{.email = email("bob@example.org"), .display_name = "Bob"});
    ASSERT_TRUE(ana && bob);
    EXPECT_EQ(ana->organisation, internetnz);

    ASSERT_TRUE(service.set_organisation(Actor::user(ana->id), bob->id, internetnz).has_value());
    auto representatives = service.list_representatives(internetnz);
    ASSERT_EQ(representatives.size(), 2u);
    EXPECT_EQ(representatives[0].display_name, "Ana");
    EXPECT_EQ(representatives[1].display_name, "Bob");
    EXPECT_TRUE(service.list_representatives(cira).empty());

    ASSERT_TRUE(service.set_organisation(Actor::cli(), bob->id, std::nullopt).has_value());
    EXPECT_EQ(service.list_representatives(internetnz).size(), 1u);
    EXPECT_FALSE(service.find_by_id(bob->id)->organisation.has_value());

    EXPECT_EQ(bob->role, Role::Member);
    ASSERT_TRUE(service.set_role(Actor::cli(), bob->id, Role::Moderator).has_value());
    EXPECT_EQ(service.find_by_id(bob->id)->role, Role::Moderator);

    auto missing = service.set_role(Actor::cli(), UserId(999), Role::Admin);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
    EXPECT_EQ(service.set_organisation(Actor::cli(), UserId(999), cira).error().code,
              core::ErrorCode::NotFound);
}

TEST_P(UsersTest, PasswordRoundTrip) {
    auto service = users();
    auto ana = service.add_user(Actor::cli(), NewUser{.email = email("ana@example.org")});
    ASSERT_TRUE(ana.has_value());

    for (const std::string& weak :
         {std::string("short"), std::string("123456789"), std::string("ñññññññññ"),
          std::string("bad \xff password"), std::string(1025, 'p')}) {
        auto result = service.set_password(Actor::user(ana->id), ana->id, weak);
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().field, "password");
    }
    ASSERT_TRUE(service.set_password(Actor::user(ana->id), ana->id, "correct horse ñ").has_value());
    EXPECT_TRUE(service.find_by_id(ana->id)->has_password);
    const auto stored = database().query_one("SELECT password_hash FROM users")->text(0);
    EXPECT_TRUE(stored.starts_with("$argon2id$"));
    EXPECT_EQ(stored.find("correct horse"), std::string::npos);

    clock_.advance(std::chrono::seconds(30));
    auto signed_in = service.verify_password(email("ANA@example.org"), "correct horse ñ");
    ASSERT_TRUE(signed_in.has_value());
    EXPECT_EQ(signed_in->id, ana->id);
    EXPECT_EQ(service.find_by_id(ana->id)->last_sign_in_at, clock_.unix_now());

    // "ñ" as n + combining tilde is the same password after NFC.
    EXPECT_TRUE(
        service.verify_password(email("ana@example.org"), "correct horse n\xcc\x83").has_value());

    auto wrong = service.verify_password(email("ana@example.org"), "correct horse Ñ");
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, core::ErrorCode::Unauthorised);
    auto unknown = service.verify_password(email("nobody@example.org"), "correct horse ñ");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::Unauthorised);
    EXPECT_EQ(unknown.error().message, wrong.error().message);
    EXPECT_FALSE(
        service.verify_password(email("ana@example.org"), std::string(100'000, 'x')).has_value());
    EXPECT_FALSE(service.verify_password(email("ana@example.org"), "").has_value());

    ASSERT_TRUE(
        service.add_user(Actor::cli(), NewUser{.email = email("bob@example.org")}).has_value());
    auto no_password = service.verify_password(email("bob@example.org"), "correct horse ñ");
    ASSERT_FALSE(no_password.has_value());
    EXPECT_EQ(no_password.error().message, wrong.error().message);
}

COALITION_INSTANTIATE_FOR_DIALECTS(UsersTest);

}  // namespace
}  // namespace coalition::accounts
