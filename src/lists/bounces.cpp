// Placeholder until the delivery helper implements lists/bounces.hpp.
#include "lists/bounces.hpp"

namespace coalition::lists {

Bounces::Bounces(store::Database& database, const core::Clock& clock, Subscriptions& subscriptions,
                 mail::Outbox& outbox)
    : database_(database), clock_(clock), subscriptions_(subscriptions), outbox_(outbox) {}

core::Result<void> Bounces::receive(const List& /*list*/, std::string_view /*verp*/,
                                    std::string_view /*message*/) {
    return {};
}

void Bounces::record_failure(const List& /*list*/, const core::Email& /*member*/,
                             std::string_view /*reply*/) {}

bool Bounces::delivery_disabled(ListId /*list*/, MemberId /*member*/) const { return false; }

std::vector<BounceState> Bounces::states(ListId /*list*/) const { return {}; }

void Bounces::run_periodic() {}

std::vector<BouncedRecipient> parse_bounce(std::string_view /*message*/) { return {}; }

}  // namespace coalition::lists
