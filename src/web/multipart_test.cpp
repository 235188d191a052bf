#include "web/multipart.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coalition::web {
namespace {

Request upload(const std::string& content_type, std::string body) {
    Request request;
    request.method = Method::Post;
    request.headers.add("Content-Type", content_type);
    request.body = std::move(body);
    return request;
}

const std::string kType = "multipart/form-data; boundary=XyZ";

TEST(Multipart, ReadsTextFieldsAndFiles) {
    const auto parsed = parse_multipart(
        upload(kType,
               "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nRev.1 "
               "— مسودة\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
               "filename=\"../../etc/pass\\\"wd.md\"\r\nContent-Type: text/markdown\r\n\r\n1. "
               "First\r\n\r\n2. Second\r\n--XyZ--\r\nepilogue"));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    EXPECT_EQ(parsed->fields.get("label").value_or(""), "Rev.1 — مسودة");
    ASSERT_EQ(parsed->files.size(), 1U);
    EXPECT_EQ(parsed->files[0].field, "file");
    EXPECT_EQ(parsed->files[0].filename, "../../etc/pass\"wd.md");  // A hint, never a path.
    EXPECT_EQ(parsed->files[0].content_type, "text/markdown");
    EXPECT_EQ(parsed->files[0].bytes, "1. First\r\n\r\n2. Second");
}

TEST(Multipart, FilesKeepTheirBytesEvenInvalidUtf8) {
    const auto parsed = parse_multipart(
        upload("Multipart/Form-Data; charset=utf-8; boundary=\"b b\"",
               std::string("--b b\r\nContent-Disposition: form-data; name=f; filename=x.bin\r\n\r\n"
                           "\xff\x00\xfe\r\n--b b--",
                           77)));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    ASSERT_EQ(parsed->files.size(), 1U);
    EXPECT_EQ(parsed->files[0].bytes, std::string("\xff\x00\xfe", 3));
}

TEST(Multipart, RefusesMalformedBodies) {
    for (const std::string& body :
         {std::string(""), std::string("no delimiter at all"),
          std::string("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nnever closed"),
          std::string("--XyZ\r\nContent-Disposition: form-data; name=a"),  // Headers unended.
          std::string("--XyZjunk\r\n"),
          std::string("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\r\n--XyZ--"),
          std::string("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\na\0b\r\n--XyZ--", 61),
          std::string("--XyZ\r\nContent-Disposition: form-data; name=\"a\0\"\r\n\r\nb\r\n--XyZ--",
                      62)}) {
        const auto parsed = parse_multipart(upload(kType, body));
        EXPECT_FALSE(parsed.has_value()) << body;
        if (!parsed) {
            EXPECT_EQ(parsed.error().code, core::ErrorCode::Invalid) << body;
        }
    }
    for (const std::string& type :
         {std::string("multipart/form-data"), std::string("multipart/form-data; boundary="),
          std::string("multipart/form-data; boundary=") + std::string(201, 'b')}) {
        EXPECT_FALSE(parse_multipart(upload(type, "--b\r\n\r\n--b--")).has_value()) << type;
    }
}

TEST(Multipart, BoundsFieldsAndFiles) {
    std::string fields;
    for (std::size_t i = 0; i <= Form::kMaxFields; ++i) {
        fields += "--XyZ\r\nContent-Disposition: form-data; name=f\r\n\r\nv\r\n";
    }
    EXPECT_EQ(parse_multipart(upload(kType, fields + "--XyZ--")).error().code,
              core::ErrorCode::TooLarge);
    std::string files;
    for (std::size_t i = 0; i <= kMaxFiles; ++i) {
        files += "--XyZ\r\nContent-Disposition: form-data; name=f; filename=a\r\n\r\nv\r\n";
    }
    EXPECT_EQ(parse_multipart(upload(kType, files + "--XyZ--")).error().code,
              core::ErrorCode::TooLarge);
}

TEST(Multipart, ParseAnyFormTakesBothEncodings) {
    EXPECT_TRUE(is_multipart(upload(kType, "")));
    EXPECT_FALSE(is_multipart(upload("application/x-www-form-urlencoded", "")));
    const auto urlencoded =
        parse_any_form(upload("application/x-www-form-urlencoded", "a=1&b=%D9%85"));
    ASSERT_TRUE(urlencoded.has_value());
    EXPECT_EQ(urlencoded->fields.get("b").value_or(""), "م");
    EXPECT_TRUE(urlencoded->files.empty());
}

Request one_click(std::string content_type, std::string body) {
    Request request;
    request.method = Method::Post;
    request.headers.add("Content-Type", std::move(content_type));
    request.body = std::move(body);
    return request;
}

TEST(OneClickUnsubscribe, RecognisesExactlyTheRfc8058Field) {
    EXPECT_TRUE(is_one_click_unsubscribe(
        one_click("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")));
    EXPECT_TRUE(is_one_click_unsubscribe(one_click(
        "Application/X-WWW-Form-Urlencoded; charset=utf-8", "List-Unsubscribe=One-Click")));
    EXPECT_TRUE(is_one_click_unsubscribe(
        one_click("multipart/form-data; boundary=\"a b\"",
                  "preamble\r\n--a b\r\nContent-Disposition: form-data; "
                  "name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--a b--\r\n")));
    EXPECT_FALSE(is_one_click_unsubscribe(
        one_click("application/x-www-form-urlencoded", "List-Unsubscribe=one-click")));
    EXPECT_FALSE(is_one_click_unsubscribe(
        one_click("application/x-www-form-urlencoded", "Other=One-Click")));
    EXPECT_FALSE(is_one_click_unsubscribe(one_click("text/plain", "List-Unsubscribe=One-Click")));
    EXPECT_FALSE(is_one_click_unsubscribe(
        one_click("multipart/form-data", "--x\r\n\r\nOne-Click\r\n--x--")));
    EXPECT_FALSE(is_one_click_unsubscribe(
        one_click("multipart/form-data; boundary=x",
                  "--x\r\nContent-Disposition: form-data; name=\"Other\"\r\n\r\nOne-Click\r\n"
                  "--x--")));
    EXPECT_FALSE(is_one_click_unsubscribe(
        one_click("multipart/form-data; boundary=x", std::string("--x\r\n\0\0", 7))));
    Request get = one_click("application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
    get.method = Method::Get;
    EXPECT_FALSE(is_one_click_unsubscribe(get));
}

}  // namespace
}  // namespace coalition::web
