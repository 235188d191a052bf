#pragma once
// app::LogWorker: the background worker that keeps the transparency log's signed tree head
// current and mails receipts. Every interval (and at once after notify()) it signs a head over
// any leaves appended since the last one, then queues a receipt for each newly covered
// signature. Several servers on one PostgreSQL may each run one: signing an unchanged tree is a
// no-op, and a receipt is queued once (the signatures row records it).

#include "signon/signon.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace coalition::app {

struct LogWorkerOptions {
    std::string base_url;  // For links in receipt mails.
    std::chrono::milliseconds interval{std::chrono::seconds(1)};
    std::function<void(const std::string&)> log;  // Problems (a database outage); stderr if empty.
};

class LogWorker {
public:
    // `log` and `signatures` must outlive the worker.
    LogWorker(signon::TransparencyLog& log, signon::Signatures& signatures,
              LogWorkerOptions options);
    ~LogWorker();
    LogWorker(const LogWorker&) = delete;
    LogWorker& operator=(const LogWorker&) = delete;

    void start();
    void notify();
    // Joins the thread after the round in hand. Idempotent.
    void stop();
    // One round on the calling thread: sign a head, queue receipts. Returns receipts queued.
    std::int64_t run_once();

private:
    void run();

    signon::TransparencyLog& log_;
    signon::Signatures& signatures_;
    const LogWorkerOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // Guarded by mutex_.
    bool notified_ = false;  // Guarded by mutex_.
    std::thread thread_;
};

}  // namespace coalition::app
