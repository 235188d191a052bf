#include "statement/statement.hpp"
