#include "core/background_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace coalition::core {
namespace {

TEST(BackgroundWorker, RunsTasksInOrderOnItsOwnThread) {
    BackgroundWorker worker;
    std::vector<int> seen;
    std::promise<std::thread::id> ran_on;
    worker.post([&] { seen.push_back(1); });
    worker.post([&] { seen.push_back(2); });
    worker.post([&] { ran_on.set_value(std::this_thread::get_id()); });
    EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
    EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

TEST(BackgroundWorker, ATaskThatThrowsDoesNotStopTheNext) {
    BackgroundWorker worker;
    std::promise<void> next_ran;
    worker.post([] { throw std::runtime_error("the database is gone"); });
    worker.post([&] { next_ran.set_value(); });
    next_ran.get_future().get();
}

TEST(BackgroundWorker, TheDestructorWaitsForTheRunningTask) {
    std::atomic<int> finished{0};
    std::promise<void> started;
    std::promise<void> release;
    std::thread releaser;
    {
        BackgroundWorker worker;
        auto released = release.get_future().share();
        worker.post([&, released] {
            started.set_value();
            released.wait();
            ++finished;
        });
        started.get_future().get();
        releaser = std::thread([&] { release.set_value(); });
    }
    releaser.join();
    EXPECT_EQ(finished.load(), 1);
}

}  // namespace
}  // namespace coalition::core
