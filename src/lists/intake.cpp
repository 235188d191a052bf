#include "lists/intake.hpp"

#include "archive/archive.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "core/unavailable.hpp"
#include "dns/dns.hpp"
#include "lists/bounces.hpp"
#include "lists/commands.hpp"
#include "lists/decorate.hpp"
#include "lists/delivery.hpp"
#include "lists/incoming.hpp"
#include "lists/lists.hpp"
#include "lists/moderation_mail.hpp"
#include "lists/post_store.hpp"
#include "lists/rules.hpp"
#include "lists/transaction.hpp"
#include "mail/message.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace coalition::lists {
namespace {

constexpr std::size_t kMaxReasonCharacters = 2000;
constexpr std::size_t kMaxSubjectCharacters = 300;
// A post refused for its size keeps only its header block (up to this much): the record shows
// who sent what, without storing megabytes nobody will read.
constexpr std::size_t kMaxStoredHeaderBytes = 65536;

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

// The envelope sender as stored: the address when it is one, else its text made safe.
std::string stored_sender(std::string_view sender) {
    std::string trimmed = core::trim(sender);
    if (trimmed == "<>") {
        return {};
    }
    if (trimmed.size() > 2 && trimmed.front() == '<' && trimmed.back() == '>') {
        trimmed = trimmed.substr(1, trimmed.size() - 2);
    }
    if (auto email = core::Email::parse(trimmed)) {
        return email->unicode();
    }
    return clean_text(trimmed, 320);
}

// What follows the '+' of NAME-bounces+VERP@DOMAIN, possibly empty.
std::string verp_part(std::string_view recipient) {
    const auto at = recipient.rfind('@');
    const std::string_view local = recipient.substr(0, at);
    const auto plus = local.find('+');
    return plus == std::string_view::npos ? std::string() : std::string(local.substr(plus + 1));
}

std::string header_block(std::string_view raw) {
    std::size_t end = raw.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        end = raw.find("\n\n");
    }
    return std::string(raw.substr(0, std::min({end, raw.size(), kMaxStoredHeaderBytes})));
}

PostState state_for(Action action) {
    switch (action) {
        case Action::Accept:
            return PostState::Accepted;
        case Action::Hold:
            return PostState::Held;
        case Action::Reject:
            return PostState::Rejected;
        case Action::Discard:
            return PostState::Discarded;
    }
    return PostState::Held;
}

Disposition::Kind kind_for(PostState state) {
    switch (state) {
        case PostState::Accepted:
            return Disposition::Kind::Accepted;
        case PostState::Held:
            return Disposition::Kind::Held;
        case PostState::Rejected:
            return Disposition::Kind::Rejected;
        case PostState::Discarded:
            return Disposition::Kind::Discarded;
    }
    return Disposition::Kind::Held;
}

std::string audit_subject(ListId list) {
    return "list:" + std::to_string(list.value());
}

post_store::Decision decision_of(PostState state, std::string decided_by,
                                 std::string decision_reason, std::int64_t decided_at) {
    post_store::Decision decision;
    decision.state = state;
    decision.decided_by = std::move(decided_by);
    decision.decision_reason = std::move(decision_reason);
    decision.decided_at = decided_at;
    return decision;
}

core::Error no_such_post() {
    return core::Error::not_found("There is no such message in this list's queue.");
}

core::Error already_decided() {
    return core::Error::conflict("Another moderator has already decided on this message.");
}

}  // namespace

// The pipeline's steps that need the Intake's services. A nested class of Intake, so it reaches
// the services directly.
struct Intake::Impl {
    explicit Impl(Intake& intake)
        : self(intake),
          site_url(without_trailing_slash(intake.settings_.base_url)),
          commands(intake.database_, intake.clock_, random, intake.lists_, intake.subscriptions_,
                   intake.outbox_, intake.settings_.base_url) {}

    Intake& self;
    const std::string site_url;  // settings_.base_url without a trailing slash.
    core::SecureRandom random;
    MailCommands commands;

    const std::string& base_url() const { return site_url; }
    std::string list_url(const List& list) const { return base_url() + "/lists/" + list.name; }

    // What the author's domain publishes, when the list's mitigation needs to know. The DNS
    // lookup happens outside any transaction (a SQLite body must wait for nothing but the
    // database); a failed lookup counts as Unknown, which decorate treats as Reject.
    AuthorDmarc author_dmarc(const List& list, const std::string& author_email) {
        if (list.settings.dmarc_mitigation != DmarcMitigation::MungeFromWhenNeeded) {
            return AuthorDmarc::None;
        }
        auto author = core::Email::parse(author_email);
        if (!author) {
            return AuthorDmarc::None;
        }
        try {
            switch (self.dmarc_.policy_for(author->domain())) {
                case dns::DmarcPolicy::None:
                    return AuthorDmarc::None;
                case dns::DmarcPolicy::Quarantine:
                    return AuthorDmarc::Quarantine;
                case dns::DmarcPolicy::Reject:
                    return AuthorDmarc::Reject;
            }
        } catch (const core::Unavailable&) {
            return AuthorDmarc::Unknown;
        }
        return AuthorDmarc::Unknown;
    }

    // `permalink` feeds Archived-At ("" for none).
    core::Result<std::string> decorated(const List& list, const Post& post, AuthorDmarc dmarc,
                                        std::string permalink) {
        return decorate(list, post.raw,
                        DecorationContext{.base_url = base_url(),
                                          .archive_url = list_url(list),
                                          .permalink = std::move(permalink),
                                          .message_id = post.message_id,
                                          .add_message_id = post.message_id_assigned,
                                          .author_dmarc = dmarc});
    }

    // Archives an accepted post in the transaction that accepts it: the archive receives every
    // accepted post, whatever the list's archive visibility (the pages hide what they must).
    // Idempotent by Message-ID: a post the archive already holds is not stored twice, and its
    // archived message is the one linked. Returns the permalink for Archived-At, "" when the
    // list's archive is not shown at all.
    std::string archive_post(store::Connection& connection, const List& list, const Post& post) {
        const auto stored = archive::store(connection, list.id.value(), post.raw, post.received_at,
                                           post.id.value());
        if (list.settings.archive_visibility == ArchiveVisibility::None) {
            return {};
        }
        return list_url(list) + "/m/" + std::to_string(stored.id.value());
    }

    mail::ComposedMessage compose(const List& list, const mail::OutgoingMessage& message) {
        auto composed = mail::compose(message, self.clock_, random);
        composed.envelope.mail_from = list.address(AddressRole::Bounces).envelope();
        return composed;
    }

    // The author may be told (of a rejection) unless the mail is automatic or comes from the null
    // sender or from one of our own list addresses: no mail loops.
    std::optional<core::Email> tellable_author(const Post& post, bool is_automatic) const {
        if (is_automatic || post.envelope_sender.empty()) {
            return std::nullopt;
        }
        auto author = core::Email::parse(post.author_email);
        if (!author || self.lists_.resolve(author->unicode()).has_value()) {
            return std::nullopt;
        }
        return std::move(*author);
    }

    std::string language_of(const List& list, const core::Email& email) const {
        const auto member = self.subscriptions_.find_member(list.id, email);
        return member ? member->language : list.settings.preferred_language;
    }

    std::optional<mail::ComposedMessage> rejection_mail(const List& list, const Post& post,
                                                        bool is_automatic,
                                                        std::string_view reason) {
        const auto author = tellable_author(post, is_automatic);
        if (!author) {
            return std::nullopt;
        }
        const moderation_mail::Context context{list, base_url(), self.settings_.site_name};
        return compose(list, moderation_mail::rejected(context, post, *author,
                                                       language_of(list, *author), reason));
    }

    core::Result<Disposition> post(const List& list, std::string_view envelope_sender,
                                   std::string_view raw, PostSource source);
    core::Result<Disposition> commands_for(const ResolvedAddress& resolved,
                                           std::string_view envelope_sender, std::string_view raw);
    core::Result<Disposition> forward_to_owners(const List& list, std::string_view raw);
    core::Result<Post> approve(const accounts::Actor& moderator, ListId list_id, PostId post_id,
                               bool accept_sender);
    void audit(store::Connection& connection, std::int64_t now, const accounts::Actor& moderator,
               const Post& post, std::string_view decision, std::string_view reason) const {
        const nlohmann::json details = {{"post", post.id.value()},
                                        {"decision", decision},
                                        {"reason", std::string(reason)},
                                        {"subject", post.subject}};
        accounts::AuditLog::record(connection, now, moderator, "list.moderate",
                                   audit_subject(post.list_id), details.dump());
    }
};

core::Result<Disposition> Intake::Impl::post(const List& list, std::string_view envelope_sender,
                                             std::string_view raw, PostSource source) {
    auto incoming = read_incoming(raw);
    if (!incoming) {
        return incoming.error();
    }
    const auto now = self.clock_.unix_now();
    Post post;
    post.list_id = list.id;
    post.message_id = incoming->message_id;
    if (post.message_id.empty()) {
        post.message_id = random.token(18) + "@" + list.domain.ascii();
        post.message_id_assigned = true;
    }
    post.envelope_sender = stored_sender(envelope_sender);
    post.author_email = incoming->author ? incoming->author->unicode() : incoming->author_text;
    post.author_name = incoming->author_name;
    post.subject = incoming->subject;
    post.size_bytes = static_cast<std::int64_t>(raw.size());
    post.raw = std::string(raw);
    post.source = source;
    post.received_at = now;

    const auto& author = incoming->author;
    const auto member =
        author ? self.subscriptions_.find_member(list.id, *author) : std::optional<Member>();
    PostFacts facts{
        .list = list,
        .message = *incoming,
        .size_bytes = post.size_bytes,
        .is_member = member && member->state == MemberState::Subscribed,
        .is_moderator = author && list.is_moderator(*author),
        .is_accepted_sender =
            author && post_store::is_accepted_sender(self.database_, list.id, author->canonical()),
        .is_duplicate = !post.message_id_assigned &&
                        post_store::has_accepted(self.database_, list.id, post.message_id),
    };
    Verdict verdict = run_chain(facts);
    const bool too_large = verdict.rule == "max-size";
    if (too_large) {
        post.raw = header_block(raw);
    }

    // Everything that may wait (DNS) or that is only CPU (composing) happens before the
    // transaction; the transaction only writes.
    const AuthorDmarc dmarc = verdict.action == Action::Accept
                                  ? author_dmarc(list, post.author_email)
                                  : AuthorDmarc::None;
    post.hold_reason = verdict.rule;
    post.hold_detail = verdict.detail;
    std::optional<mail::ComposedMessage> notice;
    if (verdict.action == Action::Hold) {
        const moderation_mail::Context context{list, base_url(), self.settings_.site_name};
        if (auto message = moderation_mail::held(context, post)) {
            notice = compose(list, *message);
        }
    } else if (verdict.action == Action::Reject && !too_large) {
        // A post refused for its size is refused to the MTA instead (552), which tells the
        // author; any other rejection is told by mail.
        notice = rejection_mail(list, post, incoming->is_automatic, verdict.detail);
    }

    self.database_.transact([&](store::Connection& connection) {
        // The duplicate check again, now inside the transaction: a retried delivery racing the
        // first must not be distributed twice.
        if (verdict.action == Action::Accept && !post.message_id_assigned) {
            post_store::serialise_message_id(connection, self.database_.dialect(), list.id,
                                             post.message_id);
        }
        if (verdict.action == Action::Accept && !post.message_id_assigned &&
            post_store::has_accepted(connection, list.id, post.message_id)) {
            facts.is_duplicate = true;
            verdict = *rules::duplicate(facts);
            post.hold_reason = verdict.rule;
            post.hold_detail = verdict.detail;
        }
        post.state = state_for(verdict.action);
        if (post.state != PostState::Held) {
            post.decided_by = "rules";
            post.decision_reason = verdict.detail;
            post.decided_at = now;
        }
        // Stored first, so that every message taken is kept whatever the decision.
        post.id = post_store::insert(connection, post);
        switch (post.state) {
            case PostState::Accepted: {
                // Archived first, so that Archived-At names the archived message. (Decoration
                // fails only for bytes GMime cannot read, which intake has already read.)
                auto bytes = decorated(list, post, dmarc, archive_post(connection, list, post));
                auto decision = decision_of(PostState::Accepted, "rules", verdict.detail, now);
                if (!bytes) {
                    // GMime read it at intake but cannot rewrite it: a person looks at it.
                    decision.state = PostState::Held;
                    decision.decided_by.clear();
                    decision.hold_reason = "unreadable";
                    decision.hold_detail = "The list could not add its headers and footer.";
                    post.state = PostState::Held;
                    post.hold_reason = *decision.hold_reason;
                } else {
                    decision.decorated = std::move(*bytes);
                    schedule_delivery(connection, list.id, post.id, now);
                }
                post_store::decide(connection, post.id, PostState::Accepted, decision);
                break;
            }
            case PostState::Held:
            case PostState::Rejected:
                if (notice) {
                    self.outbox_.enqueue(connection, *notice, post.subject);
                }
                break;
            case PostState::Discarded:
                break;
        }
    });
    if (too_large) {
        return core::Error{core::ErrorCode::TooLarge, verdict.detail, "size"};
    }
    return Disposition{.kind = kind_for(post.state),
                       .post = post.id,
                       .reason = post.hold_reason.empty() ? std::string(to_string(verdict.action))
                                                          : post.hold_reason};
}

core::Result<Disposition> Intake::Impl::commands_for(const ResolvedAddress& resolved,
                                                     std::string_view envelope_sender,
                                                     std::string_view raw) {
    auto incoming = read_incoming(raw);
    if (!incoming) {
        return incoming.error();
    }
    const CommandContext context{resolved.list, *incoming, envelope_sender};
    CommandOutcome outcome;
    switch (resolved.address.role()) {
        case AddressRole::Join:
            outcome = commands.join(context);
            break;
        case AddressRole::Leave:
            outcome = commands.leave(context);
            break;
        case AddressRole::Confirm:
            outcome = commands.confirm(context, resolved.address.token());
            break;
        default:
            outcome = commands.request(context);
            break;
    }
    std::string reason;
    for (const auto& each : outcome.done) {
        reason += (reason.empty() ? "" : "; ") + each;
    }
    return Disposition{.kind = Disposition::Kind::Accepted, .post = std::nullopt, .reason = reason};
}

core::Result<Disposition> Intake::Impl::forward_to_owners(const List& list, std::string_view raw) {
    auto incoming = read_incoming(raw);
    if (!incoming) {
        return incoming.error();
    }
    if (static_cast<std::int64_t>(raw.size()) > list.settings.max_message_bytes) {
        return core::Error{core::ErrorCode::TooLarge,
                           "The message is larger than this list accepts.", "size"};
    }
    const std::string ours = core::to_lower(list.list_id_header());
    if (std::find(incoming->loop_marks.begin(), incoming->loop_marks.end(), ours) !=
        incoming->loop_marks.end()) {
        return Disposition{.kind = Disposition::Kind::Discarded, .post = {}, .reason = "loop"};
    }
    mail::ComposedMessage forward;
    forward.envelope.mail_from = list.address(AddressRole::Bounces).envelope();
    for (const auto* people : {&list.owners, &list.moderators}) {
        for (const auto& email : *people) {
            forward.envelope.recipients.push_back(email.envelope());
            forward.envelope.needs_smtputf8 |= email.needs_smtputf8();
        }
    }
    if (forward.envelope.recipients.empty()) {
        return Disposition{.kind = Disposition::Kind::Discarded, .post = {}, .reason = "no owner"};
    }
    forward.message_id = incoming->message_id;
    // Forwarded as it came (Mailman does the same); the outbox keeps text, so bytes that are not
    // UTF-8 (or hold NUL) are made so.
    const bool storable = core::is_valid_utf8(raw) && raw.find('\0') == std::string_view::npos;
    forward.bytes = storable ? std::string(raw) : clean_text(raw, raw.size() * 3, true);
    self.database_.transact([&](store::Connection& connection) {
        self.outbox_.enqueue(connection, forward, incoming->subject);
    });
    return Disposition{
        .kind = Disposition::Kind::Accepted, .post = {}, .reason = "forwarded to the owners"};
}

core::Result<Post> Intake::Impl::approve(const accounts::Actor& moderator, ListId list_id,
                                         PostId post_id, bool accept_sender) {
    const auto found = post_store::find(self.database_, post_id);
    const auto list = self.lists_.find(list_id);
    if (!found || !list || found->list_id != list_id) {
        return no_such_post();
    }
    if (found->state != PostState::Held) {
        return already_decided();
    }
    Post post = *found;
    const AuthorDmarc dmarc = author_dmarc(*list, post.author_email);
    // Checked before anything changes; decorated again below with the archive's permalink.
    const auto decorable = decorated(*list, post, dmarc, "");
    if (!decorable) {
        return core::Error::invalid(
            "The list cannot add its headers and footer to this message; discard or reject it.");
    }
    const auto now = self.clock_.unix_now();
    const auto author = core::Email::parse(post.author_email);
    return run_transaction<Post>(
        self.database_, already_decided(), [&](store::Connection& connection) {
            auto decision = decision_of(PostState::Accepted, moderator.label(), "", now);
            // Archived first, so that Archived-At names the archived message; if another
            // moderator decided meanwhile, the Rejection below rolls the archiving back too.
            auto bytes = decorated(*list, post, dmarc, archive_post(connection, *list, post));
            if (bytes) {
                decision.decorated = std::move(*bytes);
            } else {
                decision.decorated = *decorable;
            }
            const bool changed = post_store::decide(connection, post.id, PostState::Held, decision);
            if (!changed) {
                throw Rejection(already_decided());
            }
            if (accept_sender && author) {
                post_store::add_accepted_sender(connection, list_id, author->canonical(),
                                                moderator.label(), now);
            }
            schedule_delivery(connection, list_id, post.id, now);
            audit(connection, now, moderator, post,
                  accept_sender ? "approve_and_accept_sender" : "approve", "");
            return *post_store::find(connection, post.id);
        });
}

Intake::Intake(store::Database& database, const core::Clock& clock, Lists& lists,
               Subscriptions& subscriptions, Bounces& bounces, mail::Outbox& outbox,
               dns::DmarcPolicies& dmarc, IntakeSettings settings)
    : database_(database),
      clock_(clock),
      lists_(lists),
      subscriptions_(subscriptions),
      bounces_(bounces),
      outbox_(outbox),
      dmarc_(dmarc),
      settings_(std::move(settings)),
      impl_(std::make_unique<Impl>(*this)) {
}

Intake::~Intake() = default;

core::Result<Disposition> Intake::receive(std::string_view recipient,
                                          std::string_view envelope_sender,
                                          std::string_view message, PostSource source) {
    auto resolved = lists_.resolve(recipient);
    if (!resolved) {
        // A recipient that does not even parse names no list either (550 5.1.1).
        return core::Error::not_found("No such list or list address here.");
    }
    const List& list = resolved->list;
    switch (resolved->address.role()) {
        case AddressRole::Post:
            return announced(impl_->post(list, envelope_sender, message, source));
        case AddressRole::Owner:
            return impl_->forward_to_owners(list, message);
        case AddressRole::Bounces: {
            auto received = bounces_.receive(list, verp_part(recipient), message);
            if (!received) {
                return received.error();
            }
            return Disposition{
                .kind = Disposition::Kind::Accepted, .post = {}, .reason = "bounce recorded"};
        }
        case AddressRole::Request:
        case AddressRole::Join:
        case AddressRole::Leave:
        case AddressRole::Confirm:
            return impl_->commands_for(*resolved, envelope_sender, message);
    }
    return core::Error::not_found("No such list or list address here.");
}

core::Result<Disposition> Intake::post_from_web(const List& list, const core::Email& author,
                                                std::string_view author_name,
                                                std::string_view subject,
                                                std::string_view body_text,
                                                std::optional<std::string> in_reply_to) {
    const std::string clean_subject = core::trim(subject);
    if (clean_subject.empty() || !core::is_valid_utf8(clean_subject) ||
        std::any_of(clean_subject.begin(), clean_subject.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }) ||
        core::character_count(clean_subject) > kMaxSubjectCharacters) {
        return core::Error::invalid("Write a subject of up to 300 characters.", "subject");
    }
    if (core::trim(body_text).empty() || !core::is_valid_utf8(body_text) ||
        body_text.find('\0') != std::string_view::npos) {
        return core::Error::invalid("Write your message.", "body");
    }
    if (static_cast<std::int64_t>(body_text.size()) > list.settings.max_message_bytes) {
        return core::Error{core::ErrorCode::TooLarge,
                           "The message is longer than this list "
                           "accepts.",
                           "body"};
    }
    mail::OutgoingMessage message{
        .from = mail::Mailbox{clean_text(author_name, 200), author},
        .to = {mail::Mailbox{list.title(), list.posting_address()}},
        .subject = core::to_nfc(clean_subject),
        .text_body = std::string(body_text),
        .headers = {},
        .language = "",
    };
    if (in_reply_to) {
        const std::string id = normalise_message_id(*in_reply_to);
        if (id.empty()) {
            return core::Error::invalid("Give a Message-ID such as 1234@example.org.",
                                        "in_reply_to");
        }
        message.headers.emplace_back("In-Reply-To", "<" + id + ">");
        message.headers.emplace_back("References", "<" + id + ">");
    }
    const auto composed = mail::compose(message, clock_, impl_->random);
    return announced(impl_->post(list, author.envelope(), composed.bytes, PostSource::Web));
}

void Intake::on_delivery_scheduled(std::function<void()> listener) {
    delivery_listener_ = std::move(listener);
}

core::Result<Disposition> Intake::announced(core::Result<Disposition> disposition) const {
    if (disposition && disposition->kind == Disposition::Kind::Accepted && disposition->post &&
        delivery_listener_) {
        delivery_listener_();
    }
    return disposition;
}

std::vector<Post> Intake::held(ListId list) const {
    return post_store::held(database_, list);
}

std::optional<Post> Intake::find(PostId post) const {
    return post_store::find(database_, post);
}

core::Result<Post> Intake::approve(const accounts::Actor& moderator, ListId list, PostId post) {
    auto approved = impl_->approve(moderator, list, post, false);
    if (approved && delivery_listener_) {
        delivery_listener_();
    }
    return approved;
}

core::Result<Post> Intake::approve_and_accept_sender(const accounts::Actor& moderator, ListId list,
                                                     PostId post) {
    auto approved = impl_->approve(moderator, list, post, true);
    if (approved && delivery_listener_) {
        delivery_listener_();
    }
    return approved;
}

core::Result<Post> Intake::reject(const accounts::Actor& moderator, ListId list_id, PostId post_id,
                                  std::string_view reason) {
    const std::string clean_reason = core::trim(clean_text(reason, 8 * kMaxReasonCharacters, true));
    if (clean_reason.empty() || core::character_count(clean_reason) > kMaxReasonCharacters) {
        return core::Error::invalid("Give a reason of up to 2000 characters.", "reason");
    }
    const auto found = post_store::find(database_, post_id);
    const auto list = lists_.find(list_id);
    if (!found || !list || found->list_id != list_id) {
        return no_such_post();
    }
    if (found->state != PostState::Held) {
        return already_decided();
    }
    const auto notice = impl_->rejection_mail(*list, *found, false, clean_reason);
    const auto now = clock_.unix_now();
    return run_transaction<Post>(database_, already_decided(), [&](store::Connection& connection) {
        if (!post_store::decide(
                connection, post_id, PostState::Held,
                decision_of(PostState::Rejected, moderator.label(), clean_reason, now))) {
            throw Rejection(already_decided());
        }
        if (notice) {
            outbox_.enqueue(connection, *notice, "Rejected: " + found->subject);
        }
        impl_->audit(connection, now, moderator, *found, "reject", clean_reason);
        return *post_store::find(connection, post_id);
    });
}

core::Result<Post> Intake::discard(const accounts::Actor& moderator, ListId list_id,
                                   PostId post_id) {
    const auto found = post_store::find(database_, post_id);
    if (!found || found->list_id != list_id) {
        return no_such_post();
    }
    if (found->state != PostState::Held) {
        return already_decided();
    }
    const auto now = clock_.unix_now();
    return run_transaction<Post>(database_, already_decided(), [&](store::Connection& connection) {
        if (!post_store::decide(connection, post_id, PostState::Held,
                                decision_of(PostState::Discarded, moderator.label(), "", now))) {
            throw Rejection(already_decided());
        }
        impl_->audit(connection, now, moderator, *found, "discard", "");
        return *post_store::find(connection, post_id);
    });
}

std::vector<Post> Intake::accepted(ListId list, std::size_t limit, std::size_t offset) const {
    return post_store::accepted(database_, list, limit, offset);
}

}  // namespace coalition::lists
