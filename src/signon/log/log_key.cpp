// LogKey (the log's Ed25519 key in var/), the signed bytes of a tree head, and their check.

#include "core/assert.hpp"
#include "core/unavailable.hpp"
#include "signon/log/transparency_log.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coalition::signon {
namespace {

constexpr std::uint8_t kTreeHeadVersion = 1;
constexpr std::string_view kKeyFilePrefix = "ed25519-seed:";

void initialise_sodium() {
    static const int initialised = sodium_init();
    COALITION_ASSERT(initialised >= 0, "libsodium could not be initialised");
}

void put_big_endian(std::string& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xff));
    }
}

std::string encode_seed(const std::array<std::uint8_t, 32>& seed) {
    std::string text(sodium_base64_ENCODED_LEN(seed.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), seed.data(), seed.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);
    return std::string(kKeyFilePrefix) + text + "\n";
}

std::array<std::uint8_t, 32> decode_seed(const std::string& contents,
                                         const std::filesystem::path& path) {
    std::string text = contents;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    std::array<std::uint8_t, 32> seed{};
    std::size_t length = 0;
    const char* end = nullptr;
    if (!text.starts_with(kKeyFilePrefix) ||
        sodium_base642bin(seed.data(), seed.size(), text.data() + kKeyFilePrefix.size(),
                          text.size() - kKeyFilePrefix.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length != seed.size() || end != text.data() + text.size()) {
        throw core::StartupError("transparency log key " + path.string() +
                                 " is not a key file (expected one line \"ed25519-seed:BASE64\")");
    }
    return seed;
}

// Writes a new key file without ever exposing a partial one: a private temporary file (0600),
// synced, then hard-linked into place, which fails if another process created the key first.
// Returns false when the key already exists.
bool create_key_file(const std::filesystem::path& path, const std::string& contents) {
    const std::filesystem::path temporary =
        path.string() + ".tmp." + std::to_string(static_cast<long>(::getpid()));
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw core::StartupError("cannot create transparency log key " + temporary.string() + ": " +
                                 std::strerror(errno));
    }
    const bool written =
        ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        ::unlink(temporary.c_str());
        throw core::StartupError("cannot write transparency log key " + temporary.string());
    }
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temporary.c_str());
    if (linked != 0) {
        if (link_errno == EEXIST) {
            return false;
        }
        throw core::StartupError("cannot create transparency log key " + path.string() + ": " +
                                 std::strerror(link_errno));
    }
    return true;
}

}  // namespace

std::string tree_head_signing_input(std::uint64_t tree_size, std::int64_t timestamp_ms,
                                    const Hash& root_hash) {
    // docs/TRANSPARENCY_LOG.md, "Signed tree heads": 49 bytes.
    COALITION_ASSERT(timestamp_ms >= 0, "a tree head before 1970");
    std::string input;
    input.reserve(1 + 8 + 8 + root_hash.size());
    input.push_back(static_cast<char>(kTreeHeadVersion));
    put_big_endian(input, tree_size);
    put_big_endian(input, static_cast<std::uint64_t>(timestamp_ms));
    input.append(reinterpret_cast<const char*>(root_hash.data()), root_hash.size());
    return input;
}

LogKey LogKey::from_seed(const std::array<std::uint8_t, 32>& seed) {
    initialise_sodium();
    LogKey key;
    crypto_sign_seed_keypair(key.public_key_.data(), key.secret_key_.data(), seed.data());
    return key;
}

LogKey LogKey::load_or_create(const std::filesystem::path& path) {
    initialise_sodium();
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::error_code error;
        if (std::filesystem::exists(path, error)) {
            std::ifstream file(path, std::ios::binary);
            std::ostringstream contents;
            contents << file.rdbuf();
            if (!file) {
                throw core::StartupError("cannot read transparency log key " + path.string());
            }
            auto seed = decode_seed(contents.str(), path);
            auto key = from_seed(seed);
            sodium_memzero(seed.data(), seed.size());
            return key;
        }
        if (path.has_parent_path()) {
            std::filesystem::create_directories(path.parent_path(), error);
        }
        std::array<std::uint8_t, 32> seed{};
        randombytes_buf(seed.data(), seed.size());
        const bool created = create_key_file(path, encode_seed(seed));
        if (created) {
            auto key = from_seed(seed);
            sodium_memzero(seed.data(), seed.size());
            return key;
        }
        // Another process created it first: read theirs.
    }
    throw core::StartupError("cannot create transparency log key " + path.string());
}

std::array<std::uint8_t, 64> LogKey::sign(const std::string& message) const {
    std::array<std::uint8_t, 64> signature{};
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_key_.data());
    return signature;
}

bool verify_tree_head(const TreeHead& head, const std::array<std::uint8_t, 32>& public_key) {
    initialise_sodium();
    if (head.timestamp_ms < 0) {
        return false;
    }
    const std::string input =
        tree_head_signing_input(head.tree_size, head.timestamp_ms, head.root_hash);
    return crypto_sign_verify_detached(head.signature.data(),
                                       reinterpret_cast<const unsigned char*>(input.data()),
                                       input.size(), public_key.data()) == 0;
}

}  // namespace coalition::signon
