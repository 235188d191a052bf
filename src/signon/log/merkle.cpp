#include "signon/log/merkle.hpp"
