#include "dns/dns.hpp"

#include "core/unavailable.hpp"
#include "dns/testing.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace coalition::dns {
namespace {

using testing::LocalDnsServer;

ResolverSettings settings(std::string forward_to, std::string trust_anchor_file = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    ResolverSettings settings;
    settings.forward_to = std::move(forward_to);
    settings.trust_anchor_file = std::move(trust_anchor_file);
    settings.timeout = timeout;
    return settings;
}

const std::string long_first(255, 'a');
const std::string long_second(45, 'b');

// One nsd for the whole suite: starting it (and signing a zone) takes a fraction of a second.
class LocalDns : public ::testing::Test {
protected:
    // nsd comes with `scripts/install-deps --with-test-tools`; without it every test here fails
    // with the script's explanation (never a silent skip).
    static void SetUpTestSuite() {
        try {
            start_server();
        } catch (const std::exception& error) {
            start_error = error.what();
        }
        std::ofstream(empty_anchor) << "";
    }
    void SetUp() override {
        if (!local_server) {
            GTEST_FAIL() << start_error;
        }
    }
    static void start_server() {
        local_server = LocalDnsServer::start({
            "--zone",
            "example.test",
            "--signed-zone",
            "secure.test",
            "--record",
            "_coalition-challenge.example.test. 300 IN TXT \"part one \" \"and part two\"",
            "--record",
            "multi.example.test. TXT \"first\"",
            "--record",
            "multi.example.test. TXT \"second\"",
            "--record",
            "multi.example.test. TXT \"third\"",
            "--record",
            "long.example.test. TXT \"" + long_first + "\" \"" + long_second + "\"",
            "--record",
            "quoted.example.test. TXT \"<script>\\\"x\\\";DROP TABLE\"",
            "--record",
            "address-only.example.test. A 192.0.2.1",
            "--record",
            "_coalition-challenge.xn--bcher-kva.test. TXT \"idn-token\"",
            "--record",
            "_coalition-challenge.secure.test. TXT \"signed-token\"",
            "--unsigned-record",
            "forged.secure.test. TXT \"forged-token\"",
            "--record",
            "_dmarc.example.test. TXT \"v=DMARC1; p=reject; sp=quarantine\"",
        });
    }
    static void TearDownTestSuite() {
        local_server.reset();
        std::filesystem::remove(empty_anchor);
    }

    // A resolver forwarding to the local nsd, with no trust anchor unless one is given.
    static std::unique_ptr<Resolver> resolver(std::string anchor = empty_anchor) {
        return make_unbound_resolver(settings(local_server->address(), std::move(anchor)));
    }

    static std::unique_ptr<LocalDnsServer> local_server;
    static inline std::string start_error;
    static inline const std::string empty_anchor =
        (std::filesystem::temp_directory_path() /
         ("coalition-dns-test-empty-anchor-" + std::to_string(::getpid())))
            .string();
};

std::unique_ptr<LocalDnsServer> LocalDns::local_server;

TEST_F(LocalDns, FindsTxtRecordJoiningItsCharacterStrings) {
    const auto answer = resolver()->txt("_coalition-challenge.example.test");
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->records, std::vector<std::string>{"part one and part two"});
    EXPECT_FALSE(answer->secure);
}

TEST_F(LocalDns, FindsEveryRecordAtAName) {
    auto answer = resolver()->txt("multi.example.test");
    ASSERT_TRUE(answer) << answer.error().message;
    std::sort(answer->records.begin(), answer->records.end());
    EXPECT_EQ(answer->records, (std::vector<std::string>{"first", "second", "third"}));
}

TEST_F(LocalDns, JoinsStringsOfMaximumLength) {
    const auto answer = resolver()->txt("long.example.test.");  // A trailing dot is fine too.
    ASSERT_TRUE(answer) << answer.error().message;
    ASSERT_EQ(answer->records.size(), 1u);
    EXPECT_EQ(answer->records[0], long_first + long_second);
}

TEST_F(LocalDns, KeepsHostileTextAsData) {
    const auto answer = resolver()->txt("quoted.example.test");
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->records, std::vector<std::string>{"<script>\"x\";DROP TABLE"});
}

TEST_F(LocalDns, NameThatDoesNotExistIsNotFound) {
    const auto answer = resolver()->txt("_coalition-challenge.nobody.example.test");
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(answer.error().message.find("NXDOMAIN"), std::string::npos) << answer.error().message;
}

TEST_F(LocalDns, NameWithoutTxtRecordsIsNotFound) {
    const auto answer = resolver()->txt("address-only.example.test");
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(answer.error().message.find("NODATA"), std::string::npos) << answer.error().message;
}

TEST_F(LocalDns, SeesRecordsPublishedAfterAFailedLookup) {
    // The signing flow: the organisation checks too early, publishes its token, checks again.
    const auto validating = resolver(local_server->trust_anchor_file());
    const std::string name = "_coalition-challenge.late.secure.test";
    const auto early = validating->txt(name);
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, core::ErrorCode::NotFound);

    local_server->add(name + ". TXT \"late-token\"");
    const auto published = validating->txt(name);
    ASSERT_TRUE(published) << published.error().message;
    EXPECT_EQ(published->records, std::vector<std::string>{"late-token"});
    EXPECT_TRUE(published->secure);

    local_server->remove(name);
    EXPECT_FALSE(validating->txt(name));
    EXPECT_THROW(local_server->add("nowhere.invalid. TXT \"x\""), std::runtime_error);
}

TEST_F(LocalDns, LooksUpInternationalisedNamesInALabelForm) {
    const auto domain = core::Domain::parse("Bücher.test");
    ASSERT_TRUE(domain);
    const auto answer = resolver()->txt("_coalition-challenge." + domain->ascii());
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->records, std::vector<std::string>{"idn-token"});
}

TEST_F(LocalDns, MalformedNamesAreNotFound) {
    const auto resolver = LocalDns::resolver();
    const std::string long_label(64, 'x');
    std::string long_name;
    for (int label_idx = 0; label_idx < 30; ++label_idx) {
        long_name += "abcdefghij.";
    }
    for (const std::string& name :
         {std::string(), std::string("nul\0byte.example.test", 21), long_label + ".example.test",
          long_name + "test", std::string("a..b.example.test")}) {
        const auto answer = resolver->txt(name);
        ASSERT_FALSE(answer) << name;
        EXPECT_EQ(answer.error().code, core::ErrorCode::NotFound) << name;
    }
}

TEST_F(LocalDns, SignedZoneValidatesWithItsTrustAnchor) {
    const auto validating = resolver(local_server->trust_anchor_file());
    const auto answer = validating->txt("_coalition-challenge.secure.test");
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->records, std::vector<std::string>{"signed-token"});
    EXPECT_TRUE(answer->secure);

    // An unsigned zone outside the anchor's reach answers, insecurely.
    const auto insecure = validating->txt("_coalition-challenge.example.test");
    ASSERT_TRUE(insecure) << insecure.error().message;
    EXPECT_FALSE(insecure->secure);

    // A validated denial of existence is still NotFound.
    const auto missing = validating->txt("nothing-here.secure.test");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(missing.error().message.find("NXDOMAIN"), std::string::npos);
}

TEST_F(LocalDns, SignedZoneWithoutTrustAnchorIsNotSecure) {
    const auto answer = resolver()->txt("_coalition-challenge.secure.test");
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->records, std::vector<std::string>{"signed-token"});
    EXPECT_FALSE(answer->secure);
}

TEST_F(LocalDns, DefaultRootAnchorLeavesTestNamesInsecureButAnswered) {
    // An empty trust_anchor_file means Debian's root key; .test is outside the root's chain.
    const auto answer = make_unbound_resolver(settings(local_server->address()))
                            ->txt("_coalition-challenge.secure.test");
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_FALSE(answer->secure);
}

TEST_F(LocalDns, RecordWithoutSignatureInSignedZoneIsBogusAndNotFound) {
    const auto answer = resolver(local_server->trust_anchor_file())->txt("forged.secure.test");
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(answer.error().message.find("DNSSEC"), std::string::npos) << answer.error().message;
}

TEST_F(LocalDns, AnchorForAnotherKeyMakesAnswersBogus) {
    const std::string wrong_anchor = empty_anchor + "-wrong";
    std::ofstream(wrong_anchor)
        << "secure.test. IN DS 4242 13 2 "
           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
    const auto answer = resolver(wrong_anchor)->txt("_coalition-challenge.secure.test");
    std::filesystem::remove(wrong_anchor);
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(answer.error().message.find("DNSSEC"), std::string::npos) << answer.error().message;
}

TEST_F(LocalDns, ConcurrentLookupsFromManyThreads) {
    const auto shared = resolver(local_server->trust_anchor_file());
    std::atomic<int> correct = 0;
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int thread_idx = 0; thread_idx < 8; ++thread_idx) {
        threads.emplace_back([&, thread_idx] {
            for (int lookup_idx = 0; lookup_idx < 25; ++lookup_idx) {
                switch ((thread_idx + lookup_idx) % 4) {
                    case 0: {
                        const auto answer = shared->txt("_coalition-challenge.secure.test");
                        correct += answer && answer->secure &&
                                   answer->records == std::vector<std::string>{"signed-token"};
                        break;
                    }
                    case 1: {
                        const auto answer = shared->txt("_coalition-challenge.xn--bcher-kva.test");
                        correct += answer && !answer->secure &&
                                   answer->records == std::vector<std::string>{"idn-token"};
                        break;
                    }
                    case 2: {
                        const auto answer =
                            shared->txt("n" + std::to_string(lookup_idx) + ".example.test");
                        correct += !answer && answer.error().code == core::ErrorCode::NotFound;
                        break;
                    }
                    default: {
                        const auto answer = shared->txt("forged.secure.test");
                        correct += !answer && answer.error().code == core::ErrorCode::NotFound;
                    }
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(correct.load(), 8 * 25);
}

TEST_F(LocalDns, DmarcPolicyFromRealDns) {
    const auto dns = resolver();
    core::FakeClock clock;
    DmarcPolicies policies(*dns, clock);
    EXPECT_EQ(policies.policy_for(*core::Domain::parse("example.test")), DmarcPolicy::Reject);
    EXPECT_EQ(policies.policy_for(*core::Domain::parse("lists.example.test")),
              DmarcPolicy::Quarantine);
    EXPECT_EQ(policies.policy_for(*core::Domain::parse("secure.test")), DmarcPolicy::None);
}

// A UDP socket that receives queries and never answers: a resolver that has died mid-flight.
class SilentServer {
public:
    SilentServer() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
        port_ = ntohs(address.sin_port);
    }
    ~SilentServer() { ::close(fd_); }
    std::string address() const { return "127.0.0.1@" + std::to_string(port_); }

private:
    int fd_ = -1;
    int port_ = 0;
};

TEST(UnboundResolver, SilentResolverIsUnavailableAfterTheTimeout) {
    SilentServer silent;
    const auto resolver =
        make_unbound_resolver(settings(silent.address(), "", std::chrono::milliseconds(300)));
    const auto started = std::chrono::steady_clock::now();
    try {
        (void)resolver->txt("_coalition-challenge.example.org");
        FAIL() << "expected core::Unavailable";
    } catch (const core::Unavailable& error) {
        EXPECT_NE(std::string(error.what()).find("timed out"), std::string::npos) << error.what();
    }
    // Generous: the point is that it does not wait for unbound's own minutes of retries.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    // The resolver stays usable (and is destroyed cleanly with a query abandoned in flight).
    EXPECT_THROW((void)resolver->txt("second.example.org"), core::Unavailable);
}

TEST(UnboundResolver, ClosedPortIsUnavailable) {
    const auto resolver =
        make_unbound_resolver(settings("127.0.0.1@" + std::to_string(testing::unused_udp_port()),
                                       "", std::chrono::milliseconds(500)));
    EXPECT_THROW((void)resolver->txt("_coalition-challenge.example.org"), core::Unavailable);
}

TEST(UnboundResolver, RejectsUnusableSettings) {
    for (const std::string& address : std::vector<std::string>{
             "resolver.example", "127.0.0.1@", "127.0.0.1@0", "127.0.0.1@65536", "127.0.0.1@53x",
             "127.0.0.1:53", "::1@99999", std::string("127.0.0.1\0@53", 13)}) {
        EXPECT_THROW(make_unbound_resolver(settings(address)), core::StartupError) << address;
    }
    EXPECT_NO_THROW(make_unbound_resolver(settings("::1@5353")));
    EXPECT_NO_THROW(make_unbound_resolver(settings("127.0.0.1")));
    EXPECT_THROW(make_unbound_resolver(settings("", "/nonexistent/anchor.key")),
                 core::StartupError);
    EXPECT_THROW(make_unbound_resolver(settings("", "", std::chrono::milliseconds(0))),
                 core::StartupError);

    const auto garbage = std::filesystem::temp_directory_path() /
                         ("coalition-dns-test-garbage-" + std::to_string(::getpid()));
    std::ofstream(garbage) << "this is not a DS record\n";
    EXPECT_THROW(make_unbound_resolver(settings("", garbage.string())), core::StartupError);
    std::filesystem::remove(garbage);
}

// A Resolver that answers from a table and counts the questions.
class CountingResolver final : public Resolver {
public:
    void set(const std::string& name, std::vector<std::string> records) {
        std::lock_guard lock(mutex_);
        records_[name] = std::move(records);
    }
    void fail_next(int times) {
        std::lock_guard lock(mutex_);
        failures_ = times;
    }
    int queries(const std::string& name) const {
        std::lock_guard lock(mutex_);
        const auto found = queries_.find(name);
        return found == queries_.end() ? 0 : found->second;
    }
    int total_queries() const {
        std::lock_guard lock(mutex_);
        int total = 0;
        for (const auto& [name, count] : queries_) {
            total += count;
        }
        return total;
    }

    // dns::Resolver
    core::Result<TxtAnswer> txt(std::string_view name) override {
        std::lock_guard lock(mutex_);
        ++queries_[std::string(name)];
        if (failures_ > 0) {
            --failures_;
            throw core::Unavailable("SERVFAIL");
        }
        const auto found = records_.find(std::string(name));
        if (found == records_.end()) {
            return core::Error::not_found("NXDOMAIN");
        }
        return TxtAnswer{found->second, false};
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::string>> records_;  // Guarded by mutex_.
    std::map<std::string, int> queries_;                       // Guarded by mutex_.
    int failures_ = 0;                                         // Guarded by mutex_.
};

core::Domain domain(std::string_view text) {
    auto parsed = core::Domain::parse(text);
    COALITION_ASSERT(parsed.has_value(), "test domain");
    return *parsed;
}

class Dmarc : public ::testing::Test {
protected:
    CountingResolver dns_;
    core::FakeClock clock_;
    DmarcPolicies policies_{dns_, clock_, std::chrono::minutes(10)};
};

TEST_F(Dmarc, ReadsThePolicy) {
    dns_.set("_dmarc.reject.example", {"v=DMARC1; p=reject; rua=mailto:d@reject.example"});
    dns_.set("_dmarc.quarantine.example", {"v=DMARC1; p=quarantine; pct=100"});
    dns_.set("_dmarc.none.example", {"v=DMARC1; p=none"});
    EXPECT_EQ(policies_.policy_for(domain("reject.example")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("quarantine.example")), DmarcPolicy::Quarantine);
    EXPECT_EQ(policies_.policy_for(domain("none.example")), DmarcPolicy::None);
    EXPECT_EQ(policies_.policy_for(domain("absent.example")), DmarcPolicy::None);
}

TEST_F(Dmarc, ToleratesSpacingAndCase) {
    dns_.set("_dmarc.a.example", {"  V = dmarc1 ;P = Reject ;  "});
    dns_.set("_dmarc.b.example", {"v=DMARC1;p=QUARANTINE"});
    dns_.set("_dmarc.c.example", {"v=DMARC1;\tp=reject;"});
    EXPECT_EQ(policies_.policy_for(domain("a.example")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("b.example")), DmarcPolicy::Quarantine);
    EXPECT_EQ(policies_.policy_for(domain("c.example")), DmarcPolicy::Reject);
}

TEST_F(Dmarc, MalformedRecordsMeanNoPolicy) {
    const std::map<std::string, std::vector<std::string>> cases = {
        {"bad-value", {"v=DMARC1; p=bogus"}},
        {"no-version", {"p=reject"}},
        {"version-later", {"p=reject; v=DMARC1"}},
        {"wrong-version", {"v=DMARC2; p=reject"}},
        {"no-policy", {"v=DMARC1; rua=mailto:x@example.org"}},
        {"bad-sp", {"v=DMARC1; p=reject; sp=maybe"}},
        {"empty", {""}},
        {"two-records", {"v=DMARC1; p=reject", "v=DMARC1; p=quarantine"}},
        {"binary", {std::string("v=DMARC1; p=re\0ject", 19)}},
        {"invalid-utf8", {"v=DMARC1; p=\xff\xfe"}},
        {"spf-only", {"v=spf1 -all"}},
    };
    for (const auto& [label, records] : cases) {
        dns_.set("_dmarc." + label + ".example", records);
        EXPECT_EQ(policies_.policy_for(domain(label + ".example")), DmarcPolicy::None) << label;
    }
}

TEST_F(Dmarc, IgnoresOtherTxtRecordsBesideTheDmarcOne) {
    dns_.set("_dmarc.mixed.example", {"v=spf1 -all", "v=DMARC1; p=reject", "hello"});
    EXPECT_EQ(policies_.policy_for(domain("mixed.example")), DmarcPolicy::Reject);
}

TEST_F(Dmarc, SubdomainsUseSpFromTheOrganisationalDomain) {
    dns_.set("_dmarc.example.org", {"v=DMARC1; p=reject; sp=none"});
    EXPECT_EQ(policies_.policy_for(domain("example.org")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("lists.example.org")), DmarcPolicy::None);
    EXPECT_EQ(dns_.queries("_dmarc.lists.example.org"), 1);

    dns_.set("_dmarc.example.net", {"v=DMARC1; p=quarantine"});
    EXPECT_EQ(policies_.policy_for(domain("a.b.example.net")), DmarcPolicy::Quarantine);
    EXPECT_EQ(dns_.queries("_dmarc.a.b.example.net"), 1);
    EXPECT_EQ(dns_.queries("_dmarc.b.example.net"), 0);  // Straight to the organisational domain.
    EXPECT_EQ(dns_.queries("_dmarc.example.net"), 1);
}

TEST_F(Dmarc, SubdomainsOwnRecordWins) {
    dns_.set("_dmarc.example.org", {"v=DMARC1; p=none; sp=none"});
    dns_.set("_dmarc.strict.example.org", {"v=DMARC1; p=reject"});
    EXPECT_EQ(policies_.policy_for(domain("strict.example.org")), DmarcPolicy::Reject);
    EXPECT_EQ(dns_.queries("_dmarc.example.org"), 0);
}

TEST_F(Dmarc, MalformedSubdomainRecordDoesNotFallBack) {
    // RFC 7489 §6.6.3: a DMARC record was found, so discovery ends there.
    dns_.set("_dmarc.example.org", {"v=DMARC1; p=reject"});
    dns_.set("_dmarc.broken.example.org", {"v=DMARC1; p=typo"});
    EXPECT_EQ(policies_.policy_for(domain("broken.example.org")), DmarcPolicy::None);
}

TEST_F(Dmarc, OrganisationalDomainUnderTwoLabelPublicSuffix) {
    dns_.set("_dmarc.example.co.uk", {"v=DMARC1; p=quarantine"});
    dns_.set("_dmarc.co.uk", {"v=DMARC1; p=reject"});  // Must never be consulted.
    dns_.set("_dmarc.example.com.au", {"v=DMARC1; p=reject"});
    dns_.set("_dmarc.example.org.nz", {"v=DMARC1; p=reject; sp=quarantine"});
    EXPECT_EQ(policies_.policy_for(domain("lists.example.co.uk")), DmarcPolicy::Quarantine);
    EXPECT_EQ(policies_.policy_for(domain("mail.example.com.au")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("a.b.example.org.nz")), DmarcPolicy::Quarantine);
    EXPECT_EQ(dns_.queries("_dmarc.co.uk"), 0);
    EXPECT_EQ(dns_.queries("_dmarc.b.example.org.nz"), 0);
    EXPECT_EQ(policies_.policy_for(domain("other.co.uk")), DmarcPolicy::None);
    EXPECT_EQ(dns_.queries("_dmarc.co.uk"), 0);
}

TEST_F(Dmarc, CachesPerDomainUntilTheTtlEnds) {
    dns_.set("_dmarc.example.org", {"v=DMARC1; p=reject"});
    EXPECT_EQ(policies_.policy_for(domain("example.org")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("EXAMPLE.org")), DmarcPolicy::Reject);
    EXPECT_EQ(dns_.total_queries(), 1);

    // Absent policies are cached as well.
    EXPECT_EQ(policies_.policy_for(domain("absent.example")), DmarcPolicy::None);
    EXPECT_EQ(policies_.policy_for(domain("absent.example")), DmarcPolicy::None);
    EXPECT_EQ(dns_.total_queries(), 2);

    dns_.set("_dmarc.example.org", {"v=DMARC1; p=none"});
    clock_.advance(std::chrono::minutes(9));
    EXPECT_EQ(policies_.policy_for(domain("example.org")), DmarcPolicy::Reject);
    clock_.advance(std::chrono::minutes(1));
    EXPECT_EQ(policies_.policy_for(domain("example.org")), DmarcPolicy::None);
    EXPECT_EQ(dns_.queries("_dmarc.example.org"), 2);
}

TEST_F(Dmarc, InternationalisedDomainsShareOneCacheEntryByALabel) {
    dns_.set("_dmarc.xn--bcher-kva.example", {"v=DMARC1; p=reject"});
    EXPECT_EQ(policies_.policy_for(domain("bücher.example")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("BÜCHER.example")), DmarcPolicy::Reject);
    EXPECT_EQ(policies_.policy_for(domain("xn--bcher-kva.example")), DmarcPolicy::Reject);
    EXPECT_EQ(dns_.total_queries(), 1);
}

TEST_F(Dmarc, UnavailableDnsIsReportedAndNotCached) {
    dns_.set("_dmarc.example.org", {"v=DMARC1; p=reject"});
    dns_.fail_next(1);
    EXPECT_THROW(policies_.policy_for(domain("example.org")), core::Unavailable);
    EXPECT_EQ(policies_.policy_for(domain("example.org")), DmarcPolicy::Reject);

    // A failure at the organisational domain is no answer either.
    dns_.fail_next(0);
    CountingResolver flaky;
    flaky.set("_dmarc.example.net", {"v=DMARC1; p=reject"});
    DmarcPolicies policies(flaky, clock_);
    flaky.fail_next(2);
    EXPECT_THROW(policies.policy_for(domain("lists.example.net")), core::Unavailable);
    EXPECT_THROW(policies.policy_for(domain("lists.example.net")), core::Unavailable);
    EXPECT_EQ(policies.policy_for(domain("lists.example.net")), DmarcPolicy::Reject);
}

TEST_F(Dmarc, ConcurrentCallersGetConsistentAnswers) {
    for (int domain_idx = 0; domain_idx < 20; ++domain_idx) {
        dns_.set("_dmarc.d" + std::to_string(domain_idx) + ".example",
                 {domain_idx % 2 == 0 ? "v=DMARC1; p=reject" : "v=DMARC1; p=none"});
    }
    std::atomic<int> correct = 0;
    std::vector<std::thread> threads;
    threads.reserve(6);
    for (int thread_idx = 0; thread_idx < 6; ++thread_idx) {
        threads.emplace_back([&] {
            for (int round_idx = 0; round_idx < 200; ++round_idx) {
                const int domain_idx = round_idx % 20;
                const auto policy =
                    policies_.policy_for(domain("d" + std::to_string(domain_idx) + ".example"));
                correct +=
                    policy == (domain_idx % 2 == 0 ? DmarcPolicy::Reject : DmarcPolicy::None);
                if (round_idx % 50 == 0) {
                    clock_.advance(std::chrono::minutes(3));
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(correct.load(), 6 * 200);
}

}  // namespace
}  // namespace coalition::dns
