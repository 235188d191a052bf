#include "archive/import.hpp"

#include "archive/archive.hpp"
#include "archive/archive_store.hpp"
#include "archive/mbox.hpp"
#include "archive/placement.hpp"
#include "archive/search.hpp"
#include "core/background_worker.hpp"
#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/unavailable.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <ctime>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <utility>

namespace coalition::archive {
namespace {

// Messages per transaction: large enough that commits do not dominate, small enough that a
// batch stays in memory (and a failing batch is retried one message at a time). The first batches
// are smaller, doubling up to the largest: until the first is prepared the writer has nothing to
// do, and a list of a thousand messages was two batches with little to overlap.
constexpr std::size_t kFirstBatchMessages = 50;
constexpr std::size_t kBatchMessages = 500;
constexpr std::size_t kBatchBytes = std::size_t{32} * 1024 * 1024;
// Batches prepared ahead of the one committing (each at most kBatchBytes of mail).
constexpr std::size_t kBatchesAhead = 2;
constexpr std::size_t kExportPage = 200;
// Messages a placer (placement.hpp) remembers before the importer starts a new one.
constexpr std::size_t kPlacerMessages = 50'000;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kPlausibleSince = 315'532'800;  // 1980-01-01T00:00:00Z

// The asctime at the end of an mbox separator line, UTC: "From anna@example.org Sat Nov 28
// 20:55:21 2026", Thunderbird's "From - Sat Nov 28 …", pipermail's "From anna at example.org  Sat
// Nov 28 …" (the sender has spaces). Trailing whitespace is ignored.
std::optional<std::int64_t> separator_date(std::string_view from_line) {
    constexpr std::size_t kAsctime = 24;  // "Sat Nov 28 20:55:21 2026"
    if (!from_line.starts_with("From ")) {
        return std::nullopt;
    }
    from_line.remove_prefix(5);
    while (!from_line.empty() && (from_line.back() == ' ' || from_line.back() == '\t')) {
        from_line.remove_suffix(1);
    }
    if (from_line.size() < kAsctime) {
        return std::nullopt;
    }
    const std::string date(from_line.substr(from_line.size() - kAsctime));
    std::tm parts{};
    const char* end = strptime(date.c_str(), "%a %b %e %H:%M:%S %Y", &parts);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(timegm(&parts));
}

struct Pending {
    std::size_t offset = 0;
    std::string bytes;
    std::int64_t received_at = 0;
    std::string note;  // Why it is reported whatever GMime says ("" for a message).
    std::optional<Prepared> prepared =
        std::nullopt;  // Parsed and tokenised; empty once stored (or not yet).
    std::string index_document = std::string();  // search::postgresql_document (PostgreSQL).
};

using Batch = std::vector<Pending>;

// Counts a message the list held already into `report`.
void count_duplicate(const Pending& message, ImportReport& report) {
    ++report.duplicates;
    if (!message.note.empty()) {
        report.unparseable.push_back({message.offset, message.note});
    }
}

// Counts a message stored into `report`, with why it is reported when GMime could not read it
// (kept as raw bytes).
void count_stored(const Pending& message, bool parseable, ImportReport& report) {
    ++report.imported;
    if (!message.note.empty()) {
        report.unparseable.push_back({message.offset, message.note});
    } else if (!parseable) {
        report.unparseable.push_back({message.offset, "not a readable message"});
    }
}

// Stores one message and counts it into `report`.
void store_one(store::Connection& connection, std::int64_t list_id, Pending& message,
               ImportReport& report) {
    // A batch that failed is stored again one message at a time: what it consumed is prepared
    // again.
    Prepared prepared = message.prepared ? std::move(*message.prepared) : prepare(message.bytes);
    message.prepared.reset();
    const bool parseable = prepared.parsed.parseable;
    const Stored stored = store(connection, list_id, message.received_at, std::move(prepared),
                                std::nullopt, RevisionRaise::ByCaller);
    if (stored.duplicate) {
        count_duplicate(message, report);
        return;
    }
    count_stored(message, parseable, report);
}

// The ids and subjects a batch asks the store about (archive_store::known), each once.
struct BatchQuestion {
    std::vector<std::string> ids;
    std::vector<std::string> bases;  // Of the orphans, within [from, until].
    std::int64_t from = INT64_MAX;
    std::int64_t until = INT64_MIN;

    void add(const Incoming& in) {
        ids.push_back(in.message.message_id);
        ids.insert(ids.end(), in.named.begin(), in.named.end());
        if (in.named.empty() && !in.base_subject.empty()) {
            bases.push_back(in.base_subject);
            from = std::min(from, in.message.date - kSubjectWindow);
            until = std::max(until, in.message.date + kSubjectWindow);
        }
    }
    void deduplicate() {
        for (auto* texts : {&ids, &bases}) {
            std::sort(texts->begin(), texts->end());
            texts->erase(std::unique(texts->begin(), texts->end()), texts->end());
        }
    }
};

// A batch on PostgreSQL: its messages as rows to be, placed in memory (placement.hpp), and the
// statements that write it, made before the transaction that runs them.
struct PlacedBatch {
    Batch batch;
    std::vector<Incoming> arrivals;  // By position in `batch`.
    BatchQuestion question;
    archive_store::Writes writes;  // Rows and index entries.
    std::vector<std::pair<ThreadId, ThreadId>> merged;
    std::vector<ThreadId> refreshed;
    archive_store::Writes growth;  // After the merges.
    ImportReport part;             // What it stores, once written.
};

PlacedBatch arrive(Batch batch, std::int64_t list_id) {
    PlacedBatch placed;
    placed.batch = std::move(batch);
    placed.arrivals.reserve(placed.batch.size());
    for (Pending& message : placed.batch) {
        // A batch that failed is stored again one message at a time: what it consumed is
        // prepared again.
        Prepared prepared =
            message.prepared ? std::move(*message.prepared) : prepare(message.bytes);
        message.prepared.reset();
        placed.arrivals.push_back(incoming(list_id, message.received_at, std::move(prepared)));
        placed.question.add(placed.arrivals.back());
    }
    placed.question.deduplicate();
    return placed;
}

// Makes the statements that write what `placement` decided for `placed`, and counts what they
// store.
void make_writes(PlacedBatch& placed, const placement::Placement& placement, std::int64_t list_id) {
    placed.part = ImportReport{};
    std::vector<archive_store::MessageToWrite> rows;
    std::vector<search::NewEntry> entries;
    for (std::size_t message_idx = 0; message_idx < placed.batch.size(); ++message_idx) {
        Pending& message = placed.batch[message_idx];
        if (placement.duplicate[message_idx]) {
            count_duplicate(message, placed.part);
            continue;
        }
        const Incoming& in = placed.arrivals[message_idx];
        count_stored(message, in.message.parseable, placed.part);
        rows.push_back({&in.message, in.stored_raw, &in.named});
        if (message.index_document.empty()) {
            message.index_document = search::postgresql_document(in.document, list_id);
        }
        entries.push_back({in.message.id, message.index_document});
    }
    placed.writes.clear();
    archive_store::insert_threads(placed.writes, list_id, placement.new_threads);
    archive_store::insert_messages(placed.writes, list_id, rows);
    search::index_batch(placed.writes, entries);
    placed.merged = placement.merged;
    placed.refreshed = placement.refreshed;
    placed.growth.clear();
    archive_store::grow_threads(placed.growth, placement.grown);
}

// The end of a batch's transaction: the list's archive revision raised once (store() left it to
// the importer) when anything was stored.
void end_batch(store::Connection& connection, std::int64_t list_id, const ImportReport& part) {
    if (part.imported > 0) {
        archive_store::raise_revision(connection, list_id);
    }
}

// Preparing threads yield to the writer: the writer's work is what an import must wait for (the
// batches prepared ahead keep it busy), and as one runnable thread among several on two cores it
// was given too little of one: a commit took half as long again as its CPU time.
void yield_to_the_writer() {
    constexpr int kPreparingNice = 10;  // A tenth of the default weight.
    // Raising one's own nice value needs no privilege; should it fail, the import is slower only.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kPreparingNice);
}

// Parses and tokenises batches (archive::prepare) on two threads, each taking half of every
// batch: preparing is the larger part of an import's work. The same two threads for the whole
// import, because what prepare() keeps per thread (ICU's word breaker, the stemmers, the stems
// made so far) was made again by every thread started for a batch.
class Preparers {
public:
    // With `index_list`, also makes each message's search::postgresql_document for that list.
    explicit Preparers(std::optional<std::int64_t> index_list) : index_list_(index_list) {}

    // A batch being prepared; ready() waits for both halves and hands it over.
    class Prepared {
    public:
        Prepared(std::shared_ptr<Batch> batch, std::future<void> first, std::future<void> second)
            : batch_(std::move(batch)), first_(std::move(first)), second_(std::move(second)) {}
        Batch ready() {
            first_.get();
            second_.get();
            return std::move(*batch_);
        }

    private:
        std::shared_ptr<Batch> batch_;
        std::future<void> first_;
        std::future<void> second_;
    };

    Prepared start(Batch batch) {
        auto shared = std::make_shared<Batch>(std::move(batch));
        const std::size_t half = shared->size() / 2;
        auto first = post(first_, shared, 0, half, index_list_);
        auto second = post(second_, shared, half, shared->size(), index_list_);
        return Prepared(std::move(shared), std::move(first), std::move(second));
    }

private:
    static std::future<void> post(core::BackgroundWorker& worker, std::shared_ptr<Batch> batch,
                                  std::size_t from, std::size_t to,
                                  std::optional<std::int64_t> index_list) {
        auto done = std::make_shared<std::promise<void>>();
        auto future = done->get_future();
        worker.post([batch = std::move(batch), from, to, index_list, done] {
            try {
                yield_to_the_writer();
                for (std::size_t message_idx = from; message_idx < to; ++message_idx) {
                    Pending& message = (*batch)[message_idx];
                    message.prepared = prepare(message.bytes);
                    if (index_list) {
                        message.index_document =
                            search::postgresql_document(message.prepared->document, *index_list);
                    }
                }
                done->set_value();
            } catch (...) {
                done->set_exception(std::current_exception());
            }
        });
        return future;
    }

    std::optional<std::int64_t> index_list_;
    core::BackgroundWorker first_;
    core::BackgroundWorker second_;
};

// Stores batches in one transaction each, pipelined: while batch k commits, batches k + 1 and
// k + 2 are parsed and tokenised (Preparers), so that the preparing threads have work for as
// long as a commit (and its fsync) takes. On PostgreSQL, batch k + 1 is also placed and its
// statements made (commit_placed) while batch k is written on a thread of its own.
class Importer {
public:
    Importer(store::Database& database, std::int64_t list_id)
        : database_(database),
          list_id_(list_id),
          preparers_(database.dialect() == store::Dialect::Postgresql
                         ? std::optional<std::int64_t>(list_id)
                         : std::nullopt) {
        if (database.dialect() == store::Dialect::Postgresql) {
            reserved_.emplace();  // SQLite gives row ids without a round trip.
        }
    }

    void add(Pending message) {
        batch_bytes_ += message.bytes.size();
        batch_.push_back(std::move(message));
        if (batch_.size() >= batch_limit_ || batch_bytes_ >= kBatchBytes) {
            hand_over();
            batch_limit_ = std::min(batch_limit_ * 2, kBatchMessages);
        }
    }

    // Stores everything added so far.
    void finish() {
        hand_over();
        while (!preparing_.empty()) {
            commit_prepared();
        }
        wait_for_writing();
        if (reserved_ && report_.imported > 0) {
            database_.transact(
                [](store::Connection& connection) { archive_store::analyse_lists(connection); });
        }
        if (widened_) {
            database_.transact([](store::Connection& connection) {
                archive_store::widen_page_cache(connection, false);
            });
        }
    }

    ImportReport& report() { return report_; }

private:
    // Starts preparing the filled batch, then commits the oldest one when enough are ahead.
    void hand_over() {
        if (batch_.empty()) {
            return;
        }
        preparing_.push_back(preparers_.start(std::move(batch_)));
        batch_ = Batch();
        batch_bytes_ = 0;
        if (preparing_.size() > kBatchesAhead) {
            commit_prepared();
        }
    }

    // Commits the oldest batch in preparation, once it is prepared.
    void commit_prepared() {
        Batch batch = preparing_.front().ready();
        preparing_.pop_front();
        if (reserved_) {
            commit_placed(std::move(batch));
        } else {
            commit_one_by_one(batch);
        }
    }

    // SQLite: store() for each message; its statements cost no round trip.
    void commit_one_by_one(Batch& batch) {
        ImportReport part;
        try {
            database_.transact([&](store::Connection& connection) {
                part = ImportReport{};
                if (!widened_) {
                    archive_store::widen_page_cache(connection, true);
                    widened_ = true;
                }
                for (Pending& message : batch) {
                    store_one(connection, list_id_, message, part);
                }
                end_batch(connection, list_id_, part);
            });
        } catch (const core::Unavailable&) {
            throw;
        } catch (const std::exception&) {
            part = store_each_alone(batch);
        }
        merge(part);
    }

    // PostgreSQL: the batch is placed (and its statements made) while the one before is being
    // written, on a thread of its own: the server's work on one overlaps ours on the next.
    void commit_placed(Batch batch) {
        PlacedBatch placed = arrive(std::move(batch), list_id_);
        if (remembered_ >= kPlacerMessages) {
            // What the placer remembers grows with the import (80,000 messages: 40 MB more than
            // 10,000): past this many it forgets, and a new one learns from the database once the
            // batch before is written.
            wait_for_writing();
            placer_.reset();
        }
        bool placed_well = try_place(placed);
        if (!wait_for_writing()) {
            // The batch before was stored one message at a time, not as placed: what the placer
            // remembers of it is wrong, so a new one learns from the database.
            placer_.reset();
            placed_well = try_place(placed);
        }
        if (!placed_well) {
            ImportReport part = store_each_alone(placed.batch);
            merge(part);
            return;
        }
        writing_ = std::async(std::launch::async, [this, placed = std::move(placed)]() mutable {
            return write(placed);
        });
    }

    // place(), or false when the store refused the batch's question (the batch is then stored
    // one message at a time, as a batch whose writing failed).
    bool try_place(PlacedBatch& placed) {
        try {
            place(placed);
            return true;
        } catch (const core::Unavailable&) {
            throw;
        } catch (const std::exception&) {
            return false;
        }
    }

    // Places `placed` after the batches placed before, asking the store about what is new.
    void place(PlacedBatch& placed) {
        if (!placer_) {
            placer_ = std::make_unique<placement::Placer>();
            remembered_ = 0;
        }
        try {
            database_.transact([&](store::Connection& connection) {
                const BatchQuestion& question = placed.question;
                const std::vector<std::string> asked = placer_->not_asked(question.ids);
                placer_->learn(archive_store::known(connection, list_id_, asked, question.bases,
                                                    question.from, question.until),
                               asked);
                const placement::IdSource ids{[&] { return reserved_->next_thread(connection); },
                                              [&] { return reserved_->next_message(connection); }};
                make_writes(placed, placer_->place(placed.arrivals, ids), list_id_);
            });
        } catch (...) {
            placer_.reset();  // It may have learnt or placed half of the batch.
            throw;
        }
        remembered_ += placed.batch.size();
    }

    struct Written {
        ImportReport part;
        bool as_placed = true;
    };

    // Runs on the writing thread.
    Written write(PlacedBatch& placed) {
        Written written;
        try {
            database_.transact([&](store::Connection& connection) {
                archive_store::plan_for_import(connection);
                for (const store::Statement& statement : placed.writes) {
                    connection.execute_later(statement.sql, statement.params);
                }
                for (const auto& [from, into] : placed.merged) {
                    archive_store::merge_thread(connection, from, into);
                }
                for (const ThreadId thread : placed.refreshed) {
                    archive_store::refresh_thread(connection, thread);
                }
                for (const store::Statement& statement : placed.growth) {
                    connection.execute_later(statement.sql, statement.params);
                }
                end_batch(connection, list_id_, placed.part);
            });
            written.part = placed.part;
        } catch (const core::Unavailable&) {
            throw;
        } catch (const std::exception&) {
            written.part = store_each_alone(placed.batch);
            written.as_placed = false;
        }
        return written;
    }

    // Waits for the batch being written, if any; false when it was not written as placed.
    bool wait_for_writing() {
        if (!writing_.valid()) {
            return true;
        }
        Written written = writing_.get();
        merge(written.part);
        return written.as_placed;
    }

    // One message the store refused rolled the batch back: find it one at a time, so that the
    // others are kept and the import goes on.
    ImportReport store_each_alone(Batch& batch) {
        ImportReport part;
        for (Pending& message : batch) {
            store_alone(message, part);
        }
        return part;
    }

    void store_alone(Pending& message, ImportReport& part) {
        ImportReport one;
        try {
            database_.transact([&](store::Connection& connection) {
                one = ImportReport{};
                // The row ids from the database: a Message-ID another transaction stored
                // meanwhile is then a duplicate, not a failure.
                store_one(connection, list_id_, message, one);
                end_batch(connection, list_id_, one);
            });
        } catch (const core::Unavailable&) {
            throw;
        } catch (const std::exception& error) {
            one = ImportReport{};
            one.unparseable.push_back({message.offset, std::string("not stored: ") + error.what()});
        }
        part.imported += one.imported;
        part.duplicates += one.duplicates;
        for (auto& entry : one.unparseable) {
            part.unparseable.push_back(std::move(entry));
        }
    }

    void merge(ImportReport& part) {
        report_.imported += part.imported;
        report_.duplicates += part.duplicates;
        for (auto& entry : part.unparseable) {
            report_.unparseable.push_back(std::move(entry));
        }
    }

    store::Database& database_;
    std::int64_t list_id_;
    Batch batch_;
    std::size_t batch_bytes_ = 0;
    std::size_t batch_limit_ = kFirstBatchMessages;  // Messages in the batch being filled.
    std::deque<Preparers::Prepared> preparing_;      // Oldest first.
    bool widened_ = false;  // The writer's page cache (archive_store::widen_page_cache).
    std::optional<archive_store::ReservedIds> reserved_;  // PostgreSQL only, as the placer.
    std::unique_ptr<placement::Placer> placer_;
    std::size_t remembered_ = 0;  // Messages the placer has seen.
    ImportReport report_;
    std::future<Written> writing_;  // The batch being written: waited for when destroyed.
    Preparers preparers_;           // Last: its threads stop, and stop using the batches, first.
};

bool is_whitespace(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

}  // namespace

std::optional<std::pair<std::int64_t, std::int64_t>> month_bounds(std::string_view month) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (month.size() != 7 || month[4] != '-') {
        return std::nullopt;
    }
    for (const std::size_t position : {0, 1, 2, 3, 5, 6}) {
        if (!digit(month[position])) {
            return std::nullopt;
        }
    }
    const std::int64_t year = std::stoll(std::string(month.substr(0, 4)));
    const auto number = static_cast<unsigned>(std::stoi(std::string(month.substr(5, 2))));
    if (number < 1 || number > 12) {
        return std::nullopt;
    }
    const std::int64_t start = days_from_civil(year, number, 1) * kDay;
    const std::int64_t end = number == 12 ? days_from_civil(year + 1, 1, 1) * kDay
                                          : days_from_civil(year, number + 1, 1) * kDay;
    return std::make_pair(start, end);
}

ImportReport import_mbox(store::Database& database, std::int64_t list_id, std::istream& in,
                         const std::function<void(std::size_t)>& progress) {
    Importer importer(database, list_id);
    // The arrival time store() falls back on (and bounds the Date: header with) is the
    // separator's date when it is plausible: MAILER-DAEMON exports often carry the epoch, and
    // a separator without a date inherits the previous one's, or now.
    const std::int64_t now = core::SystemClock().unix_now();
    std::int64_t last_date = now;
    std::size_t read = 0;
    std::size_t since_progress = 0;
    mbox::split(in, [&](mbox::Entry&& entry) {
        read = entry.offset + entry.from_line.size() + entry.bytes.size();
        if (entry.preamble) {
            if (is_whitespace(entry.bytes)) {
                return;
            }
            // Kept as a message all the same (a lone .eml file has no separator).
            importer.add(Pending{0, std::move(entry.bytes), last_date,
                                 "text before the first \"From \" line"});
            return;
        }
        if (const auto date = separator_date(entry.from_line);
            date && *date >= kPlausibleSince && *date <= now + kDay) {
            last_date = *date;
        }
        importer.add(Pending{entry.offset, std::move(entry.bytes), last_date, {}});
        if (progress && ++since_progress >= 100) {
            since_progress = 0;
            progress(read);
        }
    });
    importer.finish();
    in.clear();
    if (const auto position = in.tellg(); position >= 0) {
        read = static_cast<std::size_t>(position);
    }
    if (progress) {
        progress(read);
    }
    return std::move(importer.report());
}

std::size_t export_mbox(store::Database& database, std::int64_t list_id, const ExportScope& scope,
                        std::ostream& out) {
    std::optional<std::pair<std::int64_t, std::int64_t>> range;
    if (scope.month) {
        range = month_bounds(*scope.month);
        if (!range) {
            return 0;
        }
    }
    std::string sql =
        "SELECT id, date, author_email, raw FROM archive_messages WHERE list_id = $1 AND "
        "(date > $2 OR (date = $2 AND id > $3)) AND date >= $4 AND date < $5";
    store::Params params{list_id, std::int64_t{0}, std::int64_t{0},
                         range ? range->first : INT64_MIN, range ? range->second : INT64_MAX};
    if (scope.thread) {
        sql += " AND thread_id = $6";
        params.emplace_back(scope.thread->value());
    }
    sql += " ORDER BY date, id LIMIT " + std::to_string(kExportPage);
    // Keyset pages in (date, id) order, so memory stays bounded whatever the archive's size.
    std::int64_t after_date = INT64_MIN;
    std::int64_t after_id = 0;
    std::size_t written = 0;
    while (true) {
        params[1] = after_date;
        params[2] = after_id;
        const auto rows = database.query(sql, params);
        for (const auto& row : rows) {
            const auto bytes = core::decode_base64(row.text(3)).value_or(std::string());
            mbox::write(out, row.text(2), row.integer(1), bytes);
            ++written;
        }
        if (rows.size() < kExportPage) {
            break;
        }
        after_date = rows.back().integer(1);
        after_id = rows.back().integer(0);
    }
    return written;
}

}  // namespace coalition::archive
