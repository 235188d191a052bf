// Content codings (see the header; the zlib levels' figures are beside kKeptGzipLevel).

#include "web/compression.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace coalition::web {
namespace {

// RFC 9110 §5.6.2: tchar.
bool is_token_character(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim_ows(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<int> parse_qvalue(std::string_view text) {
    if (text.empty() || (text[0] != '0' && text[0] != '1')) {
        return std::nullopt;
    }
    int value = (text[0] - '0') * 1000;
    if (text.size() == 1) {
        return value;
    }
    if (text[1] != '.' || text.size() > 5) {
        return std::nullopt;
    }
    int scale = 100;
    for (const char digit : text.substr(2)) {
        if (digit < '0' || digit > '9') {
            return std::nullopt;
        }
        value += (digit - '0') * scale;
        scale /= 10;
    }
    return value <= 1000 ? std::optional(value) : std::nullopt;
}

struct Member {
    std::string_view coding;
    int weight = 1000;  // Thousandths.
};

// One list member: `coding [ OWS ";" OWS "q=" qvalue ]`; nullopt when malformed.
std::optional<Member> parse_member(std::string_view text) {
    const auto semicolon = text.find(';');
    Member member;
    member.coding = trim_ows(text.substr(0, semicolon));
    if (member.coding.empty() ||
        !std::all_of(member.coding.begin(), member.coding.end(), is_token_character)) {
        return std::nullopt;
    }
    if (semicolon == std::string_view::npos) {
        return member;
    }
    const std::string_view parameter = trim_ows(text.substr(semicolon + 1));
    if (parameter.size() < 2 || lower(parameter[0]) != 'q' || parameter[1] != '=') {
        return std::nullopt;
    }
    const auto weight = parse_qvalue(parameter.substr(2));
    if (!weight) {
        return std::nullopt;
    }
    member.weight = *weight;
    return member;
}

std::string entity_tag(const std::string& body, std::string_view suffix) {
    return "\"" + core::hash_token(body).substr(0, 32) + std::string(suffix) + "\"";
}

void add_vary(Response& response) {
    const auto current = response.headers.find("Vary");
    if (!current) {
        response.headers.set("Vary", "Accept-Encoding");
    } else if (current->find("Accept-Encoding") == std::string_view::npos) {
        response.headers.set("Vary", std::string(*current) + ", Accept-Encoding");
    }
}

}  // namespace

ContentCoding negotiate_coding(std::optional<std::string_view> field) {
    if (!field) {
        return ContentCoding::Identity;
    }
    std::optional<int> gzip_weight;
    std::optional<int> identity_weight;
    std::optional<int> any_weight;
    std::string_view rest = *field;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (trim_ows(item).empty()) {
            continue;  // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
        }
        const auto member = parse_member(item);
        if (!member) {
            continue;
        }
        // The first mention of a coding counts; a later repeat cannot override it.
        if (core::equals_ignoring_ascii_case(member->coding, "gzip") ||
            core::equals_ignoring_ascii_case(member->coding, "x-gzip")) {
            gzip_weight = gzip_weight.value_or(member->weight);
        } else if (core::equals_ignoring_ascii_case(member->coding, "identity")) {
            identity_weight = identity_weight.value_or(member->weight);
        } else if (member->coding == "*") {
            any_weight = any_weight.value_or(member->weight);
        }
    }
    const int gzip = gzip_weight.value_or(any_weight.value_or(0));
    if (gzip == 0) {
        return ContentCoding::Identity;
    }
    // Identity is acceptable unless excluded (§12.5.3); it competes with gzip only when the
    // client weighed it, itself or through "*".
    const auto identity = identity_weight ? identity_weight : any_weight;
    return identity && *identity > gzip ? ContentCoding::Identity : ContentCoding::Gzip;
}

ContentCoding negotiate_coding(const Request& request) {
    return negotiate_coding(request.headers.find("Accept-Encoding"));
}

std::string gzip(std::string_view body, int level) {
    COALITION_ASSERT(level >= 1 && level <= 9, "gzip level out of range");
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and trailer around the deflate data (zlib.h).
    COALITION_ASSERT(
        deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
        "deflateInit2 failed");
    std::string out;
    out.resize(deflateBound(&stream, static_cast<uLong>(body.size())));
    // zlib's API takes non-const input pointers but never writes through next_in.
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-cstyle-cast)
    stream.next_in = (Bytef*)body.data();
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    COALITION_ASSERT(body.size() <= std::numeric_limits<uInt>::max(), "body too large for gzip");
    const int result = deflate(&stream, Z_FINISH);
    COALITION_ASSERT(result == Z_STREAM_END, "deflate did not finish within deflateBound");
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

std::shared_ptr<const EncodedBody> EncodedBody::make(std::string body) {
    auto encoded = std::make_shared<EncodedBody>(Key());
    encoded->gzip_ = web::gzip(body, kKeptGzipLevel);
    encoded->identity_tag_ = entity_tag(body, "");
    encoded->gzip_tag_ = entity_tag(body, "-gz");
    encoded->identity_ = std::move(body);
    return encoded;
}

bool matches_if_none_match(const Request& request, std::string_view tag) {
    std::string_view list = request.headers.value("If-None-Match");
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view item = trim_ows(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (item.starts_with("W/")) {
            item.remove_prefix(2);
        }
        if (item == "*" || item == tag) {
            return true;
        }
    }
    return false;
}

Response encoded_response(const Request& request, const EncodedBody& body) {
    const bool is_gzip = negotiate_coding(request) == ContentCoding::Gzip;
    const std::string& tag = is_gzip ? body.gzip_tag() : body.identity_tag();
    Response response;
    response.headers.set("ETag", tag);
    response.headers.set("Vary", "Accept-Encoding");
    response.headers.set("Cache-Control", "no-cache");
    if (matches_if_none_match(request, tag)) {
        response.status = 304;
        return response;
    }
    if (is_gzip) {
        response.headers.set("Content-Encoding", "gzip");
    }
    response.body = is_gzip ? body.gzip() : body.identity();
    return response;
}

void compress_for(const Request& request, Response& response) {
    add_vary(response);
    if (response.status != 200 || response.body.size() < kMinCompressedBytes ||
        response.headers.has("Content-Encoding") ||
        negotiate_coding(request) != ContentCoding::Gzip) {
        return;
    }
    response.body = gzip(response.body, kRequestGzipLevel);
    response.headers.set("Content-Encoding", "gzip");
}

RevisionCache::RevisionCache(std::size_t max_bytes) : max_bytes_(max_bytes) {
}

std::shared_ptr<const EncodedBody> RevisionCache::get(std::int64_t revision, const std::string& key,
                                                      const std::function<std::string()>& render) {
    std::promise<std::shared_ptr<const EncodedBody>> promise;
    Future waiting;
    bool keeps = true;  // False for a request older than the kept revision: it makes its own.
    {
        std::lock_guard lock(mutex_);
        if (!revision_ || *revision_ < revision) {
            // Revisions only grow: a newer one makes every kept body stale.
            bodies_.clear();
            making_.clear();
            bytes_ = 0;
            revision_ = revision;
        }
        if (const auto found = bodies_.find(key); found != bodies_.end()) {
            return found->second;  // Kept at this revision or a newer one: never stale.
        }
        if (*revision_ > revision) {
            keeps = false;
        } else if (const auto making = making_.find(key); making != making_.end()) {
            waiting = making->second;
        } else {
            making_.emplace(key, promise.get_future().share());
        }
    }
    if (waiting.valid()) {
        return waiting.get();  // Rethrows what render() threw for the request making it.
    }
    if (!keeps) {
        return EncodedBody::make(render());
    }
    std::shared_ptr<const EncodedBody> made;
    try {
        made = EncodedBody::make(render());
    } catch (...) {
        // Handed to the waiting requests and rethrown: nothing is swallowed.
        promise.set_exception(std::current_exception());
        std::lock_guard lock(mutex_);
        if (revision_ == revision) {
            making_.erase(key);
        }
        throw;
    }
    promise.set_value(made);
    std::lock_guard lock(mutex_);
    if (revision_ == revision) {  // Else a newer revision came meanwhile: this one is stale.
        making_.erase(key);
        if (bytes_ + made->bytes() > max_bytes_) {
            bodies_.clear();
            bytes_ = 0;
        }
        if (made->bytes() <= max_bytes_) {
            bytes_ += made->bytes();
            bodies_.emplace(key, made);
        }
    }
    return made;
}

}  // namespace coalition::web
