#pragma once
// The accounts' transactions are store/transaction.hpp's, by their short names inside accounts/.

#include "store/transaction.hpp"

namespace coalition::accounts {

using store::Rejection;
using store::run_transaction;
using store::run_transaction_void;

}  // namespace coalition::accounts
