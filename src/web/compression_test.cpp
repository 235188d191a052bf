#include "web/compression.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace coalition::web {
namespace {

// Inflates a gzip member with zlib (windowBits 15 + 16: gzip only), as a client does.
std::string gunzip(const std::string& compressed) {
    z_stream stream{};
    EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
    std::string out;
    std::string chunk(1 << 16, '\0');
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-cstyle-cast): zlib never writes through next_in.
    stream.next_in = (Bytef*)compressed.data();
    stream.avail_in = static_cast<uInt>(compressed.size());
    int result = Z_OK;
    while (result == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
        stream.avail_out = static_cast<uInt>(chunk.size());
        result = inflate(&stream, Z_NO_FLUSH);
        out.append(chunk.data(), chunk.size() - stream.avail_out);
    }
    EXPECT_EQ(result, Z_STREAM_END);
    inflateEnd(&stream);
    return out;
}

ContentCoding coding(std::string_view field) {
    return negotiate_coding(std::optional<std::string_view>(field));
}

constexpr auto kGzip = ContentCoding::Gzip;
constexpr auto kIdentity = ContentCoding::Identity;

TEST(Compression, NoFieldMeansIdentity) {
    EXPECT_EQ(negotiate_coding(std::nullopt), kIdentity);
    EXPECT_EQ(coding(""), kIdentity);  // RFC 9110 §12.5.3: an empty value allows identity only.
}

TEST(Compression, AcceptsGzipInAnyCaseAndItsAlias) {
    EXPECT_EQ(coding("gzip"), kGzip);
    EXPECT_EQ(coding("GZIP"), kGzip);
    EXPECT_EQ(coding("x-gzip"), kGzip);
    EXPECT_EQ(coding("gzip, deflate, br"), kGzip);
    EXPECT_EQ(coding("br;q=1.0, gzip;q=0.8, *;q=0.1"), kGzip);
    EXPECT_EQ(coding(" ,, gzip ,"), kGzip);
    EXPECT_EQ(coding("gzip ; Q=0.5"), kGzip);
    EXPECT_EQ(coding("*"), kGzip);
}

TEST(Compression, QValueZeroRefuses) {
    EXPECT_EQ(coding("gzip;q=0"), kIdentity);
    EXPECT_EQ(coding("gzip;q=0.000"), kIdentity);
    EXPECT_EQ(coding("*;q=0"), kIdentity);
    EXPECT_EQ(coding("gzip;q=0, *"), kIdentity);     // The named coding beats "*".
    EXPECT_EQ(coding("gzip;q=0, gzip"), kIdentity);  // The first mention counts.
    EXPECT_EQ(coding("deflate, br"), kIdentity);
}

TEST(Compression, IdentityWeighedAboveGzipWins) {
    EXPECT_EQ(coding("identity, gzip;q=0.5"), kIdentity);
    EXPECT_EQ(coding("identity;q=0.5, gzip;q=0.5"), kGzip);  // A tie: the smaller body.
    EXPECT_EQ(coding("gzip;q=0.5"), kGzip);  // Identity not weighed: gzip is simply acceptable.
    EXPECT_EQ(coding("gzip;q=0.2, *;q=0.5"), kIdentity);  // "*" weighs identity here.
    EXPECT_EQ(coding("identity;q=0, gzip"), kGzip);
}

TEST(Compression, MalformedMembersAreIgnored) {
    EXPECT_EQ(coding("gzip;q=abc"), kIdentity);
    EXPECT_EQ(coding("gzip;q=1.5"), kIdentity);
    EXPECT_EQ(coding("gzip;q=2"), kIdentity);
    EXPECT_EQ(coding("gzip;q=0.0001"), kIdentity);  // At most three decimals.
    EXPECT_EQ(coding("gzip;q="), kIdentity);
    EXPECT_EQ(coding("gzip;level=9"), kIdentity);
    EXPECT_EQ(coding("gz ip"), kIdentity);
    EXPECT_EQ(coding("\"gzip\""), kIdentity);
    EXPECT_EQ(coding(std::string_view("gzip\0", 5)), kIdentity);
    EXPECT_EQ(coding("\xff\xfe, gzip"), kGzip);  // Junk beside a good member does not spoil it.
    EXPECT_EQ(coding("gzip;q=abc, gzip;q=0.3"), kGzip);
    EXPECT_EQ(coding(";;;,,,==="), kIdentity);
    std::string huge;
    for (int idx = 0; idx < 10000; ++idx) {
        huge += "br;q=0.1, ";
    }
    EXPECT_EQ(coding(huge + "gzip"), kGzip);
}

TEST(Compression, GzipDecompressesToTheBody) {
    std::string body;
    for (int idx = 0; idx < 20000; ++idx) {
        body += "BEGIN:VEVENT\r\nSUMMARY:Négociations " + std::to_string(idx) + "\r\n";
    }
    for (const int level : {1, 6, 9}) {
        const auto compressed = gzip(body, level);
        EXPECT_LT(compressed.size(), body.size() / 5);
        EXPECT_EQ(compressed.substr(0, 2), "\x1f\x8b");  // RFC 1952 §2.3.1: ID1 ID2.
        EXPECT_EQ(gunzip(compressed), body);
    }
    EXPECT_EQ(gunzip(gzip("", 6)), "");
    const std::string binary("\0\x01\xff\0", 4);
    EXPECT_EQ(gunzip(gzip(binary, 1)), binary);
}

TEST(Compression, EncodedBodyHasTwoStrongTags) {
    const auto body = EncodedBody::make(std::string(5000, 'x'));
    EXPECT_EQ(gunzip(body->gzip()), body->identity());
    ASSERT_EQ(body->identity_tag().size(), 34U);
    EXPECT_EQ(body->identity_tag().front(), '"');
    EXPECT_EQ(body->gzip_tag(),
              body->identity_tag().substr(0, body->identity_tag().size() - 1) + "-gz\"");
    EXPECT_EQ(EncodedBody::make(std::string(5000, 'x'))->identity_tag(), body->identity_tag());
    EXPECT_NE(EncodedBody::make(std::string(5000, 'y'))->identity_tag(), body->identity_tag());
}

Request request_with(const std::vector<std::pair<std::string, std::string>>& fields) {
    Request request;
    for (const auto& [name, value] : fields) {
        request.headers.add(name, value);
    }
    return request;
}

TEST(Compression, ResponseChoosesTheRepresentation) {
    const auto body = EncodedBody::make(std::string(5000, 'x'));
    const auto plain = encoded_response(request_with({}), *body);
    EXPECT_EQ(plain.status, 200);
    EXPECT_EQ(plain.body, body->identity());
    EXPECT_FALSE(plain.headers.has("Content-Encoding"));
    EXPECT_EQ(plain.headers.value("ETag"), body->identity_tag());
    EXPECT_EQ(plain.headers.value("Vary"), "Accept-Encoding");

    const auto packed = encoded_response(request_with({{"accept-encoding", "gzip"}}), *body);
    EXPECT_EQ(packed.status, 200);
    EXPECT_EQ(packed.headers.value("Content-Encoding"), "gzip");
    EXPECT_EQ(packed.headers.value("ETag"), body->gzip_tag());
    EXPECT_EQ(packed.headers.value("Vary"), "Accept-Encoding");
    EXPECT_EQ(gunzip(packed.body), body->identity());
}

TEST(Compression, NotModifiedForTheChosenRepresentationsTag) {
    const auto body = EncodedBody::make(std::string(5000, 'x'));
    auto answer = [&](const std::string& tag, const std::string& accept) {
        std::vector<std::pair<std::string, std::string>> fields = {{"If-None-Match", tag}};
        if (!accept.empty()) {
            fields.emplace_back("Accept-Encoding", accept);
        }
        return encoded_response(request_with(fields), *body);
    };
    const auto identity_304 = answer(body->identity_tag(), "");
    EXPECT_EQ(identity_304.status, 304);
    EXPECT_TRUE(identity_304.body.empty());
    EXPECT_EQ(identity_304.headers.value("ETag"), body->identity_tag());
    EXPECT_EQ(identity_304.headers.value("Vary"), "Accept-Encoding");
    const auto gzip_304 = answer("\"other\", W/" + body->gzip_tag(), "gzip");
    EXPECT_EQ(gzip_304.status, 304);
    EXPECT_EQ(gzip_304.headers.value("ETag"), body->gzip_tag());
    // A tag of the other representation does not validate this one.
    EXPECT_EQ(answer(body->identity_tag(), "gzip").status, 200);
    EXPECT_EQ(answer(body->gzip_tag(), "").status, 200);
    EXPECT_EQ(answer("\"nonsense\"", "gzip").status, 200);
    EXPECT_EQ(answer("*", "gzip").status, 304);
}

TEST(Compression, CompressForLeavesSmallBodiesAlone) {
    Response small = Response::html("<p>short</p>");
    compress_for(request_with({{"Accept-Encoding", "gzip"}}), small);
    EXPECT_EQ(small.body, "<p>short</p>");
    EXPECT_EQ(small.headers.value("Vary"), "Accept-Encoding");

    const std::string page(20000, 'p');
    Response large = Response::html(page);
    large.headers.set("Vary", "Cookie");
    compress_for(request_with({{"Accept-Encoding", "gzip"}}), large);
    EXPECT_EQ(large.headers.value("Content-Encoding"), "gzip");
    EXPECT_EQ(large.headers.value("Vary"), "Cookie, Accept-Encoding");
    EXPECT_EQ(gunzip(large.body), page);

    Response refused = Response::html(page);
    compress_for(request_with({{"Accept-Encoding", "gzip;q=0"}}), refused);
    EXPECT_EQ(refused.body, page);
    Response error = Response::html(page, 404);
    compress_for(request_with({{"Accept-Encoding", "gzip"}}), error);
    EXPECT_EQ(error.body, page);
}

TEST(Compression, RevisionCacheRendersOncePerRevision) {
    RevisionCache cache(1 << 20);
    int renders = 0;
    auto render = [&](const std::string& text) {
        return [&renders, text] {
            ++renders;
            return text;
        };
    };
    const auto first = cache.get(1, "feed", render("one"));
    EXPECT_EQ(first->identity(), "one");
    EXPECT_EQ(cache.get(1, "feed", render("ignored")), first);
    EXPECT_EQ(renders, 1);
    EXPECT_EQ(cache.get(1, "other", render("two"))->identity(), "two");
    EXPECT_EQ(renders, 2);
    const auto newer = cache.get(2, "feed", render("three"));
    EXPECT_EQ(newer->identity(), "three");
    EXPECT_EQ(renders, 3);
    // A request still holding revision 1 gets the newer kept body, never puts an old one back.
    EXPECT_EQ(cache.get(1, "feed", render("old")), newer);
    EXPECT_EQ(cache.get(1, "other", render("old"))->identity(), "old");
    EXPECT_EQ(cache.get(2, "other", render("four"))->identity(), "four");
    EXPECT_EQ(renders, 5);
}

TEST(Compression, RevisionCacheRethrowsAndRetries) {
    RevisionCache cache(1 << 20);
    EXPECT_THROW(cache.get(1, "feed", []() -> std::string { throw std::runtime_error("down"); }),
                 std::runtime_error);
    EXPECT_EQ(cache.get(1, "feed", [] { return std::string("back"); })->identity(), "back");
}

TEST(Compression, RevisionCacheDropsBodiesPastItsBound) {
    RevisionCache cache(3000);
    int renders = 0;
    const auto render = [&] {
        ++renders;
        return std::string(1500, 'z');  // With its gzip: more than half the bound.
    };
    cache.get(1, "a", render);
    cache.get(1, "b", render);  // Drops "a".
    cache.get(1, "a", render);
    EXPECT_EQ(renders, 3);
}

TEST(Compression, RevisionCacheConcurrentRequestsShareOneRender) {
    RevisionCache cache(1 << 20);
    std::atomic<int> renders = 0;
    std::vector<std::thread> threads;
    std::vector<std::shared_ptr<const EncodedBody>> seen(8);
    for (std::size_t thread_idx = 0; thread_idx < seen.size(); ++thread_idx) {
        threads.emplace_back([&, thread_idx] {
            seen[thread_idx] = cache.get(7, "feed", [&] {
                ++renders;
                return std::string(100000, 'c');
            });
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(renders.load(), 1);
    for (const auto& body : seen) {
        EXPECT_EQ(body, seen.front());
    }
}

}  // namespace
}  // namespace coalition::web
