#pragma once
// lists::Intake: what happens to mail that reaches a list address, and the moderation queue.
//
// receive() is the LMTP edge's and `coalition inject`'s entry point, post_from_web() the web's;
// all three enter the same pipeline. For the posting address: the message is parsed (GMime) and
// stored (list_posts), then the rules run in order — loop (our own List-Id or X-Coalition-Loop),
// duplicate Message-ID, size, administrivia ("subscribe"/"unsubscribe" sent to the posting
// address), emergency moderation, the posting and nonmember policies, accepted senders — and the
// chain they pick holds, rejects (the author told why), discards or accepts. Accepting decorates
// the message (decorate.hpp, DMARC via dns::DmarcPolicies) and schedules its delivery
// (delivery.hpp) in the same transaction as the state change; so once receive() returns success
// the message is durable and every consequence is queued. NAME-request/-join/-leave/-confirm+T
// run the mail commands through Subscriptions; NAME-owner is forwarded to owners and moderators;
// NAME-bounces+… goes to Bounces. Held posts notify the moderators by mail.

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/email.hpp"
#include "core/result.hpp"
#include "lists/list.hpp"
#include "lists/posts.hpp"
#include "lists/subscriptions.hpp"
#include "mail/outbox.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::dns {
class DmarcPolicies;
}

namespace coalition::lists {

class Lists;
class Bounces;

struct IntakeSettings {
    std::string base_url;   // Links in mail and headers (List-Archive, Archived-At, moderation).
    std::string site_name;  // For mail to moderators and authors.
};

// What became of one message for one recipient address.
struct Disposition {
    enum class Kind {
        Accepted,   // Posted (or a command run, a bounce recorded, mail forwarded to owners).
        Held,       // Waiting for a moderator.
        Rejected,   // Refused; the author is told by mail (not by an SMTP error: see below).
        Discarded,  // Dropped without telling anyone.
    };
    Kind kind = Kind::Accepted;
    std::optional<PostId> post;  // For mail to the posting address.
    std::string reason;          // The rule or command outcome, for logs.
};

// Every method is thread-safe and throws core::Unavailable when the database is gone (LMTP then
// answers 451 and the MTA retries). Policy outcomes (held, rejected, discarded) are successes:
// the message was taken responsibly. Errors are for what the MTA should be told: NotFound for
// an address that names no list (550 5.1.1), TooLarge when the message exceeds the list's
// max_message_bytes and the list rejects by size (552 5.3.4), Invalid for bytes that are not a
// message at all (554 5.6.0).
class Intake {
public:
    Intake(store::Database& database, const core::Clock& clock, Lists& lists,
           Subscriptions& subscriptions, Bounces& bounces, mail::Outbox& outbox,
           dns::DmarcPolicies& dmarc, IntakeSettings settings);
    ~Intake();
    Intake(const Intake&) = delete;
    Intake& operator=(const Intake&) = delete;

    // One message for one recipient address (as LMTP's RCPT TO gave it). The posting rules are
    // in rules.hpp (a post refused for its size is recorded with its header block only), the
    // commands of NAME-request/-join/-leave/-confirm in commands.hpp.
    core::Result<Disposition> receive(std::string_view recipient, std::string_view envelope_sender,
                                      std::string_view message, PostSource source);

    // A post written on the web by a signed-in member: composed (From: the member, the list as
    // To, a fresh Message-ID, In-Reply-To when replying) and sent through the same pipeline.
    core::Result<Disposition> post_from_web(const List& list, const core::Email& author,
                                            std::string_view author_name, std::string_view subject,
                                            std::string_view body_text,
                                            std::optional<std::string> in_reply_to);

    // The moderation queue, oldest first.
    std::vector<Post> held(ListId list) const;
    std::optional<Post> find(PostId post) const;

    // Moderator decisions on a held post, audited ("list.moderate"). NotFound for an unknown post
    // or one of another list; Conflict when it is no longer held (two moderators raced).
    core::Result<Post> approve(const accounts::Actor& moderator, ListId list, PostId post);
    // Approves and adds the author to the list's accepted senders.
    core::Result<Post> approve_and_accept_sender(const accounts::Actor& moderator, ListId list,
                                                 PostId post);
    // Tells the author `reason` (Invalid, field "reason", when empty or over 2000 characters).
    core::Result<Post> reject(const accounts::Actor& moderator, ListId list, PostId post,
                              std::string_view reason);
    core::Result<Post> discard(const accounts::Actor& moderator, ListId list, PostId post);

    // Accepted posts of a list, newest first (the archive and web pages use them).
    std::vector<Post> accepted(ListId list, std::size_t limit, std::size_t offset) const;

    // Called after a transaction that scheduled a delivery has committed (an accepted or
    // approved post), so that a delivery worker in this process starts at once instead of at
    // its next poll. Set once, before the intake is used.
    void on_delivery_scheduled(std::function<void()> listener);

private:
    struct Impl;
    // Tells the listener (if any) about a delivery scheduled by a post that `disposition`
    // accepted; passes it through.
    core::Result<Disposition> announced(core::Result<Disposition> disposition) const;

    store::Database& database_;
    const core::Clock& clock_;
    Lists& lists_;
    Subscriptions& subscriptions_;
    Bounces& bounces_;
    mail::Outbox& outbox_;
    dns::DmarcPolicies& dmarc_;
    IntakeSettings settings_;
    std::unique_ptr<Impl> impl_;  // The random source and the mail commands.
    std::function<void()> delivery_listener_;
};

}  // namespace coalition::lists
