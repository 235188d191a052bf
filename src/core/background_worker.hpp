#pragma once
// One thread that runs queued tasks in order, for work that must not hold up the request that
// noticed it is due (refreshing a cached count that takes a few hundred milliseconds at 100,000
// rows). The destructor stops the thread: a running task finishes, queued ones are dropped, so
// an owner declares its worker after everything the tasks use (members are destroyed in reverse).

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace coalition::core {

class BackgroundWorker {
public:
    BackgroundWorker();
    ~BackgroundWorker();
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete;

    // Queues `task`. A task that throws is dropped with its exception (the next due refresh
    // tries again); it must not post to this worker and wait for that.
    void post(std::function<void()> task);

private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;  // Guarded by mutex_.
    bool stopping_ = false;                    // Guarded by mutex_.
    std::thread thread_;                       // Last: starts once the rest exists.
};

}  // namespace coalition::core
