#include "signon/signatory.hpp"

#include "signon/test_support.hpp"

#include <gtest/gtest.h>

namespace coalition::signon {
namespace {

using testing::individual;
using testing::organisation;

// The fields named by the errors, in order.
std::vector<std::string> error_fields(const SignatureInput& input) {
    std::vector<std::string> fields;
    for (const auto& error : validate(input)) {
        EXPECT_EQ(error.code, core::ErrorCode::Invalid);
        EXPECT_FALSE(error.message.empty());
        fields.push_back(error.field);
    }
    return fields;
}

TEST(Signatory, AcceptsAnIndividualAndNormalises) {
    auto input = individual("  Zoe\xCC\x88 Smith ", "Zoe+Petition@Example.ORG", false, "nz");
    input.affiliation = " University of Otago ";
    input.language = "fr-CA";
    const auto signatory = validate_signatory(input);
    ASSERT_TRUE(signatory.has_value());
    EXPECT_EQ(signatory->kind, SignatoryKind::Individual);
    EXPECT_EQ(signatory->name, "Zoë Smith");  // NFC: e + combining diaeresis composed.
    EXPECT_EQ(signatory->country, "NZ");
    EXPECT_EQ(signatory->region, "AP");
    EXPECT_EQ(signatory->affiliation, "University of Otago");
    EXPECT_FALSE(signatory->show_publicly);
    EXPECT_EQ(signatory->dedup_key, "zoe@example.org");
    EXPECT_EQ(signatory->language, "fr");
    EXPECT_FALSE(signatory->organisation_domain.has_value());
}

TEST(Signatory, AcceptsAnOrganisationWithAUrlAsDomain) {
    auto input = organisation("Nominet", "ceo@nominet.uk", "https://www.Nominet.uk/about?x=1");
    const auto signatory = validate_signatory(input);
    ASSERT_TRUE(signatory.has_value()) << validate(input).front().field;
    EXPECT_EQ(signatory->kind, SignatoryKind::Organisation);
    EXPECT_EQ(signatory->organisation_domain->ascii(), "www.nominet.uk");
    EXPECT_EQ(signatory->country, "GB");
    EXPECT_EQ(signatory->region, "EUR");
    EXPECT_EQ(signatory->stakeholder_group, "technical-community");
    EXPECT_TRUE(signatory->show_publicly);
    EXPECT_EQ(signatory->language, "en");
}

TEST(Signatory, AcceptsInternationalisedAddressesAndDomains) {
    // Devanagari local part at an IDN domain; Chinese local part at a Chinese IDN.
    auto hindi = individual("सुनील", "सुनील@डाटामेल.भारत");
    auto signatory = validate_signatory(hindi);
    ASSERT_TRUE(signatory.has_value());
    EXPECT_EQ(signatory->email.unicode(), "सुनील@डाटामेल.भारत");
    EXPECT_EQ(signatory->email.domain().ascii().substr(0, 4), "xn--");

    auto chinese = organisation("中国互联网络信息中心", "用户@例子.中国", "例子.中国", "CN");
    auto org = validate_signatory(chinese);
    ASSERT_TRUE(org.has_value());
    EXPECT_EQ(org->organisation_domain->unicode(), "例子.中国");
    EXPECT_EQ(org->email.domain().ascii(), org->organisation_domain->ascii());
}

TEST(Signatory, DedupKeySeesThroughTagsAndCase) {
    const auto key = [](std::string_view text) { return dedup_key(*core::Email::parse(text)); };
    EXPECT_EQ(key("Ana+x@Example.org"), "ana@example.org");
    EXPECT_EQ(key("ana+x+y@example.org"), "ana@example.org");
    EXPECT_EQ(key("ANA@EXAMPLE.ORG"), "ana@example.org");
    EXPECT_EQ(key("+only@example.org"), "+only@example.org");
    EXPECT_EQ(key("ana@xn--bcher-kva.example"), "ana@bücher.example");
}

TEST(Signatory, ReportsEveryBadFieldOfAnIndividual) {
    SignatureInput input;
    input.kind = "individual";
    EXPECT_EQ(error_fields(input), (std::vector<std::string>{"name", "email", "country"}));
    input.kind = "robot";
    EXPECT_EQ(error_fields(input), (std::vector<std::string>{"kind", "name", "email", "country"}));
}

TEST(Signatory, ReportsEveryBadFieldOfAnOrganisation) {
    SignatureInput input;
    input.kind = "organisation";
    input.organisation_country = "XX";
    input.stakeholder_group = "lobbyists";
    input.organisation_domain = "not a domain";
    EXPECT_EQ(error_fields(input),
              (std::vector<std::string>{"name", "email", "title", "organisation.name",
                                        "organisation.country", "organisation.stakeholder_group",
                                        "organisation.domain"}));
    input.organisation_domain = "";
    EXPECT_EQ(error_fields(input).back(), "organisation.domain");
}

TEST(Signatory, RefusesHostileText) {
    auto input = individual("Ana", "ana@example.org");
    input.name = std::string("An\0a", 4);
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"name"});
    input.name = "Ana\xC3\x28";  // Invalid UTF-8.
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"name"});
    input.name = "Ana\nSmith";
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"name"});
    input.name = std::string(10 * 1024, 'a');
    const auto errors = validate(input);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors.front().message, "Use at most 200 characters.");
    input.name = std::string(200, 'a');
    EXPECT_TRUE(validate(input).empty());
    input.name = std::string(201, 'a');
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"name"});
    // 200 characters of 3 bytes each fit.
    input.name.clear();
    for (int idx = 0; idx < 200; ++idx) {
        input.name += "中";
    }
    EXPECT_TRUE(validate(input).empty());

    // HTML is text: kept as typed (templates escape it), not refused.
    input.name = "<script>alert(1)</script>";
    EXPECT_TRUE(validate(input).empty());

    input = individual("Ana", "ana@example.org\x01");
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"email"});
    input = individual("Ana", "Ana <ana@example.org>");
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"email"});
    input = individual("Ana", std::string(5000, 'a') + "@example.org");
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"email"});
    input = individual("Ana", "ana@example.org");
    input.affiliation = std::string(201, 'x');
    EXPECT_EQ(error_fields(input), std::vector<std::string>{"affiliation"});
}

TEST(Signatory, OrganisationDomainTakesAUrlsHost) {
    EXPECT_EQ(parse_organisation_domain("Example.ORG.")->ascii(), "example.org");
    EXPECT_EQ(parse_organisation_domain("http://bücher.example:8080/x")->unicode(),
              "bücher.example");
    EXPECT_FALSE(parse_organisation_domain("user@example.org").has_value());
    EXPECT_FALSE(parse_organisation_domain("localhost").has_value());
    EXPECT_FALSE(parse_organisation_domain("javascript:alert(1)").has_value());
    EXPECT_FALSE(parse_organisation_domain(std::string(3000, 'a') + ".org").has_value());
    EXPECT_FALSE(parse_organisation_domain("exa mple.org").has_value());
}

TEST(Signatory, NamesOfEnumsRoundTrip) {
    for (auto status : {SignatureStatus::Pending, SignatureStatus::Confirmed,
                        SignatureStatus::InformationRequested, SignatureStatus::Published,
                        SignatureStatus::Rejected, SignatureStatus::Withdrawn,
                        SignatureStatus::Cancelled, SignatureStatus::Erased}) {
        EXPECT_EQ(parse_status(to_string(status)), status);
    }
    for (auto level : {Verification::None, Verification::Email, Verification::OrganisationDomain,
                       Verification::Dns, Verification::DnsSec}) {
        EXPECT_EQ(parse_verification(to_string(level)), level);
    }
    EXPECT_EQ(to_string(Verification::DnsSec), "dns-dnssec");
    EXPECT_EQ(parse_kind("organisation"), SignatoryKind::Organisation);
    EXPECT_FALSE(parse_kind("Organisation").has_value());
}

}  // namespace
}  // namespace coalition::signon
