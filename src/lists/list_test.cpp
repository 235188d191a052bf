#include "lists/list.hpp"

#include <gtest/gtest.h>

namespace coalition::lists {
namespace {

bool has_error(const std::vector<core::Error>& errors, const std::string& field) {
    for (const auto& error : errors) {
        if (error.field == field) {
            return true;
        }
    }
    return false;
}

TEST(ListSettings, DefaultsAreValid) {
    ListSettings settings;
    EXPECT_TRUE(settings.normalise_and_check().empty());
}

TEST(ListSettings, NormalisesText) {
    ListSettings settings;
    settings.display_name = "  Cafe\xcc\x81 list  ";  // e + combining acute: NFC gives é.
    settings.footer = "line one\r\nline two\rline three\n";
    settings.subject_prefix = " [gdc] ";
    EXPECT_TRUE(settings.normalise_and_check().empty());
    EXPECT_EQ(settings.display_name, "Caf\xc3\xa9 list");
    EXPECT_EQ(settings.footer, "line one\nline two\nline three");
    EXPECT_EQ(settings.subject_prefix, "[gdc]");
}

TEST(ListSettings, RejectsBadValuesWithTheirFields) {
    ListSettings settings;
    settings.display_name = "two\nlines";
    settings.description = std::string("nul\0byte", 8);
    settings.subject_prefix = std::string(65, 'x');
    settings.footer = "bad \xff utf-8";
    settings.max_message_bytes = 10;
    settings.digest_size_threshold_bytes = -1;
    settings.reply_to_policy = ReplyToPolicy::Explicit;
    settings.preferred_language = "xx";
    const auto errors = settings.normalise_and_check();
    for (const char* field :
         {"display_name", "description", "subject_prefix", "footer", "max_message_bytes",
          "digest_size_threshold_bytes", "reply_to_address", "preferred_language"}) {
        EXPECT_TRUE(has_error(errors, field)) << field;
    }
}

TEST(ListSettings, LengthsCountCharactersNotBytes) {
    ListSettings settings;
    settings.subject_prefix = "";
    for (int idx = 0; idx < 64; ++idx) {
        settings.subject_prefix += "\xd8\xb9";  // Arabic ain: two bytes, one character.
    }
    EXPECT_TRUE(settings.normalise_and_check().empty());
}

TEST(ListSettings, ReplyToAddressOnlyWithExplicitPolicy) {
    ListSettings settings;
    settings.reply_to_address = core::Email::parse("replies@example.org").value();
    EXPECT_TRUE(settings.normalise_and_check().empty());
    EXPECT_FALSE(settings.reply_to_address.has_value());
}

TEST(ListSettings, EnumsRoundTrip) {
    for (auto value : {PostingPolicy::Members, PostingPolicy::Anyone, PostingPolicy::Moderated}) {
        EXPECT_EQ(parse_posting_policy(to_string(value)).value(), value);
    }
    for (auto value : {NonmemberPolicy::Hold, NonmemberPolicy::Reject, NonmemberPolicy::Discard,
                       NonmemberPolicy::Accept}) {
        EXPECT_EQ(parse_nonmember_policy(to_string(value)).value(), value);
    }
    for (auto value : {DmarcMitigation::MungeFromWhenNeeded, DmarcMitigation::MungeFromAlways,
                       DmarcMitigation::Never}) {
        EXPECT_EQ(parse_dmarc_mitigation(to_string(value)).value(), value);
    }
    auto bad = parse_archive_visibility("Public");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().field, "archive_visibility");
}

TEST(List, AddressesAndListId) {
    List list{.id = ListId(1),
              .name = "gdc",
              .domain = core::Domain::parse("bücher.example").value(),
              .settings = {},
              .owners = {core::Email::parse("Owner@Example.org").value()},
              .moderators = {core::Email::parse("mod@example.org").value()},
              .created_at = 0,
              .updated_at = 0};
    EXPECT_EQ(list.posting_address().unicode(), "gdc@bücher.example");
    EXPECT_EQ(list.list_id_header(), "gdc.xn--bcher-kva.example");
    EXPECT_EQ(list.title(), "gdc");
    EXPECT_TRUE(list.is_owner(core::Email::parse("owner@example.org").value()));
    EXPECT_TRUE(list.is_moderator(core::Email::parse("OWNER@example.org").value()));
    EXPECT_TRUE(list.is_moderator(core::Email::parse("mod@example.org").value()));
    EXPECT_FALSE(list.is_owner(core::Email::parse("mod@example.org").value()));
}

}  // namespace
}  // namespace coalition::lists
