#include "store/database.hpp"

#include "core/unavailable.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace coalition::store {
namespace {

TEST(Row, ReadsEachTypeAndNull) {
    Row row({Value(nullptr), Value(std::int64_t{42}), Value(2.5), Value(std::string("text"))});
    EXPECT_EQ(row.size(), 4u);
    EXPECT_TRUE(row.is_null(0));
    EXPECT_EQ(row.optional_integer(0), std::nullopt);
    EXPECT_EQ(row.optional_text(0), std::nullopt);
    EXPECT_EQ(row.text(0), "");
    EXPECT_EQ(row.integer(1), 42);
    EXPECT_TRUE(row.boolean(1));
    EXPECT_EQ(row.optional_integer(1), 42);
    EXPECT_DOUBLE_EQ(row.real(2), 2.5);
    EXPECT_DOUBLE_EQ(row.real(1), 42.0);
    EXPECT_EQ(row.text(3), "text");
    EXPECT_EQ(row.optional_text(3), "text");
}

TEST(Row, WrongTypeIsABug) {
    Row row({Value(std::string("text")), Value(nullptr)});
    EXPECT_DEATH((void)row.integer(0), "not an integer");
    EXPECT_DEATH((void)row.integer(1), "not an integer");
    EXPECT_DEATH((void)row.text(5), "out of range");
}

TEST(Nullable, NulloptIsNull) {
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(nullable(std::optional<std::string>())));
    EXPECT_EQ(std::get<std::int64_t>(nullable(std::optional<std::int64_t>(7))), 7);
}

std::string startup_error(const std::string& url) {
    try {
        (void)open_database(url);
    } catch (const core::StartupError& error) {
        return error.what();
    }
    return "(no error)";
}

TEST(OpenDatabase, RejectsUnknownScheme) {
    const std::string message = startup_error("mysql://root:hunter2@localhost/db");
    EXPECT_NE(message.find("sqlite:, postgresql://"), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(startup_error(""), "(no error)");
    EXPECT_NE(startup_error("sqlite:"), "(no error)");
    EXPECT_NE(startup_error("sqlite::memory:"), "(no error)");
}

TEST(OpenDatabase, SqliteInMissingDirectoryIsAStartupError) {
    const std::string message = startup_error("sqlite:/nonexistent-coalition-dir/x/db.sqlite");
    EXPECT_NE(message.find("cannot open SQLite database"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(OpenDatabase, SqliteFileThatIsNotADatabase) {
    const auto path = std::filesystem::temp_directory_path() / "coalition-not-a-db.txt";
    {
        std::FILE* file = std::fopen(path.c_str(), "w");
        ASSERT_NE(file, nullptr);
        std::fputs(
            "this is not an SQLite database, just some text that is long enough......\n"
            "...............................................................",
            file);
        std::fclose(file);
    }
    EXPECT_NE(startup_error("sqlite:" + path.string()).find("cannot use SQLite database"),
              std::string::npos);
    std::filesystem::remove(path);
}

TEST(OpenDatabase, MalformedPostgresqlUrl) {
    std::string message = startup_error("postgresql://u:secret@host/db?nonsense=1");
    EXPECT_NE(message.find("malformed"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    message = startup_error("postgresql://u:secret@host/db?pool_size=0");
    EXPECT_NE(message.find("pool_size"), std::string::npos) << message;
    message = startup_error("postgresql://u:secret@host/db?pool_size=lots");
    EXPECT_NE(message.find("pool_size"), std::string::npos) << message;
}

TEST(OpenDatabase, UnreachablePostgresqlIsOneLineWithoutPassword) {
    // A socket directory that does not exist: fails at once, no network involved.
    const std::string message =
        startup_error("postgres://alice:s3cr3t-pw@/db?host=/nonexistent-coalition-socket");
    EXPECT_NE(message.find("cannot connect"), std::string::npos) << message;
    EXPECT_NE(message.find("postgresql://alice@/db?host=/nonexistent-coalition-socket"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("s3cr3t-pw"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

}  // namespace
}  // namespace coalition::store
