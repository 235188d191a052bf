// verify_log against a real TransparencyLog served through an in-process stand-in for the JSON
// API (the same shapes as web/api/log_api.cpp), with the database tampered with on purpose.

#include "signon/log/log_verifier.hpp"

#include "signon/log/transparency_log.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <map>

namespace coalition::signon {
namespace {

std::string base64(const std::uint8_t* data, std::size_t length) {
    std::string text(sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), data, length, sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);
    return text;
}

nlohmann::json hashes_json(const std::vector<Hash>& hashes) {
    auto array = nlohmann::json::array();
    for (const auto& hash : hashes) {
        array.push_back(to_base64(hash));
    }
    return array;
}

// Serves `log` as the web API does.
class FakeServer {
public:
    explicit FakeServer(TransparencyLog& log) : log_(log) {}

    core::Result<std::string> operator()(const std::string& target) {
        const auto question = target.find('?');
        const std::string path = target.substr(0, question);
        std::map<std::string, std::uint64_t> query;
        if (question != std::string::npos) {
            std::string rest = target.substr(question + 1);
            while (!rest.empty()) {
                const auto amp = rest.find('&');
                const std::string pair = rest.substr(0, amp);
                const auto equals = pair.find('=');
                query[pair.substr(0, equals)] = std::stoull(pair.substr(equals + 1));
                rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
            }
        }
        if (const auto found = overrides.find(path); found != overrides.end()) {
            return found->second;
        }
        if (path == "/api/v1/log/key") {
            const auto& key = log_.key().public_key();
            return nlohmann::json{{"public_key", base64(key.data(), key.size())},
                                  {"algorithm", "ed25519"}}
                .dump();
        }
        if (path == "/api/v1/log/sth") {
            const auto head = *log_.latest_tree_head();
            return nlohmann::json{{"tree_size", head.tree_size},
                                  {"timestamp", head.timestamp_ms},
                                  {"root_hash", to_base64(head.root_hash)},
                                  {"signature", base64(head.signature.data(), 64)}}
                .dump();
        }
        if (path == "/api/v1/log/entries") {
            auto entries = nlohmann::json::array();
            for (const auto& entry : log_.entries(query["start"], query["end"] + 1, page_size)) {
                entries.push_back(
                    {{"index", entry.index},
                     {"leaf_hash", to_base64(entry.leaf_hash)},
                     {"leaf", entry.leaf ? nlohmann::json(*entry.leaf) : nlohmann::json(nullptr)}});
            }
            return nlohmann::json{{"entries", entries}}.dump();
        }
        if (path == "/api/v1/log/proof/inclusion") {
            const auto proof = log_.inclusion_proof(query["index"], query["tree_size"]);
            if (!proof) {
                return core::Error::invalid("HTTP 400");
            }
            return nlohmann::json{{"leaf_index", query["index"]},
                                  {"tree_size", query["tree_size"]},
                                  {"audit_path", hashes_json(*proof)}}
                .dump();
        }
        if (path == "/api/v1/log/proof/consistency") {
            const auto proof = log_.consistency_proof(query["first"], query["second"]);
            if (!proof) {
                return core::Error::invalid("HTTP 400");
            }
            return nlohmann::json{{"first", query["first"]},
                                  {"second", query["second"]},
                                  {"consistency_path", hashes_json(*proof)}}
                .dump();
        }
        return core::Error::invalid("HTTP 404");
    }

    std::map<std::string, std::string> overrides;  // Path → body served instead.
    std::uint64_t page_size = 7;                   // Small, so paging is exercised.

private:
    TransparencyLog& log_;
};

class LogVerifierTest : public ::testing::Test {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(store::Dialect::Sqlite);
        log_ = std::make_unique<TransparencyLog>(*database_, clock_, key_);
        append(40);
        database_->transact([&](store::Connection& connection) { log_->withhold(connection, 5); });
        log_->publish_tree_head();
    }

    void append(int count, const std::string& prefix = "event") {
        database_->transact([&](store::Connection& connection) {
            for (int leaf_idx = 0; leaf_idx < count; ++leaf_idx) {
                log_->append(connection, R"({"event":")" + prefix +
                                             "\",\"n\":" + std::to_string(next_++) + "}");
            }
        });
    }

    void sql(const std::string& statement) {
        database_->transact([&](store::Connection& connection) { connection.execute(statement); });
    }

    core::Result<LogVerifyResult> verify(std::optional<VerifiedHead> previous = std::nullopt) {
        FakeServer server(*log_);
        server.overrides = overrides_;
        LogVerifyOptions options;
        options.previous = previous;
        options.inclusion_checks = inclusion_checks_;
        return verify_log(std::ref(server), options);
    }

    std::string error_of(const core::Result<LogVerifyResult>& result) {
        return result ? std::string("(passed)") : result.error().message;
    }

    core::FakeClock clock_;
    LogKey key_ = LogKey::from_seed(std::array<std::uint8_t, 32>{5});
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<TransparencyLog> log_;
    std::map<std::string, std::string> overrides_;
    std::uint64_t inclusion_checks_ = 256;
    int next_ = 0;
};

TEST_F(LogVerifierTest, PassesOnAnUntouchedLogAndAgainAfterItGrew) {
    const auto first = verify();
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->entries, 40U);
    EXPECT_EQ(first->withheld, 1U);
    EXPECT_EQ(first->proofs_checked, 40U);
    EXPECT_NE(first->summary.find("40 entries"), std::string::npos);
    const auto saved = VerifiedHead::from_json(first->head.to_json());
    ASSERT_TRUE(saved.has_value());
    EXPECT_EQ(saved->root_hash, first->head.root_hash);

    append(9);
    log_->publish_tree_head();
    const auto second = verify(*saved);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_EQ(second->entries, 49U);
    EXPECT_NE(second->summary.find("consistent with the saved head of 40"), std::string::npos);
}

TEST_F(LogVerifierTest, SamplesProofsOnLargerLogs) {
    inclusion_checks_ = 5;
    const auto result = verify();
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->proofs_checked, 5U);
}

TEST_F(LogVerifierTest, NamesTheEntryWhoseLeafWasAltered) {
    sql(R"(UPDATE signon_log_leaves SET leaf = '{"event":"forged"}' WHERE leaf_index = 17)");
    EXPECT_EQ(error_of(verify()), "entry 17: leaf hash does not match its leaf");
}

TEST_F(LogVerifierTest, NamesTheEntryWhoseLeafAndHashWereReplaced) {
    const std::string forged = R"({"event":"forged"})";
    sql("UPDATE signon_log_leaves SET leaf = '" + forged + "', leaf_hash = '" +
        to_base64(leaf_hash(forged)) + "' WHERE leaf_index = 23");
    EXPECT_EQ(error_of(verify()),
              "entry 22 or 23: leaf hash differs from the one the signed tree head covers");
    // A withheld leaf whose hash was swapped is found the same way.
    sql("UPDATE signon_log_leaves SET leaf_hash = '" + to_base64(leaf_hash("x")) +
        "' WHERE leaf_index = 5");
    EXPECT_EQ(error_of(verify()),
              "entry 4 or 5: leaf hash differs from the one the signed tree head covers");
}

TEST_F(LogVerifierTest, NamesAReplacedLastLeafWithoutAPartner) {
    append(1);  // 41 leaves: the last one is under no stored subtree, only the signed root.
    log_->publish_tree_head();
    const std::string forged = R"({"event":"forged"})";
    const std::string replace = "UPDATE signon_log_leaves SET leaf = '" + forged +
                                "', leaf_hash = '" + to_base64(leaf_hash(forged)) +
                                "' WHERE leaf_index = ";
    sql(replace + "40");
    EXPECT_EQ(error_of(verify()),
              "entry 40: leaf hash differs from the one the signed tree head covers");
    sql(replace + "38");
    EXPECT_EQ(error_of(verify()),
              "entry 38 or 39: leaf hash differs from the one the signed tree head covers");
}

TEST_F(LogVerifierTest, CatchesAnAlteredStoredSubtree) {
    sql("UPDATE signon_log_subtrees SET subtree_hash = '" + to_base64(leaf_hash("x")) +
        "' WHERE subtree_level = 2 AND subtree_position = 3");
    // Leaves 12..15 form that subtree; leaves 8..11 carry it in their proofs.
    EXPECT_EQ(error_of(verify()),
              "entry 8: the log's inclusion proof does not verify against the signed tree head");
}

TEST_F(LogVerifierTest, DetectsARewrittenHistoryAgainstTheSavedHead) {
    const auto first = verify();
    ASSERT_TRUE(first.has_value());
    // The operator rebuilds the log with entry 3 changed and signs it again with the same key.
    database_ = store::testing::fresh_database(store::Dialect::Sqlite);
    log_ = std::make_unique<TransparencyLog>(*database_, clock_, key_);
    next_ = 0;
    append(3);
    append(1, "rewritten");
    append(45);
    log_->publish_tree_head();
    ASSERT_TRUE(verify().has_value());        // Self-consistent on its own…
    EXPECT_EQ(error_of(verify(first->head)),  // …but not with what was seen before.
              "the first 40 entries no longer hash to the saved tree head's root: the log's "
              "history was rewritten");
}

TEST_F(LogVerifierTest, RejectsAChangedKeyAShrunkLogAndABadSignature) {
    auto first = verify();
    ASSERT_TRUE(first.has_value());
    auto other_key = first->head;
    other_key.public_key[0] ^= 1;
    EXPECT_EQ(error_of(verify(other_key)),
              "the log's public key changed since the saved tree head");
    auto bigger = first->head;
    bigger.tree_size = 41;
    EXPECT_EQ(error_of(verify(bigger)),
              "the log shrank: the saved tree head has 41 entries, the current one 40");

    auto head = *log_->latest_tree_head();
    head.signature[0] ^= 1;
    overrides_["/api/v1/log/sth"] = nlohmann::json{
        {"tree_size", head.tree_size},
        {"timestamp", head.timestamp_ms},
        {"root_hash", to_base64(head.root_hash)},
        {"signature", base64(head.signature.data(),
                             64)}}.dump();
    EXPECT_EQ(error_of(verify()),
              "the signed tree head's signature does not verify with the log's key");
}

TEST_F(LogVerifierTest, MalformedAnswersAreErrorsNotCrashes) {
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/api/v1/log/key", "not json"},
             {"/api/v1/log/key", R"({"public_key": 5, "algorithm": "ed25519"})"},
             {"/api/v1/log/key", R"({"public_key": "AAAA", "algorithm": 7})"},
             {"/api/v1/log/sth", "[]"},
             {"/api/v1/log/sth", R"({"tree_size": -1})"},
             {"/api/v1/log/entries", R"({"entries": [1, 2, 3]})"},
             {"/api/v1/log/entries", R"({"entries": []})"},
             {"/api/v1/log/entries", R"({"entries": [{"index": 0, "leaf_hash": "x", "leaf": 1}]})"},
             {"/api/v1/log/proof/inclusion", R"({"audit_path": ["\u0000"]})"},
         }) {
        overrides_ = {{path, body}};
        EXPECT_FALSE(verify().has_value()) << path << " " << body;
    }
    EXPECT_FALSE(VerifiedHead::from_json("").has_value());
    EXPECT_FALSE(VerifiedHead::from_json(R"({"tree_size": 1})").has_value());
}

}  // namespace
}  // namespace coalition::signon
