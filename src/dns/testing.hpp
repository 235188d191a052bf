#pragma once
// dns::testing: a real authoritative DNS server for tests, tests/support/dns_server.py (Debian's
// nsd on 127.0.0.1 on a free port, zones optionally DNSSEC-signed). For tests only: link
// coalition_dns_testing. Any module's tests may use it to check look-ups end to end.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace coalition::dns::testing {

class LocalDnsServer {
public:
    // Starts the server with `arguments` (dns_server.py's: --zone, --signed-zone, --record RR,
    // --unsigned-record RR, --records FILE.json) and waits until nsd answers. Throws
    // std::runtime_error with the script's own explanation when it cannot start, e.g. "nsd is
    // not installed (… run scripts/install-deps --with-test-tools)": a test that needs DNS
    // then fails, it is never silently skipped.
    static std::unique_ptr<LocalDnsServer> start(const std::vector<std::string>& arguments);
    ~LocalDnsServer();  // Stops the server and waits for it.
    LocalDnsServer(const LocalDnsServer&) = delete;
    LocalDnsServer& operator=(const LocalDnsServer&) = delete;

    int port() const { return port_; }
    // The address for ResolverSettings::forward_to: "127.0.0.1@PORT".
    std::string address() const { return "127.0.0.1@" + std::to_string(port_); }
    // DS records of every signed zone (an empty file when none is signed): the
    // ResolverSettings::trust_anchor_file under which those zones validate.
    const std::string& trust_anchor_file() const { return trust_anchor_file_; }

    // Change the served records, as an organisation publishing its token would: each returns
    // once nsd serves the change (zones use TTL 0, so a resolver sees it at its next query).
    // `record` is a zone-file line with an absolute owner in a zone given at start, e.g.
    // `_coalition-challenge.example.test. TXT "token"`. Throw std::runtime_error on failure.
    void add(const std::string& record);           // Signed when its zone is.
    void add_unsigned(const std::string& record);  // Bogus under the anchor in a signed zone.
    void remove(const std::string& owner);         // Every record at `owner`.

private:
    LocalDnsServer() = default;
    void command(const std::string& line);
    std::string read_line();
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    int port_ = 0;
    std::string trust_anchor_file_;
};

// A loopback UDP port that nothing listens on at the time of asking (bound, then closed).
int unused_udp_port();

}  // namespace coalition::dns::testing
