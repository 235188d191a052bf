#include "mail/smtp_transport.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace coalition::mail {
namespace {

void ensure_curl_initialised() {
    static std::once_flag once;
    // curl_global_init is not thread-safe; it runs once, before the first easy handle.
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw core::StartupError("libcurl could not be initialised");
        }
    });
}

struct UrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlFree {
    void operator()(char* text) const { curl_free(text); }
};

// One part of a parsed URL, or "" when the URL has none.
std::string url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
    char* raw = nullptr;
    if (curl_url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) {
        return {};
    }
    std::unique_ptr<char, CurlFree> owned(raw);
    return std::string(owned.get());
}

core::Error relay_error(std::string message) {
    return core::Error::invalid(std::move(message), "relay");
}

// What the upload reads from.
struct Upload {
    const std::string* bytes = nullptr;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user_data) {
    auto* upload = static_cast<Upload*>(user_data);
    const std::size_t length = std::min(size * count, upload->bytes->size() - upload->offset);
    std::copy_n(upload->bytes->data() + upload->offset, length, buffer);
    upload->offset += length;
    return length;
}

// libcurl hands every SMTP reply line to the header callback. The last few are kept: after a
// refusal libcurl may still send QUIT, so the explaining line is not always the last one.
std::size_t keep_reply_line(char* data, std::size_t size, std::size_t count, void* user_data) {
    auto* lines = static_cast<std::vector<std::string>*>(user_data);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
    }
    if (!line.empty()) {
        if (lines->size() == 16) {
            lines->erase(lines->begin());
        }
        lines->push_back(line.substr(0, 512));
    }
    return size * count;
}

// The last reply line carrying `code` (the reply that decided the outcome), else the last line.
std::string explaining_line(const std::vector<std::string>& lines, long code) {
    const std::string prefix = std::to_string(code);
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        if (code != 0 && line->starts_with(prefix)) {
            return *line;
        }
    }
    return lines.empty() ? std::string() : lines.back();
}

// A connection problem worth one immediate retry on a fresh connection: the relay may have
// dropped a kept connection while it sat idle.
bool is_stale_connection_error(CURLcode code) {
    return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
}

}  // namespace

core::Result<SmtpRelay> SmtpRelay::parse(std::string_view text) {
    if (text.empty()) {
        return relay_error("Give the relay as smtp://host:port or smtps://host:port.");
    }
    if (std::any_of(text.begin(), text.end(),
                    [](unsigned char c) { return c < 0x21 || c == 0x7f; })) {
        return relay_error("The relay URL must not contain spaces or control characters.");
    }
    const std::string input(text);
    UrlPtr url(curl_url());
    COALITION_ASSERT(url != nullptr, "curl_url() allocates");
    if (curl_url_set(url.get(), CURLUPART_URL, input.c_str(), 0) != CURLUE_OK) {
        return relay_error(
            "The relay is not a URL; give it as smtp://host:port or smtps://host:port.");
    }
    SmtpRelay relay;
    const std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
    if (scheme != "smtp" && scheme != "smtps") {
        return relay_error("The relay URL must start with smtp:// or smtps://.");
    }
    const std::string host = url_part(url.get(), CURLUPART_HOST);
    if (host.empty()) {
        return relay_error("The relay URL has no host.");
    }
    const std::string path = url_part(url.get(), CURLUPART_PATH);
    if (!path.empty() && path != "/") {
        return relay_error("The relay URL must not have a path.");
    }
    if (!url_part(url.get(), CURLUPART_FRAGMENT).empty()) {
        return relay_error("The relay URL must not have a fragment.");
    }
    const std::string query = url_part(url.get(), CURLUPART_QUERY);
    if (query == "starttls") {
        if (scheme == "smtps") {
            return relay_error("smtps:// is TLS from the start; ?starttls is only for smtp://.");
        }
        relay.starttls = true;
    } else if (!query.empty()) {
        return relay_error("The relay URL accepts only ?starttls as its query.");
    }
    relay.username = url_part(url.get(), CURLUPART_USER, CURLU_URLDECODE);
    relay.password = url_part(url.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
    if (relay.username.empty() && !relay.password.empty()) {
        return relay_error("The relay URL has a password but no user name.");
    }
    std::string port = url_part(url.get(), CURLUPART_PORT);
    if (port.empty()) {
        port = scheme == "smtps" ? "465" : "25";
    }
    relay.url = scheme + "://" + host + ":" + port;
    return relay;
}

std::string SmtpRelay::describe() const {
    std::string text = url;
    if (starttls) {
        text += " (STARTTLS)";
    }
    if (!username.empty()) {
        text += " (AUTH as " + username + ")";
    }
    return text;
}

struct SmtpTransport::Session {
    struct EasyCleanup {
        void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
    };
    std::unique_ptr<CURL, EasyCleanup> easy;
    char error_buffer[CURL_ERROR_SIZE] = {};
    std::vector<std::string> reply_lines;
    std::string url;  // Must live as long as the handle uses it.
};

SmtpTransport::SmtpTransport(SmtpRelay relay)
    : relay_(std::move(relay)), session_(std::make_unique<Session>()) {
    ensure_curl_initialised();
    session_->easy.reset(curl_easy_init());
    if (!session_->easy) {
        throw core::StartupError("libcurl could not create an SMTP handle");
    }
    CURL* easy = session_->easy.get();
    // libcurl takes the URL's path as the EHLO name.
    session_->url = relay_.url + "/" + relay_.helo_domain;
    curl_easy_setopt(easy, CURLOPT_URL, session_->url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // Worker threads must not get SIGALRM.
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, session_->error_buffer);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, keep_reply_line);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &session_->reply_lines);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, relay_.timeout_seconds);
    curl_easy_setopt(easy, CURLOPT_SERVER_RESPONSE_TIMEOUT, relay_.timeout_seconds);
    // A stalled upload (under 1 byte/s for the timeout) fails; a large message may take longer.
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, relay_.timeout_seconds);
    if (relay_.starttls) {
        curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    if (!relay_.username.empty()) {
        curl_easy_setopt(easy, CURLOPT_USERNAME, relay_.username.c_str());
        curl_easy_setopt(easy, CURLOPT_PASSWORD, relay_.password.c_str());
    }
}

SmtpTransport::~SmtpTransport() = default;

DeliveryOutcome SmtpTransport::deliver(const Envelope& envelope, const std::string& bytes) {
    COALITION_ASSERT(!envelope.recipients.empty(), "a message needs at least one recipient");
    std::lock_guard lock(mutex_);
    CURL* easy = session_->easy.get();

    struct SlistFree {
        void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    };
    curl_slist* list = nullptr;
    for (const std::string& recipient : envelope.recipients) {
        list = curl_slist_append(list, ("<" + recipient + ">").c_str());
        COALITION_ASSERT(list != nullptr, "curl_slist_append allocates");
    }
    const std::unique_ptr<curl_slist, SlistFree> recipients(list);
    const std::string mail_from = "<" + envelope.mail_from + ">";
    Upload upload{&bytes, 0};
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));

    CURLcode code = CURLE_OK;
    long reply_code = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        session_->error_buffer[0] = '\0';
        session_->reply_lines.clear();
        upload.offset = 0;
        code = curl_easy_perform(easy);
        long new_connections = 0;
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
        connections_opened_ += new_connections;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply_code);
        // Only a kept connection that died before any reply deserves a second go at once.
        if (new_connections != 0 || reply_code != 0 || !is_stale_connection_error(code)) {
            break;
        }
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    }
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 0L);
    // The list and the strings die with this call; the handle must not point at them.
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(easy, CURLOPT_READDATA, nullptr);

    std::string reply = explaining_line(session_->reply_lines, reply_code);
    if (code == CURLE_OK) {
        return {DeliveryOutcome::Kind::Sent, reply};
    }
    const std::string detail =
        session_->error_buffer[0] != '\0' ? session_->error_buffer : curl_easy_strerror(code);
    reply += reply.empty() ? detail : " (" + detail + ")";
    // RFC 5321 §4.2.1: 5yz is a permanent failure, 4yz transient. Refused credentials are the
    // relay setting's fault, not the message's: retried until an operator fixes them.
    if (reply_code >= 500 && reply_code <= 599 && code != CURLE_LOGIN_DENIED) {
        return {DeliveryOutcome::Kind::Failed, reply};
    }
    return {DeliveryOutcome::Kind::Retry, reply};
}

std::string SmtpTransport::describe() const {
    return relay_.describe();
}

long SmtpTransport::connections_opened() const {
    std::lock_guard lock(mutex_);
    return connections_opened_;
}

}  // namespace coalition::mail
