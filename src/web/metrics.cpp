#include "web/metrics.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"

#include <charconv>
#include <cmath>

namespace coalition::web {

namespace {

constexpr std::string_view kUnmatched = "unmatched";

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
void append_label_value(std::string& out, std::string_view value) {
    for (char c : value) {
        if (c == '\\') {
            out.append("\\\\");
        } else if (c == '"') {
            out.append("\\\"");
        } else if (c == '\n') {
            out.append("\\n");
        } else {
            out.push_back(c);
        }
    }
}

void append_number(std::string& out, double value) {
    if (std::isnan(value)) {
        out.append("NaN");
        return;
    }
    if (std::isinf(value)) {
        out.append(value > 0 ? "+Inf" : "-Inf");
        return;
    }
    // Shortest text that reads back as the same double: "0.005", not "0.0050000000000000001".
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

bool is_valid_metric_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (std::size_t idx = 0; idx < name.size(); ++idx) {
        char c = name[idx];
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        bool digit = c >= '0' && c <= '9';
        if (!letter && !(digit && idx > 0)) {
            return false;
        }
    }
    return true;
}

// Help text escapes backslash and newline.
void append_help(std::string& out, std::string_view name, std::string_view help) {
    out.append("# HELP ").append(name).append(" ");
    for (char c : help) {
        if (c == '\\') {
            out.append("\\\\");
        } else if (c == '\n') {
            out.append("\\n");
        } else {
            out.push_back(c);
        }
    }
    out.append("\n");
}

}  // namespace

void Metrics::record_request(std::string_view route, Method method, int status, double seconds) {
    if (route.empty()) {
        route = kUnmatched;
    }
    struct KeyView {
        std::string_view route;
        Method method;
        int status;
    };
    const KeyView key{route, method, status};
    std::lock_guard lock(mutex_);
    auto counter = requests_.find(key);
    if (counter == requests_.end()) {
        requests_.emplace(CounterKey{std::string(route), method, status}, 1);
    } else {
        ++counter->second;
    }
    auto histogram = durations_.find(route);
    if (histogram == durations_.end()) {
        histogram = durations_.emplace(std::string(route), Histogram{}).first;
    }
    Histogram& entry = histogram->second;
    for (std::size_t bucket_idx = 0; bucket_idx < kBuckets.size(); ++bucket_idx) {
        if (seconds <= kBuckets[bucket_idx]) {
            ++entry.bucket_counts[bucket_idx];
            break;
        }
    }
    ++entry.count;
    entry.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    COALITION_ASSERT(is_valid_metric_name(name), "gauge names follow [a-zA-Z_:][a-zA-Z0-9_:]*");
    COALITION_ASSERT(read != nullptr, "a gauge needs a reader");
    std::lock_guard lock(mutex_);
    for (const Gauge& gauge : gauges_) {
        COALITION_ASSERT(gauge.name != name, "gauge names are unique");
    }
    gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
    std::string out;
    std::vector<Gauge> gauges;
    {
        std::lock_guard lock(mutex_);
        out.reserve(256 + requests_.size() * 96 + durations_.size() * 1200);
        append_help(out, "coalition_http_requests_total", "HTTP requests answered.");
        out.append("# TYPE coalition_http_requests_total counter\n");
        for (const auto& [key, count] : requests_) {
            out.append("coalition_http_requests_total{route=\"");
            append_label_value(out, key.route);
            out.append("\",method=\"").append(method_name(key.method));
            out.append("\",status=\"").append(std::to_string(key.status));
            out.append("\"} ").append(std::to_string(count)).append("\n");
        }
        append_help(out, "coalition_http_request_duration_seconds",
                    "Time from a complete request to its response, by route.");
        out.append("# TYPE coalition_http_request_duration_seconds histogram\n");
        for (const auto& [route, histogram] : durations_) {
            std::uint64_t cumulative = 0;
            for (std::size_t bucket_idx = 0; bucket_idx <= kBuckets.size(); ++bucket_idx) {
                out.append("coalition_http_request_duration_seconds_bucket{route=\"");
                append_label_value(out, route);
                out.append("\",le=\"");
                if (bucket_idx < kBuckets.size()) {
                    cumulative += histogram.bucket_counts[bucket_idx];
                    append_number(out, kBuckets[bucket_idx]);
                } else {
                    cumulative = histogram.count;
                    out.append("+Inf");
                }
                out.append("\"} ").append(std::to_string(cumulative)).append("\n");
            }
            out.append("coalition_http_request_duration_seconds_sum{route=\"");
            append_label_value(out, route);
            out.append("\"} ");
            append_number(out, histogram.sum);
            out.append("\ncoalition_http_request_duration_seconds_count{route=\"");
            append_label_value(out, route);
            out.append("\"} ").append(std::to_string(histogram.count)).append("\n");
        }
        gauges = gauges_;
    }
    // Gauges are read without the lock: a reader may query the database.
    for (const Gauge& gauge : gauges) {
        double value = 0;
        try {
            value = gauge.read();
        } catch (const core::Unavailable&) {
            value = std::nan("");
        }
        append_help(out, gauge.name, gauge.help);
        out.append("# TYPE ").append(gauge.name).append(" gauge\n");
        out.append(gauge.name).append(" ");
        append_number(out, value);
        out.append("\n");
    }
    return out;
}

}  // namespace coalition::web
