#include "mail/file_transport.hpp"

#include "core/random.hpp"
#include "mail/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace coalition::mail {
namespace {

std::string contents(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& directory) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        files.push_back(entry.path());
    }
    return files;
}

TEST(FileTransport, WritesEachMessageAsOneEmlFile) {
    testing::TemporaryDirectory temporary;
    core::FakeClock clock;
    core::SecureRandom random;
    const auto directory = temporary.path() / "var" / "mail" / "outbox";  // Created on demand.
    FileTransport transport(directory, clock);
    EXPECT_EQ(transport.describe(), "files in " + directory.string());

    OutgoingMessage message{
        .from = {"Coalition", *core::Email::parse("noreply@coalition.example")},
        .to = {{"Анна", *core::Email::parse("анна@пример.рф")}},
        .subject = "Подтвердите подпись",
        .text_body = "Здравствуйте.\n",
        .headers = {},
        .language = "ru",
    };
    const ComposedMessage composed = compose(message, clock, random);
    const DeliveryOutcome outcome = transport.deliver(composed.envelope, composed.bytes);
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Sent) << outcome.reply;

    const auto expected =
        directory / (std::to_string(clock.unix_now()) + "-" + composed.message_id + ".eml");
    ASSERT_EQ(files_in(directory), std::vector<std::filesystem::path>{expected});
    EXPECT_EQ(contents(expected), composed.bytes);
    EXPECT_NE(outcome.reply.find(expected.string()), std::string::npos);

    // A redelivery in the same second replaces the file instead of adding a second one.
    EXPECT_EQ(transport.deliver(composed.envelope, composed.bytes).kind,
              DeliveryOutcome::Kind::Sent);
    EXPECT_EQ(files_in(directory).size(), 1U);
}

TEST(FileTransport, HostileMessageIdCannotLeaveTheDirectory) {
    EXPECT_EQ(file_name_safe("../../etc/passwd"), ".._.._etc_passwd");
    EXPECT_EQ(file_name_safe(".."), "message..");
    EXPECT_EQ(file_name_safe(""), "message");
    EXPECT_EQ(
        file_name_safe(std::string("a\0b\r\n<x>", 8)).find_first_of(std::string("\0\r\n<>/", 6)),
        std::string::npos);
    EXPECT_EQ(file_name_safe(std::string(500, 'x')).size(), 100U);

    testing::TemporaryDirectory temporary;
    core::FakeClock clock;
    FileTransport transport(temporary.path() / "out", clock);
    const std::string bytes = "Message-ID: <../../escape/x@y>\r\nSubject: x\r\n\r\nbody\r\n";
    EXPECT_EQ(transport.deliver(Envelope{"a@b.example", {"c@d.example"}, false}, bytes).kind,
              DeliveryOutcome::Kind::Sent);
    const auto files = files_in(temporary.path() / "out");
    ASSERT_EQ(files.size(), 1U);
    EXPECT_EQ(files[0].filename().string(),
              std::to_string(clock.unix_now()) + "-.._.._escape_x@y.eml");
    EXPECT_EQ(files_in(temporary.path()).size(), 1U);
}

TEST(FileTransport, UnwritableDirectoryIsRetry) {
    testing::TemporaryDirectory temporary;
    core::FakeClock clock;
    const auto blocker = temporary.path() / "not-a-directory";
    std::ofstream(blocker) << "x";
    FileTransport transport(blocker / "outbox", clock);
    const DeliveryOutcome outcome = transport.deliver(
        Envelope{"a@b.example", {"c@d.example"}, false}, "Subject: x\r\n\r\nbody\r\n");
    EXPECT_EQ(outcome.kind, DeliveryOutcome::Kind::Retry);
    EXPECT_NE(outcome.reply.find("cannot create"), std::string::npos) << outcome.reply;
}

}  // namespace
}  // namespace coalition::mail
