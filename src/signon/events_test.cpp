#include "signon/events.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace coalition::signon {
namespace {

Signature published(SignatoryKind kind, bool shown) {
    Signature signature;
    signature.campaign = "statement";
    signature.version_hash = std::string(64, 'a');
    signature.kind = kind;
    signature.status = SignatureStatus::Published;
    signature.name = "Zoë \"Q\" Smith";
    signature.email = "zoe@example.org";
    signature.country = "NZ";
    signature.affiliation = "Otago";
    signature.show_publicly = shown;
    signature.title = "CEO";
    signature.organisation_name = "InternetNZ";
    signature.organisation_domain = "internetnz.nz";
    signature.stakeholder_group = "technical-community";
    signature.client_address = "192.0.2.7";
    signature.published_at = 1767225600;
    return signature;
}

TEST(Events, AreCanonicalJsonWithSortedKeysAndNoWhiteSpace) {
    core::SecureRandom random;
    const std::string leaf = published_event(published(SignatoryKind::Individual, true), random);
    const auto json = nlohmann::json::parse(leaf);
    EXPECT_EQ(json.dump(), leaf);  // Re-serialising changes nothing: keys sorted, no spaces.
    EXPECT_EQ(leaf.find(": "), std::string::npos);
    EXPECT_EQ(leaf.rfind("{\"affiliation\":\"Otago\",\"campaign\":\"statement\",", 0), 0u) << leaf;
    EXPECT_NE(leaf.find("\"name\":\"Zoë \\\"Q\\\" Smith\""), std::string::npos) << leaf;
    EXPECT_EQ(json["type"], "signature.published");
    EXPECT_EQ(json["kind"], "individual");
    EXPECT_EQ(json["time"], 1767225600);
    EXPECT_EQ(json["salt"].get<std::string>().size(), 24u);  // base64 of 16 bytes.
    // Never the address or where it came from.
    EXPECT_EQ(leaf.find("zoe@example.org"), std::string::npos);
    EXPECT_EQ(leaf.find("192.0.2.7"), std::string::npos);
}

TEST(Events, EachLeafHasItsOwnSalt) {
    core::SecureRandom random;
    const auto signature = published(SignatoryKind::Individual, true);
    EXPECT_NE(published_event(signature, random), published_event(signature, random));
}

TEST(Events, HiddenIndividualsCarryNoPersonalData) {
    core::SecureRandom random;
    const auto json =
        nlohmann::json::parse(published_event(published(SignatoryKind::Individual, false), random));
    std::vector<std::string> keys;
    for (const auto& [key, value] : json.items()) {
        keys.push_back(key);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"campaign", "kind", "salt", "type", "version"}));
}

TEST(Events, OrganisationsNameOrganisationAndRepresentative) {
    core::SecureRandom random;
    const auto json = nlohmann::json::parse(
        published_event(published(SignatoryKind::Organisation, true), random));
    EXPECT_EQ(json["organisation"], (nlohmann::json{{"name", "InternetNZ"},
                                                    {"domain", "internetnz.nz"},
                                                    {"country", "NZ"},
                                                    {"stakeholder_group", "technical-community"}}));
    EXPECT_EQ(json["representative"],
              (nlohmann::json{{"name", "Zoë \"Q\" Smith"}, {"title", "CEO"}}));
    EXPECT_FALSE(json.contains("affiliation"));
}

TEST(Events, WithdrawnAndErasedReferToTheEntry) {
    core::SecureRandom random;
    const auto withdrawn =
        nlohmann::json::parse(withdrawn_event("statement", 7, "signer", 5, random));
    EXPECT_EQ(withdrawn["type"], "signature.withdrawn");
    EXPECT_EQ(withdrawn["entry"], 7);
    EXPECT_EQ(withdrawn["by"], "signer");
    const std::string erased = erased_event("statement", 7, 5, random);
    const auto json = nlohmann::json::parse(erased);
    EXPECT_EQ(json["type"], "signature.erased");
    EXPECT_EQ(json["entry"], 7);
    EXPECT_EQ(json.size(), 5u);  // type, campaign, entry, time, salt.
}

}  // namespace
}  // namespace coalition::signon
