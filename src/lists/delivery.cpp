// Placeholder until the delivery helper implements lists/delivery.hpp.
#include "lists/delivery.hpp"

#include <stdexcept>

namespace coalition::lists {

void schedule_delivery(store::Connection& /*connection*/, ListId /*list*/, PostId /*post*/,
                       std::int64_t /*now*/) {}

}  // namespace coalition::lists
