#include "mail/smtp_transport.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "core/unavailable.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
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

// What the header and debug callbacks learn during the transactions of one handle.
struct ReplyLog {
    std::vector<std::string> lines;  // The last few reply lines of the current transaction.
    std::string command;             // The verb of the last command sent ("RCPT", "EHLO", …).
    std::vector<std::string> rcpt_replies;  // The final reply line to each RCPT, in order.
    std::optional<bool> smtputf8;       // Whether the connection's EHLO offered SMTPUTF8; unknown
                                        // until one was read.
    bool ehlo_offers_smtputf8 = false;  // Collected while an EHLO reply is read.
    bool require_smtputf8 = false;      // The transaction needs it: abort after EHLO without it.
    bool aborted_for_smtputf8 = false;
};

// libcurl hands every SMTP reply line to the header callback. The last few are kept: after a
// refusal libcurl may still send QUIT, so the explaining line is not always the last one.
// RFC 5321 §4.2.1: a reply line is "NNN-text" when more lines follow, "NNN text" when last.
std::size_t keep_reply_line(char* data, std::size_t size, std::size_t count, void* user_data) {
    auto* log = static_cast<ReplyLog*>(user_data);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
    }
    if (line.empty()) {
        return size * count;
    }
    if (log->lines.size() == 16) {
        log->lines.erase(log->lines.begin());
    }
    log->lines.push_back(line.substr(0, 512));
    const bool last_line = line.size() < 4 || line[3] == ' ';
    if (log->command == "EHLO" || log->command == "HELO") {
        std::string keyword = line.size() > 4 ? line.substr(4, line.find(' ', 4) - 4) : "";
        std::transform(keyword.begin(), keyword.end(), keyword.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (keyword == "SMTPUTF8") {
            log->ehlo_offers_smtputf8 = true;
        }
        if (last_line) {
            log->smtputf8 = log->ehlo_offers_smtputf8;
            if (log->require_smtputf8 && !log->ehlo_offers_smtputf8) {
                // Returning a short count makes libcurl stop before MAIL FROM.
                log->aborted_for_smtputf8 = true;
                return 0;
            }
        }
    } else if (log->command == "RCPT" && last_line) {
        log->rcpt_replies.push_back(line.substr(0, 512));
    }
    return size * count;
}

// libcurl shows each command it sends to the debug callback (CURLINFO_HEADER_OUT): its verb
// tells which command the next reply answers. Only the verb is kept (AUTH data never is).
int note_command(CURL* /*easy*/, curl_infotype type, char* data, std::size_t size,
                 void* user_data) {
    if (type != CURLINFO_HEADER_OUT) {
        return 0;
    }
    auto* log = static_cast<ReplyLog*>(user_data);
    std::string verb;
    for (std::size_t idx = 0; idx < size && idx < 8; ++idx) {
        const auto c = static_cast<unsigned char>(data[idx]);
        if (!std::isalpha(c)) {
            break;
        }
        verb += static_cast<char>(std::toupper(c));
    }
    log->command = verb;
    if (verb == "EHLO" || verb == "HELO") {
        log->ehlo_offers_smtputf8 = false;
    }
    return 0;
}

// libcurl 7.69 to 8.1 spell the option with three L (Debian 12 has 7.88); 8.2 fixed the name.
#if LIBCURL_VERSION_NUM >= 0x080200
constexpr CURLoption kMailRcptAllowFails = CURLOPT_MAIL_RCPT_ALLOWFAILS;
#else
constexpr CURLoption kMailRcptAllowFails = CURLOPT_MAIL_RCPT_ALLLOWFAILS;
#endif

// The outcome a final SMTP reply line stands for ("451 …" Retry, "550 …" Failed).
DeliveryOutcome outcome_of_reply(const std::string& line) {
    if (line.starts_with("2")) {
        return {DeliveryOutcome::Kind::Sent, line};
    }
    return {line.starts_with("5") ? DeliveryOutcome::Kind::Failed : DeliveryOutcome::Kind::Retry,
            line};
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
    ReplyLog log;
    std::string url;  // Must live as long as the handle uses it.
};

// What one curl_easy_perform of a transaction gave.
struct SmtpTransport::Performed {
    CURLcode code = CURLE_OK;
    long reply_code = 0;
    DeliveryOutcome outcome;  // The transaction's, as deliver() reports it.
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
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &session_->log);
    curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, note_command);
    curl_easy_setopt(easy, CURLOPT_DEBUGDATA, &session_->log);
    curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
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

SmtpTransport::Performed SmtpTransport::perform(const std::string& mail_from,
                                                const std::vector<std::string>& recipients,
                                                const std::string& bytes, bool allow_fails,
                                                bool require_smtputf8) {
    CURL* easy = session_->easy.get();
    struct SlistFree {
        void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    };
    curl_slist* list = nullptr;
    for (const std::string& recipient : recipients) {
        list = curl_slist_append(list, ("<" + recipient + ">").c_str());
        COALITION_ASSERT(list != nullptr, "curl_slist_append allocates");
    }
    const std::unique_ptr<curl_slist, SlistFree> recipient_list(list);
    const std::string sender = "<" + mail_from + ">";
    Upload upload{&bytes, 0};
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, sender.c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipient_list.get());
    curl_easy_setopt(easy, kMailRcptAllowFails, allow_fails ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));

    ReplyLog& log = session_->log;
    Performed performed;
    for (int attempt = 0; attempt < 2; ++attempt) {
        session_->error_buffer[0] = '\0';
        log.lines.clear();
        log.rcpt_replies.clear();
        log.command.clear();
        log.require_smtputf8 = require_smtputf8;
        log.aborted_for_smtputf8 = false;
        upload.offset = 0;
        performed.code = curl_easy_perform(easy);
        long new_connections = 0;
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
        connections_opened_ += new_connections;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &performed.reply_code);
        // Only a kept connection that died before any reply deserves a second go at once.
        if (new_connections != 0 || performed.reply_code != 0 ||
            !is_stale_connection_error(performed.code)) {
            break;
        }
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    }
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 0L);
    // The list and the strings die with this call; the handle must not point at them.
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(easy, CURLOPT_READDATA, nullptr);

    std::string reply = explaining_line(log.lines, performed.reply_code);
    if (performed.code == CURLE_OK) {
        performed.outcome = {DeliveryOutcome::Kind::Sent, reply};
        return performed;
    }
    const std::string detail = session_->error_buffer[0] != '\0'
                                   ? session_->error_buffer
                                   : curl_easy_strerror(performed.code);
    reply += reply.empty() ? detail : " (" + detail + ")";
    // RFC 5321 §4.2.1: 5yz is a permanent failure, 4yz transient. Refused credentials are the
    // relay setting's fault, not the message's: retried until an operator fixes them.
    const bool permanent = performed.reply_code >= 500 && performed.reply_code <= 599 &&
                           performed.code != CURLE_LOGIN_DENIED;
    performed.outcome = {permanent ? DeliveryOutcome::Kind::Failed : DeliveryOutcome::Kind::Retry,
                         reply};
    performed.outcome.relay_unreachable =
        performed.reply_code == 0 &&
        (performed.code == CURLE_COULDNT_CONNECT || performed.code == CURLE_COULDNT_RESOLVE_HOST ||
         performed.code == CURLE_COULDNT_RESOLVE_PROXY);
    return performed;
}

DeliveryOutcome SmtpTransport::deliver(const Envelope& envelope, const std::string& bytes) {
    COALITION_ASSERT(!envelope.recipients.empty(), "a message needs at least one recipient");
    std::lock_guard lock(mutex_);
    return perform(envelope.mail_from, envelope.recipients, bytes, false, false).outcome;
}

std::vector<DeliveryOutcome> SmtpTransport::deliver_each(const Envelope& envelope,
                                                         const std::string& bytes) {
    std::lock_guard lock(mutex_);
    return deliver_each_locked(envelope, bytes);
}

SmtpPipeline* SmtpTransport::pipeline() {
    const bool plain =
        relay_.url.starts_with("smtp://") && !relay_.starttls && relay_.username.empty();
    if (!plain || relay_cannot_pipeline_) {
        return nullptr;
    }
    if (!pipeline_) {
        // SmtpRelay::parse leaves "smtp://HOST:PORT".
        const std::string authority = relay_.url.substr(std::string_view("smtp://").size());
        const std::size_t colon = authority.rfind(':');
        pipeline_ =
            std::make_unique<SmtpPipeline>(authority.substr(0, colon), authority.substr(colon + 1),
                                           relay_.helo_domain, relay_.timeout_seconds);
    }
    // Unreachable now: the pipeline reports that for each transaction, as libcurl would.
    if (!pipeline_->connect() && !pipeline_->capabilities().pipelining) {
        relay_cannot_pipeline_ = true;
        connections_opened_ += pipeline_->connections_opened();
        pipeline_.reset();
        return nullptr;
    }
    return pipeline_.get();
}

void SmtpTransport::deliver_sequence(std::size_t count, const SmtpPipeline::NextTransaction& next,
                                     const SmtpPipeline::Decided& decided) {
    std::lock_guard lock(mutex_);
    if (SmtpPipeline* session = pipeline()) {
        session->send(count, next, decided);
        return;
    }
    for (std::size_t index = 0; index < count; ++index) {
        const SmtpTransaction transaction = next(index);
        decided(index, deliver_each_locked(transaction.envelope, transaction.bytes));
    }
}

std::vector<DeliveryOutcome> SmtpTransport::deliver_each_locked(const Envelope& envelope,
                                                                const std::string& bytes) {
    COALITION_ASSERT(!envelope.recipients.empty(), "a message needs at least one recipient");
    const std::size_t count = envelope.recipients.size();
    std::vector<std::optional<DeliveryOutcome>> outcomes(count);
    const DeliveryOutcome no_smtputf8{DeliveryOutcome::Kind::Failed, std::string(kNoSmtputf8Reply)};
    const bool sender_needs = !core::is_ascii(envelope.mail_from);
    bool tried_without = false;
    while (true) {
        const bool lacks = session_->log.smtputf8 == false;
        std::vector<std::string> recipients;
        std::vector<std::size_t> positions;
        bool needs = sender_needs;
        for (std::size_t idx = 0; idx < count; ++idx) {
            if (outcomes[idx]) {
                continue;
            }
            const bool recipient_needs = sender_needs || !core::is_ascii(envelope.recipients[idx]);
            if (lacks && recipient_needs) {
                outcomes[idx] = no_smtputf8;
                continue;
            }
            needs = needs || recipient_needs;
            recipients.push_back(envelope.recipients[idx]);
            positions.push_back(idx);
        }
        if (recipients.empty()) {
            break;
        }
        const Performed performed = perform(envelope.mail_from, recipients, bytes, true, needs);
        if (session_->log.aborted_for_smtputf8 && !tried_without) {
            // Now known: the loop fails those that need it and sends the others.
            tried_without = true;
            continue;
        }
        const auto& replies = session_->log.rcpt_replies;
        const bool judged_each = replies.size() == recipients.size();
        for (std::size_t idx = 0; idx < positions.size(); ++idx) {
            const bool refused = judged_each && !replies[idx].starts_with("2");
            outcomes[positions[idx]] = refused ? outcome_of_reply(replies[idx]) : performed.outcome;
        }
        break;
    }
    std::vector<DeliveryOutcome> result;
    result.reserve(count);
    for (auto& outcome : outcomes) {
        if (outcome) {
            result.push_back(std::move(*outcome));
        } else {
            result.push_back(no_smtputf8);
        }
    }
    return result;
}

std::string SmtpTransport::describe() const {
    return relay_.describe();
}

long SmtpTransport::connections_opened() const {
    std::lock_guard lock(mutex_);
    return connections_opened_ + (pipeline_ ? pipeline_->connections_opened() : 0);
}

}  // namespace coalition::mail
