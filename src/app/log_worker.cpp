#include "app/log_worker.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"

#include <iostream>

namespace coalition::app {

LogWorker::LogWorker(signon::TransparencyLog& log, signon::Signatures& signatures,
                     LogWorkerOptions options)
    : log_(log), signatures_(signatures), options_(std::move(options)) {
}

LogWorker::~LogWorker() {
    stop();
}

void LogWorker::start() {
    COALITION_ASSERT(!thread_.joinable(), "LogWorker started twice");
    thread_ = std::thread([this] { run(); });
}

void LogWorker::notify() {
    {
        const std::lock_guard lock(mutex_);
        notified_ = true;
    }
    wake_.notify_one();
}

void LogWorker::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::int64_t LogWorker::run_once() {
    log_.publish_tree_head();
    return signatures_.send_receipts(options_.base_url);
}

void LogWorker::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            run_once();
        } catch (const core::Unavailable& error) {
            const std::string message = std::string("transparency log: ") + error.what();
            if (options_.log) {
                options_.log(message);
            } else {
                std::cerr << message << "\n";
            }
        }
        lock.lock();
        wake_.wait_for(lock, options_.interval, [this] { return stopping_ || notified_; });
        notified_ = false;
    }
}

}  // namespace coalition::app
