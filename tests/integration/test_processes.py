"""The process tracker against the real binary: the demo's processes on /processes, a process page
with its timeline and history, the month calendar in the viewer's time zone, the iCalendar feeds
validated with the icalendar library (Debian python3-icalendar), the Atom feed parsed with
xml.etree, the JSON API, and the admin forms (CSRF, per-field errors, hostile Markdown refused
and never rendered)."""
import datetime
import json
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree

import icalendar

from harness import ServerTest, wait_for

ATOM = "{http://www.w3.org/2005/Atom}"


def main_of(html):
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else ""


class ProcessPages(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def test_list_shows_every_demo_process_with_status_and_the_panel(self):
        page = self.client.get("/processes")
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        for name in ("Global Digital Compact", "Internet Governance Forum", "NETmundial+10",
                     "ICANN Public Meetings", "ITU Plenipotentiary Conference 2026"):
            self.assertIn(name, main)
        self.assertIn('href="/processes/wsis20"', main)
        self.assertIn("process-status-concluded", main)
        self.assertIn('id="outlook-title"', main)
        # The home page carries the same panel.
        home = self.client.get("/")
        self.assertIn('id="outlook-title"', home.text)

    def test_process_page_has_description_timeline_list_and_history(self):
        page = self.client.get("/processes/igf")
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        self.assertIn('<div class="process-description"><p>', main)  # Markdown rendered.
        svg = re.search(r"<svg\b.*?</svg>", main, re.S)
        self.assertIsNotNone(svg)
        root = ElementTree.fromstring(svg.group(0))  # Well-formed XML.
        self.assertEqual(root.get("role"), "img")
        # An image has no focusable parts: the list below holds the links.
        self.assertNotIn("<a ", svg.group(0))
        self.assertIn("Today", svg.group(0))
        # Time runs right to left in Arabic: the first milestone's mark is right of the last's.
        def mark_xs(markup):
            return [float(x) for x in re.findall(r'<circle cx="(-?[0-9.]+)"', markup)]
        english = mark_xs(svg.group(0))
        arabic_page = main_of(self.client.get("/processes/igf?lang=ar").text)
        arabic = mark_xs(re.search(r"<svg\b.*?</svg>", arabic_page, re.S).group(0))
        self.assertGreater(len(english), 1)
        self.assertLess(english[0], english[-1])
        self.assertGreater(arabic[0], arabic[-1])
        self.assertIn('aria-current="date"', main)  # Today marked in the text list too.
        self.assertIn("Lillestrøm, Norway", main)
        self.assertIn('id="history"', main)
        self.assertIn("Milestone added", main)
        self.assertEqual(self.client.get("/processes/no-such-process").status, 404)

    def test_calendar_month_in_viewer_zone_remembered_in_cookie(self):
        page = self.client.get("/processes/calendar?month=2025-06&tz=Pacific/Auckland")
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        self.assertIn("20th IGF", main)  # 23–27 June 2025.
        self.assertIn("Pacific/Auckland", main)
        self.assertEqual(self.client.cookies.get("tz"), "Pacific/Auckland")
        again = self.client.get("/processes/calendar?month=2025-06")
        self.assertIn('value="Pacific/Auckland"', again.text)
        self.assertEqual(self.client.get("/processes/calendar?month=2025-13").status, 404)
        bogus = self.client.get("/processes/calendar?month=2025-06&tz=Mars/Base")
        self.assertEqual(bogus.status, 200)
        self.assertEqual(self.client.cookies.get("tz"), "Pacific/Auckland")

    def check_calendar(self, body):
        self.assertTrue(body.endswith(b"END:VCALENDAR\r\n"))
        for line in body.split(b"\r\n"):
            self.assertLessEqual(len(line), 75)
            self.assertNotIn(b"\n", line)
            line.decode("utf-8")  # Never cut inside a character.
        calendar = icalendar.Calendar.from_ical(body)
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        uids = [str(event["UID"]) for event in events]
        self.assertEqual(len(uids), len(set(uids)))
        for event in events:
            self.assertIn("DTSTAMP", event)
            self.assertIn("DTSTART", event)
        return events

    def test_icalendar_feeds_parse_and_keep_stable_uids(self):
        everything = self.client.get("/calendar.ics")
        self.assertEqual(everything.status, 200)
        self.assertTrue(everything.header("content-type").startswith("text/calendar"))
        events = self.check_calendar(everything.body)
        self.assertGreater(len(events), 50)
        by_uid = {str(event["UID"]): event for event in events}
        hlm = by_uid["wsis20-hlm@127.0.0.1"]
        # All-day events are DATE values with an exclusive end.
        self.assertEqual(str(hlm["DTSTART"].to_ical(), "ascii"), "20251216")
        self.assertEqual(str(hlm["DTEND"].to_ical(), "ascii"), "20251218")
        self.assertEqual(self.client.get("/calendar.ics").body, everything.body)
        one = self.client.get("/processes/wsis20/calendar.ics")
        self.assertEqual(one.status, 200)
        one_events = self.check_calendar(one.body)
        self.assertTrue(all(str(e["UID"]).startswith("wsis20-") or "wsis" in str(e["UID"])
                            for e in one_events))

    def test_atom_feed_parses(self):
        feed = self.client.get("/processes/feed.atom")
        self.assertEqual(feed.status, 200)
        self.assertTrue(feed.header("content-type").startswith("application/atom+xml"))
        root = ElementTree.fromstring(feed.body)
        self.assertEqual(root.tag, ATOM + "feed")
        for required in ("id", "title", "updated", "author"):
            self.assertIsNotNone(root.find(ATOM + required), required)
        entries = root.findall(ATOM + "entry")
        self.assertGreater(len(entries), 10)
        for entry in entries:
            for required in ("id", "title", "updated"):
                self.assertIsNotNone(entry.find(ATOM + required))

    def test_json_api(self):
        listing = self.client.get("/api/v1/processes")
        self.assertEqual(listing.status, 200)
        slugs = [p["slug"] for p in listing.json()["processes"]]
        self.assertIn("gdc", slugs)
        self.assertEqual(len(slugs), 11)
        one = self.client.get("/api/v1/processes/igf").json()
        self.assertEqual(one["kind"], "forum")
        self.assertTrue(any(m["start"]["date"] == "2025-06-23" for m in one["milestones"]))
        missing = self.client.get("/api/v1/processes/nope")
        self.assertEqual(missing.status, 404)
        self.assertTrue(missing.header("content-type").startswith("application/problem+json"))


class ProcessAdmin(ServerTest):
    def test_admin_creates_process_and_timezoned_deadline(self):
        server = self.start_server()
        anonymous = server.client()
        self.assertIn(anonymous.get("/admin/processes/new").status, (303, 401, 403))
        admin = self.sign_in(server, "admin@coalition.example")

        hostile = admin.submit("/admin/processes/new", "/admin/processes", {
            "name": "Hostile <script>alert(1)</script>", "kind": "consultation",
            "status": "active",
            "description": "Hi <script>alert(1)</script> [x](javascript:alert(2))"})
        self.assertEqual(hostile.status, 422)
        self.assertIn('id="field-description-error"', hostile.text)
        self.assertNotIn("<script>alert(1)</script>", hostile.text)

        bad = admin.submit("/admin/processes/new", "/admin/processes",
                           {"name": "", "kind": "party", "status": "active"})
        self.assertEqual(bad.status, 422)
        self.assertIn('id="field-name-error"', bad.text)
        self.assertIn('id="field-kind-error"', bad.text)

        created = admin.submit("/admin/processes/new", "/admin/processes", {
            "name": "Test consultation <b>bold</b>", "short_name": "TC", "slug": "tc",
            "kind": "consultation", "status": "active",
            "description": "A **test** consultation.",
            "links": "https://example.org/tc Official page"})
        self.assertEqual(created.status, 303, created.text[:300])
        self.assertEqual(created.header("location"), "/processes/tc")

        # Without a CSRF token nothing happens.
        forged = admin.post("/admin/processes/tc/milestones", form={"kind": "deadline"})
        self.assertEqual(forged.status, 403)

        form = "/admin/processes/tc/milestones/new"
        gap = admin.submit(form, "/admin/processes/tc/milestones", {
            "kind": "deadline", "title": "Comments due", "start_date": "2026-03-08",
            "start_time": "02:30", "start_zone": "America/New_York"})
        self.assertEqual(gap.status, 422)
        self.assertIn('id="field-start_time-error"', gap.text)
        unknown = admin.submit(form, "/admin/processes/tc/milestones", {
            "kind": "deadline", "title": "Comments due", "start_date": "2026-03-10",
            "start_time": "23:59", "start_zone": "Mars/Olympus"})
        self.assertIn('id="field-start_zone-error"', unknown.text)
        backwards = admin.submit(form, "/admin/processes/tc/milestones", {
            "kind": "meeting", "title": "Meeting", "start_date": "2026-03-10",
            "end_date": "2026-03-09"})
        self.assertIn('id="field-end_date-error"', backwards.text)

        added = admin.submit(form, "/admin/processes/tc/milestones", {
            "kind": "deadline", "title": "Comments due; final, really", "start_date": "2026-01-15",
            "start_time": "23:59", "start_zone": "America/New_York",
            "notes": "Send comments by e-mail."})
        self.assertEqual(added.status, 303, added.text[:500])

        # Shown to a viewer in Auckland: 17:59 the next day, original zone in the title.
        page = admin.get("/processes/tc?tz=Pacific/Auckland")
        main = main_of(page.text)
        self.assertIn("17:59", main)
        self.assertIn("UTC+13:00", main)
        self.assertIn("America/New_York", main)
        self.assertIn("<strong>test</strong>", main)
        self.assertIn("Test consultation &lt;b&gt;bold&lt;/b&gt;", main)

        body = admin.get("/processes/tc/calendar.ics").body
        calendar = icalendar.Calendar.from_ical(body)
        self.assertEqual(len([c for c in calendar.walk() if c.name == "VTIMEZONE"]), 1)
        event = next(c for c in calendar.walk() if c.name == "VEVENT")
        self.assertEqual(str(event["SUMMARY"]), "TC: Comments due; final, really")
        self.assertIn(b"SUMMARY:TC: Comments due\\; final\\, really", body)
        self.assertIn(b"DTSTART;TZID=America/New_York:20260115T235900", body)
        start = event["DTSTART"].dt
        self.assertEqual(start.utcoffset().total_seconds(), -5 * 3600)

        # Moving the deadline shows in the history and in the Atom feed.
        milestone_id = re.search(r'/admin/milestones/(\d+)/edit', page.text).group(1)
        edit = f"/admin/milestones/{milestone_id}/edit"
        moved = admin.submit(edit, f"/admin/milestones/{milestone_id}", {
            "kind": "deadline", "title": "Comments due; final, really",
            "start_date": "2026-01-22", "start_time": "23:59", "start_zone": "America/New_York",
            "notes": "Send comments by e-mail."})
        self.assertEqual(moved.status, 303, moved.text[:500])
        history = main_of(admin.get("/processes/tc").text)
        self.assertIn("2026-01-22 23:59 America/New_York", history)
        feed = ElementTree.fromstring(admin.get("/processes/feed.atom").body)
        titles = [e.find(ATOM + "title").text for e in feed.findall(ATOM + "entry")]
        self.assertIn("TC — Milestone changed: Comments due; final, really", titles)
        audit = admin.get("/admin/audit")
        self.assertIn("milestone.update", audit.text)



class ProcessModerator(ServerTest):
    def test_moderator_keeps_milestones_and_a_member_may_not(self):
        server = self.start_server()
        for email, role in (("mod@coalition.example", "moderator"),
                            ("plain@coalition.example", "member")):
            added = self.cli("user", "add", "--email", email, "--role", role)
            self.assertEqual(added.returncode, 0, added.stderr)
        member = self.sign_in(server, "plain@coalition.example")
        self.assertEqual(member.get("/admin/processes/igf/milestones/new").status, 403)
        self.assertNotIn("/admin/processes/igf/milestones/new", member.get("/processes/igf").text)

        moderator = self.sign_in(server, "mod@coalition.example")
        self.assertIn("/admin/processes/igf/milestones/new", moderator.get("/processes/igf").text)
        added = moderator.submit("/admin/processes/igf/milestones/new",
                                 "/admin/processes/igf/milestones", {
                                     "kind": "meeting", "title": "Moderator's open consultation",
                                     "start_date": "2027-02-03"})
        self.assertEqual(added.status, 303, added.text[:500])
        page = moderator.get("/processes/igf")
        self.assertIn("Moderator&#39;s open consultation", page.text.replace("&#x27;", "&#39;"))


class FeedValidators(ServerTest):
    """The feeds' ETag / If-None-Match (304) / Last-Modified, and the kept feed and list page going
    stale when a change comes through another server sharing the database (issue #6): at once on
    SQLite, on PostgreSQL when its notification of the commit arrives."""

    def api(self, server, method, path, body, token):
        return server.client().request(method, path, json_body=body,
                                       headers={"Authorization": "Bearer " + token})

    def test_conditional_get_and_invalidation_across_two_servers(self):
        writer = self.start_server()
        reader = self.start_server(demo=False)
        client = reader.client()

        first = client.get("/calendar.ics")
        self.assertEqual(first.status, 200)
        tag = first.header("etag")
        self.assertRegex(tag or "", r'^"[0-9a-f]{32}"$')
        self.assertRegex(first.header("last-modified") or "",
                         r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} "
                         r"\d\d:\d\d:\d\d GMT$")
        self.assertEqual(first.header("cache-control"), "no-cache")
        # The same validator and bytes from either server, kept or made afresh.
        other = writer.client().get("/calendar.ics")
        self.assertEqual(other.header("etag"), tag)
        self.assertEqual(other.body, first.body)
        self.assertEqual(client.get("/calendar.ics").body, first.body)

        for header in (tag, "W/" + tag, '"nope", ' + tag, "*"):
            unchanged = client.get("/calendar.ics", headers={"If-None-Match": header})
            self.assertEqual(unchanged.status, 304, header)
            self.assertEqual(unchanged.body, b"")
            self.assertEqual(unchanged.header("etag"), tag)
        hostile = "'; DROP TABLE processes; --"
        for header in ('"nope"', tag[:-2] + '"', "", tag.strip('"'), hostile):
            changed = client.get("/calendar.ics", headers={"If-None-Match": header})
            self.assertEqual(changed.status, 200, header)
            self.assertEqual(changed.body, first.body)
        one = client.get("/processes/wsis20/calendar.ics")
        self.assertEqual(one.status, 200)
        self.assertEqual(client.get("/processes/wsis20/calendar.ics",
                                    headers={"If-None-Match": one.header("etag")}).status, 304)
        list_before = client.get("/processes").text

        # A deadline in three days, added through the API of the other server.
        token = self.cli("token", "create", "--user", "admin@coalition.example").stdout.strip()
        day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).date()
        added = self.api(writer, "POST", "/api/v1/processes/wsis20/milestones", {
            "kind": "deadline", "title": "Cache check <deadline>",
            "start": {"date": day.isoformat(), "time": "23:59", "zone": "Pacific/Auckland"}},
            token)
        self.assertEqual(added.status, 201, added.text)
        milestone_id = added.json()["id"]

        # The other server hears of the change when PostgreSQL's notification arrives, a few
        # milliseconds after the commit (store/ query_memoised), so it is awaited, not assumed.
        def changed(etag):
            response = client.get("/calendar.ics", headers={"If-None-Match": etag})
            return response if response.status != 304 else None

        after = wait_for(lambda: changed(tag), timeout=5, what="the added deadline")
        self.assertEqual(after.status, 200)
        self.assertNotEqual(after.header("etag"), tag)
        self.assertIn(b"SUMMARY:WSIS+20: Cache check <deadline>", after.body)
        self.assertNotIn(b"Cache check", first.body)
        self.assertEqual(client.get("/processes/wsis20/calendar.ics",
                                    headers={"If-None-Match": one.header("etag")}).status, 200)
        listed = client.get("/processes").text
        self.assertNotEqual(listed, list_before)
        self.assertIn("Cache check &lt;deadline&gt;", main_of(listed))
        self.assertIn("Cache check &lt;deadline&gt;", client.get("/processes/wsis20").text)
        # Another language or zone is another body, and the zone form keeps echoing ?month=.
        zoned = client.get("/processes?tz=Pacific/Auckland&lang=fr")
        self.assertIn("Cache check &lt;deadline&gt;", zoned.text)
        self.assertIn('value="Pacific/Auckland"', zoned.text)

        # Removing it (no updated_at moves) changes the validator again and empties both pages.
        removed = self.api(writer, "DELETE",
                           f"/api/v1/processes/wsis20/milestones/{milestone_id}", None, token)
        self.assertIn(removed.status, (200, 204), removed.text)
        gone = wait_for(lambda: changed(after.header("etag")), timeout=5,
                        what="the removed deadline")
        self.assertEqual(gone.status, 200)
        self.assertNotIn(b"Cache check", gone.body)
        self.assertEqual(gone.body, first.body)
        self.assertNotIn(gone.header("etag"), (after.header("etag"),))
        self.assertNotIn("Cache check", client.get("/processes").text)
        self.assertEqual(client.get("/processes/no-such/calendar.ics").status, 404)

class FeedCompression(ServerTest):
    """Calendar clients send Accept-Encoding: gzip: the feeds answer with the gzip representation
    kept per revision, its own strong ETag ("…-gz"), Vary: Accept-Encoding on both, and 304 for
    each representation's own ETag (issue #6)."""

    def test_gzip_and_identity_representations(self):
        import gzip
        server = self.start_server()
        client = server.client()
        for path in ("/calendar.ics", "/processes/wsis20/calendar.ics", "/processes/feed.atom"):
            plain = client.get(path)
            self.assertEqual(plain.status, 200, path)
            self.assertIsNone(plain.header("content-encoding"), path)
            self.assertEqual(plain.header("vary"), "Accept-Encoding", path)
            tag = plain.header("etag")
            self.assertRegex(tag or "", r'^"[0-9a-f]{32}"$')
            packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
            self.assertEqual(packed.status, 200, path)
            self.assertEqual(packed.header("content-encoding"), "gzip", path)
            self.assertEqual(packed.header("vary"), "Accept-Encoding", path)
            self.assertEqual(packed.header("etag"), tag[:-1] + '-gz"', path)
            self.assertLess(len(packed.body), len(plain.body), path)
            self.assertEqual(gzip.decompress(packed.body), plain.body, path)
            self.assertEqual(packed.header("content-type"), plain.header("content-type"))
            self.assertEqual(int(packed.header("content-length")), len(packed.body))
            # Kept: the same bytes again.
            self.assertEqual(client.get(path, headers={"Accept-Encoding": "GZIP"}).body,
                             packed.body)
            # Each representation validates with its own tag, and only with it.
            gz_tag = packed.header("etag")
            not_modified = client.get(path, headers={"Accept-Encoding": "gzip",
                                                     "If-None-Match": gz_tag})
            self.assertEqual(not_modified.status, 304, path)
            self.assertEqual(not_modified.body, b"")
            self.assertEqual(not_modified.header("etag"), gz_tag)
            self.assertEqual(not_modified.header("vary"), "Accept-Encoding")
            self.assertEqual(client.get(path, headers={"If-None-Match": tag}).status, 304)
            self.assertEqual(client.get(path, headers={"Accept-Encoding": "gzip",
                                                       "If-None-Match": tag}).status, 200)
            self.assertEqual(client.get(path, headers={"If-None-Match": gz_tag}).status, 200)
            # Refused or unparseable codings get the identity body.
            for header in ("gzip;q=0", "identity", "br", "gzip;q=abc", "*;q=0", "\u00e9t\u00e9"):
                answer = client.get(path, headers={"Accept-Encoding": header})
                self.assertEqual(answer.status, 200, header)
                self.assertIsNone(answer.header("content-encoding"), header)
                self.assertEqual(answer.body, plain.body, header)
            head = client.request("HEAD", path, headers={"Accept-Encoding": "gzip"})
            self.assertEqual(head.status, 200)
            self.assertEqual(int(head.header("content-length")), len(packed.body))

        # The gzip'd calendar still loads in a real parser.
        packed = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
        calendar = icalendar.Calendar.from_ical(gzip.decompress(packed.body))
        self.assertGreater(len([c for c in calendar.walk() if c.name == "VEVENT"]), 50)
        atom = client.get("/processes/feed.atom", headers={"Accept-Encoding": "gzip"})
        ElementTree.fromstring(gzip.decompress(atom.body))

        # The list page is sent as it is (see ProcessPages::list), whatever the client accepts.
        listed = client.get("/processes", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(listed.status, 200)
        self.assertIsNone(listed.header("content-encoding"))
        self.assertIn(b"</html>", listed.body)


HOSTILE_SUBJECT = "<script>alert(1)</script> Agenda & notes"


def mbox_message(message_id, subject, date, in_reply_to=None):
    reply = (f"In-Reply-To: <{in_reply_to}>\nReferences: <{in_reply_to}>\n"
             if in_reply_to else "")
    return (f"From ana@example.org {date}\n"
            f"From: Ana <ana@example.org>\nSubject: {subject}\nMessage-ID: <{message_id}>\n"
            f"{reply}Date: Thu, 01 Jan 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\nBody.\n\n")


class MilestoneThreads(ServerTest):
    """Links both ways between a milestone and list threads (issue #6 "Pages"): an admin attaches
    threads in the milestone form (permalinks, /r/ URLs, Message-IDs; unknown ones refused), the
    process page shows those the viewer may read under the list's archive visibility, the
    archive's thread page links back to the milestone, and the history records the change."""

    def setUp(self):
        super().setUp()
        from test_archive_web import FormFields
        self.form_fields = FormFields
        self.assertEqual(self.cli("migrate").returncode, 0)
        for name in ("pub", "mem"):
            created = self.cli("list", "create", f"{name}@lists.example.org",
                               "--owner", "owner@example.org")
            self.assertEqual(created.returncode, 0, created.stderr)
        added = self.cli("list", "add-members", "mem", "--file", "/dev/stdin", "--no-welcome",
                         input_text="member@example.org\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        for address, role in (("member@example.org", "member"),
                              ("outsider@example.org", "member"),
                              ("admin@example.org", "admin")):
            self.assertEqual(self.cli("user", "add", "--email", address, "--role", role)
                             .returncode, 0)
        import os
        for name, text in (
                ("pub", mbox_message("pub1@example.org", HOSTILE_SUBJECT,
                                     "Thu Jan  1 10:00:00 2026")
                 + mbox_message("pub2@example.org", "Re: " + HOSTILE_SUBJECT,
                                "Thu Jan  1 11:00:00 2026", in_reply_to="pub1@example.org")),
                ("mem", mbox_message("mem1@example.org", "Members-only secret plan",
                                     "Thu Jan  1 12:00:00 2026"))):
            path = os.path.join(self.directory, name + ".mbox")
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            imported = self.cli("archive", "import", name, path)
            self.assertEqual(imported.returncode, 0, imported.stderr)
        self.server = self.start_server(demo=False)
        self.admin = self.sign_in(self.server, "admin@example.org")
        self.set_visibility("pub", "public")
        self.set_visibility("mem", "members")

    def set_visibility(self, name, visibility):
        page = self.admin.get(f"/lists/{name}/admin")
        self.assertEqual(page.status, 200, page.text[:500])
        parser = self.form_fields(f"/lists/{name}/admin")
        parser.feed(page.text)
        parser.fields["archive_visibility"] = visibility
        saved = self.admin.post(f"/lists/{name}/admin", form=parser.fields)
        self.assertIn(saved.status, (200, 303), saved.text[:1000])

    def thread_ids(self, client, name):
        """{message_id: (archive id, thread id)} through the archive's JSON API."""
        found = {}
        for thread in client.get(f"/api/v1/lists/{name}/threads").json()["threads"]:
            detail = client.get(f"/api/v1/lists/{name}/threads/{thread['id']}").json()
            for message in detail["messages"]:
                found[message["message_id"]] = (message["id"], thread["id"])
        return found

    def milestone(self, threads, expect=303, action=None):
        fields = {"kind": "meeting", "title": "Open consultation", "start_date": "2026-02-10",
                  "threads": threads}
        if action is None:
            return self.admin.submit("/admin/processes/tc/milestones/new",
                                     "/admin/processes/tc/milestones", fields)
        return self.admin.submit(action + "/edit", action, fields)

    def test_links_both_ways_with_visibility(self):
        created = self.admin.submit("/admin/processes/new", "/admin/processes", {
            "name": "Test consultation", "short_name": "TC", "slug": "tc",
            "kind": "consultation", "status": "active"})
        self.assertEqual(created.status, 303, created.text[:300])
        pub = self.thread_ids(self.admin, "pub")
        mem = self.thread_ids(self.admin, "mem")
        pub_reply_id, pub_thread = pub["pub2@example.org"]
        mem_id, mem_thread = mem["mem1@example.org"]

        # Unknown or malformed threads are field errors; nothing is saved.
        for bad in ("nobody@example.org", f"/lists/mem/m/{pub_reply_id}", "/lists/pub/m/999999",
                    "/lists/nolist/m/1", "not a thread", "https://example.org/page",
                    "x'); DROP TABLE processes; --"):
            refused = self.milestone(bad)
            self.assertEqual(refused.status, 422, bad)
            self.assertIn('id="field-threads-error"', refused.text, bad)
        self.assertNotIn("Open consultation", self.admin.get("/processes/tc").text)

        added = self.milestone(f"{self.server.base_url}/r/pub1%40example.org\n"
                               f"<mem1@example.org>\n/lists/pub/m/{pub_reply_id}\n")
        self.assertEqual(added.status, 303, added.text[:1000])
        milestone_id = re.search(r"#milestone-(\d+)", added.header("location")).group(1)

        escaped = "&lt;script&gt;alert(1)&lt;/script&gt; Agenda &amp; notes"
        # An anonymous visitor sees the public thread once (two links, one thread), escaped,
        # and never the members-only subject.
        anonymous = self.server.client().get("/processes/tc").text
        self.assertIn(escaped, anonymous)
        self.assertNotIn("<script>alert(1)", anonymous)
        self.assertEqual(anonymous.count(f'href="/lists/pub/t/{pub_thread}"'), 1)
        self.assertIn("2 messages", anonymous)
        self.assertNotIn("Members-only secret plan", anonymous)
        self.assertNotIn(f"/lists/mem/t/{mem_thread}", anonymous)
        outsider = self.sign_in(self.server, "outsider@example.org").get("/processes/tc").text
        self.assertIn(escaped, outsider)
        self.assertNotIn("Members-only secret plan", outsider)
        member = self.sign_in(self.server, "member@example.org").get("/processes/tc").text
        self.assertIn("Members-only secret plan", member)
        self.assertIn(f'href="/lists/mem/t/{mem_thread}"', member)
        admin_page = self.admin.get("/processes/tc").text
        self.assertIn("Members-only secret plan", admin_page)
        self.assertIn("mem1@example.org", main_of(admin_page))  # In the history's change.

        # The archive's thread page links back to the milestone's anchor.
        thread_page = self.server.client().get(f"/lists/pub/t/{pub_thread}")
        self.assertEqual(thread_page.status, 200)
        self.assertIn("Milestones about this thread", thread_page.text)
        self.assertIn(f'href="/processes/tc#milestone-{milestone_id}"', thread_page.text)
        self.assertNotIn("Milestones about this thread",
                         self.admin.get(f"/lists/pub/t/999999").text)

        # The edit form shows the links as permalinks; dropping one is a recorded change.
        action = f"/admin/milestones/{milestone_id}"
        form = self.admin.get(action + "/edit").text
        self.assertIn(f"/lists/mem/m/{mem_id}", form)
        self.assertIn("/lists/pub/m/", form)
        changed = self.milestone(f"/lists/pub/m/{pub_reply_id}", action=action)
        self.assertEqual(changed.status, 303, changed.text[:1000])
        history = main_of(self.admin.get("/processes/tc").text)
        self.assertIn("threads:", history)
        self.assertNotIn("Members-only secret plan", self.admin.get("/processes/tc").text)
        self.assertNotIn("Milestones about this thread",
                         self.admin.get(f"/lists/mem/t/{mem_thread}").text)
        feed = ElementTree.fromstring(self.server.client().get("/processes/feed.atom").body)
        titles = [e.find(ATOM + "title").text for e in feed.findall(ATOM + "entry")]
        self.assertIn("TC — Milestone changed: Open consultation", titles)


if __name__ == "__main__":
    import unittest
    unittest.main()
