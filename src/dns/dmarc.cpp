#include "dns/dns.hpp"
