#include "web/api/signature_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace coalition::web {
namespace {

bool has_error_on(const SignatureRequest& request, std::string_view field) {
    return std::any_of(request.errors.begin(), request.errors.end(),
                       [&](const core::Error& error) { return error.field == field; });
}

TEST(SignatureJson, ReadsAnIndividual) {
    const auto request = parse_signature_request(
        R"({"kind":"individual","name":"Ana Martínez","email":"ana@example.org","country":"ES",
            "public":true,"affiliation":"Universidad","lang":"es"})",
        "en");
    ASSERT_TRUE(request.errors.empty());
    EXPECT_FALSE(request.is_malformed);
    EXPECT_EQ(request.input.kind, "individual");
    EXPECT_EQ(request.input.name, "Ana Martínez");
    EXPECT_EQ(request.input.email, "ana@example.org");
    EXPECT_EQ(request.input.country, "ES");
    EXPECT_TRUE(request.input.show_publicly);
    EXPECT_EQ(request.input.affiliation, "Universidad");
    EXPECT_EQ(request.input.language, "es");
    EXPECT_TRUE(request.version.empty());
}

TEST(SignatureJson, ReadsAnOrganisationAndUsesItsCountryForTheRepresentative) {
    const auto request = parse_signature_request(
        R"({"kind":"organisation","name":"Kim Lee","title":"CEO","email":"kim@例え.jp",
            "organisation":{"name":"Registry","country":"JP","stakeholder_group":
            "technical-community","domain":"例え.jp"},"version":"abc"})",
        "fr");
    ASSERT_TRUE(request.errors.empty());
    EXPECT_EQ(request.input.organisation_name, "Registry");
    EXPECT_EQ(request.input.organisation_country, "JP");
    EXPECT_EQ(request.input.country, "JP");
    EXPECT_EQ(request.input.stakeholder_group, "technical-community");
    EXPECT_EQ(request.input.organisation_domain, "例え.jp");
    EXPECT_EQ(request.input.title, "CEO");
    EXPECT_TRUE(request.input.show_publicly);
    EXPECT_EQ(request.input.language, "fr");  // No "lang": the default.
    EXPECT_EQ(request.version, "abc");
}

TEST(SignatureJson, ListsEveryFieldOfTheWrongType) {
    const auto request = parse_signature_request(
        R"({"kind":1,"name":["x"],"email":{},"country":true,"public":"yes","organisation":"x",
            "lang":7})",
        "en");
    EXPECT_FALSE(request.is_malformed);
    for (const auto* field :
         {"kind", "name", "email", "country", "public", "organisation", "lang"}) {
        EXPECT_TRUE(has_error_on(request, field)) << field;
    }
}

TEST(SignatureJson, NamesNestedFieldsWithTheirPath) {
    const auto request = parse_signature_request(
        R"({"kind":"organisation","organisation":{"name":5,"domain":false}})", "en");
    EXPECT_TRUE(has_error_on(request, "organisation.name"));
    EXPECT_TRUE(has_error_on(request, "organisation.domain"));
}

TEST(SignatureJson, NullAndAbsentMembersAreEmpty) {
    const auto request =
        parse_signature_request(R"({"kind":"individual","affiliation":null})", "en");
    EXPECT_TRUE(request.errors.empty());
    EXPECT_TRUE(request.input.affiliation.empty());
    EXPECT_FALSE(request.input.show_publicly);  // Private unless asked.
}

TEST(SignatureJson, MalformedBodies) {
    for (const std::string& body : {std::string(""), std::string("{"), std::string("[1,2]"),
                                    std::string("\"text\""), std::string("{\"name\":\"\xff\xfe\"}"),
                                    std::string("{\"a\":1}garbage"), std::string(100000, '[')}) {
        const auto request = parse_signature_request(body, "en");
        EXPECT_TRUE(request.is_malformed) << body.substr(0, 40);
        ASSERT_EQ(request.errors.size(), 1u);
        EXPECT_TRUE(request.errors.front().field.empty());
    }
}

TEST(SignatureJson, KeepsEscapedNulForTheValidatorToRefuse) {
    // JSON may carry U+0000 as an escape; the bytes reach signon::validate(), which refuses
    // control characters.
    const auto request = parse_signature_request(R"({"name":"a\u0000b"})", "en");
    EXPECT_TRUE(request.errors.empty());
    EXPECT_EQ(request.input.name, std::string("a\0b", 3));
}

TEST(SignatureJson, UnknownLanguageKeepsTheDefault) {
    EXPECT_EQ(parse_signature_request(R"({"lang":"de"})", "ar").input.language, "ar");
    EXPECT_EQ(parse_signature_request(R"({"lang":"zh-Hant-TW"})", "en").input.language, "zh");
}

}  // namespace
}  // namespace coalition::web
