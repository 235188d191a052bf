// Fuzzes lists::decorate (an accepted post, as it came in over LMTP) and lists::personalise.
// The first input byte picks the list's settings (subject prefix, footer, reply-to policy, DMARC
// mitigation, an assigned Message-ID); the rest is the message.
// Invariants: never throws or crashes; a failure is Invalid; a success has no bare LF, parses
// again with GMime, carries exactly one List-Id and one loop header with this list's id and no
// DKIM-Signature, a subject with the prefix exactly once at its start (when the list has one),
// and decorating it again keeps the subject; the subject rule itself is idempotent;
// personalise() only prepends CRLF header lines.

#include "fuzz_support.hpp"
#include "lists/decorate.hpp"
#include "lists/decorate_subject.hpp"
#include "mail/gmime_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::mail::GObjectPtr;
namespace lists = coalition::lists;

lists::List make_list(std::uint8_t selector) {
    lists::List list{.id = lists::ListId(1),
                     .name = "discuss",
                     .domain = coalition::core::Domain::parse("пример.рф").value(),
                     .settings = {},
                     .owners = {},
                     .moderators = {},
                     .created_at = 0,
                     .updated_at = 0};
    auto& settings = list.settings;
    settings.display_name = (selector & 0x01) != 0 ? "Liste «café»" : "Discussion";
    settings.subject_prefix = (selector & 0x02) != 0 ? "" : "[x]";
    switch ((selector >> 2) & 0x03) {
        case 1:
            settings.footer = "Footer line";
            break;
        case 2:
            settings.footer = "القائمة البريدية\nhttps://coalition.example/lists/discuss";
            break;
        case 3:
            settings.footer = "Liste de discussion, café";
            break;
        default:
            break;
    }
    settings.reply_to_policy =
        (selector & 0x10) != 0 ? lists::ReplyToPolicy::List : lists::ReplyToPolicy::None;
    settings.dmarc_mitigation = (selector & 0x20) != 0
                                    ? lists::DmarcMitigation::MungeFromAlways
                                    : lists::DmarcMitigation::MungeFromWhenNeeded;
    return list;
}

GObjectPtr<GMimeMessage> parse(const std::string& raw) {
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    return GObjectPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

int header_count(GMimeMessage* message, const char* name) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    int count = 0;
    for (int idx = 0; idx < g_mime_header_list_get_count(headers); ++idx) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, idx);
        count += g_ascii_strcasecmp(g_mime_header_get_name(header), name) == 0 ? 1 : 0;
    }
    return count;
}

std::string subject_of(GMimeMessage* message) {
    const char* subject = g_mime_message_get_subject(message);
    return subject != nullptr ? subject : "";
}

bool has_bare_lf(std::string_view text) {
    for (std::size_t idx = 0; idx < text.size(); ++idx) {
        if (text[idx] == '\n' && (idx == 0 || text[idx - 1] != '\r')) {
            return true;
        }
    }
    return false;
}

void check_subject_rule(std::string_view input) {
    const std::string text = coalition::mail::header_safe_text(input.substr(0, 300));
    const std::string once = lists::prefixed_subject(text, "[x]");
    COALITION_FUZZ_CHECK(coalition::fuzz::is_well_formed_utf8(once), "subject not UTF-8", input);
    COALITION_FUZZ_CHECK(lists::prefixed_subject(once, "[x]") == once,
                         "the subject rule is not idempotent", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    coalition::mail::ensure_gmime_initialised();
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    check_subject_rule(input);
    const auto list = make_list(data[0]);
    const lists::DecorationContext context{
        .base_url = "https://coalition.example",
        .archive_url = "https://coalition.example/lists/discuss",
        .permalink = "https://coalition.example/lists/discuss/m/1",
        .message_id = "post-1@coalition.example",
        .add_message_id = (data[0] & 0x40) != 0,
        .author_dmarc =
            (data[0] & 0x80) != 0 ? lists::AuthorDmarc::Reject : lists::AuthorDmarc::None};
    const auto result = lists::decorate(list, input, context);
    if (!result) {
        COALITION_FUZZ_CHECK(result.error().code == coalition::core::ErrorCode::Invalid,
                             "a failure that is not Invalid", input);
        return 0;
    }
    const std::string& out = *result;
    COALITION_FUZZ_CHECK(!has_bare_lf(out), "a bare LF in the output", input);
    auto message = parse(out);
    COALITION_FUZZ_CHECK(message != nullptr, "the output does not parse", input);
    COALITION_FUZZ_CHECK(header_count(message.get(), "List-Id") == 1, "not one List-Id", input);
    COALITION_FUZZ_CHECK(header_count(message.get(), "X-Coalition-Loop") == 1,
                         "not one loop header", input);
    const char* loop = g_mime_object_get_header(GMIME_OBJECT(message.get()), "X-Coalition-Loop");
    COALITION_FUZZ_CHECK(loop != nullptr && list.list_id_header() == loop, "a wrong loop header",
                         input);
    COALITION_FUZZ_CHECK(header_count(message.get(), "DKIM-Signature") == 0,
                         "a DKIM-Signature survived", input);
    const std::string subject = subject_of(message.get());
    if (!list.settings.subject_prefix.empty()) {
        COALITION_FUZZ_CHECK(subject.starts_with("[x] ") || subject.starts_with("Re: [x] "),
                             "the subject does not start with the prefix", input);
        const auto again = lists::decorate(list, out, context);
        COALITION_FUZZ_CHECK(again.has_value(), "the output cannot be decorated again", input);
        auto twice = parse(*again);
        COALITION_FUZZ_CHECK(twice != nullptr && subject_of(twice.get()) == subject,
                             "decorating twice changes the subject", input);
    }
    const lists::PersonalHeaders personal{.unsubscribe_url = "https://coalition.example/u/t",
                                          .unsubscribe_mailto = "mailto:discuss-leave@x.org"};
    const std::string block = lists::personal_header_block(personal);
    const std::string personalised = lists::personalise(out, personal);
    COALITION_FUZZ_CHECK(personalised.size() == block.size() + out.size() &&
                             personalised.starts_with(block) && !has_bare_lf(block),
                         "personalise did more than prepend CRLF lines", input);
    return 0;
}
