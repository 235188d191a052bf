#pragma once
// Prometheus text exposition (format 0.0.4) for /metrics: request counts by route pattern, method
// and status; a latency histogram by route; and gauges read from callbacks at scrape time (outbox
// depth, …). Routes are patterns ("/members/:slug"), never raw paths, so the label set stays small.
// Thread-safe: the server records from every worker thread while a handler renders.

#include "web/http.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace coalition::web {

class Metrics {
public:
    // Upper bounds of the latency buckets, in seconds (+Inf is implied).
    static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

    // Counts one answered request. `route` is the matched pattern, or "" when nothing matched
    // (recorded as "unmatched").
    void record_request(std::string_view route, Method method, int status, double seconds);

    // Registers a gauge read at every render(). `name` must be a valid metric name and unique;
    // `read` must be thread-safe. A `read` that throws core::Unavailable renders as NaN.
    void add_gauge(std::string name, std::string help, std::function<double()> read);

    // Everything in Prometheus text format, ending with a newline.
    std::string render() const;

private:
    struct CounterKey {
        std::string route;
        Method method;
        int status;
    };
    // Orders CounterKeys, and compares them with a borrowed route so the hot path need not build
    // a std::string.
    struct CounterKeyLess {
        using is_transparent = void;
        template <typename A, typename B>
        bool operator()(const A& a, const B& b) const {
            using View = std::tuple<std::string_view, Method, int>;
            return View(a.route, a.method, a.status) < View(b.route, b.method, b.status);
        }
    };
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> bucket_counts{};  // Not cumulative.
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct Gauge {
        std::string name;
        std::string help;
        std::function<double()> read;
    };

    mutable std::mutex mutex_;
    std::map<CounterKey, std::uint64_t, CounterKeyLess> requests_;  // Guarded by mutex_.
    std::map<std::string, Histogram, std::less<>> durations_;       // Guarded by mutex_.
    std::vector<Gauge> gauges_;                                     // Guarded by mutex_.
};

}  // namespace coalition::web
