#include "lists/digests.hpp"

#include "core/base64.hpp"
#include "core/text.hpp"
#include "lists/decorate.hpp"
#include "lists/delivery.hpp"
#include "lists/digest_store.hpp"
#include "lists/lists.hpp"
#include "mail/gmime_support.hpp"

#include <array>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::lists {
namespace {

// How far before the last digest we look for posts not yet digested: a post accepted in a
// transaction that committed just after a digest read the posts is still found.
constexpr std::int64_t kLookBehindSeconds = std::int64_t{24} * 3600;

constexpr std::string_view kCrlf = "\r\n";
// RFC 1153: 30 dashes between messages, 70 after the table of contents.
constexpr std::string_view kMessageSeparator = "------------------------------";
constexpr std::string_view kTopicsSeparator =
    "----------------------------------------------------------------------";
static_assert(kMessageSeparator.size() == 30 && kTopicsSeparator.size() == 70);

// The length of the UTF-8 sequence starting with `lead`, or 0 for a byte that cannot start one.
std::size_t sequence_length(unsigned char lead) {
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
        return 2;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
        return 3;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        return 4;
    }
    return 0;
}

// `bytes` as valid UTF-8 without NUL (the outbox stores text): each invalid byte and NUL becomes
// '?'. Well-formed mail passes unchanged.
std::string valid_text(std::string_view bytes) {
    if (core::is_valid_utf8(bytes) && bytes.find('\0') == std::string_view::npos) {
        return std::string(bytes);
    }
    std::string out;
    out.reserve(bytes.size());
    std::size_t idx = 0;
    while (idx < bytes.size()) {
        const auto length = sequence_length(static_cast<unsigned char>(bytes[idx]));
        if (length == 0 || idx + length > bytes.size() ||
            !core::is_valid_utf8(bytes.substr(idx, length)) || bytes[idx] == '\0') {
            out += '?';
            ++idx;
            continue;
        }
        out.append(bytes.substr(idx, length));
        idx += length;
    }
    return out;
}

// Every line ending becomes CRLF; the result ends with one.
std::string crlf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40 + 2);
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        const char c = text[idx];
        if (c == '\r') {
            out += kCrlf;
            if (idx + 1 < text.size() && text[idx + 1] == '\n') {
                ++idx;
            }
        } else if (c == '\n') {
            out += kCrlf;
        } else {
            out += c;
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, kCrlf) != 0) {
        out += kCrlf;
    }
    return out;
}

// A header value on one line: control characters become spaces.
std::string one_line(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = ' ';
        }
    }
    return out;
}

std::string base64(std::string_view bytes) {
    return core::encode_base64(bytes);
}

// RFC 2047 encoded words (UTF-8, B encoding) for non-ASCII text, each under 76 characters and
// never splitting a character; ASCII text is returned as it is.
std::string encode_words(std::string_view text) {
    std::string line = one_line(text);
    if (core::is_ascii(line)) {
        return line;
    }
    constexpr std::size_t kChunk = 42;  // 42 bytes → 56 base64 characters + 12 of framing.
    std::string out;
    std::size_t start = 0;
    while (start < line.size()) {
        std::size_t end = start;
        while (end < line.size()) {
            const auto length = std::max<std::size_t>(1, sequence_length(line[end]));
            if (end + length - start > kChunk) {
                break;
            }
            end += length;
        }
        if (end == start) {
            end = std::min(line.size(), start + 1);
        }
        out += (out.empty() ? "" : "\r\n ");
        out += "=?utf-8?b?" + base64(line.substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

// A mailbox for a header: `"Name" <address>`, the name encoded when it is not ASCII.
std::string mailbox(std::string_view name, std::string_view address) {
    const std::string clean = one_line(name);
    if (clean.empty()) {
        return "<" + std::string(address) + ">";
    }
    if (!core::is_ascii(clean)) {
        return encode_words(clean) + " <" + std::string(address) + ">";
    }
    std::string quoted = "\"";
    for (char c : clean) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
        }
        quoted += c;
    }
    return quoted + "\" <" + std::string(address) + ">";
}

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text with CRLF line ends; lines stay under 77.
std::string quoted_printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t column = 0;
    const auto emit = [&](std::string_view piece) {
        if (column + piece.size() > 75) {
            out += "=\r\n";
            column = 0;
        }
        out += piece;
        column += piece.size();
    };
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        const auto c = static_cast<unsigned char>(text[idx]);
        if (c == '\r' && idx + 1 < text.size() && text[idx + 1] == '\n') {
            out += kCrlf;
            column = 0;
            ++idx;
            continue;
        }
        const bool line_end =
            idx + 1 == text.size() ||
            (text[idx + 1] == '\r' && idx + 2 < text.size() && text[idx + 2] == '\n');
        const bool literal =
            (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
        if (literal) {
            emit(std::string_view(text).substr(idx, 1));
        } else {
            const std::array<char, 3> escaped{'=', kHex[c >> 4], kHex[c & 0xf]};
            emit(std::string_view(escaped.data(), escaped.size()));
        }
    }
    return out;
}

// A text/plain part's header and body: 7bit when ASCII, quoted-printable otherwise.
std::string text_part(std::string_view text, std::string_view description) {
    const std::string body = crlf_lines(text);
    std::string out = "Content-Type: text/plain; charset=utf-8\r\n";
    if (!description.empty()) {
        out += "Content-Description: " + encode_words(description) + "\r\n";
    }
    if (core::is_ascii(body)) {
        return out + "Content-Transfer-Encoding: 7bit\r\n\r\n" + body;
    }
    return out + "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + quoted_printable(body);
}

std::string rfc5322_date(std::int64_t unix_seconds) {
    const auto time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    std::array<char, 64> text{};
    const auto length =
        std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return std::string(text.data(), length);
}

std::tm utc_time(std::int64_t unix_seconds) {
    const auto time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    return utc;
}

// When the digest period that contains `reference` ends (UTC): the next midnight, the next
// Monday's midnight, or the first of the next month.
std::int64_t period_end(std::int64_t reference, DigestPeriod period) {
    std::tm day = utc_time(reference);
    day.tm_hour = 0;
    day.tm_min = 0;
    day.tm_sec = 0;
    switch (period) {
        case DigestPeriod::Daily:
            day.tm_mday += 1;
            break;
        case DigestPeriod::Weekly:
            day.tm_mday += 7 - ((day.tm_wday + 6) % 7);
            break;
        case DigestPeriod::Monthly:
            day.tm_mday = 1;
            day.tm_mon += 1;
            break;
    }
    return static_cast<std::int64_t>(timegm(&day));
}

std::string digest_title(const List& list, int volume, int issue) {
    const std::string prefix = one_line(list.settings.subject_prefix);
    return (prefix.empty() ? list.title() : prefix) + " Digest, Vol " + std::to_string(volume) +
           ", Issue " + std::to_string(issue);
}

std::string author_of(const Post& post) {
    if (!post.author_name.empty()) {
        return one_line(post.author_name);
    }
    return post.author_email.empty() ? "unknown sender" : one_line(post.author_email);
}

std::string subject_of(const Post& post) {
    const std::string subject = one_line(post.subject);
    return subject.empty() ? "(no subject)" : subject;
}

// The first text/plain part of `raw` that is not an attachment, decoded to UTF-8; nullopt when
// the message has none (or cannot be parsed).
std::optional<std::string> first_text_part(GMimeObject* object) {
    if (object == nullptr) {
        return std::nullopt;
    }
    if (GMIME_IS_MULTIPART(object)) {
        auto* multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int part_idx = 0; part_idx < count; ++part_idx) {
            if (auto text = first_text_part(g_mime_multipart_get_part(multipart, part_idx))) {
                return text;
            }
        }
        return std::nullopt;
    }
    if (!GMIME_IS_TEXT_PART(object)) {
        return std::nullopt;
    }
    auto* type = g_mime_object_get_content_type(object);
    if (type == nullptr || !g_mime_content_type_is_type(type, "text", "plain")) {
        return std::nullopt;
    }
    const char* disposition = g_mime_object_get_disposition(object);
    if (disposition != nullptr && std::string_view(disposition) == "attachment") {
        return std::nullopt;
    }
    mail::GCharPtr text(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
    if (!text) {
        return std::nullopt;
    }
    return std::string(text.get());
}

std::optional<std::string> plain_text_body(std::string_view raw) {
    mail::ensure_gmime_initialised();
    mail::GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    mail::GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    mail::GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message) {
        return std::nullopt;
    }
    return first_text_part(g_mime_message_get_mime_part(message.get()));
}

// A body line that looks like RFC 1153's message separator is shifted by a space.
std::string escape_separators(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line == kMessageSeparator) {
            out += ' ';
        }
        out.append(line);
        if (end < text.size()) {
            out += '\n';
        }
        start = end + 1;
    }
    return out;
}

std::string masthead(const List& list, std::string_view base_url) {
    const auto address = [&list](AddressRole role) { return list.address(role).unicode(); };
    return "Send " + list.title() + " mailing list submissions to\n\t" +
           address(AddressRole::Post) + "\n\nTo subscribe or unsubscribe, or to change your " +
           "delivery options, visit\n\t" + std::string(base_url) + "/lists/" + list.name +
           "\nor send a message with subject or body 'help' to\n\t" +
           address(AddressRole::Request) + "\n\nYou can reach the people managing the list at\n\t" +
           address(AddressRole::Owner) +
           "\n\nWhen replying, please edit your Subject line so it is more specific than \"Re: "
           "Contents of " +
           list.title() + " digest...\"\n";
}

std::string table_of_contents(const std::vector<Post>& posts) {
    std::string out = "Today's Topics:\n\n";
    for (std::size_t post_idx = 0; post_idx < posts.size(); ++post_idx) {
        const std::string number = std::to_string(post_idx + 1);
        out += std::string(number.size() < 4 ? 4 - number.size() : 0, ' ') + number + ". " +
               subject_of(posts[post_idx]) + " (" + author_of(posts[post_idx]) + ")\n";
    }
    return out;
}

// The post as it appears inside the digest: decorated when it has been, CRLF, valid UTF-8.
std::string embedded_post(const Post& post) {
    return crlf_lines(valid_text(post.decorated.empty() ? post.raw : post.decorated));
}

// A boundary found in none of `contents`.
std::string boundary_for(std::string_view stem, const std::vector<std::string>& contents) {
    for (int attempt = 0;; ++attempt) {
        std::string boundary = "=_coalition_" + std::string(stem) +
                               (attempt == 0 ? "" : "_" + std::to_string(attempt));
        bool clash = false;
        for (const auto& content : contents) {
            if (content.find("--" + boundary) != std::string::npos) {
                clash = true;
                break;
            }
        }
        if (!clash) {
            return boundary;
        }
    }
}

std::string mime_body(const List& list, const std::vector<Post>& posts, int volume, int issue,
                      std::string_view base_url, std::string& top_headers) {
    std::vector<std::string> embedded;
    embedded.reserve(posts.size());
    bool eight_bit = false;
    for (const auto& post : posts) {
        embedded.push_back(embedded_post(post));
        eight_bit = eight_bit || !core::is_ascii(embedded.back());
    }
    const std::string stem = std::to_string(volume) + "_" + std::to_string(issue);
    const std::string outer = boundary_for("digest_" + stem, embedded);
    const std::string inner = boundary_for("posts_" + stem, embedded);
    const std::string encoding = eight_bit ? "8bit" : "7bit";

    top_headers += "Content-Type: multipart/mixed; boundary=\"" + outer + "\"\r\n";
    top_headers += "Content-Transfer-Encoding: " + encoding + "\r\n";

    std::string body = "This is a MIME digest: " + std::to_string(posts.size()) +
                       " messages as message/rfc822 parts.\r\n";
    body += "\r\n--" + outer + "\r\n";
    body += text_part(masthead(list, base_url) + "\n" + table_of_contents(posts),
                      "Today's Topics (" + std::to_string(posts.size()) + " messages)");
    body += "\r\n--" + outer + "\r\n";
    body += "Content-Type: multipart/digest; boundary=\"" + inner + "\"\r\n";
    body += "Content-Transfer-Encoding: " + encoding + "\r\n\r\n";
    for (const auto& post : embedded) {
        body += "--" + inner + "\r\n";
        body += "Content-Type: message/rfc822\r\n";
        if (!core::is_ascii(post)) {
            body += "Content-Transfer-Encoding: 8bit\r\n";
        }
        body += "\r\n" + post + "\r\n";
    }
    body += "--" + inner + "--\r\n";
    if (!list.settings.footer.empty()) {
        body += "\r\n--" + outer + "\r\n";
        body += text_part(list.settings.footer, "Digest Footer");
    }
    body += "\r\n--" + outer + "--\r\n";
    return body;
}

std::string plain_body(const List& list, const std::vector<Post>& posts, int volume, int issue,
                       std::string_view base_url, std::string& top_headers) {
    std::string text = masthead(list, base_url) + "\n" + table_of_contents(posts) + "\n" +
                       std::string(kTopicsSeparator) + "\n\n";
    for (std::size_t post_idx = 0; post_idx < posts.size(); ++post_idx) {
        const auto& post = posts[post_idx];
        const std::string source = valid_text(post.raw.empty() ? post.decorated : post.raw);
        auto body = plain_text_body(source);
        if (!body) {
            body = "[This message has no plain-text part. Read it in the archive: " +
                   std::string(base_url) + "/lists/" + list.name + "]\n";
        }
        text += "Message: " + std::to_string(post_idx + 1) + "\n";
        text += "Date: " + rfc5322_date(digest_store::accepted_at(post)) + "\n";
        text += "From: " +
                (post.author_name.empty()
                     ? one_line(post.author_email)
                     : one_line(post.author_name) + " <" + one_line(post.author_email) + ">") +
                "\n";
        text += "Subject: " + subject_of(post) + "\n";
        text += "Message-ID: <" + one_line(post.message_id) + ">\n\n";
        text += escape_separators(valid_text(*body));
        text += "\n\n" + std::string(kMessageSeparator) + "\n\n";
    }
    if (!list.settings.footer.empty()) {
        text += escape_separators(list.settings.footer) + "\n\n" + std::string(kMessageSeparator) +
                "\n\n";
    }
    const std::string end = "End of " + digest_title(list, volume, issue);
    text += end + "\n" + std::string(end.size(), '*') + "\n";
    std::string body = crlf_lines(text);
    top_headers += "Content-Type: text/plain; charset=utf-8\r\n";
    if (core::is_ascii(body)) {
        top_headers += "Content-Transfer-Encoding: 7bit\r\n";
        return body;
    }
    top_headers += "Content-Transfer-Encoding: quoted-printable\r\n";
    return quoted_printable(body);
}

std::string digest_message_id(const List& list, int volume, int issue) {
    return "digest." + std::to_string(volume) + "." + std::to_string(issue) + "." +
           std::to_string(list.id.value()) + "." + std::to_string(list.created_at) + "." +
           list.name + "@" + list.domain.ascii();
}

enum class Force { Yes, No };

}  // namespace

std::string compose_digest(const List& list, const std::vector<Post>& posts, int volume, int issue,
                           DigestFormat format, std::string_view base_url) {
    const std::string title = digest_title(list, volume, issue);
    std::string headers;
    headers +=
        "From: " + mailbox(list.title(), list.address(AddressRole::Request).envelope()) + "\r\n";
    headers += "To: " + mailbox(list.title(), list.address(AddressRole::Post).envelope()) + "\r\n";
    headers += "Subject: " + encode_words(title) + "\r\n";
    headers += "Message-ID: <" + digest_message_id(list, volume, issue) + ">\r\n";
    headers += "List-Id: " + mailbox(list.title(), list.list_id_header()) + "\r\n";
    headers += "List-Post: <mailto:" + list.address(AddressRole::Post).envelope() + ">\r\n";
    headers += "List-Help: <mailto:" + list.address(AddressRole::Request).envelope() +
               "?subject=help>\r\n";
    headers += "List-Archive: <" + std::string(base_url) + "/lists/" + list.name + ">\r\n";
    headers += "Precedence: list\r\n";
    headers += "MIME-Version: 1.0\r\n";
    const std::string body = format == DigestFormat::Mime
                                 ? mime_body(list, posts, volume, issue, base_url, headers)
                                 : plain_body(list, posts, volume, issue, base_url, headers);
    return headers + "\r\n" + body;
}

Digests::Digests(store::Database& database, const core::Clock& clock, Lists& lists,
                 Subscriptions& subscriptions, mail::Outbox& outbox, std::string base_url)
    : database_(database),
      clock_(clock),
      lists_(lists),
      subscriptions_(subscriptions),
      outbox_(outbox),
      base_url_(std::move(base_url)) {
    while (!base_url_.empty() && base_url_.back() == '/') {
        base_url_.pop_back();
    }
}

namespace {

struct DigestContext {
    store::Database& database;
    const core::Clock& clock;
    Subscriptions& subscriptions;
    mail::Outbox& outbox;
    const std::string& base_url;
};

// Sends the list's digest when it is due (always when forced and it has posts). Returns whether
// one was recorded; false also when another server recorded the same issue first.
bool send_digest(const DigestContext& context, const List& list, Force force) {
    const auto now = context.clock.unix_now();
    const auto last = digest_store::last(context.database, list.id);
    const auto posts = digest_store::undigested(context.database, list.id,
                                                last ? last->sent_at - kLookBehindSeconds : 0);
    if (posts.empty()) {
        return false;
    }
    std::int64_t size = 0;
    for (const auto& post : posts) {
        size += post.size_bytes > 0 ? post.size_bytes : static_cast<std::int64_t>(post.raw.size());
    }
    const std::int64_t reference = last ? last->sent_at : digest_store::accepted_at(posts.front());
    const bool due = force == Force::Yes || size >= list.settings.digest_size_threshold_bytes ||
                     now >= period_end(reference, list.settings.digest_period);
    if (!due) {
        return false;
    }

    digest_store::DigestRecord record;
    record.volume = utc_time(now).tm_year + 1900;
    record.issue = digest_store::last_issue(context.database, list.id, record.volume) + 1;
    record.sent_at = now;
    std::vector<PostId> ids;
    ids.reserve(posts.size());
    for (const auto& post : posts) {
        ids.push_back(post.id);
        record.last_post_id = std::max(record.last_post_id, post.id.value());
    }
    // Composed before the transaction: with SQLite its body runs on the single writer. One
    // edition per format that has members (MIME, or RFC 1153 plain text), stored once and fanned
    // out by the delivery worker like a post: each member gets the edition behind their own VERP
    // sender and List-Unsubscribe, in batches, so memory and disk do not grow with the members.
    struct Edition {
        std::string mode;
        std::string bytes;
    };
    std::vector<Edition> editions;
    std::int64_t recipient_count = 0;
    const std::string date = "Date: " + rfc5322_date(now) + "\r\n";
    for (const auto& [mode, format] :
         {std::pair{DeliveryMode::Digest, DigestFormat::Mime},
          std::pair{DeliveryMode::PlainDigest, DigestFormat::PlainText}}) {
        const std::string mode_text = to_string(mode);
        const std::int64_t receiving =
            digest_store::count_receiving(context.database, list.id, mode_text);
        if (receiving == 0) {
            continue;
        }
        recipient_count += receiving;
        editions.push_back(
            {mode_text, date + compose_digest(list, posts, record.volume, record.issue, format,
                                              context.base_url)});
    }
    try {
        context.database.transact([&](store::Connection& connection) {
            const std::int64_t digest = digest_store::insert(connection, list.id, record, ids, size,
                                                             static_cast<int>(recipient_count));
            for (const auto& edition : editions) {
                const std::int64_t id = digest_store::insert_edition(
                    connection, digest, edition.mode, edition.bytes, now);
                schedule_edition_delivery(connection, list.id, id, now);
            }
        });
    } catch (const store::ConstraintViolation&) {
        return false;  // Another server sent this issue, or digested one of the posts, first.
    }
    return true;
}

}  // namespace

int Digests::send_due() {
    const DigestContext context{database_, clock_, subscriptions_, outbox_, base_url_};
    int sent = 0;
    for (const auto& list : lists_.all()) {
        if (list.settings.digest_enabled && send_digest(context, list, Force::No)) {
            ++sent;
        }
    }
    return sent;
}

bool Digests::send_now(ListId list_id) {
    const auto list = lists_.find(list_id);
    if (!list) {
        return false;
    }
    const DigestContext context{database_, clock_, subscriptions_, outbox_, base_url_};
    return send_digest(context, *list, Force::Yes);
}

}  // namespace coalition::lists
