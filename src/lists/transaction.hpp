#pragma once
// The lists' transactions are store/transaction.hpp's, by their short names inside lists/.

#include "store/transaction.hpp"

namespace coalition::lists {

using store::Rejection;
using store::run_transaction;
using store::run_transaction_void;

}  // namespace coalition::lists
