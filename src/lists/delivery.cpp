#include "lists/delivery.hpp"

#include "core/assert.hpp"
#include "core/random.hpp"
#include "core/unavailable.hpp"
#include "lists/bounces.hpp"
#include "lists/decorate.hpp"
#include "lists/delivery_store.hpp"
#include "lists/list_address.hpp"
#include "lists/list_store.hpp"
#include "lists/subscriptions.hpp"
#include "mail/smtp_transport.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace coalition::lists {
namespace {

using delivery_store::Outcome;
using delivery_store::RecipientRow;
using delivery_store::RecipientState;

// A claimed job's lease is renewed every kRenewEvery while its worker lives, however slowly the
// relay takes the batches, so a job of a killed server (PostgreSQL: several servers share the
// queue) is taken over after at most kLeaseSeconds. On SQLite (one server) a restarted worker
// takes over at once the leases not renewed since it started.
constexpr std::int64_t kLeaseSeconds = 30;
constexpr std::chrono::seconds kRenewEvery{10};

// One batch of one job's recipients, sent by one sender over its connection.
struct Batch {
    std::int64_t job = 0;
    std::shared_ptr<const List> list;
    std::shared_ptr<const std::string> decorated;
    std::vector<RecipientRow> recipients;
};

void log_problem(const std::string& message) {
    std::cerr << "delivery: " << message << '\n';
}

// Writes `bytes` to DIR/NAME through a temporary file, so a reader never sees half a message.
mail::DeliveryOutcome write_file(const std::filesystem::path& directory, const std::string& name,
                                 const std::string& bytes) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    const std::filesystem::path temporary = directory / ("." + name + ".tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) {
            return {mail::DeliveryOutcome::Kind::Retry, "cannot write " + temporary.string()};
        }
    }
    std::filesystem::rename(temporary, directory / name, error);
    if (error) {
        return {mail::DeliveryOutcome::Kind::Retry,
                "cannot write " + name + ": " + error.message()};
    }
    return {mail::DeliveryOutcome::Kind::Sent, "written to " + (directory / name).string()};
}

}  // namespace

void schedule_delivery(store::Connection& connection, ListId list, PostId post, std::int64_t now) {
    delivery_store::insert_job(connection, list, post, now);
}

void schedule_edition_delivery(store::Connection& connection, ListId list, std::int64_t edition,
                               std::int64_t now) {
    delivery_store::insert_edition_job(connection, list, edition, now);
}

struct DeliveryWorker::Impl {
    Impl(store::Database& database, const core::Clock& clock, Subscriptions& subscriptions,
         Bounces& bounces, const mail::SmtpRelay* relay, std::string file_directory,
         DeliverySettings settings)
        : database(database),
          clock(clock),
          subscriptions(subscriptions),
          bounces(bounces),
          relay(relay != nullptr ? std::optional<mail::SmtpRelay>(*relay) : std::nullopt),
          file_directory(std::move(file_directory)),
          settings(settings),
          started_at(clock.unix_now()) {
        COALITION_ASSERT(
            settings.connections >= 1 && settings.batch_size >= 1 && settings.bulk_recipients >= 1,
            "delivery settings count at least one of each");
        core::SecureRandom random;
        worker_name = "delivery-" + random.token(8);
    }

    // The claimer.
    bool run_one_job();
    bool is_stopping() {
        std::lock_guard lock(mutex);
        return stopping;
    }
    void dispatch(Batch batch);
    // Waits until every dispatched batch is sent, renewing `job`'s lease meanwhile (when given).
    void wait_for_batches(std::optional<std::int64_t> job);
    // Waits on `changed` until `done`, renewing the job's lease every kRenewEvery meanwhile.
    void wait_renewing_lease(std::unique_lock<std::mutex>& lock, std::int64_t job,
                             const std::function<bool()>& done);
    void renew_lease(std::int64_t job);
    // The senders.
    void ensure_senders();
    void sender_loop(std::size_t index);
    void send(const Batch& batch, std::size_t index);
    std::vector<mail::DeliveryOutcome> transmit(std::size_t index, const mail::Envelope& envelope,
                                                const std::string& bytes,
                                                const std::string& file_name);
    Outcome judge(const RecipientRow& row, const mail::DeliveryOutcome& outcome,
                  std::int64_t now) const;
    void stop_senders();

    store::Database& database;
    const core::Clock& clock;
    Subscriptions& subscriptions;
    Bounces& bounces;
    const std::optional<mail::SmtpRelay> relay;
    const std::filesystem::path file_directory;
    const DeliverySettings settings;
    const std::int64_t started_at;
    std::string worker_name;

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Batch> queue;           // Guarded by mutex.
    std::size_t busy = 0;              // Guarded by mutex.
    bool stopping = false;             // The claimer's signal. Guarded by mutex.
    bool notified = false;             // A job was scheduled since the claimer last looked.
    bool senders_stopping = false;     // Guarded by mutex.
    std::vector<std::thread> senders;  // Guarded by mutex.
    std::vector<std::unique_ptr<mail::SmtpTransport>> transports;  // One per sender thread.
    std::thread claimer;
};

void DeliveryWorker::Impl::ensure_senders() {
    std::lock_guard lock(mutex);
    if (!senders.empty()) {
        return;
    }
    senders_stopping = false;
    transports.resize(settings.connections);
    for (std::size_t index = 0; index < settings.connections; ++index) {
        if (relay && !transports[index]) {
            transports[index] = std::make_unique<mail::SmtpTransport>(*relay);
        }
        senders.emplace_back([this, index] { sender_loop(index); });
    }
}

void DeliveryWorker::Impl::stop_senders() {
    std::vector<std::thread> joining;
    {
        std::lock_guard lock(mutex);
        senders_stopping = true;
        joining.swap(senders);
    }
    changed.notify_all();
    for (auto& thread : joining) {
        thread.join();
    }
}

void DeliveryWorker::Impl::sender_loop(std::size_t index) {
    while (true) {
        Batch batch;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [this] { return senders_stopping || !queue.empty(); });
            if (queue.empty()) {
                return;  // Stopping, with nothing left: batches in the queue are finished first.
            }
            batch = std::move(queue.front());
            queue.pop_front();
            ++busy;
        }
        changed.notify_all();
        try {
            send(batch, index);
        } catch (const core::Unavailable& error) {
            // The rows stay pending and are sent again on the job's next run.
            log_problem(std::string("database unavailable: ") + error.what());
        }
        {
            std::lock_guard lock(mutex);
            --busy;
        }
        changed.notify_all();
    }
}

void DeliveryWorker::Impl::dispatch(Batch batch) {
    const std::int64_t job = batch.job;
    std::unique_lock lock(mutex);
    // At most one batch waits per connection: the claimer never runs far ahead of the senders.
    wait_renewing_lease(lock, job, [this] { return queue.size() < settings.connections; });
    queue.push_back(std::move(batch));
    lock.unlock();
    changed.notify_all();
}

void DeliveryWorker::Impl::wait_for_batches(std::optional<std::int64_t> job) {
    std::unique_lock lock(mutex);
    auto idle = [this] { return queue.empty() && busy == 0; };
    if (job) {
        wait_renewing_lease(lock, *job, idle);
    } else {
        changed.wait(lock, idle);
    }
}

void DeliveryWorker::Impl::wait_renewing_lease(std::unique_lock<std::mutex>& lock, std::int64_t job,
                                               const std::function<bool()>& done) {
    while (!changed.wait_for(lock, kRenewEvery, done)) {
        lock.unlock();
        try {
            renew_lease(job);
        } catch (const core::Unavailable& error) {
            log_problem(std::string("cannot renew the lease: ") + error.what());
        }
        lock.lock();
    }
}

void DeliveryWorker::Impl::renew_lease(std::int64_t job) {
    database.transact([&](store::Connection& connection) {
        delivery_store::renew_lease(connection, job, clock.unix_now() + kLeaseSeconds);
    });
}

bool DeliveryWorker::Impl::run_one_job() {
    const std::int64_t now = clock.unix_now();
    const std::optional<std::int64_t> stale_before =
        database.dialect() == store::Dialect::Sqlite ? std::optional(started_at) : std::nullopt;
    auto job =
        delivery_store::claim_job(database, worker_name, now, now + kLeaseSeconds, stale_before);
    if (!job) {
        return false;
    }
    auto list = list_store::find(database, job->list);
    auto content = delivery_store::content(database, *job);
    auto decorated = std::make_shared<const std::string>(std::move(content.bytes));
    if (!list || decorated->empty()) {
        log_problem((job->edition ? "digest edition " + std::to_string(*job->edition)
                                  : "post " + std::to_string(job->post.value())) +
                    " has no list or no bytes; its delivery is closed");
        delivery_store::release(database, job->id, std::nullopt, now);
        return true;
    }
    const auto shared_list = std::make_shared<const List>(std::move(*list));
    // First what is pending and due: retries, and rows a killed worker left unsent.
    MemberId after(0);
    while (!is_stopping()) {
        auto rows = delivery_store::due_recipients(database, job->id, after, clock.unix_now(),
                                                   settings.batch_size);
        if (rows.empty()) {
            break;
        }
        after = rows.back().member;
        renew_lease(job->id);
        dispatch(Batch{job->id, shared_list, decorated, std::move(rows)});
    }
    // Then the members not yet snapshotted, a batch at a time.
    while (!job->snapshot_done && !is_stopping()) {
        std::vector<RecipientRow> rows;
        database.transact([&](store::Connection& connection) {
            const std::int64_t at = clock.unix_now();
            rows = delivery_store::snapshot_batch(connection, *job, content.delivery_mode,
                                                  settings.batch_size, at);
            delivery_store::renew_lease(connection, job->id, at + kLeaseSeconds);
        });
        job->snapshot_done = rows.size() < settings.batch_size;
        if (!rows.empty()) {
            dispatch(Batch{job->id, shared_list, decorated, std::move(rows)});
        }
    }
    wait_for_batches(job->id);
    const std::int64_t at = clock.unix_now();
    // A worker stopped mid-snapshot leaves the rest for the next run, at once.
    const auto next = job->snapshot_done ? delivery_store::next_pending(database, job->id)
                                         : std::optional<std::int64_t>(at);
    delivery_store::release(database, job->id, next, at);
    return true;
}

std::vector<mail::DeliveryOutcome> DeliveryWorker::Impl::transmit(std::size_t index,
                                                                  const mail::Envelope& envelope,
                                                                  const std::string& bytes,
                                                                  const std::string& file_name) {
    if (transports[index]) {
        return transports[index]->deliver_each(envelope, bytes);
    }
    // The demo: one file per transaction, its envelope in X-Envelope-* lines before the message.
    std::string file = "X-Envelope-From: <" + envelope.mail_from + ">\r\n";
    for (const auto& recipient : envelope.recipients) {
        file += "X-Envelope-To: <" + recipient + ">\r\n";
    }
    file += bytes;
    const auto outcome = write_file(file_directory, file_name, file);
    return std::vector<mail::DeliveryOutcome>(envelope.recipients.size(), outcome);
}

Outcome DeliveryWorker::Impl::judge(const RecipientRow& row, const mail::DeliveryOutcome& outcome,
                                    std::int64_t now) const {
    Outcome judged{.member = row.member, .state = RecipientState::Sent, .reply = outcome.reply};
    switch (outcome.kind) {
        case mail::DeliveryOutcome::Kind::Sent:
            break;
        case mail::DeliveryOutcome::Kind::Failed:
            judged.state = RecipientState::Failed;
            break;
        case mail::DeliveryOutcome::Kind::Retry: {
            const std::int64_t first_failure = row.first_failure_at.value_or(now);
            if (now - first_failure >= settings.give_up_after.count()) {
                judged.state = RecipientState::Failed;
                judged.reply = "Given up after " +
                               std::to_string(settings.give_up_after.count() / 3600) +
                               " hours of temporary failures; last: " + outcome.reply;
                break;
            }
            // Exponential backoff: first_retry, twice that, … at most max_retry.
            std::int64_t delay = settings.first_retry.count();
            for (int attempt = 0; attempt < row.attempts && delay < settings.max_retry.count();
                 ++attempt) {
                delay *= 2;
            }
            judged.state = RecipientState::Retry;
            judged.next_attempt_at = now + std::min(delay, settings.max_retry.count());
            break;
        }
    }
    return judged;
}

void DeliveryWorker::Impl::send(const Batch& batch, std::size_t index) {
    const List& list = *batch.list;
    std::vector<Outcome> outcomes;
    outcomes.reserve(batch.recipients.size());
    struct Bounced {
        core::Email email;
        std::string reply;
    };
    std::vector<Bounced> bounced;
    const auto note = [&](const RecipientRow& row, const std::optional<core::Email>& email,
                          const mail::DeliveryOutcome& outcome) {
        outcomes.push_back(judge(row, outcome, clock.unix_now()));
        // RFC 5321 §4.2.1: a 5yz reply is the mailbox's; other failures (no SMTPUTF8 at the
        // relay) are not the member's fault.
        if (email && outcome.kind == mail::DeliveryOutcome::Kind::Failed &&
            outcome.reply.starts_with("5")) {
            bounced.push_back({*email, outcome.reply});
        }
    };
    const std::string job_prefix = std::to_string(batch.job) + "-";

    // Each transaction's rows and addresses, in envelope order, and how to compose it.
    struct Addressed {
        std::vector<const RecipientRow*> rows;
        std::vector<core::Email> emails;
        std::vector<const std::string*> unsubscribe_urls;  // Personalised only.
    };
    std::vector<Addressed> transactions;
    std::vector<std::optional<MemberLinks>> links;
    if (!settings.bulk) {
        // The links of the whole batch in one read.
        std::vector<MemberId> members;
        members.reserve(batch.recipients.size());
        for (const RecipientRow& row : batch.recipients) {
            members.push_back(row.member);
        }
        links = subscriptions.links(list, members);
    }
    for (std::size_t row_idx = 0; row_idx < batch.recipients.size(); ++row_idx) {
        const RecipientRow& row = batch.recipients[row_idx];
        auto email = core::Email::parse(row.email);
        if (!email || (!settings.bulk && !links[row_idx])) {
            note(row, std::nullopt,
                 {mail::DeliveryOutcome::Kind::Failed,
                  email ? "No longer a member of the list." : "Not a deliverable address."});
            continue;
        }
        // Personalised: one member a transaction (VERP); bulk: up to bulk_recipients.
        if (transactions.empty() || !settings.bulk ||
            transactions.back().rows.size() >= settings.bulk_recipients) {
            transactions.emplace_back();
        }
        Addressed& addressed = transactions.back();
        addressed.rows.push_back(&row);
        addressed.emails.push_back(std::move(*email));
        if (!settings.bulk) {
            addressed.unsubscribe_urls.push_back(&links[row_idx]->unsubscribe_url);
        }
    }
    const std::string bounces_address = list.address(AddressRole::Bounces).envelope();
    const std::string leave = "mailto:" + list.address(AddressRole::Leave).envelope();
    const auto transaction_for = [&](std::size_t idx) {
        const Addressed& addressed = transactions[idx];
        mail::SmtpTransaction transaction;
        for (const core::Email& email : addressed.emails) {
            transaction.envelope.recipients.push_back(email.envelope());
            transaction.envelope.needs_smtputf8 =
                transaction.envelope.needs_smtputf8 || email.needs_smtputf8();
        }
        if (settings.bulk) {
            transaction.envelope.mail_from = bounces_address;
        } else {
            // The member's own bounce address and header block before the shared bytes.
            const core::Email& member = addressed.emails.front();
            transaction.envelope.mail_from =
                ListAddress::bounces_for(list.name, list.domain, member).envelope();
            transaction.bytes = personal_header_block(
                PersonalHeaders{.unsubscribe_url = *addressed.unsubscribe_urls.front(),
                                .unsubscribe_mailto = leave});
        }
        transaction.bytes.append(*batch.decorated);
        return transaction;
    };
    const auto decided = [&](std::size_t idx, std::vector<mail::DeliveryOutcome>&& results) {
        const Addressed& addressed = transactions[idx];
        for (std::size_t position = 0; position < addressed.rows.size(); ++position) {
            note(*addressed.rows[position], addressed.emails[position], results[position]);
        }
    };
    if (transports[index]) {
        // Pipelined to the relay when it can: one round trip a transaction.
        transports[index]->deliver_sequence(transactions.size(), transaction_for, decided);
    } else {
        for (std::size_t idx = 0; idx < transactions.size(); ++idx) {
            const auto transaction = transaction_for(idx);
            const std::string file_name =
                std::to_string(transactions[idx].rows.front()->member.value()) +
                (settings.bulk ? "-bulk.eml" : ".eml");
            decided(idx, transmit(index, transaction.envelope, transaction.bytes,
                                  job_prefix + file_name));
        }
    }
    const std::int64_t now = clock.unix_now();
    database.transact([&](store::Connection& connection) {
        delivery_store::record_outcomes(connection, batch.job, outcomes, now);
    });
    for (const auto& bounce : bounced) {
        bounces.record_failure(list, bounce.email, bounce.reply);
    }
}

DeliveryWorker::DeliveryWorker(store::Database& database, const core::Clock& clock,
                               Subscriptions& subscriptions, Bounces& bounces,
                               const mail::SmtpRelay* relay, std::string file_directory,
                               DeliverySettings settings)
    : impl_(std::make_unique<Impl>(database, clock, subscriptions, bounces, relay,
                                   std::move(file_directory), settings)) {
}

DeliveryWorker::~DeliveryWorker() {
    stop();
}

void DeliveryWorker::start() {
    COALITION_ASSERT(!impl_->claimer.joinable(), "start() is called once");
    impl_->ensure_senders();
    impl_->claimer = std::thread([impl = impl_.get()] {
        while (true) {
            bool worked = false;
            try {
                worked = impl->run_one_job();
            } catch (const core::Unavailable& error) {
                log_problem(std::string("database unavailable: ") + error.what());
                impl->wait_for_batches(std::nullopt);
            }
            std::unique_lock lock(impl->mutex);
            if (impl->stopping) {
                return;
            }
            if (!worked) {
                impl->changed.wait_for(lock, impl->settings.poll_interval,
                                       [impl] { return impl->stopping || impl->notified; });
                if (impl->stopping) {
                    return;
                }
            }
            impl->notified = false;
        }
    });
}

void DeliveryWorker::notify() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->notified = true;
    }
    impl_->changed.notify_all();  // `changed` also wakes senders; they re-check and wait on.
}

void DeliveryWorker::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->changed.notify_all();
    if (impl_->claimer.joinable()) {
        impl_->claimer.join();
    }
    impl_->stop_senders();
}

void DeliveryWorker::run_until_idle() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = false;
    }
    impl_->ensure_senders();
    while (impl_->run_one_job()) {
    }
}

DeliveryProgress DeliveryWorker::progress(PostId post) const {
    return delivery_store::progress(impl_->database, post);
}

}  // namespace coalition::lists
