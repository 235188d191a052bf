#include "core/unavailable.hpp"
#include "signon/log/transparency_log.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace coalition::signon {
namespace {

class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "log-key-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TemporaryDirectory() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

TEST(TreeHeadSigningInput, IsVersionSizeTimestampRoot) {
    Hash root{};
    for (std::size_t byte_idx = 0; byte_idx < root.size(); ++byte_idx) {
        root[byte_idx] = static_cast<std::uint8_t>(byte_idx);
    }
    const std::string input =
        tree_head_signing_input(0x0102030405060708ULL, 0x1112131415161718LL, root);
    ASSERT_EQ(input.size(), 49U);
    EXPECT_EQ(input[0], '\x01');
    EXPECT_EQ(input.substr(1, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
    EXPECT_EQ(input.substr(9, 8), std::string("\x11\x12\x13\x14\x15\x16\x17\x18", 8));
    EXPECT_EQ(input.substr(17), std::string(root.begin(), root.end()));
}

TEST(LogKey, SignsHeadsThatVerifyOnlyUnchanged) {
    const LogKey key = LogKey::from_seed(std::array<std::uint8_t, 32>{1, 2, 3});
    TreeHead head;
    head.tree_size = 5;
    head.timestamp_ms = 1'767'225'600'000;
    head.root_hash = leaf_hash("root");
    head.signature =
        key.sign(tree_head_signing_input(head.tree_size, head.timestamp_ms, head.root_hash));
    EXPECT_TRUE(verify_tree_head(head, key.public_key()));

    auto other_size = head;
    other_size.tree_size = 6;
    EXPECT_FALSE(verify_tree_head(other_size, key.public_key()));
    auto other_time = head;
    other_time.timestamp_ms += 1;
    EXPECT_FALSE(verify_tree_head(other_time, key.public_key()));
    auto other_root = head;
    other_root.root_hash[0] ^= 1;
    EXPECT_FALSE(verify_tree_head(other_root, key.public_key()));
    auto other_signature = head;
    other_signature.signature[63] ^= 1;
    EXPECT_FALSE(verify_tree_head(other_signature, key.public_key()));
    auto negative = head;
    negative.timestamp_ms = -1;
    EXPECT_FALSE(verify_tree_head(negative, key.public_key()));
    const LogKey other_key = LogKey::from_seed(std::array<std::uint8_t, 32>{9});
    EXPECT_FALSE(verify_tree_head(head, other_key.public_key()));
    // The same seed gives the same key.
    EXPECT_EQ(LogKey::from_seed(std::array<std::uint8_t, 32>{1, 2, 3}).public_key(),
              key.public_key());
}

TEST(LogKey, CreatesAPrivateKeyFileOnceAndReadsItBack) {
    TemporaryDirectory directory;
    const auto path = directory.path() / "var" / "log-signing.key";
    const LogKey created = LogKey::load_or_create(path);
    ASSERT_TRUE(std::filesystem::exists(path));
    struct stat status {};
    ASSERT_EQ(::stat(path.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600U);
    const LogKey loaded = LogKey::load_or_create(path);
    EXPECT_EQ(loaded.public_key(), created.public_key());
    // No temporary file is left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()),
                            std::filesystem::directory_iterator()),
              1);
}

TEST(LogKey, RefusesAFileThatIsNotAKey) {
    TemporaryDirectory directory;
    const auto path = directory.path() / "bad.key";
    for (const std::string& contents :
         {std::string(), std::string("ed25519-seed:short\n"), std::string("hello world\n"),
          std::string("ed25519-seed:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=garbage\n"),
          std::string(1000, '\0')}) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
        EXPECT_THROW((void)LogKey::load_or_create(path), core::StartupError) << contents;
    }
}

}  // namespace
}  // namespace coalition::signon
