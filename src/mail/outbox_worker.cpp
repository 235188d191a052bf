#include "mail/outbox_worker.hpp"

#include "core/assert.hpp"
#include "core/unavailable.hpp"

#include <algorithm>
#include <iostream>

namespace coalition::mail {
namespace {

constexpr std::chrono::seconds kFirstRetryDelay{60};
constexpr std::chrono::seconds kLongestRetryDelay{3600};

}  // namespace

std::chrono::seconds retry_delay(int attempts) {
    std::chrono::seconds delay = kFirstRetryDelay;
    for (int attempt_idx = 1; attempt_idx < attempts && delay < kLongestRetryDelay; ++attempt_idx) {
        delay *= 2;
    }
    return std::min(delay, kLongestRetryDelay);
}

OutboxWorker::OutboxWorker(Outbox& outbox, Transport& transport, const core::Clock& clock,
                           OutboxWorkerOptions options)
    : outbox_(outbox), transport_(transport), clock_(clock), options_(std::move(options)) {
    COALITION_ASSERT(options_.batch_size > 0, "batch_size must be positive");
    COALITION_ASSERT(options_.max_attempts > 0, "max_attempts must be positive");
}

OutboxWorker::~OutboxWorker() {
    stop();
}

void OutboxWorker::start() {
    release_claims_of_dead_workers();
    std::lock_guard lock(mutex_);
    COALITION_ASSERT(!thread_.joinable(), "OutboxWorker::start() called twice");
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void OutboxWorker::release_claims_of_dead_workers() {
    if (!options_.is_dead) {
        return;
    }
    try {
        for (const auto& claimer : outbox_.claimers()) {
            if (claimer == options_.worker_name || !options_.is_dead(claimer)) {
                continue;
            }
            const std::int64_t cleared = outbox_.release_claims_of(claimer);
            if (cleared > 0) {
                report("outbox: took over " + std::to_string(cleared) + " message(s) claimed by " +
                       claimer + ", which stopped mid-batch");
            }
        }
    } catch (const core::Unavailable& error) {
        report(std::string("outbox: cannot take over earlier claims: ") + error.what());
    }
}

void OutboxWorker::notify() {
    {
        std::lock_guard lock(mutex_);
        notified_ = true;
    }
    wake_.notify_all();
}

void OutboxWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
        thread_.join();
    }
}

void OutboxWorker::run() {
    while (true) {
        const int handled = run_once();
        std::unique_lock lock(mutex_);
        if (stopping_) {
            return;
        }
        if (relay_unreachable_) {
            relay_unreachable_ = false;
            wake_.wait_for(lock, options_.unreachable_pause, [this] { return stopping_; });
            if (stopping_) {
                return;
            }
        } else if (handled < options_.batch_size) {
            // A full batch means more may be due: go again at once.
            wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || notified_; });
            if (stopping_) {
                return;
            }
        }
        notified_ = false;
    }
}

int OutboxWorker::run_once() {
    std::vector<OutboxItem> batch;
    try {
        batch = outbox_.claim_due(options_.batch_size, options_.lease, options_.worker_name);
    } catch (const core::Unavailable& error) {
        report(std::string("outbox: cannot claim mail, will try again: ") + error.what());
        return 0;
    }
    int handled = 0;
    for (std::size_t item_idx = 0; item_idx < batch.size(); ++item_idx) {
        bool stopping = false;
        {
            std::lock_guard lock(mutex_);
            stopping = stopping_;
        }
        try {
            if (stopping) {
                outbox_.release(batch[item_idx].id);
                continue;
            }
            const bool unreachable = handle(batch[item_idx]);
            ++handled;
            if (unreachable) {
                // The rest would fail the same way: back to the queue, attempts not counted.
                for (std::size_t rest_idx = item_idx + 1; rest_idx < batch.size(); ++rest_idx) {
                    outbox_.release(batch[rest_idx].id);
                }
                std::lock_guard lock(mutex_);
                relay_unreachable_ = true;
                break;
            }
        } catch (const core::Unavailable& error) {
            // The outcome was not recorded; the lease brings the message back (it may be sent
            // twice if it was delivered: mail is at least once).
            report(std::string("outbox: lost the database mid-batch: ") + error.what());
            break;
        }
    }
    return handled;
}

bool OutboxWorker::handle(const OutboxItem& item) {
    if (item.bytes.empty()) {
        report("outbox: message " + std::to_string(item.id) + " <" + item.message_id +
               "> could not be read back to be composed");
        outbox_.mark_failed(item.id, "the queued message could not be read back");
        return false;
    }
    const DeliveryOutcome outcome = transport_.deliver(item.envelope, item.bytes);
    switch (outcome.kind) {
        case DeliveryOutcome::Kind::Sent:
            outbox_.mark_sent(item.id, outcome.reply);
            return false;
        case DeliveryOutcome::Kind::Failed:
            report("outbox: message " + std::to_string(item.id) + " <" + item.message_id +
                   "> failed: " + outcome.reply);
            outbox_.mark_failed(item.id, outcome.reply);
            return false;
        case DeliveryOutcome::Kind::Retry:
            if (item.attempts >= options_.max_attempts) {
                report("outbox: message " + std::to_string(item.id) + " <" + item.message_id +
                       "> failed after " + std::to_string(item.attempts) +
                       " attempts: " + outcome.reply);
                outbox_.mark_failed(item.id, "gave up after " + std::to_string(item.attempts) +
                                                 " attempts; last reply: " + outcome.reply);
                return false;
            }
            outbox_.mark_retry(item.id, outcome.reply,
                               clock_.unix_now() + retry_delay(item.attempts).count());
            return outcome.relay_unreachable;
    }
    return false;
}

void OutboxWorker::report(const std::string& message) {
    if (options_.log) {
        options_.log(message);
    } else {
        std::cerr << message << '\n';
    }
}

}  // namespace coalition::mail
