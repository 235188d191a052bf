#pragma once
// processes::Reminders: the mail a follower gets before each deadline of the processes they
// follow, and a weekly "coming up" digest. Run by a periodic worker every minute on every server.
//
// A deadline is a day-precise milestone of kind deadline (its end if it has one, else its start)
// or the end of a consultation (kind consultation-opens with an end). A reminder for offset N
// days is due at the same wall time N days earlier in the deadline's own zone (so DST changes in
// between do not move it by an hour); for a whole-day deadline, at 09:00 in the follower's zone
// N days before the day. At each run the smallest offset already due is sent, if the deadline
// has not passed and it was not sent before (a follower who arrives late gets one reminder, not
// a burst).
//
// Exactly once: each reminder is recorded as (follower, milestone, deadline instant, offset)
// under a UNIQUE key with INSERT … ON CONFLICT DO NOTHING, and queued (mail::Outbox) in the same
// transaction only when the row was inserted; several servers on one PostgreSQL may race. A
// moved deadline has a new instant, so it is reminded again. The digest goes out on Mondays from
// 08:00 in the follower's zone, recorded likewise once per follower and week.

#include "core/clock.hpp"
#include "core/random.hpp"
#include "mail/outbox.hpp"
#include "processes/followers.hpp"
#include "processes/processes.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>

namespace coalition::processes {

inline constexpr std::int64_t kDigestHorizonDays = 14;

// The deadline instant of `milestone` (the moment it names and, for a whole day, the end of that
// day in UTC), or nullopt when it is not a deadline.
struct Deadline {
    Moment moment;
    std::int64_t instant = 0;
};
std::optional<Deadline> deadline_of(const Milestone& milestone);

// When the reminder `offset_days` before `deadline` is due, for a follower in `follower_zone`.
std::int64_t reminder_due_at(const Deadline& deadline, int offset_days,
                             std::string_view follower_zone);

struct ReminderReport {
    int reminders = 0;  // Queued by this call.
    int digests = 0;
};

// Thread-safe if `random` is; every reference must outlive it. Throws core::Unavailable when the
// database is gone (the periodic worker tries again at its next run).
class Reminders {
public:
    Reminders(store::Database& database, const core::Clock& clock, core::Random& random,
              mail::Outbox& outbox, const Processes& processes, const Followers& followers);

    // send_reminders() then send_digests().
    ReminderReport run();
    int send_reminders();
    int send_digests();

private:
    store::Database& database_;
    const core::Clock& clock_;
    core::Random& random_;
    mail::Outbox& outbox_;
    const Processes& processes_;
    const Followers& followers_;
};

}  // namespace coalition::processes
