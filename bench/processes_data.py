#!/usr/bin/env python3
"""SQL for bench/processes.sh: PROCESSES processes with MILESTONES milestones each, written
straight into a migrated Coalition database (much faster than 20,000 API calls, and the same
rows: every column as processes/process_store.cpp writes it, UTC instants from the real zone
rules through zoneinfo, one history row per creation).

The mix: whole days, wall times in 12 IANA zones (DST and half-hour zones among them), ranges of
days and of times, all seven milestone kinds, month- and year-precise facts, tentative ones, every
location kind, links, notes with commas and semicolons (escaped in iCalendar), titles in the six
UN languages (long enough to be folded), and dates from 2019 to 2031 around today so that the
"open now / closing soon" panel has content.

Usage: processes_data.py PROCESSES MILESTONES sqlite|postgresql > data.sql
"""
import datetime
import json
import random
import sys
import zoneinfo

ZONES = ["America/New_York", "Europe/Zurich", "Pacific/Auckland", "Asia/Tokyo", "Africa/Nairobi",
         "America/Sao_Paulo", "Asia/Kolkata", "Australia/Adelaide", "Asia/Kathmandu",
         "Europe/Paris", "America/Los_Angeles", "Asia/Riyadh"]
KINDS = ["consultation-opens", "deadline", "meeting", "negotiation-round", "adoption", "report",
         "other"]
LOCATIONS = [("none", ""), ("in-person", "Geneva, Palais des Nations"), ("online", ""),
             ("hybrid", "New York, UN Headquarters"), ("in-person", "Riyadh"),
             ("hybrid", "Addis Ababa, UNECA")]
TITLES = [
    "Written inputs on the zero draft",
    "Informal consultations with stakeholders, session {n}",
    "Négociations intergouvernementales, cycle {n}",
    "Consultas abiertas sobre el borrador revisado {n}",
    "Межправительственные переговоры, раунд {n}",
    "关于修订草案的非正式磋商 第{n}轮",
    "مشاورات غير رسمية مع أصحاب المصلحة، الجولة {n}",
    "Adoption of the outcome document; report of the co-facilitators, part {n}",
]
PROCESS_NAMES = ["Global Digital Compact", "WSIS+20 review", "Internet Governance Forum",
                 "ICANN public meeting", "ITU Council Working Group", "UN Open-Ended Working Group",
                 "Summit of the Future follow-up", "Commission on Science and Technology"]
PROCESS_KINDS = ["un-process", "forum", "meeting-series", "consultation"]
STATUSES = ["upcoming", "active", "active", "concluded"]
CREATED = 1_735_689_600  # 2025-01-01


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def value(item):
    if item is None:
        return "NULL"
    if isinstance(item, int):
        return str(item)
    return quote(item)


def midnight_utc(day):
    return int(datetime.datetime(day.year, day.month, day.day,
                                 tzinfo=datetime.timezone.utc).timestamp())


def wall_utc(day, hour, minute, zone):
    local = datetime.datetime(day.year, day.month, day.day, hour, minute,
                              tzinfo=zoneinfo.ZoneInfo(zone))
    # A wall time skipped by a spring-forward night is refused by the server: move it an hour.
    if local.astimezone(datetime.timezone.utc).astimezone(local.tzinfo).hour != hour:
        return None
    return int(local.timestamp())


def milestone(rng, number, today):
    """The column values of one milestone (start and end as the server stores them)."""
    kind = KINDS[number % len(KINDS)]
    title = TITLES[rng.randrange(len(TITLES))].format(n=number + 1)
    day = today + datetime.timedelta(days=rng.randrange(-6 * 365, 6 * 365))
    shape = rng.random()
    start = (day.isoformat(), None, None, midnight_utc(day))
    end = (None, None, None, None)
    precision = "day"
    if shape < 0.06:  # Known only to the month or the year.
        precision = "month" if shape < 0.04 else "year"
        first = day.replace(day=1) if precision == "month" else day.replace(month=1, day=1)
        start = (first.isoformat(), None, None, midnight_utc(first))
    elif shape < 0.40:  # A whole day.
        pass
    elif shape < 0.55:  # Several whole days.
        last = day + datetime.timedelta(days=rng.randrange(1, 12))
        end = (last.isoformat(), None, None, midnight_utc(last))
    else:  # A wall time in a zone, perhaps with an end time.
        zone = ZONES[rng.randrange(len(ZONES))]
        hour, minute = rng.choice([(23, 59), (9, 0), (10, 30), (14, 0), (2, 30), (17, 45)])
        at = wall_utc(day, hour, minute, zone)
        if at is None:
            hour += 1
            at = wall_utc(day, hour, minute, zone)
        start = (day.isoformat(), "%02d:%02d" % (hour, minute), zone, at)
        if shape > 0.80:
            later = day + datetime.timedelta(days=rng.randrange(0, 5))
            end_hour = min(hour + 3, 23) if later == day else 18
            end_at = wall_utc(later, end_hour, 0, zone)
            if end_at is not None and end_at > at:
                end = (later.isoformat(), "%02d:00" % end_hour, zone, end_at)
    location_kind, location = LOCATIONS[rng.randrange(len(LOCATIONS))]
    links = []
    if rng.random() < 0.5:
        links.append({"title": "Zero draft", "url": "https://un.example.org/drafts/%d.pdf" % number})
    if rng.random() < 0.2:
        links.append({"title": "", "url": "https://example.org/notes?item=%d&lang=fr" % number})
    notes = ""
    if rng.random() < 0.4:
        notes = ("Inputs of at most 2,000 words; one per organisation; in any UN language. "
                 "Contact the secretariat; see the modalities resolution.")
    tentative = 1 if rng.random() < 0.15 else 0
    return (kind, title, start, end, precision, tentative, location_kind, location,
            json.dumps(links, ensure_ascii=False, separators=(",", ":")), notes)


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("sqlite", "postgresql"):
        sys.exit(__doc__)
    processes, per_process, dialect = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(20260601)
    today = datetime.date.today()
    out = sys.stdout
    out.write("BEGIN;\n")
    process_rows, milestone_rows, history_rows = [], [], []
    milestone_id = 0
    for index in range(1, processes + 1):
        base = PROCESS_NAMES[index % len(PROCESS_NAMES)]
        name = "%s — track %03d" % (base, index)
        short = "P%03d" % index if index % 3 else ""
        description = ("The **%s** process, track %d. Inputs are [published](https://example.org/%d)"
                       " as they arrive." % (base, index, index))
        process_rows.append((index, "process-%03d" % index, name, short,
                             PROCESS_KINDS[index % len(PROCESS_KINDS)], "UN DESA; ITU",
                             description,
                             json.dumps([{"title": "Official page",
                                          "url": "https://un.example.org/p/%d" % index}]),
                             STATUSES[index % len(STATUSES)], CREATED, CREATED))
        history_rows.append((index, None, CREATED, "cli", "process.create", name, "{}"))
        for number in range(per_process):
            milestone_id += 1
            (kind, title, start, end, precision, tentative, location_kind, location, links,
             notes) = milestone(rng, number, today)
            uid = "bench-%d-%d" % (index, number) if number % 10 == 0 else None
            at = CREATED + milestone_id
            milestone_rows.append((milestone_id, index, uid, kind, title) + start + end +
                                  (precision, tentative, location_kind, location, links, notes,
                                   at, at))
            history_rows.append((index, milestone_id, at, "cli", "milestone.create", title, "{}"))

    def insert(table, columns, rows):
        for first in range(0, len(rows), 500):
            out.write("INSERT INTO %s (%s) VALUES\n" % (table, ", ".join(columns)))
            out.write(",\n".join("(" + ", ".join(value(item) for item in row) + ")"
                                 for row in rows[first:first + 500]))
            out.write(";\n")

    insert("processes", ["id", "slug", "name", "short_name", "kind", "convenor", "description",
                         "links", "status", "created_at", "updated_at"], process_rows)
    insert("process_milestones",
           ["id", "process_id", "uid", "kind", "title", "start_date", "start_time", "start_zone",
            "start_utc", "end_date", "end_time", "end_zone", "end_utc", "date_precision",
            "tentative", "location_kind", "location", "links", "notes", "created_at",
            "updated_at"], milestone_rows)
    insert("process_history", ["process_id", "milestone_id", "at", "actor", "action", "summary",
                               "changes"], history_rows)
    out.write("UPDATE process_revision SET revision = revision + 1 WHERE id = 1;\n")
    if dialect == "postgresql":
        for table in ("processes", "process_milestones"):
            out.write("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %s));\n"
                      % (table, table))
    out.write("COMMIT;\n")


if __name__ == "__main__":
    main()
