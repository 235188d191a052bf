// Placeholder until the delivery helper implements lists/delivery.hpp.
#include "lists/delivery.hpp"

#include <stdexcept>

namespace coalition::lists {

void schedule_delivery(store::Connection& /*connection*/, ListId /*list*/, PostId /*post*/,
                       std::int64_t /*now*/) {}

struct DeliveryWorker::Impl {};

DeliveryWorker::DeliveryWorker(store::Database&, const core::Clock&, Subscriptions&, Bounces&,
                               const mail::SmtpRelay*, std::string, DeliverySettings)
    : impl_(std::make_unique<Impl>()) {}
DeliveryWorker::~DeliveryWorker() = default;
void DeliveryWorker::start() {}
void DeliveryWorker::stop() {}
void DeliveryWorker::run_until_idle() {}
DeliveryProgress DeliveryWorker::progress(PostId) const { return {}; }

}  // namespace coalition::lists
