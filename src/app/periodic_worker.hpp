#pragma once
// app::PeriodicWorker: runs one task on its own thread every interval — due digests
// (lists::Digests::send_due), bounce warnings and removals (lists::Bounces::run_periodic).
// A task that throws core::Unavailable (the database is away) is logged and tried again at the
// next interval; the worker keeps running. The tasks are idempotent and transactional, so
// several servers on one PostgreSQL may each run them.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace coalition::app {

struct PeriodicWorkerOptions {
    std::string name;  // For log lines: "digests".
    std::chrono::milliseconds interval{std::chrono::seconds(60)};
    std::function<void(const std::string&)> log;  // Problems; stderr if empty.
};

class PeriodicWorker {
public:
    // `task` runs first right after start(), then every interval.
    PeriodicWorker(std::function<void()> task, PeriodicWorkerOptions options);
    ~PeriodicWorker();
    PeriodicWorker(const PeriodicWorker&) = delete;
    PeriodicWorker& operator=(const PeriodicWorker&) = delete;

    void start();
    // Joins the thread after the run in hand. Idempotent.
    void stop();

private:
    void run();

    std::function<void()> task_;
    const PeriodicWorkerOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // Guarded by mutex_.
    std::thread thread_;
};

}  // namespace coalition::app
