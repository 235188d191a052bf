#include "lists/decorate.hpp"

#include "core/text.hpp"
#include "lists/decorate_footer.hpp"
#include "lists/decorate_subject.hpp"
#include "mail/gmime_support.hpp"

#include <array>
#include <string>
#include <vector>

namespace coalition::lists {
namespace {

using mail::GObjectPtr;

// Headers of the original that the list replaces: an upstream list's RFC 2369/2919 fields (a
// member would unsubscribe from the wrong list), our own per-post headers, and DKIM signatures
// (they cannot verify once the subject and body change; RFC 6376 §4.1).
constexpr std::array<const char*, 14> kReplacedHeaders = {"DKIM-Signature",
                                                          "List-Id",
                                                          "List-Post",
                                                          "List-Help",
                                                          "List-Subscribe",
                                                          "List-Unsubscribe",
                                                          "List-Unsubscribe-Post",
                                                          "List-Archive",
                                                          "List-Owner",
                                                          "Archived-At",
                                                          "Precedence",
                                                          "X-Coalition-Loop",
                                                          "X-BeenThere",
                                                          "Errors-To"};

GObjectPtr<GMimeMessage> parse_message(std::string_view raw) {
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    return GObjectPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

// A message needs at least one header field (RFC 5322 §3.5); GMime keeps the Content-* fields
// of a single-part body with that part.
bool has_header_fields(GMimeMessage* message) {
    GMimeObject* body = g_mime_message_get_mime_part(message);
    return g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(message))) > 0 ||
           (body != nullptr &&
            g_mime_header_list_get_count(g_mime_object_get_header_list(body)) > 0);
}

// GMime keeps each header's raw value with its line end, but the last header of a message that
// ends without one has none, and a header appended after it would run on in the same line.
void end_header_lines(GMimeObject* object) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(object);
    for (int idx = 0; idx < g_mime_header_list_get_count(headers); ++idx) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, idx);
        const char* raw = g_mime_header_get_raw_value(header);
        const std::string_view value = raw != nullptr ? raw : "";
        if (value.empty() || value.back() != '\n') {
            g_mime_header_set_raw_value(header, (std::string(value) + "\n").c_str());
        }
    }
}

std::string serialise(GMimeMessage* message) {
    mail::FormatOptionsPtr options(g_mime_format_options_new());
    // RFC 5322 §2.1: lines end in CRLF on the wire; GMime converts bare LF and keeps CRLF.
    g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    g_mime_object_write_to_stream(GMIME_OBJECT(message), options.get(), stream.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    const std::string_view written(reinterpret_cast<const char*>(bytes->data), bytes->len);
    // GMime writes some malformed structures (a multipart without a boundary) raw, bare LF
    // included; what leaves here has CRLF line ends whatever came in.
    std::string out;
    out.reserve(written.size());
    for (std::size_t idx = 0; idx < written.size(); ++idx) {
        if (written[idx] == '\n' && (idx == 0 || written[idx - 1] != '\r')) {
            out += '\r';
        }
        out += written[idx];
    }
    return out;
}

// A URL or URI as it may stand between angle brackets in a header (RFC 2369 §2): every byte
// outside printable ASCII, and the delimiters that could end the bracket or the field, are
// percent-encoded, so a hostile setting can neither start a header line nor add a URI.
std::string header_uri(std::string_view uri) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    static constexpr std::string_view kEscaped = "<>\"\\^`{|}, ";
    std::string out;
    for (const char c : core::trim(uri)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || kEscaped.find(c) != std::string_view::npos) {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0f];
        } else {
            out += c;
        }
    }
    return out;
}

// "<a>, <b>" folded after each comma, so no line grows past what RFC 5322 §2.1.1 allows.
std::string uri_list(const std::vector<std::string>& uris) {
    std::string out;
    for (const auto& uri : uris) {
        out += (out.empty() ? "<" : ",\n <") + header_uri(uri) + ">";
    }
    return out;
}

int count_of(GMimeHeaderList* headers, const char* name) {
    int count = 0;
    for (int idx = 0; idx < g_mime_header_list_get_count(headers); ++idx) {
        const char* header_name =
            g_mime_header_get_name(g_mime_header_list_get_header_at(headers, idx));
        count += g_ascii_strcasecmp(header_name, name) == 0 ? 1 : 0;
    }
    return count;
}

void remove_all(GMimeHeaderList* headers, const char* name) {
    while (g_mime_header_list_remove(headers, name)) {
    }
}

// Appends `name: value` with `value` written exactly as given (ASCII, already folded): GMime's
// own formatter would re-encode "=?" sequences and fold URIs where it likes.
void append_raw_header(GMimeMessage* message, const char* name, const std::string& value) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    g_mime_header_list_append(headers, name, "-", nullptr);
    GMimeHeader* header =
        g_mime_header_list_get_header_at(headers, g_mime_header_list_get_count(headers) - 1);
    g_mime_header_set_raw_value(header, (" " + value + "\n").c_str());
}

std::string mailto(const List& list, AddressRole role, std::string_view query = {}) {
    // List names are ASCII and envelope() gives the A-label domain: the URI is plain ASCII.
    return "mailto:" + list.address(role).envelope() + std::string(query);
}

std::string encoded_phrase(std::string_view text) {
    mail::GCharPtr phrase(g_mime_utils_header_encode_phrase(
        nullptr, mail::header_safe_text(core::trim(text)).c_str(), "utf-8"));
    return phrase ? std::string(phrase.get()) : std::string();
}

// `text` (valid UTF-8) as RFC 2047 "Q" encoded words of at most 75 characters, one a line,
// each holding whole characters (RFC 2047 §5). Not "B": GMime joins the payloads of adjacent
// encoded words before decoding them, and base64 padding inside the join breaks it.
std::string encoded_words(std::string_view text) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    static constexpr std::size_t kMaxPayload = 75 - std::string_view(
                                                        "=?UTF-8?Q?"
                                                        "?=")
                                                        .size();
    std::vector<std::string> words(1);
    std::size_t idx = 0;
    while (idx < text.size()) {
        std::string character;  // One character, encoded.
        do {
            const auto byte = static_cast<unsigned char>(text[idx]);
            if (g_ascii_isalnum(static_cast<char>(byte)) != 0) {
                character += static_cast<char>(byte);
            } else if (byte == ' ') {
                character += '_';
            } else {
                character += '=';
                character += kHex[byte >> 4];
                character += kHex[byte & 0x0f];
            }
            ++idx;
        } while (idx < text.size() && (static_cast<unsigned char>(text[idx]) & 0xc0) == 0x80);
        if (words.back().size() + character.size() > kMaxPayload) {
            words.emplace_back();
        }
        words.back() += character;
    }
    std::string out;
    for (const auto& word : words) {
        out += (out.empty() ? "" : "\n ") + std::string("=?UTF-8?Q?") + word + "?=";
    }
    return out;
}

void apply_subject(GMimeMessage* message, const List& list) {
    const std::string prefix = core::trim(mail::header_safe_text(list.settings.subject_prefix));
    if (prefix.empty()) {
        return;
    }
    const char* current = g_mime_message_get_subject(message);
    const std::string subject = mail::header_safe_text(current != nullptr ? current : "");
    const std::string prefixed = prefixed_subject(subject, prefix);
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    // An unchanged subject keeps its original bytes (and its original encoding).
    if (current != nullptr && prefixed == current && count_of(headers, "Subject") == 1) {
        return;
    }
    // RFC 5322 §3.6 allows one Subject; with several, readers disagree on which one they show
    // (GMime reports one, and set_subject rewrites another), so the post keeps only ours.
    remove_all(headers, "Subject");
    g_mime_message_set_subject(message, prefixed.c_str(), "utf-8");
    if (prefixed.find("=?") != std::string::npos) {
        // GMime writes text that looks like an encoded word (left over from a broken one in the
        // original) as it is, and readers would then decode it: encode the whole subject.
        GMimeHeader* header = g_mime_header_list_get_header(headers, "Subject");
        g_mime_header_set_raw_value(header, (" " + encoded_words(prefixed) + "\n").c_str());
    }
}

void apply_list_headers(GMimeMessage* message, const List& list, const DecorationContext& context) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    for (const char* name : kReplacedHeaders) {
        remove_all(headers, name);
    }
    // RFC 2919 §3: List-Id = [phrase] "<" list-id ">".
    const std::string phrase = encoded_phrase(list.title());
    const std::string id = "<" + list.list_id_header() + ">";
    append_raw_header(message, "List-Id",
                      phrase + (phrase.size() + id.size() > 66 ? "\n " : " ") + id);
    append_raw_header(message, "List-Post", uri_list({mailto(list, AddressRole::Post)}));
    append_raw_header(message, "List-Help",
                      uri_list({mailto(list, AddressRole::Request, "?subject=help")}));
    std::vector<std::string> subscribe;
    std::string base_url = core::trim(context.base_url);
    while (!base_url.empty() && base_url.back() == '/') {
        base_url.pop_back();
    }
    if (!base_url.empty()) {
        subscribe.push_back(base_url + "/lists/" + list.name);
    }
    subscribe.push_back(mailto(list, AddressRole::Join));
    append_raw_header(message, "List-Subscribe", uri_list(subscribe));
    append_raw_header(message, "List-Owner", uri_list({mailto(list, AddressRole::Owner)}));
    if (!core::trim(context.archive_url).empty() &&
        list.settings.archive_visibility != ArchiveVisibility::None) {
        append_raw_header(message, "List-Archive", uri_list({context.archive_url}));
    }
    if (!core::trim(context.permalink).empty()) {
        append_raw_header(message, "Archived-At", uri_list({context.permalink}));  // RFC 5064.
    }
    append_raw_header(message, "Precedence", "list");
    append_raw_header(message, std::string(kLoopHeader).c_str(), list.list_id_header());
}

void apply_message_id(GMimeMessage* message, const DecorationContext& context) {
    if (!context.add_message_id) {
        return;
    }
    std::string id;
    for (const char c : mail::header_safe_text(context.message_id)) {
        if (c != '<' && c != '>' && c != ' ') {
            id += c;
        }
    }
    if (!id.empty()) {
        g_mime_message_set_message_id(message, id.c_str());
    }
}

GObjectPtr<InternetAddress> mailbox(std::string_view name, const std::string& address) {
    GObjectPtr<InternetAddress> result(
        internet_address_mailbox_new(mail::header_safe_text(name).c_str(), address.c_str()));
    // GMime would pick the smallest legacy charset for the name (iso-8859-6 for Arabic).
    internet_address_set_charset(result.get(), "utf-8");
    return result;
}

void replace_addresses(InternetAddressList* addresses, InternetAddress* only) {
    internet_address_list_clear(addresses);
    internet_address_list_add(addresses, only);
}

void apply_reply_to(GMimeMessage* message, const List& list) {
    const ListSettings& settings = list.settings;
    if (settings.reply_to_policy == ReplyToPolicy::List) {
        replace_addresses(g_mime_message_get_reply_to(message),
                          mailbox(list.title(), list.address(AddressRole::Post).envelope()).get());
    } else if (settings.reply_to_policy == ReplyToPolicy::Explicit &&
               settings.reply_to_address.has_value()) {
        replace_addresses(g_mime_message_get_reply_to(message),
                          mailbox("", settings.reply_to_address->envelope()).get());
    }
}

bool needs_from_munging(const List& list, const DecorationContext& context) {
    switch (list.settings.dmarc_mitigation) {
        case DmarcMitigation::MungeFromAlways:
            return true;
        case DmarcMitigation::MungeFromWhenNeeded:
            return context.author_dmarc != AuthorDmarc::None;
        case DmarcMitigation::Never:
            return false;
    }
    return false;
}

InternetAddressMailbox* first_mailbox(InternetAddressList* addresses) {
    for (int idx = 0; idx < internet_address_list_length(addresses); ++idx) {
        InternetAddress* address = internet_address_list_get_address(addresses, idx);
        if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
            return INTERNET_ADDRESS_MAILBOX(address);
        }
    }
    return nullptr;
}

bool contains_address(InternetAddressList* addresses, std::string_view address) {
    for (int idx = 0; idx < internet_address_list_length(addresses); ++idx) {
        InternetAddress* item = internet_address_list_get_address(addresses, idx);
        if (INTERNET_ADDRESS_IS_MAILBOX(item) &&
            g_ascii_strcasecmp(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(item)),
                               std::string(address).c_str()) == 0) {
            return true;
        }
    }
    return false;
}

// Mailman 3's munge_from (dmarc_mitigate_action = munge_from): From becomes "Name via LIST"
// <NAME@DOMAIN>. The author goes into Reply-To when the list leaves Reply-To alone; when
// Reply-To is the list's (or an explicit address), the author goes into Cc instead, so "reply"
// still reaches the list and "reply all" still reaches the author.
void apply_dmarc(GMimeMessage* message, const List& list, const DecorationContext& context) {
    if (!needs_from_munging(list, context)) {
        return;
    }
    InternetAddressList* from = g_mime_message_get_from(message);
    InternetAddressMailbox* author = first_mailbox(from);
    if (author == nullptr) {
        return;
    }
    const std::string address = internet_address_mailbox_get_addr(author);
    const char* raw_name = internet_address_get_name(INTERNET_ADDRESS(author));
    const std::string name =
        core::trim(mail::header_safe_text(raw_name != nullptr ? raw_name : ""));
    auto author_copy = mailbox(name, address);
    InternetAddressList* target = list.settings.reply_to_policy == ReplyToPolicy::None
                                      ? g_mime_message_get_reply_to(message)
                                      : g_mime_message_get_cc(message);
    if (!contains_address(target, address)) {
        internet_address_list_add(target, author_copy.get());
    }
    const std::string display = (name.empty() ? address : name) + " via " + list.title();
    replace_addresses(from, mailbox(display, list.address(AddressRole::Post).envelope()).get());
}

}  // namespace

core::Result<std::string> decorate(const List& list, std::string_view raw,
                                   const DecorationContext& context) {
    mail::ensure_gmime_initialised();
    auto message = parse_message(raw);
    if (!message || !has_header_fields(message.get())) {
        return core::Error::invalid("The message could not be parsed.", "message");
    }
    end_header_lines(GMIME_OBJECT(message.get()));
    if (GMimeObject* body = g_mime_message_get_mime_part(message.get())) {
        end_header_lines(body);
    }
    apply_subject(message.get(), list);
    apply_list_headers(message.get(), list, context);
    apply_message_id(message.get(), context);
    apply_reply_to(message.get(), list);
    apply_dmarc(message.get(), list, context);
    add_footer(message.get(), list.settings.footer);
    return serialise(message.get());
}

std::string personal_header_block(const PersonalHeaders& headers) {
    std::vector<std::string> uris;
    if (!core::trim(headers.unsubscribe_url).empty()) {
        uris.push_back(headers.unsubscribe_url);
    }
    if (!core::trim(headers.unsubscribe_mailto).empty()) {
        uris.push_back(headers.unsubscribe_mailto);
    }
    if (uris.empty()) {
        return {};
    }
    std::string block = "List-Unsubscribe: ";
    for (std::size_t uri_idx = 0; uri_idx < uris.size(); ++uri_idx) {
        block += (uri_idx == 0 ? "<" : ",\r\n <") + header_uri(uris[uri_idx]) + ">";
    }
    block += "\r\n";
    // RFC 8058 §3.1: one-click needs an HTTPS URI in List-Unsubscribe.
    if (!core::trim(headers.unsubscribe_url).empty()) {
        block += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    }
    return block;
}

std::string personalise(std::string_view decorated, const PersonalHeaders& headers) {
    std::string block = personal_header_block(headers);
    block.append(decorated);
    return block;
}

}  // namespace coalition::lists
