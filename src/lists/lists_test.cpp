#include "lists/lists.hpp"

#include "lists/test_support.hpp"

#include <gtest/gtest.h>

namespace coalition::lists {
namespace {

using testing::email;

class ListsStoreTest : public testing::ListsTest {};

TEST_P(ListsStoreTest, CreatesWithDefaultsAndAudits) {
    const List list = make_list("Discuss@Lists.Example.org");
    EXPECT_TRUE(list.id.is_set());
    EXPECT_EQ(list.name, "discuss");
    EXPECT_EQ(list.settings.subject_prefix, "[discuss]");
    EXPECT_EQ(list.settings.display_name, "Discussion");
    EXPECT_EQ(list.settings.posting_policy, PostingPolicy::Members);
    EXPECT_EQ(list.created_at, clock_.unix_now());
    ASSERT_EQ(list.owners.size(), 1u);

    const auto found = lists_->find(list.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "discuss");
    EXPECT_EQ(found->domain.ascii(), "lists.example.org");
    EXPECT_EQ(found->settings.max_message_bytes, ListSettings::kDefaultMaxMessageBytes);
    EXPECT_EQ(found->settings.archive_visibility, ArchiveVisibility::Members);
    EXPECT_TRUE(found->settings.digest_enabled);
    ASSERT_EQ(found->owners.size(), 1u);
    EXPECT_EQ(found->owners.front().unicode(), "owner@example.org");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.create' AND subject = $1",
                    {"list:" + std::to_string(list.id.value())}),
              1);
}

TEST_P(ListsStoreTest, TakenNameIsAConflictEvenAtAnotherDomain) {
    make_list("discuss@lists.example.org");
    for (const char* address :
         {"discuss@lists.example.org", "DISCUSS@lists.example.org", "discuss@other.example"}) {
        auto again =
            lists_->create(accounts::Actor::cli(), NewList{.address = address,
                                                           .owners = {email("owner@example.org")},
                                                           .moderators = {},
                                                           .display_name = "",
                                                           .description = ""});
        ASSERT_FALSE(again.has_value()) << address;
        EXPECT_EQ(again.error().code, core::ErrorCode::Conflict);
        EXPECT_EQ(again.error().field, "address");
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM lists"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'list.create'"), 1);
}

TEST_P(ListsStoreTest, RejectsBadAddressesAndMissingOwners) {
    for (const char* address :
         {"", "discuss-request@example.org", "discuss", "dis cuss@example.org",
          "discuss+x@example.org", "'; DROP TABLE lists; --@example.org"}) {
        auto list =
            lists_->create(accounts::Actor::cli(), NewList{.address = address,
                                                           .owners = {email("o@example.org")},
                                                           .moderators = {},
                                                           .display_name = "",
                                                           .description = ""});
        ASSERT_FALSE(list.has_value()) << address;
        EXPECT_EQ(list.error().field, "address") << address;
    }
    auto ownerless = lists_->create(accounts::Actor::cli(), NewList{.address = "x@example.org",
                                                                    .owners = {},
                                                                    .moderators = {},
                                                                    .display_name = "",
                                                                    .description = ""});
    ASSERT_FALSE(ownerless.has_value());
    EXPECT_EQ(ownerless.error().field, "owners");
    EXPECT_EQ(count("SELECT COUNT(*) FROM lists"), 0);
}

TEST_P(ListsStoreTest, IdnListIsFoundByEitherForm) {
    const List list = make_list("gdc@bücher.example");
    EXPECT_EQ(list.domain.unicode(), "bücher.example");
    EXPECT_EQ(count("SELECT COUNT(*) FROM lists WHERE domain = 'bücher.example' AND "
                    "domain_ascii = 'xn--bcher-kva.example'"),
              1);
    EXPECT_TRUE(lists_->find_by_address(email("gdc@xn--bcher-kva.example")).has_value());
    EXPECT_TRUE(lists_->find_by_address(email("GDC@BÜCHER.example")).has_value());
    EXPECT_FALSE(lists_->find_by_address(email("gdc@buecher.example")).has_value());
    EXPECT_TRUE(lists_->find_by_name("GDC").has_value());
    EXPECT_FALSE(lists_->find_by_name("gdc-request").has_value());
    EXPECT_FALSE(lists_->find_by_name("'; --").has_value());
}

TEST_P(ListsStoreTest, ResolvesRecipients) {
    const List list = make_list("gdc@bücher.example");
    auto post = lists_->resolve("GDC@xn--bcher-kva.example");
    ASSERT_TRUE(post.has_value());
    EXPECT_EQ(post->list.id, list.id);
    EXPECT_EQ(post->address.role(), AddressRole::Post);
    auto bounce = lists_->resolve("gdc-bounces+анна=xn--e1afmkfd.xn--p1ai@bücher.example");
    ASSERT_TRUE(bounce.has_value());
    EXPECT_EQ(bounce->address.subscriber()->unicode(), "анна@пример.рф");

    auto other_domain = lists_->resolve("gdc@example.org");
    ASSERT_FALSE(other_domain.has_value());
    EXPECT_EQ(other_domain.error().code, core::ErrorCode::NotFound);
    auto unknown = lists_->resolve("nothing-request@bücher.example");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::NotFound);
    auto garbage = lists_->resolve("gdc+x@bücher.example");
    ASSERT_FALSE(garbage.has_value());
    EXPECT_EQ(garbage.error().code, core::ErrorCode::Invalid);
}

TEST_P(ListsStoreTest, UpdatesSettingsValidatedAndAudited) {
    const List list = make_list();
    ListSettings settings = list.settings;
    settings.posting_policy = PostingPolicy::Moderated;
    settings.nonmember_policy = NonmemberPolicy::Reject;
    settings.subject_prefix = "[GDC]";
    settings.footer = "Unsubscribe: see the link below.\r\n-- \r\nCoalition";
    settings.max_message_bytes = std::int64_t{200} * 1024;
    settings.archive_visibility = ArchiveVisibility::Public;
    settings.digest_enabled = false;
    settings.digest_period = DigestPeriod::Weekly;
    settings.reply_to_policy = ReplyToPolicy::Explicit;
    settings.reply_to_address = email("replies@bücher.example");
    settings.emergency_moderation = true;
    settings.dmarc_mitigation = DmarcMitigation::MungeFromAlways;
    settings.preferred_language = "ar";
    clock_.advance(std::chrono::minutes(5));
    auto updated = lists_->update_settings(accounts::Actor::cli(), list.id, settings);
    ASSERT_TRUE(updated.has_value()) << updated.error().message;
    EXPECT_EQ(updated->updated_at, clock_.unix_now());

    const auto found = lists_->find(list.id).value();
    EXPECT_EQ(found.settings.posting_policy, PostingPolicy::Moderated);
    EXPECT_EQ(found.settings.nonmember_policy, NonmemberPolicy::Reject);
    EXPECT_EQ(found.settings.subject_prefix, "[GDC]");
    EXPECT_EQ(found.settings.footer, "Unsubscribe: see the link below.\n-- \nCoalition");
    EXPECT_EQ(found.settings.max_message_bytes, std::int64_t{200} * 1024);
    EXPECT_EQ(found.settings.archive_visibility, ArchiveVisibility::Public);
    EXPECT_FALSE(found.settings.digest_enabled);
    EXPECT_EQ(found.settings.digest_period, DigestPeriod::Weekly);
    EXPECT_EQ(found.settings.reply_to_policy, ReplyToPolicy::Explicit);
    EXPECT_EQ(found.settings.reply_to_address->unicode(), "replies@bücher.example");
    EXPECT_TRUE(found.settings.emergency_moderation);
    EXPECT_EQ(found.settings.dmarc_mitigation, DmarcMitigation::MungeFromAlways);
    EXPECT_EQ(found.settings.preferred_language, "ar");

    const auto details =
        database_->query_one("SELECT details FROM audit_log WHERE action = 'list.update_settings'");
    ASSERT_TRUE(details.has_value());
    EXPECT_NE(
        details->text(0).find("\"posting_policy\":{\"from\":\"members\",\"to\":\"moderated\"}"),
        std::string::npos)
        << details->text(0);

    ListSettings bad = found.settings;
    bad.subject_prefix = "<script>\n";
    auto rejected = lists_->update_settings(accounts::Actor::cli(), list.id, bad);
    ASSERT_FALSE(rejected.has_value());
    EXPECT_EQ(rejected.error().field, "subject_prefix");
    EXPECT_EQ(lists_->find(list.id)->settings.subject_prefix, "[GDC]");

    auto missing = lists_->update_settings(accounts::Actor::cli(), ListId(999), settings);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
}

TEST_P(ListsStoreTest, HostileTextIsStoredAsText) {
    const List list = make_list();
    ListSettings settings = list.settings;
    settings.description = "Robert'); DROP TABLE lists;-- <b>bold</b> \xd8\xa7\xd9\x84\xd8\xb9";
    ASSERT_TRUE(lists_->update_settings(accounts::Actor::cli(), list.id, settings).has_value());
    EXPECT_EQ(lists_->find(list.id)->settings.description, settings.description);
}

TEST_P(ListsStoreTest, SetsRolesAndListsAll) {
    const List list = make_list();
    make_list("announce@lists.example.org");
    auto updated = lists_->set_roles(
        accounts::Actor::cli(), list.id,
        {email("a@example.org"), email("A@EXAMPLE.org"), email("अनुराग@डाटामेल.भारत")},
        {email("m@example.org"), email("a@example.org")});
    ASSERT_TRUE(updated.has_value());
    EXPECT_EQ(updated->owners.size(), 2u);
    EXPECT_EQ(updated->moderators.size(), 1u);
    const auto all = lists_->all();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "announce");
    EXPECT_EQ(all[1].name, "discuss");
    EXPECT_EQ(all[1].owners.size(), 2u);
    EXPECT_TRUE(all[1].is_owner(email("अनुराग@डाटामेल.भारत")));
    EXPECT_EQ(all[0].owners.size(), 1u);
    auto none = lists_->set_roles(accounts::Actor::cli(), list.id, {}, {});
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().field, "owners");
}

COALITION_LISTS_FOR_DIALECTS(ListsStoreTest);

}  // namespace
}  // namespace coalition::lists
