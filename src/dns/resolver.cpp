// dns::make_unbound_resolver: libunbound behind dns::Resolver.
//
// libunbound has no per-query timeout (it retries a dead server with back-off for minutes), so
// each query is asynchronous: the calling thread waits on its own deadline while one poller
// thread per resolver runs ub_process() whenever unbound's result pipe is readable. A caller
// that gives up removes its entry from the table of pending queries; a late answer finds no entry
// and is dropped, so nothing is touched after its owner has gone.

#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "dns/dns.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <unbound.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace coalition::dns {
namespace {

constexpr int kTypeTxt = 16;
constexpr int kClassIn = 1;
constexpr int kRcodeNoError = 0;
constexpr int kRcodeNxDomain = 3;
constexpr const char* kDebianRootKey = "/usr/share/dns/root.key";

// Validates "IP" or "IP@PORT" (unbound's notation) and returns it unchanged.
std::string checked_forwarder(const std::string& forward_to) {
    const auto at = forward_to.find('@');
    const std::string address = forward_to.substr(0, at);
    if (forward_to.find('\0') != std::string::npos) {
        throw core::StartupError("dns.resolver: the address contains a NUL byte");
    }
    in_addr v4{};
    in6_addr v6{};
    if (inet_pton(AF_INET, address.c_str(), &v4) != 1 &&
        inet_pton(AF_INET6, address.c_str(), &v6) != 1) {
        throw core::StartupError("dns.resolver: \"" + forward_to +
                                 "\" is not an IP address (IP or IP@PORT)");
    }
    if (at != std::string::npos) {
        const std::string port = forward_to.substr(at + 1);
        const bool digits = !port.empty() && port.size() <= 5 &&
                            port.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
            throw core::StartupError("dns.resolver: \"" + forward_to +
                                     "\" has no valid port after @ (1-65535)");
        }
    }
    return forward_to;
}

// RFC 1035 §3.3.14: TXT-DATA is one or more <character-string>s, each a length octet and that
// many octets. They are joined into one string (RFC 7208 §3.3). A length running past the end
// (impossible from unbound, which checks wire format) keeps what is there.
std::string join_character_strings(const char* data, int length) {
    std::string joined;
    int offset = 0;
    while (offset < length) {
        const int part = static_cast<unsigned char>(data[offset]);
        ++offset;
        const int available = std::min(part, length - offset);
        joined.append(data + offset, static_cast<std::size_t>(available));
        offset += available;
    }
    return joined;
}

// RFC 1035 §2.3.4: labels of 1 to 63 octets, at most 253 octets in all (without the final dot).
bool is_query_name(std::string_view name) {
    if (name.ends_with('.')) {
        name.remove_suffix(1);
    }
    if (name.empty() || name.size() > 253 || name.find('\0') != std::string_view::npos) {
        return false;
    }
    std::size_t label_length = 0;
    for (const char c : name) {
        label_length = c == '.' ? 0 : label_length + 1;
        if (label_length > 63) {
            return false;
        }
    }
    return name.find("..") == std::string_view::npos && !name.starts_with('.');
}

// What one query ended with, filled by the poller thread.
struct Outcome {
    std::optional<core::Result<TxtAnswer>> answer;
    std::string unavailable;  // Set when the DNS gave no usable answer (SERVFAIL, REFUSED, …).
};

Outcome outcome_of(int error, ub_result* result, const std::string& name) {
    Outcome outcome;
    if (error != 0 || result == nullptr) {
        outcome.unavailable = std::string("DNS lookup of ") + name +
                              " failed: " + ub_strerror(error != 0 ? error : UB_NOMEM);
        return outcome;
    }
    if (result->bogus != 0) {
        // A bogus answer is unbound's SERVFAIL, but it is an answer: someone published records
        // that do not validate, which is no proof of anything.
        outcome.answer = core::Error::not_found(
            "The DNS answer for " + name + " failed DNSSEC validation (" +
            (result->why_bogus != nullptr ? result->why_bogus : "bogus") + ").");
    } else if (result->rcode == kRcodeNxDomain) {
        outcome.answer = core::Error::not_found("The name " + name + " does not exist (NXDOMAIN).");
    } else if (result->rcode != kRcodeNoError) {
        outcome.unavailable = "DNS lookup of " + name + " failed with rcode " +
                              std::to_string(result->rcode) +
                              (result->rcode == 2 ? " (SERVFAIL)" : "");
    } else if (result->havedata == 0) {
        outcome.answer =
            core::Error::not_found("The name " + name + " has no TXT records (NODATA).");
    } else {
        TxtAnswer answer;
        answer.secure = result->secure != 0;
        for (int record_idx = 0; result->data[record_idx] != nullptr; ++record_idx) {
            answer.records.push_back(
                join_character_strings(result->data[record_idx], result->len[record_idx]));
        }
        outcome.answer = std::move(answer);
    }
    return outcome;
}

class UnboundResolver final : public Resolver {
public:
    explicit UnboundResolver(const ResolverSettings& settings) : timeout_(settings.timeout) {
        context_ = ub_ctx_create();
        COALITION_ASSERT(context_ != nullptr, "ub_ctx_create");
        try {
            configure(settings);
        } catch (...) {
            ub_ctx_delete(context_);
            throw;
        }
        COALITION_ASSERT(::pipe2(wake_pipe_, O_CLOEXEC) == 0, "pipe2");
        poller_ = std::thread([this] { poll_results(); });
    }

    ~UnboundResolver() override {
        const char stop = 's';
        COALITION_ASSERT(::write(wake_pipe_[1], &stop, 1) == 1, "wake the DNS poller");
        poller_.join();
        ::close(wake_pipe_[0]);
        ::close(wake_pipe_[1]);
        ub_ctx_delete(context_);
    }

    UnboundResolver(const UnboundResolver&) = delete;
    UnboundResolver& operator=(const UnboundResolver&) = delete;

    // dns::Resolver
    core::Result<TxtAnswer> txt(std::string_view name) override {
        if (!is_query_name(name)) {
            return core::Error::not_found("A malformed DNS name has no TXT records.");
        }
        const std::string query_name(name);
        const auto deadline = std::chrono::steady_clock::now() + timeout_;
        std::uint64_t number = 0;
        {
            std::lock_guard lock(mutex_);
            number = ++last_number_;
            pending_.emplace(number, Pending{query_name, std::nullopt});
        }
        int async_id = 0;
        // The query's number travels as the callback's user data (an id, never dereferenced);
        // the callback looks it up in pending_ and finds nothing once this thread has given up.
        void* user_data = reinterpret_cast<void*>(  // NOLINT(performance-no-int-to-ptr)
            static_cast<std::uintptr_t>(number));
        const int started = ub_resolve_async(context_, query_name.c_str(), kTypeTxt, kClassIn,
                                             user_data, &on_result, &async_id);
        std::unique_lock lock(mutex_);
        if (started == UB_SYNTAX) {
            pending_.erase(number);
            return core::Error::not_found("A malformed DNS name has no TXT records.");
        }
        if (started != 0) {
            pending_.erase(number);
            throw core::Unavailable(std::string("DNS lookup of ") + query_name +
                                    " could not start: " + ub_strerror(started));
        }
        const bool arrived = answered_.wait_until(
            lock, deadline, [&] { return pending_.at(number).outcome.has_value(); });
        if (!arrived) {
            pending_.erase(number);
            lock.unlock();
            ub_cancel(context_, async_id);  // Best effort: a late answer is dropped anyway.
            throw core::Unavailable("DNS lookup of " + query_name + " timed out after " +
                                    std::to_string(timeout_.count()) + " ms");
        }
        Outcome outcome = std::move(*pending_.at(number).outcome);
        pending_.erase(number);
        lock.unlock();
        if (!outcome.unavailable.empty()) {
            throw core::Unavailable(outcome.unavailable);
        }
        return std::move(*outcome.answer);
    }

private:
    void configure(const ResolverSettings& settings) {
        // Threads, not a forked process: the context is shared by every request thread.
        check(ub_ctx_async(context_, 1), "async");
        if (!settings.forward_to.empty()) {
            check(ub_ctx_set_fwd(context_, checked_forwarder(settings.forward_to).c_str()),
                  "dns.resolver");
            // unbound refuses to query loopback addresses unless told otherwise, and a local
            // forwarder is what tests (and a host's own caching resolver) use.
            check(ub_ctx_set_option(context_, "do-not-query-localhost:", "no"), "options");
        } else {
            // The system's resolvers are forwarders too, often on loopback (systemd-resolved,
            // a local unbound). Without /etc/resolv.conf unbound resolves from the root itself,
            // and then keeps its default of never querying loopback addresses.
            if (ub_ctx_resolvconf(context_, nullptr) == 0) {
                check(ub_ctx_set_option(context_, "do-not-query-localhost:", "no"), "options");
            }
        }
        std::string anchor = settings.trust_anchor_file;
        if (anchor.empty() && std::filesystem::exists(kDebianRootKey)) {
            anchor = kDebianRootKey;
        }
        if (!anchor.empty()) {
            if (!std::ifstream(anchor).good()) {
                throw core::StartupError("dns.trust_anchor: cannot read \"" + anchor + "\"");
            }
            check(ub_ctx_add_ta_file(context_, anchor.c_str()), "dns.trust_anchor");
        }
        // Answers are proofs someone is waiting for ("I have published the record, check
        // again"), so they must not outlive a change for long: no NXDOMAIN synthesised from
        // cached NSEC ranges (RFC 8198), negative answers kept 1 s, positive ones at most 60 s.
        // DmarcPolicies keeps its own longer cache.
        check(ub_ctx_set_option(context_, "aggressive-nsec:", "no"), "options");
        check(ub_ctx_set_option(context_, "cache-max-negative-ttl:", "1"), "options");
        check(ub_ctx_set_option(context_, "cache-max-ttl:", "60"), "options");
        // RFC 6761 .test names are private: the forwarder may serve them (tests do), so drop
        // libunbound's built-in NXDOMAIN zone for them and do not expect a chain of trust from
        // the root (a trust anchor inside .test still makes its names secure).
        check(ub_ctx_set_option(context_, "domain-insecure:", "test."), "options");
        // A zone call finalises the context, so it comes after every set_fwd/set_option call
        // (later ones are silently ignored). Finalising here also reads the trust anchor, so an
        // unusable one stops start-up instead of failing every look-up.
        const int finalised = ub_ctx_zone_remove(context_, "test.");
        if (finalised != 0) {
            throw core::StartupError(
                "dns: cannot set up the resolver (is dns.trust_anchor \"" + anchor +
                "\" a file of DS or DNSKEY records?): " + ub_strerror(finalised));
        }
    }

    static void check(int error, const char* what) {
        if (error != 0) {
            throw core::StartupError(std::string(what) + ": " + ub_strerror(error));
        }
    }

    // Runs on the poller thread only, inside ub_process().
    static void on_result(void* user_data, int error, ub_result* result) {
        UnboundResolver* self = current;
        const auto number = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(user_data));
        {
            std::lock_guard lock(self->mutex_);
            const auto entry = self->pending_.find(number);
            // No entry: the caller timed out and left.
            if (entry != self->pending_.end()) {
                entry->second.outcome = outcome_of(error, result, entry->second.name);
            }
        }
        if (result != nullptr) {
            ub_resolve_free(result);
        }
        self->answered_.notify_all();
    }

    void poll_results() {
        current = this;
        pollfd fds[2] = {{ub_fd(context_), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
        COALITION_ASSERT(fds[0].fd >= 0, "ub_fd");
        for (;;) {
            if (::poll(fds, 2, -1) < 0) {
                COALITION_ASSERT(errno == EINTR, "poll on the DNS result pipe");
                continue;
            }
            if ((fds[1].revents & POLLIN) != 0) {
                return;
            }
            if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                ub_process(context_);
            }
        }
    }

    // The resolver whose poller runs on this thread: on_result() has no other way to reach it.
    static thread_local UnboundResolver* current;

    ub_ctx* context_ = nullptr;
    const std::chrono::milliseconds timeout_;
    int wake_pipe_[2] = {-1, -1};
    std::thread poller_;
    std::mutex mutex_;
    std::condition_variable answered_;
    std::uint64_t last_number_ = 0;  // Guarded by mutex_.
    struct Pending {
        std::string name;
        std::optional<Outcome> outcome;  // Set by on_result().
    };
    std::map<std::uint64_t, Pending> pending_;  // Guarded by mutex_.
};

thread_local UnboundResolver* UnboundResolver::current = nullptr;

}  // namespace

std::unique_ptr<Resolver> make_unbound_resolver(const ResolverSettings& settings) {
    if (settings.timeout <= std::chrono::milliseconds::zero()) {
        throw core::StartupError("dns: the lookup timeout must be positive");
    }
    return std::make_unique<UnboundResolver>(settings);
}

}  // namespace coalition::dns
