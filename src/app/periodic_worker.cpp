#include "app/periodic_worker.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"

#include <iostream>

namespace coalition::app {

PeriodicWorker::PeriodicWorker(std::function<void()> task, PeriodicWorkerOptions options)
    : task_(std::move(task)), options_(std::move(options)) {
}

PeriodicWorker::~PeriodicWorker() {
    stop();
}

void PeriodicWorker::start() {
    COALITION_ASSERT(!thread_.joinable(), "PeriodicWorker started twice");
    thread_ = std::thread([this] { run(); });
}

void PeriodicWorker::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void PeriodicWorker::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            task_();
        } catch (const core::Unavailable& error) {
            const std::string message = options_.name + ": " + error.what();
            if (options_.log) {
                options_.log(message);
            } else {
                std::cerr << message << "\n";
            }
        }
        lock.lock();
        wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
    }
}

}  // namespace coalition::app
