// Transparency log figures (a benchmark that prints, not a test): appends N leaves (default
// 1,000,000) to a fresh SQLite log (WAL, synchronous=FULL), batched B per transaction, and prints
// the append rate; then times inclusion proofs (random index, tree_size = N) and prints the
// median and p99 in microseconds, beside the target of issue #3 (proof < 1 ms at 1M leaves).
// Usage: log_bench [--leaves N] [--batch B] [--proofs P] [--dir DIR] [--keep 1] [--reuse 1]

#include "core/clock.hpp"
#include "signon/log/transparency_log.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace coalition;  // NOLINT(google-build-using-namespace): a one-file program.
using Steady = std::chrono::steady_clock;

struct Options {
    std::uint64_t leaves = 1'000'000;
    std::uint64_t batch = 1000;
    std::uint64_t proofs = 10'000;
    std::string dir;
    bool reuse = false;  // Keep the database of an earlier --keep run and skip the appends.
    bool keep = false;   // Leave the database in --dir for a later --reuse run.
};

Options parse(int argc, char** argv) {
    Options options;
    for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
        const std::string name = argv[arg_idx];
        const std::string value = argv[arg_idx + 1];
        if (name == "--leaves") {
            options.leaves = std::stoull(value);
        } else if (name == "--batch") {
            options.batch = std::stoull(value);
        } else if (name == "--proofs") {
            options.proofs = std::stoull(value);
        } else if (name == "--dir") {
            options.dir = value;
        } else if (name == "--reuse" || name == "--keep") {
            (name == "--reuse" ? options.reuse : options.keep) = value == "1";
        } else {
            std::fprintf(stderr, "log_bench: unknown option %s\n", name.c_str());
            std::exit(2);
        }
    }
    return options;
}

// A leaf the size of a real "published" event (about 300 bytes).
std::string event(std::uint64_t number, std::mt19937_64& generator) {
    return R"({"campaign":"statement","event":"published","kind":"organisation","name":"Organisation )" +
           std::to_string(number) +
           R"(","country":"NZ","stakeholder_group":"technical-community","verification":"domain",)"
           R"("version":"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",)"
           R"("salt":")" +
           std::to_string(generator()) + std::to_string(generator()) + R"(","at":1767225600})";
}

double thread_cpu_micros() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

std::pair<double, double> median_and_p99(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return {values[values.size() / 2],
            values[std::min(values.size() - 1, values.size() * 99 / 100)]};
}

double seconds_since(Steady::time_point start) {
    return std::chrono::duration<double>(Steady::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse(argc, argv);
    const std::filesystem::path dir =
        options.dir.empty() ? std::filesystem::temp_directory_path() / "coalition-log-bench"
                            : std::filesystem::path(options.dir);
    if (!options.reuse) {
        std::filesystem::remove_all(dir);
    }
    std::filesystem::create_directories(dir);
    auto database = store::open_database("sqlite:" + (dir / "log.db").string());
    store::migrate(*database);
    core::SystemClock clock;
    const auto key = signon::LogKey::from_seed(std::array<std::uint8_t, 32>{1});
    signon::TransparencyLog log(*database, clock, key);
    std::mt19937_64 generator(1);

    std::printf("== appending %llu leaves, %llu per transaction (SQLite, synchronous=FULL)\n",
                static_cast<unsigned long long>(options.leaves),
                static_cast<unsigned long long>(options.batch));
    const auto append_start = Steady::now();
    std::uint64_t appended = 0;
    std::uint64_t next_report = 100'000;
    if (options.reuse) {
        appended = options.leaves = log.size();
    }
    while (appended < options.leaves) {
        const std::uint64_t count = std::min(options.batch, options.leaves - appended);
        std::vector<std::string> leaves;
        for (std::uint64_t leaf_idx = 0; leaf_idx < count; ++leaf_idx) {
            leaves.push_back(event(appended + leaf_idx, generator));
        }
        database->transact([&](store::Connection& connection) {
            for (const auto& leaf : leaves) {
                log.append(connection, leaf);
            }
        });
        appended += count;
        if (appended >= next_report) {
            std::printf("   %llu leaves, %.0f leaves/s so far\n",
                        static_cast<unsigned long long>(appended),
                        static_cast<double>(appended) / seconds_since(append_start));
            std::fflush(stdout);
            next_report += 100'000;
        }
    }
    const double append_seconds = seconds_since(append_start);
    const auto head_start = Steady::now();
    const auto head = log.publish_tree_head();
    const double head_ms = seconds_since(head_start) * 1000;

    const std::uint64_t size = log.size();
    std::vector<double> micros;
    std::vector<double> cpu_micros;
    micros.reserve(options.proofs);
    std::uint64_t failures = 0;
    for (std::uint64_t proof_idx = 0; proof_idx < options.proofs; ++proof_idx) {
        const std::uint64_t index = generator() % size;
        const double cpu_start = thread_cpu_micros();
        const auto start = Steady::now();
        const auto path = log.inclusion_proof(index, size);
        micros.push_back(seconds_since(start) * 1e6);
        cpu_micros.push_back(thread_cpu_micros() - cpu_start);
        // Checked outside the timing, and only now and then (the leaf costs a read).
        if (proof_idx % 500 == 0) {
            const auto entry = log.entries(index, index + 1);
            if (!path || entry.empty() ||
                !signon::verify_inclusion(index, size, entry[0].leaf_hash, *path, head.root_hash)) {
                ++failures;
            }
        }
    }
    const auto [median, p99] = median_and_p99(micros);
    const auto [cpu_median, cpu_p99] = median_and_p99(cpu_micros);

    std::printf("\n%-40s %14s %12s\n", "figure", "measured", "target");
    if (!options.reuse) {
        std::printf("%-40s %14.0f %12s\n", "log append (leaves/s, batched)",
                    static_cast<double>(options.leaves) / append_seconds, "");
    }
    std::printf("%-40s %14.1f %12s\n", "sign a tree head at that size (ms)", head_ms, "");
    std::printf("%-40s %14.1f %12s\n", "inclusion proof median (us)", median, "");
    std::printf("%-40s %14.1f %12s\n", "inclusion proof p99 (us)", p99, "< 1000");
    // CPU time of the calling thread: the cost without the wait for a busy machine's cores.
    std::printf("%-40s %14.1f %12s\n", "inclusion proof CPU median (us)", cpu_median, "");
    std::printf("%-40s %14.1f %12s\n", "inclusion proof CPU p99 (us)", cpu_p99, "");
    std::printf("(%llu leaves, %llu proofs, %llu failed verification; database %s, %.0f MB)\n",
                static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(micros.size()),
                static_cast<unsigned long long>(failures), (dir / "log.db").c_str(),
                static_cast<double>(std::filesystem::file_size(dir / "log.db")) / 1e6);
    if (!options.keep) {
        std::filesystem::remove_all(dir);
    }
    return failures == 0 ? 0 : 1;
}
