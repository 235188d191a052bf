#pragma once
// Content codings for responses (RFC 9110 §8.4, §12.5.3): which coding a request accepts, gzip
// (zlib, RFC 1952), and bodies rendered once per revision of their data and kept in both
// representations, identity and gzip, each with its own strong ETag, so that a large feed is
// compressed once and not once a request. Used by the process tracker's feeds and pages; any
// page handler may use it.

#include "web/http.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace coalition::web {

enum class ContentCoding { Identity, Gzip };

// zlib level of kept bodies, measured on the 10.8 MB /calendar.ics of bench/processes.sh
// (500 processes × 40 milestones; zlib 1.2.13, this machine): level 1 → 1,137 kB in 62 ms,
// 3 → 1,009 kB in 68 ms, 5 → 792 kB in 134 ms, 6 → 742 kB in 199 ms, 9 → 674 kB in 242 ms.
// A kept body is compressed once per revision, so 6 (a third smaller than 1) is worth its time;
// 9 saves 9 % more for another fifth of the time, paid by the first request after each change.
inline constexpr int kKeptGzipLevel = 6;
// zlib level of bodies compressed for one request: fast, most of the gain.
inline constexpr int kRequestGzipLevel = 1;
// Bodies smaller than this are sent as they are: gzip's header and trailer eat the gain.
inline constexpr std::size_t kMinCompressedBytes = 1024;

// The coding to send for a request's Accept-Encoding field (RFC 9110 §12.5.3), `field` nullopt
// when the request has none: then identity (any coding is allowed, but clients that send no
// field rarely decode one). Gzip ("gzip", "x-gzip" or "*", any case) when its q-value is above 0
// and at least identity's; identity otherwise (also when neither is acceptable: a 406 would help
// no calendar client). Malformed members (a bad q-value, junk tokens) are ignored, never fatal.
ContentCoding negotiate_coding(std::optional<std::string_view> field);
// The same for a request (its Accept-Encoding field, if any).
ContentCoding negotiate_coding(const Request& request);

// `body` compressed as one gzip member (RFC 1952) at zlib `level` (1–9). Asserts on zlib
// failures, which only a bug (or memory exhaustion) can cause.
std::string gzip(std::string_view body, int level);

// A response body in its two representations, immutable once made so requests share it.
class EncodedBody {
public:
    // Compresses `body` at kKeptGzipLevel (about 0.2 s for 10 MB): call it outside any lock
    // other requests need. The ETags are BLAKE2b-256 of the identity body (first 128 bits),
    // the gzip one with "-gz" inside the quotes, so every server gives the same ones.
    static std::shared_ptr<const EncodedBody> make(std::string body);

    const std::string& identity() const { return identity_; }
    const std::string& gzip() const { return gzip_; }
    const std::string& identity_tag() const { return identity_tag_; }  // "\"…\"".
    const std::string& gzip_tag() const { return gzip_tag_; }          // "\"…-gz\"".
    std::size_t bytes() const { return identity_.size() + gzip_.size(); }

    // Only make() can name Key, so every EncodedBody has its gzip representation.
    class Key {
        friend class EncodedBody;
        Key() = default;
    };
    explicit EncodedBody(Key /*unused*/) {}

private:
    std::string identity_;
    std::string gzip_;
    std::string identity_tag_;
    std::string gzip_tag_;
};

// RFC 9110 §13.1.2: true when If-None-Match is "*" or lists `tag` (weak comparison: W/ ignored).
bool matches_if_none_match(const Request& request, std::string_view tag);

// The answer to `request` (GET or HEAD) from `body`: the representation negotiate_coding()
// chooses, with Content-Encoding: gzip for the gzip one, its ETag, Vary: Accept-Encoding and
// Cache-Control: no-cache (clients revalidate: a calendar polled for deadlines must not be
// stale); 304 without a body when If-None-Match names that representation's ETag. The caller
// adds Content-Type, Last-Modified and the like (they belong on a 304 too, except Content-Type).
Response encoded_response(const Request& request, const EncodedBody& body);

// Compresses `response.body` for this request when the request accepts gzip, the response is a
// 200 with at least kMinCompressedBytes and no Content-Encoding yet, at kRequestGzipLevel; adds
// Vary: Accept-Encoding either way (the answer depends on it). For pages rendered per request.
void compress_for(const Request& request, Response& response);

// Bodies made once per revision of their data and a key (a feed, one process's calendar), kept
// with their gzip representation until a request brings a newer revision. Thread-safe. The
// lookup lock is never held while a body is rendered or compressed: the first request for a
// missing body makes it, and only requests for that same body wait for it.
class RevisionCache {
public:
    // Past `max_bytes` (both representations counted) the kept bodies are dropped.
    explicit RevisionCache(std::size_t max_bytes);

    // The body for `key` at `revision` (or a newer kept one): the kept body, else `render()`'s
    // result encoded and kept. An exception from `render` (core::Unavailable) reaches every
    // request waiting for it, and nothing is kept.
    std::shared_ptr<const EncodedBody> get(std::int64_t revision, const std::string& key,
                                           const std::function<std::string()>& render);

private:
    using Future = std::shared_future<std::shared_ptr<const EncodedBody>>;

    const std::size_t max_bytes_;
    std::mutex mutex_;
    std::optional<std::int64_t> revision_;  // Guarded by mutex_.
    std::map<std::string, std::shared_ptr<const EncodedBody>, std::less<>> bodies_;  // mutex_.
    std::map<std::string, Future, std::less<>> making_;  // Guarded by mutex_.
    std::size_t bytes_ = 0;                              // Guarded by mutex_.
};

}  // namespace coalition::web
