// Placeholder until the pipeline helper implements lists/intake.hpp.
#include "lists/intake.hpp"

namespace coalition::lists {

namespace {
core::Error not_yet() { return core::Error::invalid("The list pipeline is not built yet."); }
}  // namespace

Intake::Intake(store::Database& database, const core::Clock& clock, Lists& lists,
               Subscriptions& subscriptions, Bounces& bounces, mail::Outbox& outbox,
               dns::DmarcPolicies& dmarc, IntakeSettings settings)
    : database_(database), clock_(clock), lists_(lists), subscriptions_(subscriptions),
      bounces_(bounces), outbox_(outbox), dmarc_(dmarc), settings_(std::move(settings)) {}

core::Result<Disposition> Intake::receive(std::string_view, std::string_view, std::string_view,
                                          PostSource) {
    return not_yet();
}
core::Result<Disposition> Intake::post_from_web(const List&, const core::Email&, std::string_view,
                                                std::string_view, std::string_view,
                                                std::optional<std::string>) {
    return not_yet();
}
std::vector<Post> Intake::held(ListId) const { return {}; }
std::optional<Post> Intake::find(PostId) const { return std::nullopt; }
core::Result<Post> Intake::approve(const accounts::Actor&, ListId, PostId) { return not_yet(); }
core::Result<Post> Intake::approve_and_accept_sender(const accounts::Actor&, ListId, PostId) {
    return not_yet();
}
core::Result<Post> Intake::reject(const accounts::Actor&, ListId, PostId, std::string_view) {
    return not_yet();
}
core::Result<Post> Intake::discard(const accounts::Actor&, ListId, PostId) { return not_yet(); }
std::vector<Post> Intake::accepted(ListId, std::size_t, std::size_t) const { return {}; }

}  // namespace coalition::lists
