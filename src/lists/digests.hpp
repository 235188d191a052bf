#pragma once
// Digests: members on digest delivery receive the list's accepted posts gathered into one
// message when the list's period ends or the size threshold is reached — MIME (multipart/digest,
// RFC 2046 §5.1.5) or plain text (RFC 1153), each with a table of contents. Digests are numbered
// per list (volume = year, issue). Reads accepted posts from list_posts; durable: a digest is
// recorded in the same transaction that stores its editions (one body per format) and schedules
// their delivery jobs, so none is sent twice; the DeliveryWorker fans each edition out to the
// members on that format like a post (VERP, personal List-Unsubscribe, batches, retries).

#include "core/clock.hpp"
#include "lists/list.hpp"
#include "lists/posts.hpp"
#include "mail/outbox.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace coalition::lists {

class Lists;
class Subscriptions;

enum class DigestFormat { Mime, PlainText };

// Builds one digest message body (headers included: From the list, To the list, Subject
// "[prefix] Digest, Vol N, Issue M"). Pure; tests call it directly.
std::string compose_digest(const List& list, const std::vector<Post>& posts, int volume, int issue,
                           DigestFormat format, std::string_view base_url);

class Digests {
public:
    Digests(store::Database& database, const core::Clock& clock, Lists& lists,
            Subscriptions& subscriptions, mail::Outbox& outbox, std::string base_url);

    // Sends every digest that is due (period ended or size reached). Returns how many digests
    // were sent (one per list, whatever the number of members).
    int send_due();
    // Sends the list's digest now if it has any post (an owner's "send digest now").
    bool send_now(ListId list);

private:
    store::Database& database_;
    const core::Clock& clock_;
    Lists& lists_;
    Subscriptions& subscriptions_;
    mail::Outbox& outbox_;
    std::string base_url_;
};

}  // namespace coalition::lists
