#include "app/config.hpp"

#include "core/unavailable.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace coalition::app {
namespace {

class ConfigFile : public ::testing::Test {
protected:
    void SetUp() override {
        directory_ = std::filesystem::temp_directory_path() /
                     ("coalition-config-" +
                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::string write(const std::string& text) {
        const auto path = directory_ / "coalition.toml";
        std::ofstream(path) << text;
        return path.string();
    }

    // The StartupError message for loading `text`, or "" when it loads.
    std::string error_for(const std::string& text, const Environment& environment = {}) {
        try {
            load_config(write(text), environment);
            return "";
        } catch (const core::StartupError& error) {
            return error.what();
        }
    }

    std::filesystem::path directory_;
};

TEST_F(ConfigFile, DefaultsWithoutAFile) {
    const auto loaded = load_config("", {});
    EXPECT_EQ(loaded.config.http.listen.port, 8080);
    EXPECT_EQ(loaded.config.database.url, "sqlite:var/coalition.db");
    ASSERT_TRUE(loaded.config.lmtp.listen.has_value());
    EXPECT_EQ(loaded.config.lmtp.listen->to_string(), "127.0.0.1:8024");
    EXPECT_TRUE(loaded.config.mail.relay.empty());
}

TEST_F(ConfigFile, ReadsEverySection) {
    const auto loaded = load_config(write(R"(
[site]
base_url = "https://coalition.example.org/"
name = "Technical Community Coalition"
[http]
listen = "[::1]:9000"
threads = 8
[database]
url = "postgresql://coalition@db/coalition"
[mail]
relay = "smtp://relay.example:587"
starttls = true
[lmtp]
listen = "0.0.0.0:24"
)"),
                                    {});
    const auto& config = loaded.config;
    EXPECT_EQ(config.site.base_url, "https://coalition.example.org");
    EXPECT_TRUE(config.uses_https());
    EXPECT_EQ(config.http.listen.host, "::1");
    EXPECT_EQ(config.http.listen.port, 9000);
    EXPECT_EQ(config.http.threads, 8);
    EXPECT_EQ(config.database.url, "postgresql://coalition@db/coalition");
    EXPECT_TRUE(config.mail.starttls);
    EXPECT_EQ(config.lmtp.listen->port, 24);
}

TEST_F(ConfigFile, EnvironmentOverridesTheFile) {
    const auto loaded = load_config(write("[http]\nlisten = \"127.0.0.1:8080\"\n"),
                                    {{"COALITION_HTTP_LISTEN", "127.0.0.1:0"},
                                     {"COALITION_MAIL_STARTTLS", "yes"},
                                     {"COALITION_TEST_POSTGRES_URL", "not a key: ignored"}});
    EXPECT_EQ(loaded.config.http.listen.port, 0);
    EXPECT_TRUE(loaded.config.mail.starttls);
}

TEST_F(ConfigFile, ErrorsNameTheKey) {
    EXPECT_NE(error_for("[http]\nlisen = \"x\"\n").find("[http] lisen: unknown key"),
              std::string::npos);
    EXPECT_NE(error_for("[htp]\nlisten = \"x\"\n").find("[htp] listen: unknown key"),
              std::string::npos);
    EXPECT_NE(error_for("[http]\nlisten = \"nowhere\"\n").find("[http] listen"), std::string::npos);
    EXPECT_NE(error_for("[http]\nlisten = \"host:99999\"\n").find("[http] listen"),
              std::string::npos);
    EXPECT_NE(error_for("[http]\nthreads = \"four\"\n").find("[http] threads"), std::string::npos);
    EXPECT_NE(error_for("[http]\nthreads = -1\n").find("[http] threads"), std::string::npos);
    EXPECT_NE(error_for("[http]\nwrite_threads = 0\n").find("[http] write_threads"),
              std::string::npos);
    EXPECT_NE(error_for("[mail]\nstarttls = \"maybe\"\n").find("[mail] starttls"),
              std::string::npos);
    EXPECT_NE(error_for("[mail]\nrelay = \"http://x\"\n").find("[mail] relay"), std::string::npos);
    EXPECT_NE(error_for("[database]\nurl = \"mysql://x\"\n").find("[database] url"),
              std::string::npos);
    EXPECT_NE(error_for("[site]\nbase_url = \"ftp://x\"\n").find("[site] base_url"),
              std::string::npos);
    EXPECT_NE(error_for("name = \"top level\"\n").find("unknown setting"), std::string::npos);
    EXPECT_NE(error_for("", {{"COALITION_HTTP_THREADS", "-1"}}).find("COALITION_HTTP_THREADS"),
              std::string::npos);
}

TEST_F(ConfigFile, LmtpAndListsSettings) {
    const auto loaded = load_config(write(R"(
[lmtp]
listen = "127.0.0.1:0"
max_connections = 5
max_message_bytes = 2048
idle_timeout_seconds = 2
data_timeout_seconds = 3
worker_threads = 1
[lists]
delivery = "bulk"
delivery_connections = 2
digest_interval_seconds = 30
)"),
                                    {});
    const auto& config = loaded.config;
    ASSERT_TRUE(config.lmtp.listen.has_value());
    EXPECT_EQ(config.lmtp.listen->port, 0);
    EXPECT_EQ(config.lmtp.max_connections, 5);
    EXPECT_EQ(config.lmtp.max_message_bytes, 2048);
    EXPECT_EQ(config.lmtp.idle_timeout_seconds, 2);
    EXPECT_EQ(config.lmtp.data_timeout_seconds, 3);
    EXPECT_EQ(config.lmtp.worker_threads, 1);
    EXPECT_TRUE(config.lists.bulk_delivery);
    EXPECT_EQ(config.lists.delivery_connections, 2);
    EXPECT_EQ(config.lists.digest_interval_seconds, 30);

    // An empty address turns the listener off, from the file or the environment.
    EXPECT_FALSE(load_config(write("[lmtp]\nlisten = \"\"\n"), {}).config.lmtp.listen);
    EXPECT_FALSE(load_config("", {{"COALITION_LMTP_LISTEN", ""}}).config.lmtp.listen);
    EXPECT_FALSE(load_config("", {}).config.lists.bulk_delivery);

    EXPECT_NE(error_for("[lmtp]\nlisten = \"8024\"\n").find("[lmtp] listen"), std::string::npos);
    EXPECT_NE(error_for("[lmtp]\nidle_timeout_seconds = 0\n").find("[lmtp] idle_timeout_seconds"),
              std::string::npos);
    EXPECT_NE(error_for("[lmtp]\nmax_message_bytes = 10\n").find("[lmtp] max_message_bytes"),
              std::string::npos);
    EXPECT_NE(error_for("[lists]\ndelivery = \"fast\"\n").find("[lists] delivery"),
              std::string::npos);
    EXPECT_NE(error_for("[lists]\ndelivery_connections = 0\n").find("[lists] delivery_connections"),
              std::string::npos);
}

TEST_F(ConfigFile, BrokenTomlGivesLineAndColumn) {
    EXPECT_NE(error_for("[site\n").find("coalition.toml:1:"), std::string::npos);
    EXPECT_NE(error_for(std::string("[site]\nname = \"\xff\"\n")).find("coalition.toml:2:"),
              std::string::npos);
}

TEST(ListenAddress, Parses) {
    EXPECT_EQ(parse_listen_address("127.0.0.1:8080")->port, 8080);
    EXPECT_EQ(parse_listen_address("[::]:25")->host, "::");
    for (const char* bad :
         {"", ":80", "host:", "host", "::1:80", "host:http", "host:-1", "host:65536"}) {
        EXPECT_FALSE(parse_listen_address(bad)) << bad;
    }
}

}  // namespace
}  // namespace coalition::app
