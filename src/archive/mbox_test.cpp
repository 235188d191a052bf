#include "archive/mbox.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace coalition::archive::mbox {
namespace {

std::vector<Entry> split_text(const std::string& text) {
    std::istringstream in(text);
    std::vector<Entry> entries;
    const std::size_t count = split(in, [&](Entry&& entry) { entries.push_back(entry); });
    std::size_t messages = 0;
    for (const auto& entry : entries) {
        messages += entry.preamble ? 0 : 1;
    }
    EXPECT_EQ(count, messages);
    return entries;
}

std::string written(const std::vector<std::string>& messages) {
    std::ostringstream out;
    for (const auto& message : messages) {
        write(out, "anna@example.org", 1'764'363'321, message);
    }
    return out.str();
}

void expect_round_trip(const std::vector<std::string>& messages) {
    const auto entries = split_text(written(messages));
    ASSERT_EQ(entries.size(), messages.size());
    for (std::size_t message_idx = 0; message_idx < messages.size(); ++message_idx) {
        EXPECT_EQ(entries[message_idx].bytes, messages[message_idx]) << message_idx;
        EXPECT_FALSE(entries[message_idx].preamble);
    }
}

TEST(Mbox, SplitsMessagesAndRecordsOffsets) {
    const std::string text =
        "From anna@example.org Sat Nov 28 20:55:21 2026\n"
        "Subject: one\n\nbody one\n\n"
        "From - Sat Nov 28 20:55:22 2026\n"
        "Subject: two\n\nbody two\n";
    const auto entries = split_text(text);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].offset, 0u);
    EXPECT_EQ(entries[0].from_line, "From anna@example.org Sat Nov 28 20:55:21 2026");
    EXPECT_EQ(entries[0].bytes, "Subject: one\n\nbody one\n");
    EXPECT_EQ(entries[1].offset, text.find("From - "));
    EXPECT_EQ(entries[1].from_line, "From - Sat Nov 28 20:55:22 2026");
    EXPECT_EQ(entries[1].bytes, "Subject: two\n\nbody two\n");
}

TEST(Mbox, FromOnlyAfterBlankLineSeparates) {
    const auto entries = split_text(
        "From a Sat Nov 28 20:55:21 2026\nSubject: x\n\nline\nFrom the start, not a separator\n");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].bytes, "Subject: x\n\nline\nFrom the start, not a separator\n");
}

TEST(Mbox, CrlfLinesAndLastMessageWithoutNewline) {
    const auto entries = split_text(
        "From a Sat Nov 28 20:55:21 2026\r\nSubject: x\r\n\r\nbody\r\n\r\n"
        "From b Sat Nov 28 20:55:21 2026\r\nSubject: y\r\n\r\nlast");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].from_line, "From a Sat Nov 28 20:55:21 2026");
    EXPECT_EQ(entries[0].bytes, "Subject: x\r\n\r\nbody\r\n");
    EXPECT_EQ(entries[1].bytes, "Subject: y\r\n\r\nlast");
}

TEST(Mbox, MboxrdUnquotesOneLevel) {
    const auto entries = split_text(
        "From a Sat Nov 28 20:55:21 2026\n\n>From here\n>>From there\n>>>From x\n> From no\n>F\n");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].bytes, "\nFrom here\n>From there\n>>From x\n> From no\n>F\n");
}

TEST(Mbox, GarbageBeforeFirstFromIsReported) {
    const auto entries = split_text("junk line\nmore\n\nFrom a Sat Nov 28 20:55:21 2026\nX: y\n");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_TRUE(entries[0].preamble);
    EXPECT_EQ(entries[0].bytes, "junk line\nmore\n\n");
    EXPECT_EQ(entries[0].from_line, "");
    EXPECT_FALSE(entries[1].preamble);
    EXPECT_EQ(entries[1].offset, 16u);
    EXPECT_EQ(entries[1].bytes, "X: y\n");
}

TEST(Mbox, OnlyGarbageIsOnePreambleAndNoMessage) {
    std::istringstream in(std::string("\0\xff\xfe not an mbox\nFrom nowhere\n", 29));
    std::vector<Entry> entries;
    EXPECT_EQ(split(in, [&](Entry&& entry) { entries.push_back(entry); }), 0u);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_TRUE(entries[0].preamble);
    EXPECT_EQ(entries[0].bytes.size(), 29u);
}

TEST(Mbox, EmptyInputHasNothing) {
    EXPECT_TRUE(split_text("").empty());
}

TEST(Mbox, WriteFormat) {
    std::ostringstream out;
    write(out, "", 0, "Subject: x\n\nFrom me\n");
    EXPECT_EQ(out.str(), "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From me\n\n");
    std::ostringstream spaced;
    write(spaced, "a b@example.org", 1'764'363'321, "X: y\r\n");
    EXPECT_EQ(spaced.str(), "From MAILER-DAEMON Fri Nov 28 20:55:21 2025\nX: y\r\n\r\n");
}

TEST(Mbox, WriteThenSplitGivesBytesBack) {
    expect_round_trip({
        "Subject: quoting\n\nFrom start\n>From one\n>>From two\n\nFrom after blank\n",
        "From the first line\n\n",
        "Subject: crlf\r\n\r\nFrom x\r\n\r\n>From y\r\n",
        "Subject: blank lines at the end\n\nbody\n\n\n\n",
        "",
        "\n",
        "\r\n",
        "Subject: last\n\nno blank after\n",
    });
}

TEST(Mbox, WriteAddsMissingFinalNewline) {
    const auto entries = split_text(written({"Subject: a\n\nno newline", "X: b\n"}));
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].bytes, "Subject: a\n\nno newline\n");
    EXPECT_EQ(entries[1].bytes, "X: b\n");
}

TEST(Mbox, HostileBytesRoundTrip) {
    constexpr char kNul[] = "Subject: nul\n\na\0b\n\0From \n";
    const std::string nul(kNul, sizeof kNul - 1);
    const std::string invalid_utf8 = "Subject: \xff\xfe\xc3\n\n\x80\x81 From \xed\xa0\x80\n";
    const std::string long_line =
        "Subject: long\n\n" + std::string(std::size_t{10} * 1024 * 1024, 'x') + "\n";
    expect_round_trip({nul, invalid_utf8, long_line, nul});
}

}  // namespace
}  // namespace coalition::archive::mbox
