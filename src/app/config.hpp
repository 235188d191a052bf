#pragma once
// app::Config: the whole configuration, read once at start-up from a TOML file (toml++) and the
// environment. Every key `[section] key` can be overridden by `COALITION_SECTION_KEY`. A wrong
// key, a malformed value or a missing file stops start-up with one line naming the key.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coalition::app {

struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
    std::string to_string() const;
};

struct Config {
    struct Site {
        std::string base_url = "http://127.0.0.1:8080";
        std::string name = "Coalition";
        std::string contact_email = "secretariat@coalition.example";
    } site;
    struct Http {
        ListenAddress listen{"127.0.0.1", 8080};
        // I/O threads, which also answer GET and HEAD. 0: one per core on SQLite (a read takes
        // microseconds; more threads than cores only lengthen the latency tail: /healthz p99
        // 33 ms with 32, 5 ms with 2 — bench/http.sh), four per core on PostgreSQL, whose reads
        // wait for the network.
        std::int64_t threads = 0;
        // Handlers of every other method block until their write commits (SQLite group-commits
        // every waiting body at once), so these threads bound a commit's batch: 4 gave ~440
        // sign-ups/s, 32 ~1,700/s (bench/signon.sh, same load); since session 18, 32 gave
        // 4,374–4,597/s and 64 4,786–4,832/s (wrk's 64 connections all in one batch; 128 no
        // more). A waiting thread costs no CPU.
        std::int64_t write_threads = 64;
        std::int64_t max_body_bytes = std::int64_t{1024} * 1024;
    } http;
    struct Database {
        std::string url = "sqlite:var/coalition.db";
    } database;
    struct Mail {
        std::string relay;  // Empty: the file transport (outbox_dir).
        std::string from = "noreply@coalition.example";
        std::string from_name = "Coalition";
        bool starttls = false;
        std::string username;
        std::string password;
        std::string outbox_dir = "var/mail/outbox";
    } mail;
    struct Lmtp {
        // nullopt (`listen = ""`): no LMTP listener; mail then arrives by `coalition inject`.
        std::optional<ListenAddress> listen = ListenAddress{"127.0.0.1", 8024};
        std::int64_t max_connections = 64;
        std::int64_t max_message_bytes = std::int64_t{25} * 1024 * 1024;  // Advertised as SIZE.
        std::int64_t idle_timeout_seconds = 300;  // Per read or write (RFC 5321: 5 minutes).
        std::int64_t data_timeout_seconds = 600;  // From 354 to the final dot.
        std::int64_t worker_threads = 2;          // Run the intake calls (database work).
    } lmtp;
    struct Lists {
        bool bulk_delivery = false;                 // delivery = "bulk": many RCPT, no VERP.
        std::int64_t delivery_connections = 4;      // SMTP connections to the relay in parallel.
        std::int64_t digest_interval_seconds = 60;  // How often due digests are looked for.
    } lists;
    struct Processes {
        std::vector<int> reminder_days = {14, 3, 1};  // A new follower's days before deadlines.
        std::int64_t reminder_interval_seconds = 60;  // How often reminders are looked for.
    } processes;
    struct Dns {
        std::string resolver;      // "" = /etc/resolv.conf; else "127.0.0.1@53" (unbound notation).
        std::string trust_anchor;  // "" = Debian's root key when installed.
    } dns;
    struct Signon {
        bool moderate_individuals = false;
        std::string log_key = "var/log-signing.key";  // The transparency log's Ed25519 key.
        std::int64_t per_address_per_hour = 20;
        std::int64_t per_domain_per_hour = 200;
    } signon;

    bool uses_https() const { return site.base_url.rfind("https://", 0) == 0; }
    // http.threads with 0 resolved for this machine and database (see Http::threads).
    std::size_t http_io_threads() const;
};

// Where a configuration came from, for the start-up log line.
struct LoadedConfig {
    Config config;
    std::string source;  // "coalition.toml", or "defaults" when no file was read.
};

using Environment = std::vector<std::pair<std::string, std::string>>;

// The process environment's COALITION_* variables.
Environment process_environment();

// Reads `path` (required when given explicitly; when empty, "coalition.toml" is read if it
// exists), then applies `environment` overrides. Throws core::StartupError naming the key, e.g.
// "configuration: [http] listen: expected HOST:PORT, got \"abc\"".
LoadedConfig load_config(const std::string& path, const Environment& environment);

// Parses "HOST:PORT" or "[IPv6]:PORT"; nullopt when malformed.
std::optional<ListenAddress> parse_listen_address(const std::string& text);

}  // namespace coalition::app
