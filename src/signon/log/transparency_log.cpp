#include "signon/log/transparency_log.hpp"
