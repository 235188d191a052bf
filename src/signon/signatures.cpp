#include "signon/signon.hpp"
