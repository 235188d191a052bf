// Placeholder until the wiring helper implements lists/digests.hpp.
#include "lists/digests.hpp"

namespace coalition::lists {

std::string compose_digest(const List&, const std::vector<Post>&, int, int, DigestFormat,
                           std::string_view) {
    return {};
}

Digests::Digests(store::Database& database, const core::Clock& clock, Lists& lists,
                 Subscriptions& subscriptions, mail::Outbox& outbox, std::string base_url)
    : database_(database), clock_(clock), lists_(lists), subscriptions_(subscriptions),
      outbox_(outbox), base_url_(std::move(base_url)) {}

int Digests::send_due() { return 0; }
bool Digests::send_now(ListId) { return false; }

}  // namespace coalition::lists
